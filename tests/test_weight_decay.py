"""L2 penalty vs weight decay: equal for SGD, different for Adam; Keras agrees with the formulas."""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse import regularization as reg


def _problem(seed=0, d=6):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(20, d)) * np.linspace(0.1, 3.0, d)  # gradient scales differ per weight
    b = rng.normal(size=20)
    w0 = rng.normal(size=d)
    return A, b, w0


def _grad(A, b, w):
    return A.T @ (A @ w - b) / len(b)  # of ½·mean((Aw − b)²)


def test_l2_penalty_gradient_is_lambda_w():
    from dlcourse.scratch.gradcheck import GRADCHECK_PASS, numerical_gradient, relative_error

    w = np.random.default_rng(0).normal(size=(3, 4))
    num = numerical_gradient(lambda z: reg.l2_penalty(z, 0.3), w)
    assert relative_error(num, 0.3 * w) < GRADCHECK_PASS
    assert reg.l1_penalty(np.array([-1.0, 2.0]), 0.5) == 1.5


def test_sgd_l2_equals_decoupled_decay_over_many_steps():
    A, b, w0 = _problem()
    w_l2, w_wd = w0.copy(), w0.copy()
    for _ in range(200):
        w_l2 = reg.sgd_step_l2(w_l2, _grad(A, b, w_l2), lr=0.05, lam=0.1)
        w_wd = reg.sgd_step_decoupled(w_wd, _grad(A, b, w_wd), lr=0.05, lam=0.1)
    assert np.max(np.abs(w_l2 - w_wd)) < 1e-12
    # and decay really does something: without it the end point is elsewhere
    w_plain = w0.copy()
    for _ in range(200):
        w_plain = reg.sgd_step_l2(w_plain, _grad(A, b, w_plain), lr=0.05, lam=0.0)
    assert np.linalg.norm(w_l2) < np.linalg.norm(w_plain)


def test_one_sgd_step_by_hand():
    w, g = np.array([1.0, -2.0]), np.array([0.5, 0.5])
    # w − η(g + λw) with η = 0.1, λ = 0.5
    np.testing.assert_allclose(reg.sgd_step_l2(w, g, 0.1, 0.5), [0.9, -1.95], rtol=1e-15)
    np.testing.assert_allclose(reg.sgd_step_decoupled(w, g, 0.1, 0.5), [0.9, -1.95], rtol=1e-15)


def _adam(A, b, w0, steps, **kw):
    w, m, v = w0.copy(), np.zeros_like(w0), np.zeros_like(w0)
    for t in range(1, steps + 1):
        w, m, v = reg.adam_step(w, _grad(A, b, w), m, v, t, **kw)
    return w


def test_adam_l2_differs_from_adamw():
    A, b, w0 = _problem()
    w_l2 = _adam(A, b, w0, 200, lr=0.01, l2=0.1)
    w_wd = _adam(A, b, w0, 200, lr=0.01, weight_decay=0.1)
    assert np.max(np.abs(w_l2 - w_wd)) > 1e-3
    # without any penalty the two modes coincide exactly
    assert np.array_equal(_adam(A, b, w0, 20, lr=0.01, l2=0.0), _adam(A, b, w0, 20, lr=0.01, weight_decay=0.0))


def test_adam_first_step_by_hand():
    # step 1: m̂ = g, v̂ = g², so the Adam move is lr·g/(|g| + ε/√(1−β2)) ≈ lr·sign(g)
    w, g = np.array([1.0, -1.0]), np.array([4.0, 0.001])
    z = np.zeros(2)
    w1, m, v = reg.adam_step(w, g, z, z, 1, lr=0.1, epsilon=0.0)
    np.testing.assert_allclose(w1, w - 0.1 * np.sign(g), rtol=1e-12)
    np.testing.assert_allclose(m, 0.1 * g) and np.testing.assert_allclose(v, 0.001 * g * g)
    # with L2, the penalty gradient λw is normalised away on the first step…
    w1_l2, _, _ = reg.adam_step(w, g, z, z, 1, lr=0.1, epsilon=0.0, l2=0.5)
    np.testing.assert_allclose(w1_l2, w - 0.1 * np.sign(g + 0.5 * w), rtol=1e-12)
    # …while decoupled decay shrinks w by exactly (1 − lr·λ) on top of the Adam move
    w1_wd, _, _ = reg.adam_step(w, g, z, z, 1, lr=0.1, epsilon=0.0, weight_decay=0.5)
    np.testing.assert_allclose(w1_wd, 0.95 * w - 0.1 * np.sign(g), rtol=1e-12)


@pytest.mark.parametrize("kw", [dict(lr=0.0, l2=0.1), dict(lr=0.1, l2=-1.0), dict(lr=0.1, weight_decay=-0.1)])
def test_bad_hyper_parameters_raise(kw):
    z = np.zeros(2)
    with pytest.raises(ValueError, match="must be"):
        reg.adam_step(z, z, z, z, 1, **kw)


def test_shape_mismatch_and_bad_step_raise():
    with pytest.raises(ValueError, match=r"shape of w \(2,\)"):
        reg.sgd_step_l2(np.zeros(2), np.zeros(3), 0.1, 0.1)
    with pytest.raises(ValueError, match="1-based"):
        reg.adam_step(np.zeros(2), np.zeros(2), np.zeros(2), np.zeros(2), 0)


def test_inputs_are_not_mutated():
    A, b, w0 = _problem()
    w, g, m, v = w0.copy(), _grad(A, b, w0), np.ones_like(w0), np.ones_like(w0)
    copies = [a.copy() for a in (w, g, m, v)]
    reg.adam_step(w, g, m, v, 3, l2=0.1, weight_decay=0.1)
    reg.sgd_step_decoupled(w, g, 0.1, 0.1)
    for a, c in zip((w, g, m, v), copies):
        assert np.array_equal(a, c)


