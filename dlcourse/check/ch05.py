"""Exercise checks for lesson 05 (convolutional networks)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from dlcourse.check import Fail, exercise, expect, expect_close, help_for
from dlcourse.scratch.conv import Conv2D, MaxPool2D, conv_output_shape
from dlcourse.scratch.gradcheck import numerical_gradient, relative_error
from dlcourse.scratch.layercheck import threshold_for

# ---------------------------------------------------------------- max-pooling, forward


def _max_pool_solution(x: np.ndarray, k: int) -> np.ndarray:
    """Non-overlapping k×k max-pooling of x (N, H, W, C); leftover rows and columns are dropped."""
    n, h, w, c = x.shape
    x = x[:, : h // k * k, : w // k * k, :]  # the rows and columns no full window covers go
    # Each window gets two axes of its own: (N, H//k, k, W//k, k, C); its maximum is over them.
    return x.reshape(n, h // k, k, w // k, k, c).max(axis=(2, 4))


def _blocks(x: np.ndarray, k: int) -> np.ndarray:
    """x cut to whole windows, as (N, H//k, k, W//k, k, C)."""
    n, h, w, c = x.shape
    return x[:, : h // k * k, : w // k * k, :].reshape(n, h // k, k, w // k, k, c)


@exercise(
    "max_pool(x, k)",
    hints=[
        "each output value is the largest value of one k×k window, channel by channel; windows do not "
        "overlap, and rows or columns left over at the bottom and right belong to no window.",
        "without loops: cut H and W down to multiples of k, then reshape so that each window gets axes of its own.",
        "reshape (N, H, W, C) to (N, H//k, k, W//k, k, C) and take the max over axes 2 and 4.",
    ],
    solution=_max_pool_solution,
    shows=("MaxPool2D",),
)
def max_pool_forward(fn: Callable[[np.ndarray, int], np.ndarray]) -> str:
    """Check a learner's non-overlapping max-pooling forward pass against ``MaxPool2D``."""
    rng = np.random.default_rng(5)
    cases = [((1, 4, 4, 1), 2), ((2, 6, 6, 3), 2), ((3, 7, 7, 2), 2), ((2, 9, 6, 4), 3)]
    for shape, k in cases:
        x = rng.normal(size=shape)
        x_before = x.copy()
        got = fn(x, k)
        expect(np.array_equal(x, x_before), "your function changed its input x; work on a copy.")
        expect(got is not None, "the function returned None: did you forget `return`?")
        want = MaxPool2D(k).forward(x_before)
        got = np.asarray(got, dtype=float)
        if got.shape != want.shape:
            n, h, w, c = shape
            if got.shape == (n, -(-h // k), -(-w // k), c):
                raise Fail(f"for x of shape {shape} and k = {k} your output has shape {got.shape}: the "
                           "leftover rows and columns form no full window, so drop them "
                           f"(expected {want.shape}).")
            raise Fail(f"for x of shape {shape} and k = {k} your output has shape {got.shape}, "
                       f"expected {want.shape}.")
        blocks = _blocks(x_before, k)
        mistakes = {
            "you averaged each window: max-pooling keeps its largest value": blocks.mean(axis=(2, 4)),
            "you kept each window's smallest value; max-pooling keeps the largest": blocks.min(axis=(2, 4)),
            "your windows are not k×k blocks of the image: reshape to (N, H//k, k, W//k, k, C), so that "
            "a window's rows and columns each get an axis of their own":
                x_before[:, : shape[1] // k * k, : shape[2] // k * k, :].reshape(
                    shape[0], shape[1] // k, shape[2] // k, k, k, shape[3]).max(axis=(3, 4)),
        }
        for message, wrong in mistakes.items():
            if not np.allclose(wrong, want) and np.allclose(got, wrong):
                raise Fail(message + ".")
        expect_close(got, want, what=f"max_pool(x of shape {shape}, {k})", rtol=0, atol=1e-12)
    return "non-overlapping windows, odd sizes cut down, every channel pooled on its own."


# ---------------------------------------------------------------- output-size arithmetic


def _conv_output_size_solution(n: int, k: int, s: int = 1, padding: str | int = "valid") -> int:
    """Output length along one axis: ⌊(n + 2p − k) / s⌋ + 1, or ⌈n / s⌉ for 'same'."""
    if padding == "same":
        return -(-n // s)  # ⌈n / s⌉: Keras pads just enough to keep every stride position
    p = 0 if padding == "valid" else padding
    if n + 2 * p < k:
        raise ValueError(f"a window of {k} does not fit in {n} + 2·{p} positions")
    # Positions of the window's first cell: 0, s, 2s, ... up to n + 2p − k, and the first counts too.
    return (n + 2 * p - k) // s + 1


# (n, k, s, padding): odd and even sizes, strides that do and do not divide, a window as
# large as the input, and AlexNet's first layer.
OUTPUT_SIZE_CASES: tuple[tuple[int, int, int, str | int], ...] = (
    (32, 3, 1, "valid"), (30, 5, 2, "valid"), (227, 11, 4, "valid"), (9, 2, 2, "valid"), (10, 3, 3, "valid"),
    (32, 5, 1, 2), (15, 3, 2, 1), (8, 4, 4, 1), (7, 7, 1, 0),
    (32, 3, 1, "same"), (15, 3, 2, "same"), (10, 5, 3, "same"), (7, 2, 2, "same"),
)

_VALID_MISTAKES: dict[str, Callable[[int, int, int, int], float]] = {
    "you count the steps between the first and the last window position; the first position is a "
    "window too: add 1": lambda n, k, s, p: (n + 2 * p - k) // s,
    "a window that would hang over the edge does not count: round the division down, not up":
        lambda n, k, s, p: -(-(n + 2 * p - k) // s) + 1,
    "the padding p is added on both sides: the padded length is n + 2p": lambda n, k, s, p: (n + p - k) // s + 1,
    "divide by the stride: the window moves s positions at a time": lambda n, k, s, p: n + 2 * p - k + 1,
    "add the 1 after dividing, not before: (n + 2p − k + 1) // s is one short whenever s > 1":
        lambda n, k, s, p: (n + 2 * p - k + 1) // s,
}
_SAME_MISTAKES: dict[str, Callable[[int, int], float]] = {
    "with a stride s, 'same' keeps ⌈n / s⌉ positions, not n": lambda n, s: n,
    "'same' rounds up, so that the last input positions are still covered: ⌈n / s⌉, not ⌊n / s⌋":
        lambda n, s: n // s,
}


def _describe(case: tuple[int, int, int, str | int]) -> str:
    n, k, s, p = case
    return f"conv_output_size({n}, {k}, {s}, {p!r})"


@exercise(
    "conv_output_size(n, k, s, padding)",
    hints=[
        "count the positions the window's first cell can take along one axis: from the start of the "
        "padded input to the last place where the whole window still fits, in steps of the stride.",
        "with p = 0 for 'valid': out = ⌊(n + 2p − k) / s⌋ + 1, and a window that does not fit (n + 2p < k) "
        "is an error; 'same' is ⌈n / s⌉, whatever k.",
        "`if padding == \"same\": return -(-n // s)`; otherwise `p = 0 if padding == \"valid\" else padding`, "
        "raise ValueError when n + 2 * p < k, and `return (n + 2 * p - k) // s + 1`.",
    ],
    solution=_conv_output_size_solution,
)
def conv_output_size(fn: Callable[..., int]) -> str:
    """Check a learner's output-size function against ``conv_output_shape``, naming off-by-one mistakes."""
    got = [fn(*case) for case in OUTPUT_SIZE_CASES]
    expect(all(g is not None for g in got), "the function returned None: did you forget `return`?")
    for case, g in zip(OUTPUT_SIZE_CASES, got):
        if isinstance(g, (float, np.floating)):
            raise Fail(f"{_describe(case)} returned the float {g!r}; a size is a whole number: use the floor "
                       "division `//` (and a ceiling that stays in whole numbers for 'same').")
        expect(isinstance(g, (int, np.integer)) and not isinstance(g, bool),
               f"{_describe(case)} returned {g!r}; return a whole number.")
    want = [conv_output_shape(n, k, s, p) for n, k, s, p in OUTPUT_SIZE_CASES]
    same = [i for i, c in enumerate(OUTPUT_SIZE_CASES) if c[3] == "same"]
    other = [i for i, c in enumerate(OUTPUT_SIZE_CASES) if c[3] != "same"]
    for group, mistakes in ((other, _VALID_MISTAKES), (same, _SAME_MISTAKES)):
        if all(got[i] == want[i] for i in group):
            continue
        for message, wrong in mistakes.items():
            if mistakes is _VALID_MISTAKES:
                values = [wrong(n, k, s, 0 if p == "valid" else p) for n, k, s, p in
                          (OUTPUT_SIZE_CASES[i] for i in group)]
            else:
                values = [wrong(OUTPUT_SIZE_CASES[i][0], OUTPUT_SIZE_CASES[i][2]) for i in group]
            if [got[i] for i in group] == values:
                raise Fail(message + ".")
        first = next(i for i in group if got[i] != want[i])
        raise Fail(f"{_describe(OUTPUT_SIZE_CASES[first])} returned {got[first]}, but the window fits "
                   f"{want[first]} times.")
    try:
        result = fn(3, 5, 1, "valid")
    except ValueError:
        pass
    except Exception as err:  # noqa: BLE001 — any other error type is the learner's to fix
        raise Fail(f"a window larger than the padded input raised {type(err).__name__}; raise ValueError.") from None
    else:
        raise Fail(f"conv_output_size(3, 5, 1, 'valid') returned {result!r}: a 5-wide window does not fit in a "
                   "3-wide input; raise a ValueError instead.")
    return "all 13 sizes right, and a window that does not fit is refused."


# ---------------------------------------------------------------- convolution by im2col


def _conv_forward_solution(x: np.ndarray, W: np.ndarray, b: np.ndarray, stride: int = 1,
                           padding: int = 0) -> np.ndarray:
    """Convolution (cross-correlation) of x (N, H, W, C_in) with W (kh, kw, C_in, C_out) by im2col."""
    n, h, w, c_in = x.shape
    kh, kw, _, c_out = W.shape
    xp = np.pad(x, ((0, 0), (padding, padding), (padding, padding), (0, 0)))  # zeros around H and W
    oh = (h + 2 * padding - kh) // stride + 1
    ow = (w + 2 * padding - kw) // stride + 1
    cols = np.empty((n, oh, ow, kh * kw * c_in))
    for i in range(oh):  # one row of the matrix per output position: its window, flattened
        for j in range(ow):
            window = xp[:, i * stride:i * stride + kh, j * stride:j * stride + kw, :]
            cols[:, i, j, :] = window.reshape(n, -1)  # ordered (kh, kw, C_in) like the kernel
    out = cols.reshape(-1, kh * kw * c_in) @ W.reshape(-1, c_out) + b
    return out.reshape(n, oh, ow, c_out)


# (x shape, kernel shape, stride, padding): the lesson's single-channel case first, then
# several channels, stride and padding together, and a non-square kernel.
_CONV_CASES = (((1, 5, 5, 1), (3, 3, 1, 1), 1, 0), ((2, 7, 6, 3), (3, 3, 3, 4), 1, 0),
               ((2, 7, 6, 3), (3, 3, 3, 4), 2, 1), ((1, 6, 7, 2), (2, 3, 2, 3), 2, 0))


def _kernel_read_as(W: np.ndarray, order: str) -> np.ndarray:
    """The kernel a product computes when the window is flattened in ``order`` but W as (kh, kw, C)."""
    kh, kw, c_in, c_out = W.shape
    flat = W.reshape(-1, c_out)
    if order == "c_first":  # rows (C, kh, kw)
        return flat.reshape(c_in, kh, kw, c_out).transpose(1, 2, 0, 3)
    return flat.reshape(kw, kh, c_in, c_out).transpose(1, 0, 2, 3)  # rows (kw, kh, C)


@exercise(
    "conv_forward(x, W, b, stride, padding) by im2col",
    hints=[
        "first pad the image, then copy every window into one row of a matrix, flattened in the same order "
        "as the kernel's weights; the whole layer is then one matrix product with the kernel laid out as "
        "one column per output channel.",
        "pad with `np.pad` on the H and W axes only; OH = (H + 2p − kh) // s + 1; the window of output "
        "(i, j) is `xp[:, i*s:i*s+kh, j*s:j*s+kw, :]`, flattened per image to kh · kw · C_in numbers.",
        "stack the windows into cols of shape (N · OH · OW, kh · kw · C_in); then "
        "`cols @ W.reshape(-1, C_out) + b`, reshaped to (N, OH, OW, C_out).",
    ],
    solution=_conv_forward_solution,
    shows=("im2col", "Conv2D"),
)
def conv_forward(fn: Callable[..., np.ndarray]) -> str:
    """Check a learner's im2col convolution against ``Conv2D`` for several shapes, strides and paddings."""
    rng = np.random.default_rng(6)
    for x_shape, w_shape, stride, pad in _CONV_CASES:
        x, W, b = rng.normal(size=x_shape), rng.normal(size=w_shape), rng.normal(size=w_shape[3])
        args = (x.copy(), W.copy(), b.copy())
        got = fn(*args, stride, pad)
        expect(all(np.array_equal(a, o) for a, o in zip(args, (x, W, b))),
               "your function changed one of its inputs (x, W or b) in place: work on copies.")
        expect(got is not None, "the function returned None: did you forget `return`?")
        got = np.asarray(got, dtype=float)
        want = Conv2D(W, b, stride=stride, padding=pad).forward(x)
        case = f"x {x_shape}, W {w_shape}, stride {stride}, padding {pad}"
        if got.shape != want.shape:
            if got.shape == (want.shape[0] * want.shape[1] * want.shape[2], want.shape[3]):
                raise Fail(f"for {case} your output has shape {got.shape}, one row per output position: "
                           f"reshape the product back to (N, OH, OW, C_out) = {want.shape}.")
            if pad and got.shape == Conv2D(W, b, stride=stride).forward(x).shape:
                raise Fail(f"for {case} your output has shape {got.shape}, that of an unpadded input: add "
                           f"{pad} zero(s) on each side of H and W first (expected {want.shape}).")
            if stride > 1 and got.shape == Conv2D(W, b, padding=pad).forward(x).shape:
                raise Fail(f"for {case} your output has shape {got.shape}, that of stride 1: move the window "
                           f"{stride} positions at a time (expected {want.shape}).")
            raise Fail(f"for {case} your output has shape {got.shape}, expected {want.shape}.")
        mistakes = {
            "you flipped the kernel (the convolution of signal processing); a deep-learning convolution "
            "multiplies each window with the kernel as it is": Conv2D(W[::-1, ::-1], b, stride, pad),
            "the bias is missing: add b, one value per output channel": Conv2D(W, None, stride, pad),
            "your rows list a window's values channel first, (C_in, kh, kw), but `W.reshape(-1, C_out)` is "
            "ordered (kh, kw, C_in): flatten each window in the kernel's order":
                Conv2D(_kernel_read_as(W, "c_first"), b, stride, pad),
            "your rows read each window column by column, but `W.reshape(-1, C_out)` goes row by row: "
            "flatten each window as (kh, kw, C_in)": Conv2D(_kernel_read_as(W, "columns"), b, stride, pad),
        }
        for message, layer in mistakes.items():
            wrong = layer.forward(x)
            if not np.allclose(wrong, want) and np.allclose(got, wrong):
                raise Fail(message + ".")
        expect_close(got, want, what=f"your output for {case}", rtol=1e-9, atol=1e-9)
    return "equal to Conv2D for several channels, strides, paddings and a non-square kernel."


# ---------------------------------------------------------------- max-pooling, backward


def _max_pool_backward_solution(dout: np.ndarray, x: np.ndarray, k: int) -> np.ndarray:
    """dx (N, H, W, C) of k×k max-pooling: each gradient goes to its window's first maximum."""
    n, h, w, c = x.shape
    dx = np.zeros(x.shape)  # rows and columns no window covers keep gradient 0
    for i in range(h // k):
        for j in range(w // k):
            window = x[:, i * k:(i + 1) * k, j * k:(j + 1) * k, :].reshape(n, k * k, c)
            first = window.argmax(axis=1)  # (N, C): the first maximum, reading the window row by row
            mask = np.zeros_like(window)
            np.put_along_axis(mask, first[:, None, :], 1.0, axis=1)
            dx[:, i * k:(i + 1) * k, j * k:(j + 1) * k, :] = (mask * dout[:, i, j, None, :]).reshape(n, k, k, c)
    return dx


def _pool_backward_variant(dout: np.ndarray, x: np.ndarray, k: int, rule: str) -> np.ndarray:
    """dx under a wrong routing ``rule``: "ties", "last", "average", "copy" or "leftover"."""
    blocks = _blocks(x, k)  # (N, OH, k, OW, k, C)
    n, oh, _, ow, _, c = blocks.shape
    up = dout[:, :, None, :, None, :]
    if rule == "ties":
        routed = (blocks == blocks.max(axis=(2, 4), keepdims=True)) * up
    elif rule == "average":
        routed = np.broadcast_to(up / (k * k), blocks.shape)
    elif rule == "copy":
        routed = np.broadcast_to(up, blocks.shape)
    else:  # "last": the last maximum, row by row
        flat = blocks.transpose(0, 1, 3, 2, 4, 5).reshape(n, oh, ow, k * k, c)
        last = k * k - 1 - flat[:, :, :, ::-1, :].argmax(axis=3)
        mask = np.zeros_like(flat)
        np.put_along_axis(mask, last[:, :, :, None, :], 1.0, axis=3)
        routed = (mask * dout[:, :, :, None, :]).reshape(n, oh, ow, k, k, c).transpose(0, 1, 3, 2, 4, 5)
    dx = np.zeros(x.shape)
    dx[:, : oh * k, : ow * k, :] = np.asarray(routed).reshape(n, oh * k, ow * k, c)
    return dx


def _tied_input(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Small whole numbers and exact zeros: windows whose maximum is shared by several inputs."""
    return np.maximum(rng.integers(-2, 3, size=shape), 0).astype(float)


@exercise(
    "max_pool_backward(dout, x, k)",
    hints=[
        "only the input that was a window's maximum affected that window's output, so only it receives the "
        "window's gradient; every other input, and every row or column no window covers, receives zero.",
        "for each window find where its maximum was (per image and channel) and put that window's dout there; "
        "with ties, the first maximum reading the window row by row takes it all (argmax does that).",
        "loop over the windows: reshape each to (N, k·k, C), `argmax(axis=1)`, build a one-hot mask with "
        "`np.put_along_axis`, multiply it by `dout[:, i, j, None, :]` and write it back into dx.",
    ],
    solution=_max_pool_backward_solution,
    shows=("MaxPool2D",),
)
def max_pool_backward(fn: Callable[..., np.ndarray]) -> str:
    """Check a learner's max-pooling backward pass against ``MaxPool2D`` and the numerical gradient."""
    rng = np.random.default_rng(15)
    separated = rng.permutation(np.arange(2 * 6 * 6 * 3) * 0.01).reshape(2, 6, 6, 3)  # no ties, no kinks
    cases = [(separated, 2), (rng.normal(size=(2, 7, 5, 2)), 2), (rng.normal(size=(1, 9, 7, 3)), 3),
             (_tied_input(rng, (2, 6, 6, 2)), 2), (_tied_input(rng, (1, 9, 9, 2)), 3)]
    gradcheck_error = None
    for x, k in cases:
        pool = MaxPool2D(k)
        dout = rng.normal(size=pool.forward(x).shape)
        args = (dout.copy(), x.copy())
        got = fn(*args, k)
        expect(np.array_equal(args[0], dout) and np.array_equal(args[1], x),
               "your function changed dout or x in place: work on copies.")
        expect(got is not None, "the function returned None: did you forget `return`?")
        got = np.asarray(got, dtype=float)
        want = pool.backward(dout)
        case = f"x of shape {x.shape}, k = {k}"
        expect(got.shape == x.shape, f"for {case} dx has shape {got.shape}; it must have x's shape "
                                     f"{x.shape}, with zeros where no window reaches.")
        if not np.allclose(got, want, rtol=0, atol=1e-12):
            h, w = x.shape[1] // k * k, x.shape[2] // k * k
            if np.allclose(got[:, :h, :w], want[:, :h, :w], rtol=0, atol=1e-12):
                raise Fail(f"for {case}: the rows and columns that no window covers did not affect the output, "
                           "so their gradient is 0.")
            mistakes = {
                "several inputs of a window tie for its maximum and you gave the gradient to each of them; "
                "the output moves with one of them only: give it to the first, reading the window row by "
                "row (as MaxPool2D and Keras do)": "ties",
                "with ties, the first maximum (reading the window row by row) takes the gradient, not the "
                "last": "last",
                "that is average-pooling's gradient, spread evenly; in max-pooling only the maximum "
                "affected the output": "average",
                "every input of the window got the whole gradient; only the maximum affected the output, "
                "the others get 0": "copy",
            }
            for message, rule in mistakes.items():
                wrong = _pool_backward_variant(dout, x, k, rule)
                if not np.allclose(wrong, want) and np.allclose(got, wrong, rtol=0, atol=1e-12):
                    raise Fail(f"for {case}: {message}.")
            expect_close(got, want, what=f"dx for {case}", rtol=0, atol=1e-12)
        if gradcheck_error is None:  # the separated input: central differences are exact there
            numeric = numerical_gradient(lambda v: float(np.sum(MaxPool2D(k).forward(v) * dout)), x)
            gradcheck_error = relative_error(got, numeric)
    threshold = threshold_for(MaxPool2D(2))
    return (f"equal to MaxPool2D.backward, ties and leftover rows included; against the numerical gradient "
            f"the relative error is {gradcheck_error:.0e} (threshold {threshold:g}).")


# ---------------------------------------------------------------- experiment: ties and the gradient check


POOL_TIES_CHOICES = {
    "a": "MaxPool2D's backward has a bug that the chapter's well-separated input hid",
    "b": "some windows hold only zeros: their maximum has a kink there, central differences average the "
         "slopes on its two sides for each tied input, and backward gives the whole slope to one",
    "c": "h = 1e-5 is too small: floating-point rounding spoils the finite differences",
    "d": "the kinked threshold 1e-5 is too strict for max-pooling: the error is noise",
}


def _pool_ties_solution(seed: int = 0) -> tuple[float, str]:
    """The chapter's gradient check of MaxPool2D, run on a ReLU-like input with exact zeros."""
    rng = np.random.default_rng(seed)
    x_relu = np.maximum(rng.normal(-0.5, 1.0, size=(2, 6, 6, 2)), 0.0)
    pool = MaxPool2D(2)
    R = rng.normal(size=pool.forward(x_relu).shape)
    error = relative_error(pool.backward(R), numerical_gradient(
        lambda v: float(np.sum(MaxPool2D(2).forward(v) * R)), x_relu))
    # A window of four zeros: +h on any of them raises the max by h, −h leaves it at 0, so
    # each tied input gets the central difference ½ · R while backward gives R to the first.
    return error, "b"


@exercise(
    "experiment: a gradient check of max-pooling after a ReLU",
    hints=[
        "find the entries where backward and the numerical gradient disagree, and look at the inputs of "
        "the windows they belong to.",
        "the disagreeing windows hold four exact zeros. Move one of them up by h: the maximum rises by h. "
        "Move it down: the maximum stays 0. What do central differences make of that?",
        "each tied zero gets a numerical gradient of ½ · R, backward gives R to the first and 0 to the "
        "others: a kink, not a bug, and not rounding.",
    ],
    solution=_pool_ties_solution,
    kind="experiment",
)
def pool_ties(answer: tuple[float, str] | None) -> str:
    """Check the measured relative error on the ReLU-like input and the learner's reading of it."""
    expect(answer is not None and not (isinstance(answer, (tuple, list)) and None in answer),
           "replace the Nones with your measured relative error and the letter of its cause.")
    expect(isinstance(answer, (tuple, list)) and len(answer) == 2,
           "give a pair: (the relative error, a letter from a to d).")
    measured, letter = answer
    expect(isinstance(measured, (int, float, np.floating)) and measured >= 0,
           f"the relative error should be a number of 0 or more, got {measured!r}.")
    want, right = _pool_ties_solution()
    threshold = threshold_for(MaxPool2D(2))
    if measured < threshold:
        raise Fail(f"an error of {measured:.1g} passes the check: did you run it on `x_relu` (with its exact "
                   "zeros), not on the chapter's well-separated input?")
    if not 0.9 < measured / want < 1.11:
        raise Fail(f"your relative error {measured:.3g} is not what this run gives: compute it as the chapter "
                   "does, `relative_error(pool.backward(R), numerical_gradient(...))`, with `x_relu` and `R` "
                   "as given.")
    expect(letter in POOL_TIES_CHOICES, f"choose one of the letters a, b, c, d, got {letter!r}.")
    if letter != right:
        why = {
            "a": "MaxPool2D's backward passed on the well-separated input and matches Keras' gradient; look "
                 "at the inputs of the windows where the two gradients disagree",
            "c": "rounding errors at h = 1e-5 are around 1e-10; yours is far larger. Rerun with h = 1e-3: "
                 "the error hardly moves",
            "d": "noise would be many orders of magnitude below the threshold, and yours is far above it; "
                 "look at the entries that disagree",
        }[letter]
        raise Fail(f"your measurement is right, but ({letter}) is not the cause: {why}.")
    return (f"relative error {measured:.2f}: each all-zero window has a kink, the numerical gradient "
            "gives each tied zero ½ · R, however many tie. Ties are common after a ReLU (a window of zeros), "
            "which is why backward's first-maximum rule matters, and why pooling is gradient-checked on "
            "inputs without ties.")


# ---------------------------------------------------------------- parameter count


def _dense_parameters_solution() -> int:
    """Dense(512)'s parameters in the lab CNN without its second pooling layer."""
    side = 28 // 2  # 'same' convolutions keep 28; the one remaining pooling halves it
    channels = 32  # the last convolution before Flatten
    inputs = side * side * channels  # what Flatten hands to Dense(512)
    return inputs * 512 + 512  # a weight per input and unit, plus one bias per unit


@exercise(
    "parameters of Dense(512) without the second pooling",
    hints=[
        "follow the image's size through the layers to find what Flatten receives, then count one weight "
        "for every input–unit pair and one bias per unit.",
        "'same' convolutions keep the size and the one pooling left halves it, 28 → 14; the channels are "
        "those of the last convolution, 32.",
        "14 · 14 · 32 inputs times 512 units, plus 512 biases.",
    ],
    solution=_dense_parameters_solution,
    kind="value",
)
def dense_parameters(answer: int | None) -> str:
    """Check the learner's count of Dense(512)'s parameters in the variant without the second pooling."""
    expect(answer is not None, "replace None with your count, a whole number.")
    expect(isinstance(answer, (int, np.integer)) and not isinstance(answer, bool),
           f"give a whole number, got {answer!r}.")
    want = _dense_parameters_solution()
    if answer == want:
        return ("3,211,776: about four times the original 803,328, since the flattened map has four times the "
                "positions. The pooling is what keeps the dense head small.")
    mistakes = {
        7 * 7 * 32 * 512 + 512: "that is the lab CNN as it is; without the second pooling the last maps stay 14×14",
        14 * 14 * 32 * 512: "you counted the weights but not the 512 biases",
        28 * 28 * 32 * 512 + 512: "only the second pooling is gone; the first still halves 28 to 14",
        14 * 14 * 64 * 512 + 512: "the last convolution before Flatten has 32 channels, not 64",
    }
    if int(answer) in mistakes:
        raise Fail(mistakes[int(answer)] + ".")
    raise Fail(f"{answer:,} is not the count: find what Flatten receives, then inputs · units + units.")


# ---------------------------------------------------------------- receptive field


LAB_CNN_FEATURE_LAYERS = (("conv", 3, 1), ("conv", 3, 1), ("pool", 2, 2), ("conv", 3, 1), ("conv", 3, 1),
                          ("pool", 2, 2))


def _receptive_field_solution() -> list[int]:
    """Receptive-field side after each layer of the lab CNN's feature extractor."""
    field, jump = 1, 1  # one input pixel; one step in the current map is `jump` input pixels
    sides = []
    for _, k, stride in LAB_CNN_FEATURE_LAYERS:
        field += (k - 1) * jump  # a k-wide window reaches k − 1 more steps of the map below
        jump *= stride
        sides.append(field)
    return sides


@exercise(
    "receptive fields in the lab CNN",
    hints=[
        "follow two numbers through the layers: how wide a patch of the image one unit sees, and how many "
        "image pixels one step in the current feature map spans (a stride multiplies the second).",
        "a window of k positions reaches k − 1 more steps of the map below it; each step there is worth the "
        "jump of that map in image pixels. Start at a patch of 1 and a jump of 1.",
        "the patch grows by (k − 1) · jump, then jump is multiplied by the stride: 3, 5, 6, then with "
        "jump 2 …",
    ],
    solution=_receptive_field_solution,
    kind="value",
)
def receptive_field(answer: Sequence[int] | None) -> str:
    """Check the learner's six receptive-field sides (after each conv and pooling layer)."""
    expect(answer is not None, "replace None with a list of six whole numbers, one per layer.")
    expect(isinstance(answer, (list, tuple)) and len(answer) == len(LAB_CNN_FEATURE_LAYERS),
           f"give a list of {len(LAB_CNN_FEATURE_LAYERS)} numbers, one after each layer.")
    expect(all(isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in answer),
           "give whole numbers (pixels along one side).")
    got, want = [int(a) for a in answer], _receptive_field_solution()
    if got == want:
        return ("16×16: each value of the last 7×7 maps sees a 16-pixel square of the 28×28 digit; the "
                "poolings make the later 3×3 kernels reach twice and four times as far.")
    mistakes = {
        (3, 5, 6, 8, 10, 11): "after a stride-2 pooling one step of the feature map spans two image pixels, so "
                              "the later kernels reach twice as far (four times after the second pooling)",
        (4, 7, 9, 15, 21, 25): "a k-wide window adds k − 1 steps, not k: one of its k positions is the one "
                               "already counted",
        (3, 5, 5, 9, 13, 13): "a 2×2 pooling window reaches one step further too (k − 1 = 1), besides "
                              "doubling the jump",
        (3, 5, 10, 12, 14, 28): "pooling does not double the patch a unit sees; it doubles the jump, the "
                                "distance one later step covers",
    }
    if tuple(got) in mistakes:
        raise Fail(mistakes[tuple(got)] + ".")
    first = next(i for i, (g, w) in enumerate(zip(got, want)) if g != w)
    raise Fail(f"the first wrong value is after layer {first + 1} ({LAB_CNN_FEATURE_LAYERS[first][0]}).")


hint, solution, reference = help_for(__name__)
