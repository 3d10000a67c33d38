"""Scratch convolution and max-pooling: shapes, equality with Keras, gradients, errors."""

from __future__ import annotations

import numpy as np
import pytest
from tf_lazy import keras, tf  # skips only the tests that use TensorFlow

from dlcourse.scratch.conv import Conv2D, MaxPool2D, col2im, conv_output_shape, im2col
from dlcourse.scratch.layercheck import threshold_for
from dlcourse.scratch.gradcheck import (
    GRADCHECK_PASS,
    GRADCHECK_PASS_KINKED,
    numerical_gradient,
    relative_error,
)


# (H, W, C_in, kernel, stride, padding, C_out): odd/even inputs and kernels, both
# paddings, strides that divide the input and ones that do not, non-square cases.
CONV_CASES = [
    (7, 7, 3, 3, 1, "same", 4),
    (6, 6, 2, 3, 1, "valid", 3),
    (8, 8, 2, 3, 2, "same", 3),  # 'same' with an odd total padding split 0 / 1
    (9, 6, 2, 4, 2, "same", 2),  # even kernel: padding 1 before, 2 after
    (6, 6, 1, 2, 1, "same", 2),  # even kernel, stride 1: padding 0 before, 1 after
    (7, 5, 3, 3, 2, "valid", 2),  # stride that leaves the last row unused
    (10, 9, 2, (3, 2), (2, 3), "same", 3),  # non-square kernel and strides
    (28, 28, 1, 5, 1, "valid", 2),
]
POOL_CASES = [
    (8, 8, 2, 2, None, "valid"),
    (7, 7, 2, 2, None, "valid"),  # odd input: last row/column dropped
    (7, 7, 2, 2, None, "same"),
    (7, 7, 2, 3, 2, "same"),  # overlapping windows
    (9, 9, 1, 3, 2, "valid"),
    (5, 6, 3, 2, 1, "same"),
    (6, 8, 2, (2, 4), (2, 4), "valid"),
]


def _keras_conv(k, stride, padding, c_out, c_in, seed=0):
    layer = keras.layers.Conv2D(c_out, k, strides=stride, padding=padding, dtype="float64")
    layer.build((None, None, None, c_in))
    rng = np.random.default_rng(seed)
    w, b = layer.get_weights()
    layer.set_weights([rng.normal(size=w.shape), rng.normal(size=b.shape)])
    return layer


@pytest.mark.parametrize("h,w,c_in,k,stride,padding,c_out", CONV_CASES)
def test_conv_forward_equals_keras(h, w, c_in, k, stride, padding, c_out):
    x = np.random.default_rng(1).normal(size=(2, h, w, c_in))
    layer = _keras_conv(k, stride, padding, c_out, c_in)
    want = layer(x).numpy()
    got = Conv2D(*layer.get_weights(), stride=stride, padding=padding).forward(x)
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)
    assert got.shape[1:3] == conv_output_shape((h, w), k, stride, padding)


@pytest.mark.parametrize("h,w,c_in,k,stride,padding,c_out", CONV_CASES[:4])
def test_conv_backward_equals_gradient_tape(h, w, c_in, k, stride, padding, c_out):
    rng = np.random.default_rng(2)
    x = rng.normal(size=(2, h, w, c_in))
    layer = _keras_conv(k, stride, padding, c_out, c_in)
    ours = Conv2D(*layer.get_weights(), stride=stride, padding=padding)
    dout = rng.normal(size=ours.forward(x).shape)
    dx = ours.backward(dout)
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        loss = tf.reduce_sum(layer(xt) * dout)
    gx, gw, gb = tape.gradient(loss, [xt, layer.kernel, layer.bias])
    np.testing.assert_allclose(dx, gx.numpy(), atol=1e-10)
    np.testing.assert_allclose(ours.dW, gw.numpy(), atol=1e-10)
    np.testing.assert_allclose(ours.db, gb.numpy(), atol=1e-10)


