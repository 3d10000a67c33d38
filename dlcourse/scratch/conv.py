"""Convolution and max-pooling from scratch (numpy, NHWC, im2col).

Shapes follow Keras so that a Keras layer's weights load unchanged:
images are ``(N, H, W, C)`` and a convolution kernel is ``(kh, kw, C_in, C_out)``.
Padding ``"same"`` pads like TensorFlow: the total padding along an axis is
``max((out − 1)·s + k − n, 0)`` and, when it is odd, the extra row/column goes
at the bottom/right.
"""

from __future__ import annotations

import numpy as np

from dlcourse.scratch.base import Grad, Layer, Param

Pair = tuple[int, int]
Pads = tuple[int, int, int, int]  # top, bottom, left, right


def _pair(value: int | tuple[int, int], name: str) -> Pair:
    """``3`` → ``(3, 3)``; a pair of positive ints is returned as a tuple."""
    pair = (value, value) if isinstance(value, (int, np.integer)) else tuple(value)
    if len(pair) != 2 or not all(isinstance(v, (int, np.integer)) and v >= 1 for v in pair):
        raise ValueError(f"{name} must be a positive int or a pair of positive ints, got {value!r}")
    return int(pair[0]), int(pair[1])


def _check_padding(padding: str | int) -> None:
    if isinstance(padding, (int, np.integer)) and not isinstance(padding, bool):
        if padding < 0:
            raise ValueError(f"padding must be 'valid', 'same' or an int >= 0, got {padding!r}")
    elif padding not in ("valid", "same"):
        raise ValueError(f"padding must be 'valid', 'same' or an int >= 0, got {padding!r}")


def _axis_out_and_pads(n: int, k: int, s: int, padding: str | int) -> tuple[int, int, int]:
    """Output length and (before, after) padding of one spatial axis."""
    if padding == "same":
        out = -(-n // s)  # ceil(n / s): 'same' keeps every input position covered
        total = max((out - 1) * s + k - n, 0)
        return out, total // 2, total - total // 2  # odd total: the extra one goes after
    p = 0 if padding == "valid" else int(padding)
    if n + 2 * p < k:
        raise ValueError(
            f"window {k} is larger than the padded input {n + 2 * p} "
            f"(input {n}, padding {padding!r}): use a smaller window or more padding")
    return (n + 2 * p - k) // s + 1, p, p


def conv_output_shape(input_size: int | tuple[int, int], kernel_size: int | tuple[int, int],
                      stride: int | tuple[int, int] = 1, padding: str | int = "valid"
                      ) -> int | tuple[int, int]:
    """Spatial output size of a convolution or pooling window: ``⌊(n + 2p − k)/s⌋ + 1``.

    ``padding`` is ``"valid"`` (p = 0), ``"same"`` (output ``⌈n/s⌉``, as Keras) or an
    int p. An int ``input_size`` gives an int; an ``(H, W)`` pair gives ``(OH, OW)``.
    """
    _check_padding(padding)
    single = isinstance(input_size, (int, np.integer))
    n = _pair(input_size, "input_size")
    k, s = _pair(kernel_size, "kernel_size"), _pair(stride, "stride")
    out = tuple(_axis_out_and_pads(n[a], k[a], s[a], padding)[0] for a in range(2))
    return out[0] if single else out


def _geometry(x_shape: tuple[int, ...], k: Pair, s: Pair, padding: str | int) -> tuple[Pair, Pads]:
    """Output (OH, OW) and pads (top, bottom, left, right) for NHWC input ``x_shape``."""
    oh, top, bottom = _axis_out_and_pads(x_shape[1], k[0], s[0], padding)
    ow, left, right = _axis_out_and_pads(x_shape[2], k[1], s[1], padding)
    return (oh, ow), (top, bottom, left, right)


def im2col(x: np.ndarray, kernel_size: Pair, stride: Pair, pads: Pads, out_hw: Pair,
           pad_value: float = 0.0) -> np.ndarray:
    """Unfold image patches into rows. x: (N, H, W, C) → (N·OH·OW, kh·kw·C).

    Row ``(n, i, j)`` holds the window under output pixel ``(i, j)`` of image n,
    ordered (kh, kw, C) like a Keras kernel, so ``im2col(x) @ W.reshape(-1, C_out)``
    is the convolution.
    """
    n, _, _, c = x.shape
    (kh, kw), (sh, sw), (oh, ow) = kernel_size, stride, out_hw
    top, bottom, left, right = pads
    xp = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)), constant_values=pad_value)
    cols = np.empty((n, oh, ow, kh, kw, c), dtype=xp.dtype)
    # One strided slice per kernel offset: kh·kw copies instead of N·OH·OW small ones.
    for di in range(kh):
        for dj in range(kw):
            cols[:, :, :, di, dj, :] = xp[:, di:di + sh * oh:sh, dj:dj + sw * ow:sw, :]
    return cols.reshape(n * oh * ow, kh * kw * c)


