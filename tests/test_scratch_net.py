"""dlcourse.scratch.net: backprop gradients vs numerical and tf.GradientTape, training, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from tf_lazy import keras, tf  # skips only the tests that use TensorFlow

from dlcourse.scratch.gradcheck import GRADCHECK_PASS, GRADCHECK_PASS_KINKED, relative_error
from dlcourse.scratch.net import ACTIVATIONS, MultiLayerNet, init_std, sgd_epoch


def small_batch(seed: int = 0, n: int = 7, d: int = 6, c: int = 4):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, d)), rng.integers(0, c, n)


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_gradient_matches_numerical_gradient(activation):
    net = MultiLayerNet(6, [5, 3], 4, activation=activation, seed=1)
    x, t = small_batch()
    grads, num = net.gradient(x, t), net.numerical_gradient(x, t)
    assert grads.keys() == num.keys() == net.params.keys()
    limit = GRADCHECK_PASS if activation in ("sigmoid", "tanh") else GRADCHECK_PASS_KINKED
    for key in grads:
        assert grads[key].shape == net.params[key].shape
        assert relative_error(grads[key], num[key]) < limit, key


def test_params_layout_and_initialisation():
    net = MultiLayerNet(784, [100, 50], 10, activation="relu", seed=0)
    assert list(net.params) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert [net.params[f"W{i}"].shape for i in (1, 2, 3)] == [(784, 100), (100, 50), (50, 10)]
    assert all(net.params[f"b{i}"].dtype == np.float64 and not net.params[f"b{i}"].any() for i in (1, 2, 3))
    assert net.params["W1"].std() == pytest.approx(np.sqrt(2 / 784), rel=0.02)  # He for ReLU
    sig = MultiLayerNet(784, [100], 10, activation="sigmoid", seed=0)
    assert sig.params["W1"].std() == pytest.approx(np.sqrt(1 / 784), rel=0.02)  # LeCun for sigmoid
    fixed = MultiLayerNet(784, [100], 10, weight_init=0.01, seed=0)
    assert fixed.params["W1"].std() == pytest.approx(0.01, rel=0.02)
    again = MultiLayerNet(784, [100, 50], 10, activation="relu", seed=0)
    assert all(np.array_equal(net.params[k], again.params[k]) for k in net.params)
    other = MultiLayerNet(784, [100, 50], 10, activation="relu", seed=1)
    assert not np.array_equal(net.params["W1"], other.params["W1"])
    assert init_std("he", 8) == pytest.approx(0.5) and init_std("lecun", 4) == pytest.approx(0.5)
    assert init_std("xavier", 4, 12) == pytest.approx(math.sqrt(2 / 16))  # one meaning of Xavier
    with pytest.raises(ValueError, match="fan_out"):
        init_std("xavier", 4)


def test_predict_loss_accuracy_agree():
    net = MultiLayerNet(6, [5], 4, seed=2)
    x, t = small_batch()
    scores = net.predict(x)
    assert scores.shape == (7, 4)
    shifted = scores - scores.max(axis=1, keepdims=True)
    logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    assert net.loss(x, t) == pytest.approx(-logp[np.arange(7), t].mean())
    assert net.accuracy(x, t) == pytest.approx(np.mean(scores.argmax(axis=1) == t))
    assert net.accuracy(x, np.eye(4)[t]) == net.accuracy(x, t)
    assert net.loss(x, np.eye(4)[t]) == pytest.approx(net.loss(x, t))
    assert len(net.activations(x)) == 1 and net.activations(x)[0].shape == (7, 5)


def test_gradient_does_not_mutate_inputs_or_params():
    net = MultiLayerNet(6, [5], 4, seed=3)
    x, t = small_batch()
    x0, t0 = x.copy(), t.copy()
    p0 = {k: v.copy() for k, v in net.params.items()}
    net.gradient(x, t)
    net.numerical_gradient(x, t)
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(t, t0)
    assert all(np.array_equal(net.params[k], p0[k]) for k in p0)


def test_optimizer_may_update_in_place_or_replace_arrays():
    x, t = small_batch()
    a, b = MultiLayerNet(6, [5], 4, seed=4), MultiLayerNet(6, [5], 4, seed=4)
    ga, gb = a.gradient(x, t), b.gradient(x, t)
    for k in a.params:
        a.params[k] -= 0.1 * ga[k]  # in place
        b.params[k] = b.params[k] - 0.1 * gb[k]  # a new array
    np.testing.assert_allclose(a.predict(x), b.predict(x))
    assert a.loss(x, t) < MultiLayerNet(6, [5], 4, seed=4).loss(x, t)


def test_sgd_epoch_learns_a_separable_problem():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((400, 2))
    t = (x[:, 0] + 2 * x[:, 1] > 0).astype(int)
    net = MultiLayerNet(2, [8], 2, seed=0)
    first = sgd_epoch(net, x, t, learning_rate=0.5, batch_size=20, rng=rng)
    for _ in range(10):
        last = sgd_epoch(net, x, t, learning_rate=0.5, batch_size=20, rng=rng)
    assert last < first / 2
    assert net.accuracy(x, t) > 0.95
    assert net.last_loss == pytest.approx(net.last_loss)  # a real number after training


@pytest.mark.parametrize("kwargs, match", [
    (dict(input_size=0, hidden_sizes=[3], output_size=2), "positive integers"),
    (dict(input_size=4, hidden_sizes=[3.5], output_size=2), "positive integers"),
    (dict(input_size=4, hidden_sizes=[3], output_size=2, activation="softplus"), "activation must be one of"),
    (dict(input_size=4, hidden_sizes=[3], output_size=2, weight_init="glorot"), "weight_init"),
    (dict(input_size=4, hidden_sizes=[3], output_size=2, weight_init=-1.0), "weight_init"),
])
def test_bad_configuration(kwargs, match):
    with pytest.raises(ValueError, match=match):
        MultiLayerNet(**kwargs)


def test_bad_inputs_and_labels():
    net = MultiLayerNet(6, [5], 4)
    with pytest.raises(ValueError, match=r"\(N, 6\).*flatten"):
        net.predict(np.ones((2, 2, 3)))
    with pytest.raises(ValueError, match=r"\[0, 3\]"):
        net.gradient(np.ones((2, 6)), np.array([0, 4]))
    with pytest.raises(ValueError, match=r"\(2,\)"):
        net.loss(np.ones((2, 6)), np.array([0, 1, 2]))
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="learning_rate"):
        sgd_epoch(net, np.ones((2, 6)), np.array([0, 1]), learning_rate=0.0, batch_size=1, rng=rng)
    with pytest.raises(ValueError, match="batch_size"):
        sgd_epoch(net, np.ones((2, 6)), np.array([0, 1]), learning_rate=0.1, batch_size=0, rng=rng)


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh", "elu"])
def test_gradient_matches_keras_gradient_tape(activation):
    net = MultiLayerNet(6, [5, 3], 4, activation=activation, seed=5)
    x, t = small_batch(1)
    model = keras.Sequential(
        [keras.Input((6,), dtype="float64")]
        + [keras.layers.Dense(n, activation=activation, dtype="float64") for n in (5, 3)]
        + [keras.layers.Dense(4, dtype="float64")])
    model.set_weights([net.params[k] for k in net.params])
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True, dtype="float64")
    with tf.GradientTape() as tape:
        logits = model(x)
        loss = loss_fn(t, logits)
    tf_grads = tape.gradient(loss, model.trainable_variables)
    np.testing.assert_allclose(net.predict(x), logits.numpy(), rtol=1e-12, atol=1e-14)
    assert net.loss(x, t) == pytest.approx(float(loss), rel=1e-12)
    ours = net.gradient(x, t)
    for key, g in zip(net.params, tf_grads):
        assert relative_error(ours[key], g.numpy()) < 1e-12, key
