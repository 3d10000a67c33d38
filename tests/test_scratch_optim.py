"""dlcourse.scratch.optim against keras.optimizers: same hyper-parameters, same parameters."""

from __future__ import annotations

import numpy as np
import pytest
from tf_lazy import keras, tf  # skips only the tests that use TensorFlow

from dlcourse.scratch import optim


STEPS = 120
TOL = {"float64": 1e-6, "float32": 1e-5}

# (ours, keras) with the same hyper-parameters; the rates are large enough to move far in 120 steps.
PAIRS = {
    "SGD": (lambda: optim.SGD(0.05), lambda: keras.optimizers.SGD(0.05)),
    "Momentum": (lambda: optim.Momentum(0.02, momentum=0.9),
                 lambda: keras.optimizers.SGD(0.02, momentum=0.9)),
    "Nesterov": (lambda: optim.Nesterov(0.02, momentum=0.8),
                 lambda: keras.optimizers.SGD(0.02, momentum=0.8, nesterov=True)),
    "AdaGrad": (lambda: optim.AdaGrad(0.1), lambda: keras.optimizers.Adagrad(0.1)),
    # Keras' defaults. At larger rates RMSProp reaches the tiny net's minimum and bounces
    # around it in steps of about lr, where a change of 1e-12 in lr already moves the end
    # point by 1e-3: such a comparison would test rounding, not the update rule.
    "RMSProp": (lambda: optim.RMSProp(0.001, rho=0.9),
                lambda: keras.optimizers.RMSprop(0.001, rho=0.9)),
    # TensorFlow turns a Python float β into a float32 tensor before casting it to the
    # variable's dtype, so Keras' float64 bias corrections use float32(β). Betas that
    # float32 represents exactly (0.875, 1 − 2⁻¹⁰) keep that quirk out of the comparison;
    # test_adam_defaults_match_keras covers β = 0.9, 0.999.
    "Adam": (lambda: optim.Adam(0.01, beta1=0.875, beta2=1 - 2 ** -10),
             lambda: keras.optimizers.Adam(0.01, beta_1=0.875, beta_2=1 - 2 ** -10)),
    "AdamW": (lambda: optim.AdamW(0.01, beta1=0.875, beta2=1 - 2 ** -10, weight_decay=0.05),
              lambda: keras.optimizers.AdamW(0.01, beta_1=0.875, beta_2=1 - 2 ** -10,
                                             weight_decay=0.05)),
}


# --- two problems, each a gradient function of a dict of arrays -------------------------------

def quadratic(dim: int = 6, seed: int = 0):
    """f(x) = ½ xᵀAx − bᵀx with A symmetric positive definite (condition number about 20)."""
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.normal(size=(dim, dim)))
    a = q @ np.diag(np.linspace(0.5, 10.0, dim)) @ q.T
    b = rng.normal(size=dim)
    x0 = {"x": rng.normal(size=dim) * 3}
    return x0, lambda p: {"x": a @ p["x"] - b}


def tiny_net(seed: int = 1):
    """A 2-layer tanh net with squared error on fixed data: params W1 (3,5), b1, W2 (5,2), b2."""
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=(16, 3)), rng.normal(size=(16, 2))
    params = {"W1": rng.normal(size=(3, 5)) * 0.5, "b1": np.zeros(5),
              "W2": rng.normal(size=(5, 2)) * 0.5, "b2": np.zeros(2)}

    def grads(p):
        h = np.tanh(x @ p["W1"] + p["b1"])
        dout = 2 * (h @ p["W2"] + p["b2"] - y) / len(x)  # d(mean-over-rows squared error)
        dh = (dout @ p["W2"].T) * (1 - h ** 2)
        return {"W1": x.T @ dh, "b1": dh.sum(0), "W2": h.T @ dout, "b2": dout.sum(0)}

    return params, grads


PROBLEMS = {"quadratic": quadratic, "tiny_net": tiny_net}


def run_ours(make_opt, problem, dtype, steps=STEPS):
    params, grad_fn = PROBLEMS[problem]()
    params = {k: v.astype(dtype) for k, v in params.items()}
    opt = make_opt()
    for _ in range(steps):
        g = {k: v.astype(dtype) for k, v in grad_fn(params).items()}
        opt.update(params, g)
    return params