@pytest.mark.parametrize("stride,padding", [(1, "valid"), (1, "same"), (2, "same"), (2, "valid"), (1, 1)])
def test_conv_backward_matches_numerical_gradient(stride, padding):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2, 5, 6, 2))
    W, b = rng.normal(size=(3, 3, 2, 3)), rng.normal(size=3)
    conv = Conv2D(W, b, stride=stride, padding=padding)
    r = rng.normal(size=conv.forward(x).shape)  # loss = Σ r·y has gradient r at the output
    conv.forward(x)
    dx = conv.backward(r)
    assert relative_error(dx, numerical_gradient(lambda v: np.sum(conv.forward(v) * r), x)) < GRADCHECK_PASS
    num_w = numerical_gradient(lambda v: np.sum(Conv2D(v, b, stride, padding).forward(x) * r), W)
    num_b = numerical_gradient(lambda v: np.sum(Conv2D(W, v, stride, padding).forward(x) * r), b)
    assert relative_error(conv.dW, num_w) < GRADCHECK_PASS
    assert relative_error(conv.db, num_b) < GRADCHECK_PASS


@pytest.mark.parametrize("h,w,c,p,stride,padding", POOL_CASES)
def test_pool_forward_equals_keras(h, w, c, p, stride, padding):
    x = np.random.default_rng(4).normal(size=(2, h, w, c))
    want = keras.layers.MaxPooling2D(p, stride, padding=padding, dtype="float64")(x).numpy()
    got = MaxPool2D(p, stride, padding=padding).forward(x)
    assert got.shape == want.shape
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("h,w,c,p,stride,padding", POOL_CASES)
def test_pool_backward_equals_gradient_tape(h, w, c, p, stride, padding):
    rng = np.random.default_rng(5)
    x = rng.normal(size=(2, h, w, c))
    pool = MaxPool2D(p, stride, padding=padding)
    dout = rng.normal(size=pool.forward(x).shape)
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        loss = tf.reduce_sum(keras.layers.MaxPooling2D(p, stride, padding=padding, dtype="float64")(xt) * dout)
    np.testing.assert_allclose(pool.backward(dout), tape.gradient(loss, xt).numpy(), atol=1e-12)


@pytest.mark.parametrize("p,stride,padding", [(2, None, "valid"), (3, 2, "same"), (2, 1, "valid")])
def test_pool_backward_matches_numerical_gradient(p, stride, padding):
    rng = np.random.default_rng(6)
    # A permutation spaced by 0.01 has no ties within h = 1e-5, so no window's max flips.
    x = rng.permutation(np.arange(2 * 6 * 5 * 2) * 0.01).reshape(2, 6, 5, 2)
    pool = MaxPool2D(p, stride, padding=padding)
    r = rng.normal(size=pool.forward(x).shape)
    dx = pool.backward(r)
    num = numerical_gradient(lambda v: np.sum(MaxPool2D(p, stride, padding=padding).forward(v) * r), x)
    assert relative_error(dx, num) < threshold_for(pool) == GRADCHECK_PASS_KINKED


def test_pool_gradient_goes_to_the_maximum_only():
    x = np.array([[1.0, 5.0], [3.0, 2.0]]).reshape(1, 2, 2, 1)
    pool = MaxPool2D(2)
    assert pool.forward(x).item() == 5.0
    np.testing.assert_array_equal(pool.backward(np.full((1, 1, 1, 1), 7.0))[0, :, :, 0], [[0, 7], [0, 0]])


def test_conv_worked_example_by_hand():
    x = np.arange(16, dtype=float).reshape(1, 4, 4, 1)
    k = np.array([[1.0, 0, -1], [1, 0, -1], [1, 0, -1]]).reshape(3, 3, 1, 1)
    out = Conv2D(k).forward(x)[0, :, :, 0]
    # Each window's left column minus its right column: always −2 per row, three rows.
    np.testing.assert_array_equal(out, [[-6, -6], [-6, -6]])


def test_im2col_and_col2im_are_adjoint():
    # ⟨im2col(x), c⟩ = ⟨x, col2im(c)⟩ is what makes col2im the right backward pass.
    rng = np.random.default_rng(7)
    x = rng.normal(size=(2, 7, 6, 3))
    k, s, pads, out_hw = (3, 2), (2, 1), (1, 1, 0, 1), (4, 6)
    cols = im2col(x, k, s, pads, out_hw)
    assert cols.shape == (2 * 4 * 6, 3 * 2 * 3)
    c = rng.normal(size=cols.shape)
    back = col2im(c, x.shape, k, s, pads, out_hw)
    assert back.shape == x.shape
    assert np.isclose(np.sum(cols * c), np.sum(x * back))


