"""BatchNorm from scratch: gradients, equality with Keras in both modes, running statistics."""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse.scratch.batchnorm import BatchNorm
from dlcourse.scratch.gradcheck import GRADCHECK_PASS, numerical_gradient, relative_error

SHAPES = [(6, 4), (3, 4, 5, 3)]  # (N, D) and (N, H, W, C)


def _layer(c: int, seed: int = 0, **kw) -> BatchNorm:
    rng = np.random.default_rng(seed)
    return BatchNorm(rng.normal(1.0, 0.3, c), rng.normal(0.0, 0.5, c), **kw)


def _x(shape, seed=1):
    # Non-zero mean and non-unit scale per feature, so normalisation has work to do.
    rng = np.random.default_rng(seed)
    return rng.normal(2.0, 3.0, shape) * np.linspace(0.5, 2.0, shape[-1])


# ---------------------------------------------------------------- forward


@pytest.mark.parametrize("shape", SHAPES)
def test_training_output_is_normalised_per_feature(shape):
    x = _x(shape)
    c = shape[-1]
    bn = BatchNorm(np.ones(c), np.zeros(c), eps=1e-12)
    out = bn.forward(x, train=True)
    axes = tuple(range(len(shape) - 1))
    np.testing.assert_allclose(out.mean(axis=axes), 0.0, atol=1e-12)
    np.testing.assert_allclose(out.var(axis=axes), 1.0, rtol=1e-9)


def test_gamma_and_beta_set_the_output_scale_and_shift():
    x = _x((50, 3))
    bn = BatchNorm([2.0, 0.5, 1.0], [1.0, -1.0, 3.0], eps=1e-12)
    out = bn.forward(x, train=True)
    np.testing.assert_allclose(out.mean(axis=0), [1.0, -1.0, 3.0], atol=1e-12)
    np.testing.assert_allclose(out.std(axis=0), [2.0, 0.5, 1.0], rtol=1e-9)


def test_inference_uses_running_statistics_not_the_batch():
    bn = BatchNorm(np.ones(2), np.zeros(2), eps=1e-3, running_mean=[1.0, -2.0],
                   running_var=[4.0, 0.25])
    x = np.array([[3.0, -1.0], [5.0, 0.0]])
    out = bn.forward(x, train=False)
    expect = (x - [1.0, -2.0]) / np.sqrt(np.array([4.0, 0.25]) + 1e-3)
    np.testing.assert_allclose(out, expect, rtol=1e-12)
    # One example alone gets the same output as inside its batch.
    np.testing.assert_allclose(bn.forward(x[:1], train=False), expect[:1], rtol=1e-12)
    np.testing.assert_array_equal(bn.running_mean, [1.0, -2.0])  # not updated


def test_running_statistics_keras_convention_by_hand():
    x = np.array([[1.0], [3.0]])  # batch mean 2, biased variance 1, unbiased 2
    bn = BatchNorm([1.0], [0.0], momentum=0.9)
    bn.forward(x, train=True)
    np.testing.assert_allclose(bn.running_mean, [0.0 * 0.9 + 2.0 * 0.1])
    np.testing.assert_allclose(bn.running_var, [1.0 * 0.9 + 1.0 * 0.1])
    ub = BatchNorm([1.0], [0.0], momentum=0.9, unbiased_running_var=True)
    ub.forward(x, train=True)
    np.testing.assert_allclose(ub.running_var, [1.0 * 0.9 + 2.0 * 0.1])


def test_unbiased_running_variance_converges_to_population_variance():
    """With batches of 4, the biased estimate settles near 3/4 of the true variance."""
    rng = np.random.default_rng(0)
    biased = BatchNorm([1.0], [0.0], momentum=0.99)
    unbiased = BatchNorm([1.0], [0.0], momentum=0.99, unbiased_running_var=True)
    for _ in range(3000):
        x = rng.normal(0.0, 2.0, (4, 1))  # true variance 4
        biased.forward(x, train=True)
        unbiased.forward(x, train=True)
    assert abs(biased.running_var[0] - 3.0) < 0.4
    assert abs(unbiased.running_var[0] - 4.0) < 0.5
    # Training outputs do not depend on the option: only the running variance does.
    x = rng.normal(size=(8, 1))
    np.testing.assert_array_equal(biased.forward(x, True), unbiased.forward(x, True))


