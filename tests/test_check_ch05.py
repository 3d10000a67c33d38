"""The lesson 05 exercise checkers: what the accept/reject cases (check_cases/ch05.py) do not cover.

The references' claims are checked against the layers themselves: the receptive-field
arithmetic against the gradients of a real stack, the im2col reference against Conv2D
with Keras' padding, and the tie experiment's explanation by breaking the ties.
"""

from __future__ import annotations

import numpy as np

from dlcourse.check import ch05
from dlcourse.scratch.conv import Conv2D, MaxPool2D, conv_output_shape
from dlcourse.scratch.gradcheck import GRADCHECK_PASS_KINKED, numerical_gradient, relative_error


def test_receptive_field_arithmetic_matches_the_gradients_of_the_lab_stack():
    # Linear 3×3 convolutions and 2×2 max-pooling as in the lab CNN, one channel. Over many
    # random images the inputs that receive gradient from one output unit fill its receptive
    # field (max-pooling picks one input per window per image, so one image shows only part).
    rng = np.random.default_rng(0)
    side = ch05.reference("receptive_field")
    layers = [Conv2D(rng.normal(size=(3, 3, 1, 1)), padding="same") if kind == "conv" else MaxPool2D(k)
              for kind, k, _ in ch05.LAB_CNN_FEATURE_LAYERS]
    x = rng.normal(size=(300, 40, 40, 1))
    out = x
    for layer in layers:
        out = layer.forward(out)
    dout = np.zeros(out.shape)
    dout[:, 5, 5, 0] = 1.0  # one unit of the last map, far from the borders
    for layer in reversed(layers):
        dout = layer.backward(dout)
    rows, cols = np.nonzero(np.abs(dout[..., 0]).sum(axis=0))
    assert rows.max() - rows.min() + 1 == side[-1] == cols.max() - cols.min() + 1


def test_conv_forward_reference_equals_conv2d_where_same_padding_is_symmetric():
    rng = np.random.default_rng(1)
    x, W, b = rng.normal(size=(2, 8, 8, 3)), rng.normal(size=(3, 3, 3, 2)), rng.normal(size=2)
    ours = ch05.reference("conv_forward")(x, W, b, 1, 1)
    assert np.allclose(ours, Conv2D(W, b, padding="same").forward(x))


def test_the_output_size_reference_agrees_with_the_package_and_refuses_a_window_too_large():
    for n, k, s, p in ch05.OUTPUT_SIZE_CASES:
        assert ch05.reference("conv_output_size")(n, k, s, p) == conv_output_shape(n, k, s, p)
    assert ch05.conv_output_size(lambda n, k, s=1, padding="valid": conv_output_shape(n, k, s, padding))


def test_breaking_the_ties_makes_the_pooling_gradient_check_pass():
    error, cause = ch05.reference("pool_ties")
    assert error > GRADCHECK_PASS_KINKED and cause == "b"
    rng = np.random.default_rng(0)
    x_relu = np.maximum(rng.normal(-0.5, 1.0, size=(2, 6, 6, 2)), 0.0)
    x_untied = x_relu + 1e-3 * rng.permutation(x_relu.size).reshape(x_relu.shape)  # distinct, > h apart
    pool = MaxPool2D(2)
    R = rng.normal(size=pool.forward(x_untied).shape)
    numeric = numerical_gradient(lambda v: float(np.sum(MaxPool2D(2).forward(v) * R)), x_untied)
    assert relative_error(pool.backward(R), numeric) < GRADCHECK_PASS_KINKED


def test_an_unedited_exercise_fails_without_a_traceback():
    def todo(*args):
        raise NotImplementedError

    for checker in (ch05.max_pool_forward, ch05.conv_output_size, ch05.conv_forward, ch05.max_pool_backward):
        result = checker(todo)
        assert not result and "not written yet" in result.message
    for checker in (ch05.pool_ties, ch05.dense_parameters, ch05.receptive_field):
        result = checker(None)
        assert not result and "replace" in result.message