# --- Keras agrees with the formulas (small variables, float64) ------------------------------

def _keras():
    from dlcourse._tf import keras, tf

    return keras, tf


# Keras casts hyper-parameters through float32 (the learning rate is a float32 variable;
# β2 = 0.999 becomes 0.99900001, a 1e-5 relative change in 1 − β2). To compare with float64
# formulas to 1e-9 we use values that float32 holds exactly.
LR_SGD, LR_ADAM, LAM = 2.0 ** -4, 2.0 ** -7, 0.125
ADAM = dict(beta1=0.875, beta2=1 - 2.0 ** -10, epsilon=2.0 ** -24)
KERAS_ADAM = dict(beta_1=ADAM["beta1"], beta_2=ADAM["beta2"], epsilon=ADAM["epsilon"])  # Keras' spelling


def _keras_run(opt, A, b, w0, steps, l2=0.0):
    keras, tf = _keras()
    var = keras.Variable(w0.copy(), dtype="float64")
    At, bt = tf.constant(A), tf.constant(b)
    for _ in range(steps):
        with tf.GradientTape() as tape:
            w = tf.identity(var.value)  # one read, watched, used by both terms
            tape.watch(w)
            r = tf.linalg.matvec(At, w) - bt
            loss = 0.5 * tf.reduce_mean(r * r) + 0.5 * l2 * tf.reduce_sum(w * w)
        opt.apply_gradients([(tape.gradient(loss, w), var)])
    return np.asarray(var.numpy())


def test_keras_sgd_weight_decay_equals_l2_in_the_loss():
    keras, _ = _keras()
    A, b, w0 = _problem()
    ours = w0.copy()
    for _ in range(30):
        ours = reg.sgd_step_decoupled(ours, _grad(A, b, ours), LR_SGD, LAM)
    k_wd = _keras_run(keras.optimizers.SGD(LR_SGD, weight_decay=LAM), A, b, w0, 30)
    k_l2 = _keras_run(keras.optimizers.SGD(LR_SGD), A, b, w0, 30, l2=LAM)
    np.testing.assert_allclose(k_wd, ours, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(k_l2, ours, rtol=1e-10, atol=1e-12)


def test_keras_adam_with_l2_in_the_loss_matches_adam_step():
    keras, _ = _keras()
    A, b, w0 = _problem()
    ours = _adam(A, b, w0, 30, lr=LR_ADAM, l2=LAM, **ADAM)
    theirs = _keras_run(keras.optimizers.Adam(LR_ADAM, **KERAS_ADAM), A, b, w0, 30, l2=LAM)
    np.testing.assert_allclose(theirs, ours, rtol=1e-9, atol=1e-12)


def test_keras_adamw_is_decoupled_decay():
    keras, _ = _keras()
    A, b, w0 = _problem()
    ours = _adam(A, b, w0, 30, lr=LR_ADAM, weight_decay=LAM, **ADAM)
    theirs = _keras_run(keras.optimizers.AdamW(LR_ADAM, weight_decay=LAM, **KERAS_ADAM), A, b, w0, 30)
    np.testing.assert_allclose(theirs, ours, rtol=1e-9, atol=1e-12)
    # Keras 3's plain Adam(weight_decay=λ) is decoupled too: an L2 *loss term* is the coupled kind
    plain = _keras_run(keras.optimizers.Adam(LR_ADAM, weight_decay=LAM, **KERAS_ADAM), A, b, w0, 30)
    np.testing.assert_allclose(plain, ours, rtol=1e-9, atol=1e-12)
    # and it is not Adam on an L2 loss
    assert np.max(np.abs(theirs - _adam(A, b, w0, 30, lr=LR_ADAM, l2=LAM, **ADAM))) > 1e-4


def test_keras_l2_regularizer_is_c_times_squared_norm():
    keras, _ = _keras()
    w = np.array([[1.0, -2.0], [0.5, 3.0]])
    # A regularizer sees a layer's weights, which are floatx (float32). A float64 tensor
    # is not what Keras passes, and Keras 3.10 refuses to multiply it by its float32 factor.
    kernel = keras.ops.convert_to_tensor(w, dtype=keras.config.floatx())
    # keras.regularizers.L2(c) adds c·Σw² — so (λ/2)‖w‖² is L2(λ/2)
    got = float(keras.regularizers.L2(0.05)(kernel))
    assert got == pytest.approx(reg.l2_penalty(w, 0.1), rel=1e-6)
    got1 = float(keras.regularizers.L1(0.1)(kernel))
    assert got1 == pytest.approx(reg.l1_penalty(w, 0.1), rel=1e-6)


def test_early_stopping_epochs_reads_the_callback():
    keras, _ = _keras()

    class Scripted(keras.callbacks.Callback):
        """Overwrite val_loss with a script so the test knows where the minimum is."""

        def __init__(self, values):
            super().__init__()
            self.values = values

        def on_epoch_end(self, epoch, logs=None):
            logs["val_loss"] = self.values[epoch]

    x = np.zeros((4, 2), dtype="float32")
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True)
    # minimum at epoch 3 (1-based); patience 2 → stops after epoch 5
    hist = model.fit(x, x[:, :1], epochs=10, verbose=0,
                     callbacks=[Scripted([5.0, 4.0, 3.0, 3.5, 3.2, 1.0, 0.5, 0, 0, 0]), stop])
    assert reg.early_stopping_epochs(stop, hist) == (5, 3)
    with pytest.raises(ValueError, match="EarlyStopping"):
        reg.early_stopping_epochs(object(), hist)