def test_unbiased_counts_all_positions_of_a_4d_batch():
    x = _x((2, 3, 3, 2))
    bn = BatchNorm(np.ones(2), np.zeros(2), momentum=0.0, unbiased_running_var=True)
    bn.forward(x, train=True)
    np.testing.assert_allclose(bn.running_var, x.reshape(-1, 2).var(axis=0, ddof=1), rtol=1e-12)


# ---------------------------------------------------------------- backward


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("train", [True, False])
def test_backward_matches_numerical_gradient(shape, train):
    x = _x(shape)
    c = shape[-1]
    bn = _layer(c, running_mean=np.linspace(-1, 1, c), running_var=np.linspace(0.5, 3, c))
    dout = np.random.default_rng(2).normal(size=shape)
    frozen = (bn.running_mean.copy(), bn.running_var.copy())

    def loss_x(xx):
        bn.running_mean, bn.running_var = frozen  # inference mode must see the same statistics
        return float(np.sum(bn.forward(xx, train=train) * dout))

    def loss_gamma(g):
        old, bn.gamma = bn.gamma, g
        try:
            return loss_x(x)
        finally:
            bn.gamma = old

    def loss_beta(b):
        old, bn.beta = bn.beta, b
        try:
            return loss_x(x)
        finally:
            bn.beta = old

    num_dx = numerical_gradient(loss_x, x)
    num_dgamma = numerical_gradient(loss_gamma, bn.gamma)
    num_dbeta = numerical_gradient(loss_beta, bn.beta)
    loss_x(x)
    dx = bn.backward(dout)
    assert relative_error(dx, num_dx) < GRADCHECK_PASS
    assert relative_error(bn.dgamma, num_dgamma) < GRADCHECK_PASS
    assert relative_error(bn.dbeta, num_dbeta) < GRADCHECK_PASS


def test_training_gradient_sums_to_zero_per_feature():
    """Shifting a whole feature does not change the training output, so dx sums to 0."""
    x = _x((8, 3))
    bn = _layer(3)
    bn.forward(x, train=True)
    dx = bn.backward(np.random.default_rng(3).normal(size=(8, 3)))
    np.testing.assert_allclose(dx.sum(axis=0), 0.0, atol=1e-12)


# ---------------------------------------------------------------- Keras


def _keras_bn(c, gamma, beta, momentum, eps, shape):
    import keras

    layer = keras.layers.BatchNormalization(momentum=momentum, epsilon=eps, dtype="float64")
    layer.build(shape)
    layer.gamma.assign(gamma)
    layer.beta.assign(beta)
    return layer