def run_keras(make_opt, problem, dtype, steps=STEPS):
    params, grad_fn = PROBLEMS[problem]()
    names = list(params)
    variables = [keras.Variable(params[k].astype(dtype), dtype=dtype, name=k) for k in names]
    opt = make_opt()
    opt.build(variables)
    apply = tf.function(lambda grads: opt.apply(grads, variables))  # eager apply is slow
    for _ in range(steps):
        current = {k: np.asarray(v.numpy(), dtype=np.float64) for k, v in zip(names, variables)}
        g = grad_fn(current)
        apply([tf.constant(g[k].astype(dtype)) for k in names])
    return {k: v.numpy() for k, v in zip(names, variables)}


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("problem", list(PROBLEMS))
@pytest.mark.parametrize("name", list(PAIRS))
def test_same_parameters_as_keras(name, problem, dtype):
    ours_factory, keras_factory = PAIRS[name]
    ours = run_ours(ours_factory, problem, dtype)
    theirs = run_keras(keras_factory, problem, dtype)
    start, _ = PROBLEMS[problem]()
    moved = max(np.max(np.abs(theirs[k] - start[k])) for k in start)
    assert moved > 0.1, f"{name} barely moved on {problem}: the comparison would prove nothing"
    for k in ours:
        assert ours[k].dtype == np.dtype(dtype), f"{name} changed the dtype of {k}"
        np.testing.assert_allclose(ours[k], theirs[k], rtol=TOL[dtype], atol=TOL[dtype],
                                   err_msg=f"{name} on {problem} ({dtype}), parameter {k}")


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", ["Adam", "AdamW"])
def test_adam_defaults_match_keras(name, dtype):
    """Default hyper-parameters: equal up to Keras' float32 rounding of β (about 1e-5 after 120 steps)."""
    ours = run_ours(lambda: optim.OPTIMIZERS[name](0.01), "tiny_net", dtype)
    theirs = run_keras(lambda: getattr(keras.optimizers, name)(0.01), "tiny_net", dtype)
    for k in ours:
        np.testing.assert_allclose(ours[k], theirs[k], rtol=3e-5, atol=3e-5)


def test_the_comparison_can_fail():
    """A different hyper-parameter gives clearly different parameters (the test has teeth)."""
    ours = run_ours(lambda: optim.Momentum(0.02, momentum=0.85), "tiny_net", "float64")
    theirs = run_keras(lambda: keras.optimizers.SGD(0.02, momentum=0.9), "tiny_net", "float64")
    assert max(np.max(np.abs(ours[k] - theirs[k])) for k in ours) > 1e-3


def test_textbook_adagrad_differs_from_keras():
    """Starting the accumulator at 0 (textbook) is not what Keras does."""
    ours = run_ours(lambda: optim.AdaGrad(0.1, initial_accumulator_value=0.0), "quadratic", "float64")
    theirs = run_keras(lambda: keras.optimizers.Adagrad(0.1), "quadratic", "float64")
    assert np.max(np.abs(ours["x"] - theirs["x"])) > 1e-4


# --- hand-computed first steps ----------------------------------------------------------------

def one_step(opt, x=1.0, g=0.5, steps=1):
    p = {"w": np.array([x])}
    for _ in range(steps):
        opt.update(p, {"w": np.array([g])})
    return float(p["w"][0])


def test_first_steps_by_hand():
    assert one_step(optim.SGD(0.1)) == pytest.approx(1 - 0.05)
    # Momentum: v1 = −0.05, v2 = 0.9·(−0.05) − 0.05 = −0.095 → x = 1 − 0.145.
    assert one_step(optim.Momentum(0.1, 0.9), steps=2) == pytest.approx(1 - 0.145)
    # Nesterov: step 1 moves by μ·v1 − lr·g = −0.045 − 0.05.
    assert one_step(optim.Nesterov(0.1, 0.9)) == pytest.approx(1 - 0.095)
    # AdaGrad: s = 0.1 + 0.25 → x = 1 − 0.1·0.5/√(0.35 + 1e-7).
    assert one_step(optim.AdaGrad(0.1)) == pytest.approx(1 - 0.05 / np.sqrt(0.35 + 1e-7))
    # RMSProp: s = 0.1·0.25 → x = 1 − 0.05/√(0.025 + 1e-7).
    assert one_step(optim.RMSProp(0.1)) == pytest.approx(1 - 0.05 / np.sqrt(0.025 + 1e-7))
    # Adam's first step is lr·g/(|g| + ε/√(1−β2)) ≈ lr·sign(g), whatever |g| is.
    adam_step = 0.1 * 0.003 / (0.003 + 1e-7 / np.sqrt(1 - 0.999))
    assert one_step(optim.Adam(0.1), g=0.003) == pytest.approx(1 - adam_step)
    assert adam_step == pytest.approx(0.1, rel=2e-3)
    # AdamW: decay first (1 − 0.1·0.5 = 0.95), then the same Adam step.
    assert one_step(optim.AdamW(0.1, weight_decay=0.5), g=0.003) == pytest.approx(0.95 - adam_step)


