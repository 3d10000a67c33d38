"""Exercise checks for lesson 05 (convolutional networks)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from dlcourse.check import Fail, exercise, expect, expect_close, expect_equal, help_for
from dlcourse.scratch.conv import MaxPool2D, conv_output_shape

# (question, input side, window, stride, padding) — asked in the lesson in this order.
OUTPUT_SIZE_QUESTIONS: tuple[tuple[str, int, int, int, str | int], ...] = (
    ("a) 28×28 input, 5×5 kernel, stride 1, 'valid'", 28, 5, 1, "valid"),
    ("b) 28×28 input, 3×3 kernel, stride 2, 'same'", 28, 3, 2, "same"),
    ("c) 227×227 input, 11×11 kernel, stride 4, 'valid' (AlexNet's first layer)", 227, 11, 4, "valid"),
    ("d) 7×7 input, 2×2 max-pooling, stride 2, 'valid'", 7, 2, 2, "valid"),
    ("e) 32×32 input, 5×5 kernel, stride 1, padding 2 on every side", 32, 5, 1, 2),
)


@exercise(
    "output sizes",
    hints=[
        "count how many positions the window can take along one axis, stepping by the stride.",
        "out = ⌊(n + 2p − k) / s⌋ + 1, with p = 0 for 'valid'.",
        "'same' pads so that out = ⌈n / s⌉.",
    ],
)
def output_sizes(answers: Sequence[int]) -> str:
    """Check the learner's output side lengths for ``OUTPUT_SIZE_QUESTIONS``."""
    expect(answers is not None, "replace None with your list of answers.")
    expect(len(answers) == len(OUTPUT_SIZE_QUESTIONS),
           f"give {len(OUTPUT_SIZE_QUESTIONS)} numbers, one per question, got {len(answers)}.")
    wrong = []
    for got, (question, n, k, s, p) in zip(answers, OUTPUT_SIZE_QUESTIONS):
        if not isinstance(got, (int, np.integer)) or got != conv_output_shape(n, k, s, p):
            wrong.append(f"{question}: {got!r} is not right")
    if wrong:
        raise Fail("; ".join(wrong) + ".")
    return "all five sizes are right."


@exercise(
    "parameters of the lab CNN's Dense(512) layer",
    hints=[
        "first find what Flatten receives: follow the image's size through the convolutions and poolings.",
        "'same' convolutions keep the size, each 2×2 pooling halves it (28 → 14 → 7); the channels are those of the last convolution.",
        "inputs · units weights plus one bias per unit.",
    ],
)
def dense_parameters(answer: int) -> str:
    """Check the learner's count of the lab CNN's Dense(512) parameters."""
    expect(isinstance(answer, (int, np.integer)), f"give a whole number, got {answer!r}.")
    flat = 7 * 7 * 32
    if answer == flat * 512:
        raise Fail("you counted the weights but not the 512 biases.")
    if answer == 7 * 7 * 64 * 512 + 512:
        raise Fail("the last convolution before Flatten has 32 channels, not 64.")
    expect_equal(int(answer), flat * 512 + 512, what="your count")
    return "Flatten gives 7·7·32 = 1,568 inputs: 1,568·512 + 512 = 803,328, 92 % of the model."


@exercise(
    "max_pool(x, pool_size)",
    hints=[
        "each output value is the largest value of one k×k window, channel by channel.",
        "without loops: cut H and W down to multiples of k, then reshape so that each window gets axes of its own.",
        "reshape (N, H, W, C) to (N, H//k, k, W//k, k, C) and take the max over axes 2 and 4.",
    ],
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
        expect_close(got, want, what=f"max_pool(x of shape {shape}, {k})", rtol=0, atol=1e-12)
    return "non-overlapping windows, odd sizes cut down, every channel pooled on its own."


hint, solution, reference = help_for(__name__)