@pytest.mark.parametrize("shape", SHAPES)
def test_equals_keras_in_training_and_inference_over_several_steps(shape):
    import tensorflow as tf

    c = shape[-1]
    ours = _layer(c, momentum=0.9, eps=1e-3)
    theirs = _keras_bn(c, ours.gamma, ours.beta, 0.9, 1e-3, shape)
    for step in range(5):
        x = _x(shape, seed=10 + step)
        dout = np.random.default_rng(20 + step).normal(size=shape)
        xt = tf.constant(x)
        with tf.GradientTape() as tape:
            tape.watch(xt)
            y_keras = theirs(xt, training=True)
            loss = tf.reduce_sum(y_keras * dout)
        g_x, g_gamma, g_beta = tape.gradient(loss, [xt, theirs.gamma, theirs.beta])
        y_ours = ours.forward(x, train=True)
        dx = ours.backward(dout)
        np.testing.assert_allclose(y_ours, y_keras.numpy(), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(dx, g_x.numpy(), rtol=1e-9, atol=1e-11)
        np.testing.assert_allclose(ours.dgamma, g_gamma.numpy(), rtol=1e-9, atol=1e-11)
        np.testing.assert_allclose(ours.dbeta, g_beta.numpy(), rtol=1e-9, atol=1e-11)
    # After five steps the running statistics are Keras' moving statistics.
    np.testing.assert_allclose(ours.running_mean, theirs.moving_mean.numpy(), rtol=1e-12)
    np.testing.assert_allclose(ours.running_var, theirs.moving_variance.numpy(), rtol=1e-12)
    x = _x(shape, seed=99)
    np.testing.assert_allclose(ours.forward(x, train=False),
                               theirs(tf.constant(x), training=False).numpy(),
                               rtol=1e-10, atol=1e-12)


def test_unbiased_option_differs_from_keras_by_the_bessel_factor():
    shape = (4, 3)
    ours = _layer(3, momentum=0.0, unbiased_running_var=True)
    theirs = _keras_bn(3, ours.gamma, ours.beta, 0.0, 1e-3, shape)
    x = _x(shape)
    ours.forward(x, train=True)
    theirs(x, training=True)
    np.testing.assert_allclose(ours.running_var, theirs.moving_variance.numpy() * 4 / 3, rtol=1e-12)


# ---------------------------------------------------------------- errors and hygiene


def test_inputs_are_not_mutated_and_parameters_are_copies():
    gamma, beta = np.array([1.0, 2.0]), np.array([0.5, -0.5])
    bn = BatchNorm(gamma, beta)
    gamma[0] = 100.0
    assert bn.gamma[0] == 1.0
    x = _x((5, 2))
    x_copy = x.copy()
    dout = np.ones((5, 2))
    for train in (True, False):
        bn.forward(x, train=train)
        bn.backward(dout)
    np.testing.assert_array_equal(x, x_copy)
    np.testing.assert_array_equal(dout, np.ones((5, 2)))


def test_running_arrays_are_replaced_not_updated_in_place():
    bn = BatchNorm(np.ones(2), np.zeros(2))
    held = bn.running_mean
    bn.forward(_x((4, 2)), train=True)
    np.testing.assert_array_equal(held, 0.0)
    assert not np.array_equal(bn.running_mean, held)


@pytest.mark.parametrize("shape", [(4,), (4, 3), (2, 2, 3), (2, 2, 2, 2, 2), (0, 2)])
def test_wrong_input_shape_raises_with_expected_shape(shape):
    bn = BatchNorm(np.ones(2), np.zeros(2))
    with pytest.raises(ValueError, match=r"\(N, 2\) or \(N, H, W, 2\)"):
        bn.forward(np.zeros(shape), train=True)


@pytest.mark.parametrize("kwargs, match", [
    ({"momentum": 1.5}, "momentum"), ({"momentum": -0.1}, "momentum"),
    ({"eps": 0.0}, "eps"), ({"eps": -1e-3}, "eps"),
    ({"running_var": [1.0]}, "running_var"), ({"running_var": [1.0, -1.0]}, "non-negative"),
    ({"running_mean": [0.0, np.nan]}, "finite"),
])
def test_bad_hyper_parameters_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        BatchNorm(np.ones(2), np.zeros(2), **kwargs)


def test_bad_gamma_beta_raise():
    with pytest.raises(ValueError, match="gamma"):
        BatchNorm(np.ones((2, 2)), np.zeros(2))
    with pytest.raises(ValueError, match="beta"):
        BatchNorm(np.ones(2), np.zeros(3))


def test_backward_errors():
    bn = BatchNorm(np.ones(2), np.zeros(2))
    with pytest.raises(RuntimeError, match="forward"):
        bn.backward(np.ones((3, 2)))
    bn.forward(np.ones((3, 2)), train=True)
    with pytest.raises(ValueError, match=r"\(3, 2\)"):
        bn.backward(np.ones((4, 2)))


def test_unbiased_needs_two_values_per_feature():
    bn = BatchNorm(np.ones(2), np.zeros(2), unbiased_running_var=True)
    with pytest.raises(ValueError, match="at least 2"):
        bn.forward(np.ones((1, 2)), train=True)
    bn.forward(np.ones((1, 2)), train=False)  # inference on one example is fine