# --- in place, inputs untouched, state per parameter -------------------------------------------

@pytest.mark.parametrize("name", list(optim.OPTIMIZERS))
def test_updates_in_place_and_leaves_grads_alone(name):
    params, grad_fn = tiny_net()
    arrays = {k: id(v) for k, v in params.items()}
    grads = grad_fn(params)
    saved = {k: v.copy() for k, v in grads.items()}
    before = {k: v.copy() for k, v in params.items()}
    opt = optim.OPTIMIZERS[name](0.01)
    opt.update(params, grads)
    opt.update(params, grads)  # the second call uses state created by the first
    assert {k: id(v) for k, v in params.items()} == arrays, "params must be updated in place"
    for k in grads:
        np.testing.assert_array_equal(grads[k], saved[k], err_msg=f"{name} mutated grads[{k!r}]")
        assert not np.allclose(params[k], before[k]), f"{name} did not change {k}"
    assert opt.iterations == 2


def test_mismatched_dicts_are_rejected_before_anything_changes():
    params = {"a": np.ones(3), "b": np.ones(2)}
    with pytest.raises(ValueError, match="same keys"):
        optim.SGD(0.1).update(params, {"a": np.ones(3)})
    with pytest.raises(ValueError, match=r"shape of params\['b'\], \(2,\)"):
        optim.Adam(0.1).update(params, {"a": np.ones(3), "b": np.ones(3)})
    np.testing.assert_array_equal(params["a"], np.ones(3))
    with pytest.raises(ValueError, match="float numpy array"):
        optim.SGD(0.1).update({"a": np.ones(3, dtype=int)}, {"a": np.ones(3)})


@pytest.mark.parametrize("make, message", [
    (lambda: optim.SGD(0), "lr must be a positive"),
    (lambda: optim.SGD(-0.1), "lr must be a positive"),
    (lambda: optim.SGD(float("nan")), "lr must be a positive"),
    (lambda: optim.SGD("0.1"), "lr must be a number"),
    (lambda: optim.Momentum(0.1, momentum=1.0), r"momentum must be in \[0, 1\)"),
    (lambda: optim.Nesterov(0.1, momentum=-0.1), r"momentum must be in \[0, 1\)"),
    (lambda: optim.AdaGrad(0.1, initial_accumulator_value=-1), "initial_accumulator_value"),
    (lambda: optim.AdaGrad(0.1, initial_accumulator_value=0, epsilon=0), "cannot both be 0"),
    (lambda: optim.RMSProp(0.1, rho=1.5), r"rho must be in \[0, 1\)"),
    (lambda: optim.RMSProp(0.1, epsilon=-1e-7), "epsilon must be a non-negative"),
    (lambda: optim.Adam(0.1, beta1=1.0), r"beta1 must be in \[0, 1\)"),
    (lambda: optim.Adam(0.1, beta2=True), "beta2 must be a number"),
    (lambda: optim.AdamW(0.1, weight_decay=-0.01), "weight_decay must be a non-negative"),
])
def test_bad_hyper_parameters_are_rejected(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_optimize_path():
    path = optim.optimize_path(optim.SGD(0.25), lambda x: 2 * x, [4.0, -2.0], steps=3)
    np.testing.assert_allclose(path, [[4, -2], [2, -1], [1, -0.5], [0.5, -0.25]])
    with pytest.raises(ValueError, match="steps"):
        optim.optimize_path(optim.SGD(0.1), lambda x: x, [1.0], steps=-1)
