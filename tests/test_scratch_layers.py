"""dlcourse.scratch.layers: gradients vs central differences and vs tf.GradientTape, errors, no mutation."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from tf_lazy import tf  # skips only the tests that use TensorFlow

from dlcourse.scratch import layers as L
from dlcourse.scratch.gradcheck import GRADCHECK_PASS, GRADCHECK_PASS_KINKED, relative_error
from dlcourse.scratch.layercheck import layer_gradcheck, threshold_for

ELEMENTWISE = {
    "relu": lambda: L.ReLU(),
    "sigmoid": lambda: L.Sigmoid(),
    "tanh": lambda: L.Tanh(),
    "leaky_relu": lambda: L.LeakyReLU(),
    "leaky_relu_0.2": lambda: L.LeakyReLU(alpha=0.2),
    "elu": lambda: L.ELU(),
    "elu_0.5": lambda: L.ELU(alpha=0.5),
}
SHAPES = [(3,), (4, 5), (2, 3, 4), (2, 1, 3, 3)]


def away_from_kink(rng: np.random.Generator, shape) -> np.ndarray:
    """Normal samples with none within 1e-3 of 0, where ReLU-like layers have a kink."""
    x = rng.standard_normal(shape) * 2
    x[np.abs(x) < 1e-3] = 0.5
    return x


@pytest.mark.parametrize("name", ELEMENTWISE)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_elementwise_backward_matches_numerical_gradient(name, shape):
    layer = ELEMENTWISE[name]()
    x = away_from_kink(np.random.default_rng(len(shape)), shape)
    errors = layer_gradcheck(layer, x, seed=1)
    assert set(errors) == {"dx"}
    assert errors["dx"] < threshold_for(layer), errors


@pytest.mark.parametrize("n, d, m", [(1, 1, 1), (5, 4, 3), (8, 13, 7)])
def test_affine_backward_matches_numerical_gradient(n, d, m):
    rng = np.random.default_rng(n + d + m)
    layer = L.Affine(rng.standard_normal((d, m)), rng.standard_normal(m))
    errors = layer_gradcheck(layer, rng.standard_normal((n, d)), seed=2)
    assert set(errors) == {"dx", "dW", "db"}
    assert max(errors.values()) < GRADCHECK_PASS, errors


def test_affine_backward_formulas_and_shapes():
    rng = np.random.default_rng(0)
    x, W, b = rng.standard_normal((6, 4)), rng.standard_normal((4, 3)), rng.standard_normal(3)
    dout = rng.standard_normal((6, 3))
    layer = L.Affine(W, b)
    np.testing.assert_allclose(layer.forward(x), x @ W + b)
    dx = layer.backward(dout)
    np.testing.assert_allclose(dx, dout @ W.T)
    np.testing.assert_allclose(layer.dW, x.T @ dout)
    np.testing.assert_allclose(layer.db, dout.sum(axis=0))
    assert dx.shape == x.shape and layer.dW.shape == W.shape and layer.db.shape == b.shape


@pytest.mark.parametrize("targets", ["labels", "one_hot", "soft"])
@pytest.mark.parametrize("n, c", [(1, 2), (5, 3), (16, 10)])
def test_softmax_with_loss_matches_numerical_gradient(targets, n, c):
    rng = np.random.default_rng(n * c)
    x = 3 * rng.standard_normal((n, c))
    labels = rng.integers(0, c, n)
    t = {"labels": labels, "one_hot": np.eye(c)[labels], "soft": rng.dirichlet(np.ones(c), n)}[targets]
    errors = layer_gradcheck(L.SoftmaxWithLoss(), x, t)
    assert errors["dx"] < GRADCHECK_PASS, errors


def test_softmax_with_loss_values():
    x = np.array([[2.0, 1.0, 0.1], [0.0, 0.0, 0.0]])
    t = np.array([0, 2])
    layer = L.SoftmaxWithLoss()
    loss = layer.forward(x, t)
    y = np.exp(x) / np.exp(x).sum(axis=1, keepdims=True)
    assert loss == pytest.approx(-(np.log(y[0, 0]) + np.log(1 / 3)) / 2)
    np.testing.assert_allclose(layer.backward(), (y - np.eye(3)[t]) / 2)
    np.testing.assert_allclose(layer.backward(3.0), 3 * (y - np.eye(3)[t]) / 2)
    # integer labels and their one-hot encoding give the same loss
    assert L.SoftmaxWithLoss().forward(x, np.eye(3)[t]) == pytest.approx(loss)


def test_softmax_and_sigmoid_are_stable_for_huge_inputs():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow RuntimeWarning would fail here
        x = np.array([[1000.0, 0.0, -1000.0], [-800.0, -800.0, -800.0]])
        layer = L.SoftmaxWithLoss()
        loss = layer.forward(x, np.array([0, 1]))
        assert np.isfinite(loss) and loss == pytest.approx(np.log(3) / 2)
        np.testing.assert_allclose(L.softmax(x).sum(axis=1), 1.0)
        assert np.isfinite(L.SoftmaxWithLoss().forward(x, np.array([2, 1])))  # log(0) avoided
        s = L.Sigmoid().forward(np.array([-1000.0, 0.0, 1000.0]))
        np.testing.assert_allclose(s, [0.0, 0.5, 1.0])
        e = L.ELU().forward(np.array([-1000.0, 1000.0]))
        np.testing.assert_allclose(e, [-1.0, 1000.0])


def test_activation_values_and_derivatives_at_known_points():
    x = np.array([-2.0, -0.5, 0.5, 2.0])
    np.testing.assert_allclose(L.ReLU().forward(x), [0, 0, 0.5, 2])
    np.testing.assert_allclose(L.LeakyReLU(0.1).forward(x), [-0.2, -0.05, 0.5, 2])
    np.testing.assert_allclose(L.ELU(2.0).forward(x), [2 * np.expm1(-2), 2 * np.expm1(-0.5), 0.5, 2])
    sig = L.Sigmoid()
    y = sig.forward(np.zeros(3))
    np.testing.assert_allclose(sig.backward(np.ones(3)), 0.25)  # σ'(0) = 1/4, its maximum
    assert np.all(y == 0.5)
    tanh = L.Tanh()
    tanh.forward(np.zeros(2))
    np.testing.assert_allclose(tanh.backward(np.ones(2)), 1.0)
    relu = L.ReLU()
    relu.forward(np.array([0.0]))
    assert relu.backward(np.array([1.0]))[0] == 0.0  # the convention at the kink


ALL_LAYERS = {
    **ELEMENTWISE,
    "affine": lambda: L.Affine(np.ones((4, 3)), np.zeros(3)),
}


@pytest.mark.parametrize("name", ALL_LAYERS)
def test_no_layer_mutates_its_inputs(name):
    rng = np.random.default_rng(5)
    layer = ALL_LAYERS[name]()
    x = rng.standard_normal((2, 4))
    x0 = x.copy()
    out = layer.forward(x)
    dout = rng.standard_normal(out.shape)
    dout0 = dout.copy()
    dx = layer.backward(dout)
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(dout, dout0)
    assert dx is not x and dx is not dout and out is not x


def test_softmax_with_loss_does_not_mutate_inputs():
    x, t = np.array([[1.0, 2.0, 3.0]]), np.array([[0.0, 1.0, 0.0]])
    x0, t0 = x.copy(), t.copy()
    layer = L.SoftmaxWithLoss()
    layer.forward(x, t)
    layer.backward()
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(t, t0)


def test_affine_owns_its_params_and_is_float64_by_default():
    W, b = np.ones((2, 2)), np.zeros(2)
    layer = L.Affine(W, b)
    assert layer.W is not W and layer.params["W"] is layer.W  # the layer's own copy
    layer.params["W"] -= 0.5  # an optimizer's in-place update reaches forward ...
    np.testing.assert_array_equal(layer.forward(np.ones((1, 2))), [[1.0, 1.0]])
    np.testing.assert_array_equal(W, np.ones((2, 2)))  # ... and never the caller's array
    out = L.ReLU().forward(np.array([1, -2, 3]))
    assert out.dtype == np.float64
    assert L.Affine(np.ones((2, 2), dtype=np.float32), np.zeros(2, np.float32)).forward(
        np.ones((1, 2), np.float32)).dtype == np.float32


# ---------------------------------------------------------------- error paths

def test_affine_shape_errors_name_the_expected_shape():
    with pytest.raises(ValueError, match=r"\(D, M\)"):
        L.Affine(np.ones(3), np.ones(3))
    with pytest.raises(ValueError, match=r"\(3,\)"):
        L.Affine(np.ones((2, 3)), np.ones(2))
    layer = L.Affine(np.ones((4, 3)), np.zeros(3))
    with pytest.raises(ValueError, match=r"\(N, 4\)"):
        layer.forward(np.ones((2, 5)))
    with pytest.raises(ValueError, match=r"\(N, 4\)"):
        layer.forward(np.ones(4))
    layer.forward(np.ones((2, 4)))
    with pytest.raises(ValueError, match=r"\(2, 3\)"):
        layer.backward(np.ones((3, 2)))


@pytest.mark.parametrize("name", ALL_LAYERS)
def test_backward_before_forward_is_an_error(name):
    with pytest.raises(RuntimeError, match="before forward"):
        ALL_LAYERS[name]().backward(np.ones((1, 3)))


def test_dout_shape_must_match_the_output():
    layer = L.Sigmoid()
    layer.forward(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"\(2, 3\)"):
        layer.backward(np.ones((3, 2)))


@pytest.mark.parametrize("make", [lambda: L.LeakyReLU(-0.1), lambda: L.LeakyReLU(1.5),
                                  lambda: L.LeakyReLU(float("nan")), lambda: L.ELU(0.0),
                                  lambda: L.ELU(-1.0)])
def test_bad_hyperparameters(make):
    with pytest.raises(ValueError, match="alpha must be"):
        make()


def test_non_numeric_input_is_rejected():
    with pytest.raises(TypeError, match="numeric"):
        L.ReLU().forward(np.array(["a", "b"]))


@pytest.mark.parametrize("x, t, match", [
    (np.ones((2, 3)), np.array([0, 3]), r"\[0, 2\]"),
    (np.ones((2, 3)), np.array([-1, 0]), r"\[0, 2\]"),
    (np.ones((2, 3)), np.array([0.0, 1.0]), "integer dtype"),
    (np.ones((2, 3)), np.array([0, 1, 2]), r"\(2,\).*\(2, 3\)"),
    (np.ones((2, 3)), np.ones((2, 3)), "sum to 1"),
    (np.ones((2, 3)), np.array([[1.5, -0.5, 0.0], [1.0, 0.0, 0.0]]), "non-negative"),
    (np.ones(3), np.array([0]), r"\(N, C\)"),
    (np.ones((2, 1)), np.array([0, 0]), r"C ≥ 2"),
])
def test_softmax_with_loss_rejects_bad_targets_and_scores(x, t, match):
    with pytest.raises(ValueError, match=match):
        L.SoftmaxWithLoss().forward(x, t)


def test_softmax_with_loss_backward_needs_a_scalar_and_a_forward():
    layer = L.SoftmaxWithLoss()
    with pytest.raises(RuntimeError, match="before forward"):
        layer.backward()
    layer.forward(np.ones((2, 3)), np.array([0, 1]))
    with pytest.raises(ValueError, match="scalar"):
        layer.backward(np.ones((2, 3)))


def test_layer_gradcheck_catches_a_wrong_backward():
    class WrongSigmoid(L.Sigmoid):
        def backward(self, dout):
            return dout * self.out  # forgot the (1 − y) factor

    errors = layer_gradcheck(WrongSigmoid(), np.random.default_rng(0).standard_normal((3, 4)))
    assert errors["dx"] > 1e-2
    assert threshold_for(L.ReLU()) == GRADCHECK_PASS_KINKED
    assert threshold_for(L.Sigmoid()) == GRADCHECK_PASS
    assert relative_error(np.ones(2), np.ones(2)) == 0.0


# ---------------------------------------------------------------- vs TensorFlow


def _tf_elementwise(name: str):
    import keras

    return {
        "relu": tf.nn.relu,
        "sigmoid": tf.sigmoid,
        "tanh": tf.tanh,
        "leaky_relu": lambda v: tf.nn.leaky_relu(v, alpha=0.01),
        "leaky_relu_0.2": lambda v: tf.nn.leaky_relu(v, alpha=0.2),
        "elu": tf.nn.elu,
        "elu_0.5": lambda v: keras.activations.elu(v, alpha=0.5),
    }[name]


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_elementwise_layers_match_tensorflow(name):
    rng = np.random.default_rng(11)
    x = away_from_kink(rng, (3, 4))
    dout = rng.standard_normal((3, 4))
    layer = ELEMENTWISE[name]()
    out = layer.forward(x)
    dx = layer.backward(dout)
    xv = tf.Variable(x)
    with tf.GradientTape() as tape:
        y = _tf_elementwise(name)(xv)
        s = tf.reduce_sum(y * dout)
    # tf.nn.leaky_relu stores alpha as a float32 attribute: 0.01 becomes 0.0099999998.
    rtol = 1e-7 if name.startswith("leaky") else 1e-12
    np.testing.assert_allclose(out, y.numpy(), rtol=rtol, atol=1e-14)
    np.testing.assert_allclose(dx, tape.gradient(s, xv).numpy(), rtol=rtol, atol=1e-14)


def test_affine_matches_tensorflow():
    rng = np.random.default_rng(12)
    x, W, b, dout = (rng.standard_normal(s) for s in [(5, 4), (4, 3), (3,), (5, 3)])
    layer = L.Affine(W, b)
    out = layer.forward(x)
    dx = layer.backward(dout)
    xv, Wv, bv = tf.Variable(x), tf.Variable(W), tf.Variable(b)
    with tf.GradientTape() as tape:
        y = tf.matmul(xv, Wv) + bv
        s = tf.reduce_sum(y * dout)
    gx, gW, gb = tape.gradient(s, [xv, Wv, bv])
    np.testing.assert_allclose(out, y.numpy(), rtol=1e-12)
    for ours, theirs in [(dx, gx), (layer.dW, gW), (layer.db, gb)]:
        np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("one_hot", [False, True])
def test_softmax_with_loss_matches_tensorflow(one_hot):
    rng = np.random.default_rng(13)
    x, labels = 4 * rng.standard_normal((6, 5)), rng.integers(0, 5, 6)
    layer = L.SoftmaxWithLoss()
    loss = layer.forward(x, np.eye(5)[labels] if one_hot else labels)
    dx = layer.backward()
    xv = tf.Variable(x)
    with tf.GradientTape() as tape:
        if one_hot:
            per = tf.nn.softmax_cross_entropy_with_logits(labels=np.eye(5)[labels], logits=xv)
        else:
            per = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=xv)
        tf_loss = tf.reduce_mean(per)
    assert loss == pytest.approx(float(tf_loss), rel=1e-12)
    np.testing.assert_allclose(dx, tape.gradient(tf_loss, xv).numpy(), rtol=1e-10, atol=1e-14)
