"""Accept/reject cases for dlcourse.check.ch05 (see check_cases/__init__.py)."""

from __future__ import annotations

import math

import numpy as np

from check_cases import Args, Case, Wrong  # noqa: F401

CASES: dict[str, Case] = {}


# ---------------------------------------------------------------- max_pool_forward


def _blocks(x, k):
    n, h, w, c = x.shape
    return x[:, : h // k * k, : w // k * k, :].reshape(n, h // k, k, w // k, k, c)


def _ceil_pool(x, k):
    n, h, w, c = x.shape
    padded = np.pad(x, ((0, 0), (0, -h % k), (0, -w % k), (0, 0)), constant_values=-np.inf)
    return _blocks(padded, k).max(axis=(2, 4))


def _mutating_pool(x, k):
    out = _blocks(x, k).max(axis=(2, 4))
    x[...] = 0
    return out


def _scrambled_windows(x, k):
    n, h, w, c = x.shape
    return x[:, : h // k * k, : w // k * k, :].reshape(n, h // k, w // k, k, k, c).max(axis=(3, 4))


CASES["max_pool_forward"] = Case(wrong=(
    Wrong(lambda x, k: _blocks(x, k).mean(axis=(2, 4)), "you averaged", "average-pooling"),
    Wrong(lambda x, k: _blocks(x, k).min(axis=(2, 4)), "smallest value", "min-pooling"),
    Wrong(_ceil_pool, "leftover rows and columns form no full window", "leftover-kept"),
    Wrong(_scrambled_windows, "not k×k blocks", "wrong-reshape"),
    Wrong(lambda x, k: _blocks(x, k).max(axis=(2, 4, 5)), "shape", "pooled-over-channels"),
    Wrong(_mutating_pool, "changed its input", "mutates-x"),
    Wrong(lambda x, k: None, "forget `return`", "returns-none"),
))

# ---------------------------------------------------------------- conv_output_size


def _size(valid, same=lambda n, k, s: -(-n // s), raises=True):
    """An output-size function with the 'valid'/int rule ``valid(n, k, s, p)`` and the 'same' rule ``same``."""

    def conv_output_size(n, k, s=1, padding="valid"):
        if padding == "same":
            return same(n, k, s)
        p = 0 if padding == "valid" else padding
        if raises and n + 2 * p < k:
            raise ValueError("window does not fit")
        return valid(n, k, s, p)

    return conv_output_size


_RIGHT = lambda n, k, s, p: (n + 2 * p - k) // s + 1  # noqa: E731


def _key_error_size(n, k, s=1, padding="valid"):
    if padding == "same":
        return -(-n // s)
    p = {"valid": 0}[padding] if isinstance(padding, str) else padding
    if n + 2 * p < k:
        raise IndexError("too small")
    return (n + 2 * p - k) // s + 1


CASES["conv_output_size"] = Case(wrong=(
    Wrong(_size(lambda n, k, s, p: (n + 2 * p - k) // s), "add 1", "no-plus-one"),
    Wrong(_size(lambda n, k, s, p: math.ceil((n + 2 * p - k) / s) + 1), "round the division down", "ceil-not-floor"),
    Wrong(_size(lambda n, k, s, p: (n + p - k) // s + 1), "n + 2p", "padding-once"),
    Wrong(_size(lambda n, k, s, p: n + 2 * p - k + 1), "divide by the stride", "stride-ignored"),
    Wrong(_size(lambda n, k, s, p: (n + 2 * p - k + 1) // s), "add the 1 after dividing", "plus-one-inside"),
    Wrong(_size(_RIGHT, same=lambda n, k, s: n), "not n", "same-ignores-stride"),
    Wrong(_size(_RIGHT, same=lambda n, k, s: n // s), "'same' rounds up", "same-floors"),
    Wrong(_size(lambda n, k, s, p: (n + 2 * p - k) / s + 1), "the float", "float-division"),
    Wrong(_size(_RIGHT, raises=False), "raise a ValueError", "no-error-for-a-too-large-window"),
    Wrong(_key_error_size, "raised IndexError", "wrong-error-type"),
    Wrong(_size(lambda n, k, s, p: (n + 2 * p - k) // s + 2), "returned", "off-by-two"),
    Wrong(lambda n, k, s=1, padding="valid": None, "forget `return`", "returns-none"),
))

# ---------------------------------------------------------------- conv_forward


def _conv(order="hwc", flip=False, bias=True, pad_on=True, stride_on=True, reshape=True, mutate=False):
    """An im2col convolution with one typical mistake switched on."""

    def conv_forward(x, W, b, stride=1, padding=0):
        if mutate:
            x -= 0.0
            x *= 1.0
            x[0, 0, 0, 0] += 1.0
        s = stride if stride_on else 1
        p = padding if pad_on else 0
        kernel = W[::-1, ::-1] if flip else W
        n, h, w, c_in = x.shape
        kh, kw, _, c_out = kernel.shape
        xp = np.pad(x, ((0, 0), (p, p), (p, p), (0, 0)))
        oh, ow = (h + 2 * p - kh) // s + 1, (w + 2 * p - kw) // s + 1
        rows = []
        for i in range(oh):
            for j in range(ow):
                window = xp[:, i * s:i * s + kh, j * s:j * s + kw, :]
                if order == "chw":
                    window = window.transpose(0, 3, 1, 2)
                elif order == "whc":
                    window = window.transpose(0, 2, 1, 3)
                rows.append(window.reshape(n, -1))
        cols = np.stack(rows, axis=1).reshape(-1, kh * kw * c_in)
        out = cols @ kernel.reshape(-1, c_out) + (b if bias else 0.0)
        return out.reshape(n, oh, ow, c_out) if reshape else out

    return conv_forward


CASES["conv_forward"] = Case(wrong=(
    Wrong(_conv(flip=True), "you flipped the kernel", "true-convolution"),
    Wrong(_conv(bias=False), "the bias is missing", "no-bias"),
    Wrong(_conv(order="chw"), "channel first", "rows-channel-first"),
    Wrong(_conv(order="whc"), "column by column", "rows-column-major"),
    Wrong(_conv(pad_on=False), "add 1 zero(s) on each side", "padding-ignored"),
    Wrong(_conv(stride_on=False), "that of stride 1", "stride-ignored"),
    Wrong(_conv(reshape=False), "reshape the product back", "not-reshaped"),
    Wrong(_conv(mutate=True), "in place", "mutates-x"),
    Wrong(lambda x, W, b, stride=1, padding=0: None, "forget `return`", "returns-none"),
))

# ---------------------------------------------------------------- max_pool_backward


def _routed(rule):
    """A max-pool backward pass routing each window's gradient by ``rule``."""

    def backward(dout, x, k):
        blocks = _blocks(x, k)
        n, oh, _, ow, _, c = blocks.shape
        up = dout[:, :, None, :, None, :]
        if rule == "ties":
            routed = (blocks == blocks.max(axis=(2, 4), keepdims=True)) * up
        elif rule == "average":
            routed = np.broadcast_to(up / (k * k), blocks.shape)
        elif rule == "copy":
            routed = np.broadcast_to(up, blocks.shape)
        else:
            flat = blocks.transpose(0, 1, 3, 2, 4, 5).reshape(n, oh, ow, k * k, c)
            if rule in ("first", "leftover"):
                pick = flat.argmax(axis=3)
            else:  # "last"
                pick = k * k - 1 - flat[:, :, :, ::-1].argmax(axis=3)
            mask = np.zeros_like(flat)
            np.put_along_axis(mask, pick[:, :, :, None, :], 1.0, axis=3)
            routed = (mask * dout[:, :, :, None, :]).reshape(n, oh, ow, k, k, c).transpose(0, 1, 3, 2, 4, 5)
        dx = np.full(x.shape, 1.0) if rule == "leftover" else np.zeros(x.shape)
        dx[:, : oh * k, : ow * k, :] = np.asarray(routed).reshape(n, oh * k, ow * k, c)
        return dx

    return backward


def _cropped(dout, x, k):
    dx = _routed("first")(dout, x, k)
    return dx[:, : x.shape[1] // k * k, : x.shape[2] // k * k, :]


def _mutating_backward(dout, x, k):
    dx = _routed("first")(dout, x, k)
    dout *= 0.0
    return dx


CASES["max_pool_backward"] = Case(wrong=(
    Wrong(_routed("ties"), "tie for its maximum", "gradient-to-every-tie"),
    Wrong(_routed("last"), "not the last", "last-maximum-wins"),
    Wrong(_routed("average"), "average-pooling's gradient", "average-gradient"),
    Wrong(_routed("copy"), "every input of the window got the whole gradient", "gradient-copied"),
    Wrong(_routed("leftover"), "no window covers", "leftover-nonzero"),
    Wrong(_cropped, "it must have x's shape", "dx-cropped"),
    Wrong(lambda dout, x, k: _routed("first")(dout, x, k)[:, ::k, ::k], "x's shape", "pooled-shape"),
    Wrong(_mutating_backward, "in place", "mutates-dout"),
    Wrong(lambda dout, x, k: None, "forget `return`", "returns-none"),
))

# ---------------------------------------------------------------- pool_ties

CASES["pool_ties"] = Case(wrong=(
    Wrong((2e-11, "b"), "passes the check", "ran-on-the-separated-input"),
    Wrong((0.05, "b"), "not what this run gives", "some-other-error"),
    Wrong(("a", 0.28), "a number of 0 or more", "swapped-pair"),
    Wrong(("0.28", "b"), "a number of 0 or more", "error-as-text"),
    Wrong((0.2837, "a"), "look at the inputs of the windows", "blames-a-bug"),
    Wrong((0.2837, "c"), "rounding errors", "blames-rounding"),
    Wrong((0.2837, "d"), "noise would be", "blames-the-threshold"),
    Wrong((0.2837, "x"), "choose one of the letters", "no-such-choice"),
    Wrong((None, None), "replace the Nones", "unedited"),
))

# ---------------------------------------------------------------- dense_parameters

CASES["dense_parameters"] = Case(wrong=(
    Wrong(7 * 7 * 32 * 512 + 512, "the lab CNN as it is", "original-model"),
    Wrong(14 * 14 * 32 * 512, "biases", "no-biases"),
    Wrong(28 * 28 * 32 * 512 + 512, "the first still halves", "both-poolings-removed"),
    Wrong(14 * 14 * 64 * 512 + 512, "32 channels", "sixty-four-channels"),
    Wrong(28 * 28 * 512 + 512, "is not the count", "flattened-image"),
    Wrong("3211776", "whole number", "a-string"),
    Wrong(None, "replace None", "unedited"),
))

# ---------------------------------------------------------------- receptive_field

CASES["receptive_field"] = Case(wrong=(
    Wrong([3, 5, 6, 8, 10, 11], "two image pixels", "stride-ignored"),
    Wrong([4, 7, 9, 15, 21, 25], "adds k − 1 steps, not k", "adds-k"),
    Wrong([3, 5, 5, 9, 13, 13], "reaches one step further", "pooling-adds-nothing"),
    Wrong([3, 5, 10, 12, 14, 28], "does not double the patch", "pooling-doubles-the-patch"),
    Wrong([3, 5, 6, 10, 14, 18], "after layer 6", "last-layer-wrong"),
    Wrong([16], "a list of 6 numbers", "only-the-last"),
    Wrong(None, "replace None", "unedited"),
))