def col2im(cols: np.ndarray, x_shape: tuple[int, int, int, int], kernel_size: Pair,
           stride: Pair, pads: Pads, out_hw: Pair) -> np.ndarray:
    """Fold rows back onto the image, summing overlaps. (N·OH·OW, kh·kw·C) → (N, H, W, C).

    The adjoint of :func:`im2col`: a pixel that sat in several windows
    receives the sum of the gradients of all of them.
    """
    n, h, w, c = x_shape
    (kh, kw), (sh, sw), (oh, ow) = kernel_size, stride, out_hw
    top, bottom, left, right = pads
    cols = cols.reshape(n, oh, ow, kh, kw, c)
    xp = np.zeros((n, h + top + bottom, w + left + right, c), dtype=cols.dtype)
    for di in range(kh):
        for dj in range(kw):
            xp[:, di:di + sh * oh:sh, dj:dj + sw * ow:sw, :] += cols[:, :, :, di, dj, :]
    return xp[:, top:top + h, left:left + w, :]


def _check_nhwc(x: np.ndarray, channels: int | None, what: str) -> np.ndarray:
    x = np.asarray(x)
    if x.ndim != 4 or (channels is not None and x.shape[3] != channels):
        want = f"(N, H, W, {channels})" if channels is not None else "(N, H, W, C)"
        raise ValueError(f"{what} expects input of shape {want}, got {x.shape}")
    return x.astype(np.result_type(x.dtype, np.float64), copy=False)


