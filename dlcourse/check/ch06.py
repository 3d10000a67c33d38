"""Exercise checks for lesson 06 (AlexNet and VGG)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dlcourse.check import exercise, expect, expect_close, expect_equal, help_for


@exercise(
    "parameters of VGG-16's first dense layer (fc1)",
    hints=[
        "find what Flatten receives in VGG-16 at 224×224: five poolings and the last block's channels.",
        "five 2×2 pools take 224 to 7; the last block has 512 channels.",
        "7·7·512 inputs, each connected to 4,096 units, plus one bias per unit.",
    ],
)
def vgg16_fc1_params(answer: int) -> str:
    """Check the learner's count of VGG-16's fc1 parameters."""
    expect(isinstance(answer, (int, np.integer)) and not isinstance(answer, bool),
           f"give a whole number, got {answer!r}.")
    want = 7 * 7 * 512 * 4096 + 4096
    expect(int(answer) != 7 * 7 * 512 * 4096, "you counted the weights but not the 4,096 biases.")
    expect_equal(int(answer), want, what="your count")
    return (f"7·7·512·4096 + 4096 = {want:,}: {want / 138_357_544:.0%} of all VGG-16 "
            "parameters sit in this one layer.")


@exercise(
    "constant_accuracy(labels)",
    hints=[
        "a model that always answers one class is right exactly for the images of that class.",
        "the best constant answer is the most frequent class; you want its share of the labels.",
        "count each class (numpy's bincount), take the largest count and divide by the number of labels.",
    ],
)
def constant_accuracy(fn: Callable[[np.ndarray], float]) -> str:
    """Check a function returning the best accuracy a constant prediction can reach."""
    cases = [
        np.array([1] * 1135 + [0] * 980 + [2] * 7885)[::-1].copy(),
        np.repeat(np.arange(10), 100),
        np.array([3, 3, 5]),
    ]
    for labels in cases:
        got = fn(labels.copy())
        expect(got is not None, "the function returned None: did you forget `return`?")
        want = np.bincount(labels).max() / len(labels)
        if np.isclose(float(np.asarray(got)), np.bincount(labels).max()):
            expect(False, "you returned a count; divide by the number of labels to get a share.")
        expect_close(float(np.asarray(got)), want, what=f"the result for labels with counts "
                     f"{np.bincount(labels)[np.bincount(labels) > 0].tolist()}")
    return ("the share of the most frequent class. On the full MNIST test set that is digit 1, "
            "1,135 of 10,000 images: the lab report's 0.1135.")


@exercise(
    "dead_fraction(activations)",
    hints=[
        "a channel is dead when it outputs nothing positive for any image at any position.",
        "reduce over everything but the channel axis: the largest value of each channel.",
        "reshape to (-1, channels), take the max over axis 0, and return the share of channels whose max is ≤ 0.",
    ],
)
def dead_fraction(fn: Callable[[np.ndarray], float]) -> str:
    """Check a function giving the share of dead channels in an (N, H, W, C) ReLU output."""
    rng = np.random.default_rng(6)
    a = np.maximum(rng.normal(size=(8, 5, 5, 16)), 0.0)
    a[..., [1, 4, 9]] = 0.0  # three dead channels
    a[3, 2, 2, 7] = 0.0  # a zero that does not make channel 7 dead
    a[:, :, :, 12] = 0.0
    a[5, 0, 0, 12] = 0.5  # alive for one image at one position: not dead
    got = fn(a.copy())
    expect(got is not None, "the function returned None: did you forget `return`?")
    g = float(np.asarray(got))
    if np.isclose(g, np.mean(a <= 0)):
        expect(False, "that is the share of zero *values*; count whole channels that are zero everywhere.")
    expect_close(g, 3 / 16, what="the dead fraction of a test activation with 3 of 16 channels dead")
    dense = np.maximum(rng.normal(size=(20, 10)), 0.0)
    dense[:, :5] = 0.0
    expect_close(float(np.asarray(fn(dense.copy()))), 0.5, what="the result for a (20, 10) Dense layer output")
    return "channels that never fire on the probe batch, as a share of all channels."


hint, solution, reference = help_for(__name__)