def test_layers_do_not_mutate_inputs_or_weights():
    rng = np.random.default_rng(8)
    x, W, b = rng.normal(size=(1, 5, 5, 2)), rng.normal(size=(3, 3, 2, 2)), rng.normal(size=2)
    copies = [a.copy() for a in (x, W, b)]
    conv = Conv2D(W, b, padding="same")
    dout = rng.normal(size=(1, 5, 5, 2))
    d_copy = dout.copy()
    conv.forward(x)
    conv.backward(dout)
    conv.W += 1.0  # the layer holds its own copy of W
    pool = MaxPool2D(2)
    pool.forward(x)
    for a, c in zip((x, W, b, dout), (*copies, d_copy)):
        np.testing.assert_array_equal(a, c)


def test_float32_input_computes_in_float64():
    x = np.ones((1, 3, 3, 1), dtype=np.float32)
    assert Conv2D(np.ones((2, 2, 1, 1))).forward(x).dtype == np.float64


@pytest.mark.parametrize("args,want", [
    ((28, 3, 1, "same"), 28),
    ((28, 3, 1, "valid"), 26),
    ((28, 5, 1, "valid"), 24),
    ((28, 2, 2, "valid"), 14),
    ((7, 2, 2, "valid"), 3),
    ((7, 2, 2, "same"), 4),
    ((227, 11, 4, "valid"), 55),
    ((224, 3, 1, 1), 224),
    ((32, 5, 1, 2), 32),
    ((5, 3, 2, 1), 3),
    (((28, 20), (3, 5), (1, 2), "valid"), (26, 8)),
    (((9, 6), 4, 2, "same"), (5, 3)),
])
def test_conv_output_shape(args, want):
    assert conv_output_shape(*args) == want


@pytest.mark.parametrize("args,match", [
    ((28, 3, 1, "full"), "padding"),
    ((28, 3, 1, -1), "padding"),
    ((28, 3, 0, "valid"), "stride"),
    ((28, 0, 1, "valid"), "kernel_size"),
    ((2, 5, 1, "valid"), "larger than the padded input"),
    (((28, 28, 1), 3, 1, "valid"), "input_size"),
])
def test_conv_output_shape_errors(args, match):
    with pytest.raises(ValueError, match=match):
        conv_output_shape(*args)


def test_conv_errors_name_the_expected_shape():
    with pytest.raises(ValueError, match=r"\(kh, kw, C_in, C_out\)"):
        Conv2D(np.ones((3, 3, 2)))
    with pytest.raises(ValueError, match=r"b must have shape \(4,\)"):
        Conv2D(np.ones((3, 3, 2, 4)), np.ones(3))
    with pytest.raises(ValueError, match="padding"):
        Conv2D(np.ones((3, 3, 2, 4)), padding="full")
    conv = Conv2D(np.ones((3, 3, 2, 4)))
    with pytest.raises(ValueError, match=r"\(N, H, W, 2\)"):
        conv.forward(np.ones((1, 5, 5, 3)))
    with pytest.raises(ValueError, match=r"\(N, H, W, 2\)"):
        conv.forward(np.ones((5, 5, 2)))
    with pytest.raises(RuntimeError, match="forward before backward"):
        conv.backward(np.ones((1, 3, 3, 4)))
    conv.forward(np.ones((1, 5, 5, 2)))
    with pytest.raises(ValueError, match=r"\(1, 3, 3, 4\)"):
        conv.backward(np.ones((1, 5, 5, 4)))


def test_pool_errors():
    with pytest.raises(ValueError, match="pool_size"):
        MaxPool2D(0)
    with pytest.raises(ValueError, match="stride"):
        MaxPool2D(2, stride=(1, 2, 3))
    with pytest.raises(ValueError, match="padding"):
        MaxPool2D(2, padding=1)
    with pytest.raises(ValueError, match=r"\(N, H, W, C\)"):
        MaxPool2D(2).forward(np.ones((4, 4)))
    pool = MaxPool2D(2)
    pool.forward(np.ones((1, 4, 4, 1)))
    with pytest.raises(ValueError, match=r"\(1, 2, 2, 1\)"):
        pool.backward(np.ones((1, 4, 4, 1)))