class Conv2D(Layer):
    """2-D convolution (cross-correlation, like Keras). x: (N, H, W, C_in) → (N, OH, OW, C_out).

    ``W``: (kh, kw, C_in, C_out), ``b``: (C_out,) — a Keras ``Conv2D``'s
    ``get_weights()`` in that order. After ``backward`` the layer keeps ``dW`` and ``db``.
    """

    W, b = Param("W"), Param("b")
    dW, db = Grad("W"), Grad("b")

    def __init__(self, W: np.ndarray, b: np.ndarray | None = None,
                 stride: int | tuple[int, int] = 1, padding: str | int = "valid") -> None:
        W = np.array(W, dtype=np.float64)  # a copy: training must not change the caller's array
        if W.ndim != 4:
            raise ValueError(f"W must have shape (kh, kw, C_in, C_out), got {W.shape}")
        b = np.zeros(W.shape[3]) if b is None else np.array(b, dtype=np.float64)
        if b.shape != (W.shape[3],):
            raise ValueError(f"b must have shape ({W.shape[3]},) to match W, got {b.shape}")
        _check_padding(padding)
        super().__init__(W=W, b=b)
        self.stride = _pair(stride, "stride")
        self.padding = padding
        self._cache: tuple | None = None

    def forward(self, x: np.ndarray, train: bool = True) -> np.ndarray:
        """x: (N, H, W, C_in) → (N, OH, OW, C_out); one matrix product over all patches."""
        kh, kw, c_in, c_out = self.W.shape
        x = _check_nhwc(x, c_in, "Conv2D")
        out_hw, pads = _geometry(x.shape, (kh, kw), self.stride, self.padding)
        cols = im2col(x, (kh, kw), self.stride, pads, out_hw)
        out = cols @ self.W.reshape(-1, c_out) + self.b
        self._cache = (x.shape, cols, out_hw, pads)
        return out.reshape(x.shape[0], *out_hw, c_out)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """dout: (N, OH, OW, C_out) → dx: (N, H, W, C_in); sets ``dW`` and ``db``."""
        if self._cache is None:
            raise RuntimeError("call forward before backward")
        x_shape, cols, out_hw, pads = self._cache
        kh, kw, c_in, c_out = self.W.shape
        want = (x_shape[0], *out_hw, c_out)
        if np.shape(dout) != want:
            raise ValueError(f"dout must have shape {want} (the forward output), got {np.shape(dout)}")
        d = np.asarray(dout, dtype=np.float64).reshape(-1, c_out)
        self.dW = (cols.T @ d).reshape(self.W.shape)
        self.db = d.sum(axis=0)
        dcols = d @ self.W.reshape(-1, c_out).T
        return col2im(dcols, x_shape, (kh, kw), self.stride, pads, out_hw)


class MaxPool2D(Layer):
    """Max-pooling per channel. x: (N, H, W, C) → (N, OH, OW, C); ``stride=None`` means the pool size."""

    kinked = True  # the gradient jumps to another input when the window's maximum changes

    def __init__(self, pool_size: int | tuple[int, int] = 2, stride: int | tuple[int, int] | None = None,
                 padding: str = "valid") -> None:
        super().__init__()
        self.pool_size = _pair(pool_size, "pool_size")
        self.stride = self.pool_size if stride is None else _pair(stride, "stride")
        if padding not in ("valid", "same"):
            raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}")
        self.padding = padding
        self._cache: tuple | None = None

    def forward(self, x: np.ndarray, train: bool = True) -> np.ndarray:
        """x: (N, H, W, C) → (N, OH, OW, C), the largest value of each window."""
        x = _check_nhwc(x, None, "MaxPool2D")
        n, _, _, c = x.shape
        out_hw, pads = _geometry(x.shape, self.pool_size, self.stride, self.padding)
        # Pad with −inf so that padding never wins a max ('same' pooling in Keras).
        cols = im2col(x, self.pool_size, self.stride, pads, out_hw, pad_value=-np.inf)
        cols = cols.reshape(-1, self.pool_size[0] * self.pool_size[1], c)
        arg = cols.argmax(axis=1)  # first maximum wins ties
        out = np.take_along_axis(cols, arg[:, None, :], axis=1)[:, 0, :]
        self._cache = (x.shape, arg, out_hw, pads)
        return out.reshape(n, *out_hw, c)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """dout: (N, OH, OW, C) → dx: (N, H, W, C); each gradient goes to its window's maximum."""
        if self._cache is None:
            raise RuntimeError("call forward before backward")
        x_shape, arg, out_hw, pads = self._cache
        want = (x_shape[0], *out_hw, x_shape[3])
        if np.shape(dout) != want:
            raise ValueError(f"dout must have shape {want} (the forward output), got {np.shape(dout)}")
        window = self.pool_size[0] * self.pool_size[1]
        d = np.asarray(dout, dtype=np.float64).reshape(-1, 1, x_shape[3])
        dcols = np.zeros((d.shape[0], window, x_shape[3]))
        np.put_along_axis(dcols, arg[:, None, :], d, axis=1)
        return col2im(dcols.reshape(d.shape[0], -1), x_shape, self.pool_size, self.stride, pads, out_hw)
