"""Inverted dropout from scratch: statistics, inference, backward, seeding, Keras agreement."""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse.scratch.dropout import Dropout
from dlcourse.scratch.gradcheck import GRADCHECK_PASS, numerical_gradient, relative_error


@pytest.mark.parametrize("rate", [0.1, 0.3, 0.5, 0.8])
def test_mean_is_preserved_over_many_draws(rate):
    x = np.random.default_rng(1).uniform(0.5, 2.0, size=(200, 50))
    layer = Dropout(rate, seed=2)
    draws = np.stack([layer.forward(x, train=True) for _ in range(400)])
    # Each entry is x·B/(1−rate), B ~ Bernoulli(1−rate): its mean over n draws has
    # standard error x·sqrt(rate/((1−rate)n)). Averaged over all 10,000 entries the
    # ratio to x has std ≈ sqrt(rate/(1−rate)/(400·10,000)) ≤ 0.001: allow 0.01.
    assert abs((draws.mean(axis=0) / x).mean() - 1.0) < 0.01
    # per entry the mean over 400 draws stays within 6 standard errors
    se = x * np.sqrt(rate / ((1 - rate) * 400))
    assert np.all(np.abs(draws.mean(axis=0) - x) < 6 * se)


@pytest.mark.parametrize("rate", [0.2, 0.5])
def test_drop_fraction_and_scaling(rate):
    x = np.full((500, 400), 3.0)
    out = Dropout(rate, seed=0).forward(x)
    dropped = out == 0
    # 200,000 Bernoulli draws: std of the fraction ≈ 0.001
    assert abs(dropped.mean() - rate) < 0.005
    np.testing.assert_allclose(out[~dropped], 3.0 / (1 - rate), rtol=1e-15)


def test_inference_is_exact_identity():
    x = np.random.default_rng(0).normal(size=(7, 11))
    layer = Dropout(0.5, seed=0)
    out = layer.forward(x, train=False)
    assert np.array_equal(out, x)
    assert out is not x
    assert np.array_equal(layer.backward(np.ones_like(x)), np.ones_like(x))


def test_rate_zero_is_identity_in_training():
    x = np.random.default_rng(0).normal(size=(4, 5))
    assert np.array_equal(Dropout(0.0).forward(x, train=True), x)


def test_backward_uses_the_forward_mask():
    x = np.random.default_rng(0).normal(size=(30, 20))
    layer = Dropout(0.4, seed=3)
    out = layer.forward(x)
    dout = np.random.default_rng(1).normal(size=x.shape)
    dx = layer.backward(dout)
    dropped = out == 0
    assert dropped.any() and (~dropped).any()
    assert np.all(dx[dropped] == 0)
    np.testing.assert_allclose(dx[~dropped], dout[~dropped] / 0.6, rtol=1e-15)
    # a second backward reuses the same mask (no new draw)
    assert np.array_equal(layer.backward(dout), dx)


def test_gradient_check_with_a_fixed_mask():
    x = np.random.default_rng(0).normal(size=(5, 6))
    layer = Dropout(0.3, seed=4)
    layer.forward(x)
    mask = layer.mask.copy()
    w = np.random.default_rng(1).normal(size=x.shape)

    def f(z):
        # the same mask every call: a fixed-mask dropout is linear in z
        return float(np.sum(w * z * mask))

    num = numerical_gradient(f, x)
    assert relative_error(layer.backward(w), num) < GRADCHECK_PASS


def test_inputs_are_not_mutated():
    x = np.random.default_rng(0).normal(size=(6, 6))
    before = x.copy()
    layer = Dropout(0.5, seed=0)
    layer.forward(x)
    dout = np.ones_like(x)
    layer.backward(dout)
    assert np.array_equal(x, before) and np.array_equal(dout, np.ones_like(x))


def test_seeding_repeats_and_differs():
    x = np.ones((20, 20))
    a = Dropout(0.5, seed=7).forward(x)
    b = Dropout(0.5, seed=7).forward(x)
    c = Dropout(0.5, seed=8).forward(x)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)
    layer = Dropout(0.5, seed=7)
    assert not np.array_equal(layer.forward(x), layer.forward(x)), "each forward draws a new mask"


@pytest.mark.parametrize("rate", [-0.1, 1.0, 1.5, float("nan"), "0.5", None, True])
def test_bad_rate_raises_a_clear_error(rate):
    with pytest.raises(ValueError, match=r"rate must be"):
        Dropout(rate)


def test_backward_before_forward_and_wrong_shape():
    layer = Dropout(0.5)
    with pytest.raises(RuntimeError, match="forward before backward"):
        layer.backward(np.ones(3))
    layer.forward(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"\(2, 3\)"):
        layer.backward(np.ones((3, 2)))


def test_keras_dropout_is_inverted_dropout_too():
    from dlcourse._tf import keras

    x = np.full((200, 100), 2.0, dtype="float32")
    layer = keras.layers.Dropout(0.25, seed=0)
    out = np.asarray(layer(x, training=True))
    kept = out != 0
    np.testing.assert_allclose(out[kept], 2.0 / 0.75, rtol=1e-6)
    assert abs((~kept).mean() - 0.25) < 0.015  # 20,000 draws: std ≈ 0.003
    assert np.array_equal(np.asarray(layer(x, training=False)), x)
