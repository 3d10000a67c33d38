"""Exercise checks for lesson 04 (initialization and batch normalization)."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from dlcourse.check import Fail, exercise, expect, expect_close, help_for


@exercise(
    "he_std(fan_in)",
    hints=[
        "He initialisation keeps the size of the signal constant from layer to layer in a ReLU network.",
        "a ReLU zeroes about half its inputs, halving the signal's second moment; He doubles the weight variance to make up for it.",
        "Var(w) = 2 / fan_in; the standard deviation is its square root.",
    ],
)
def he_std(fn: Callable[[int], float]) -> str:
    """Check a function returning He's initial weight std for a layer with ``fan_in`` inputs."""
    fans = [1, 2, 50, 100, 784]
    got = [fn(n) for n in fans]
    expect(all(g is not None for g in got), "the function returned None: did you forget `return`?")
    got = np.asarray(got, dtype=float)
    if np.allclose(got, [1 / math.sqrt(n) for n in fans]):
        raise Fail("that is 1/√fan_in (LeCun's scale, Xavier's for a square layer), the right "
                   "scale for tanh, not for ReLU.")
    if np.allclose(got, [2 / n for n in fans]):
        raise Fail("that is the variance 2/fan_in; the standard deviation is its square root.")
    expect_close(got, [math.sqrt(2 / n) for n in fans], what=f"your stds for fan_in = {fans}")
    return "√(2/fan_in): 0.141 for a 100-unit layer, 0.0505 for 784 pixels."


def _reference_bn(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    return gamma * (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps) + beta


@exercise(
    "batchnorm_forward(x, gamma, beta, eps) in training mode",
    hints=[
        "normalise every feature (column) over the batch, then let gamma and beta rescale and shift it.",
        "use the batch mean and the biased variance of each column (axis 0); eps goes inside the square root.",
        "x̂ = (x − mean) / √(var + eps), then gamma · x̂ + beta.",
    ],
)
def batchnorm_forward(fn: Callable[..., np.ndarray]) -> str:
    """Check a training-mode batch-norm forward pass on (N, D) batches."""
    rng = np.random.default_rng(4)
    x = rng.normal(3.0, 2.0, (8, 5)) * np.array([0.1, 1.0, 5.0, 0.5, 2.0])
    gamma, beta, eps = rng.normal(1.0, 0.5, 5), rng.normal(0.0, 1.0, 5), 1e-3
    x_in = x.copy()
    got = fn(x_in, gamma.copy(), beta.copy(), eps)
    expect(got is not None, "the function returned None: did you forget `return`?")
    expect(np.array_equal(x_in, x), "your function changed x in place: work on a copy.")
    got = np.asarray(got, dtype=float)
    expect(got.shape == x.shape, f"the output has shape {got.shape}, expected {x.shape}.")
    want = _reference_bn(x, gamma, beta, eps)
    if np.allclose(got, want, rtol=1e-6, atol=1e-8):
        # Variance 1e-4 < eps = 1e-2: catches an eps fixed inside the function.
        tiny = rng.normal(0.0, 0.01, (6, 5))
        expect_close(fn(tiny, gamma, beta, 1e-2), _reference_bn(tiny, gamma, beta, 1e-2),
                     what="the output for a batch with small variance and eps = 1e-2")
        return "x̂ has mean 0 and variance ≈ 1 per feature; gamma and beta set them anew."
    mistakes = {
        "you divide by the unbiased variance (ddof=1); batch norm normalises with the "
        "biased one, x.var(axis=0)":
            gamma * (x - x.mean(0)) / np.sqrt(x.var(0, ddof=1) + eps) + beta,
        "eps is missing: add it to the variance inside the square root":
            gamma * (x - x.mean(0)) / np.sqrt(x.var(0)) + beta,
        "you normalised each example (axis 1); batch norm normalises each feature over the "
        "batch, axis 0": gamma * (x - x.mean(1, keepdims=True))
        / np.sqrt(x.var(1, keepdims=True) + eps) + beta,
        "gamma is missing: scale x̂ by gamma before adding beta": _reference_bn(x, 1.0, beta, eps),
        "beta is missing: add beta after scaling": _reference_bn(x, gamma, 0.0, eps),
        "eps belongs inside the square root: √(var + eps)":
            gamma * (x - x.mean(0)) / (np.sqrt(x.var(0)) + eps) + beta,
    }
    for message, wrong in mistakes.items():
        if np.allclose(got, wrong, rtol=1e-6, atol=1e-8):
            raise Fail(message + ".")
    expect_close(got, want, what="your output")
    return ""


@exercise(
    "moving_average(running, batch, momentum), Keras' convention",
    hints=[
        "a moving average keeps most of its old value and mixes in a little of the new one.",
        "in Keras' convention `momentum` is the share kept from the old value.",
        "running · momentum + batch · (1 − momentum).",
    ],
)
def moving_average(fn: Callable[[np.ndarray, np.ndarray, float], np.ndarray]) -> str:
    """Check one update of a running statistic with Keras' momentum convention."""
    running, batch = np.array([0.0, 1.0, 2.0]), np.array([1.0, 3.0, -2.0])
    got = fn(running.copy(), batch.copy(), 0.9)
    expect(got is not None, "the function returned None: did you forget `return`?")
    if np.allclose(np.asarray(got, dtype=float), running * 0.1 + batch * 0.9):
        raise Fail("that is PyTorch's convention, where momentum is the weight of the new "
                   "batch (its default 0.1 matches Keras' 0.9).")
    expect_close(got, running * 0.9 + batch * 0.1, what="the updated running statistic")
    expect_close(fn(running.copy(), batch.copy(), 0.0), batch,
                 what="the update with momentum = 0 (it should just take the batch value)")
    return "with momentum 0.99 a running statistic averages roughly the last 100 batches."


@exercise(
    "parameters of BatchNormalization after Conv2D(32, 3)",
    hints=[
        "after a convolution, batch norm treats each channel as one feature, shared by all positions.",
        "it keeps four numbers per channel: gamma and beta, and the moving mean and variance.",
        "gamma and beta are trained by gradient descent; the moving statistics are updated by averaging, so they are not trainable.",
    ],
)
def bn_parameter_counts(trainable: int, non_trainable: int) -> str:
    """Check the learner's count of trainable and non-trainable BN parameters for 32 channels."""
    for name, value in (("trainable", trainable), ("non_trainable", non_trainable)):
        expect(isinstance(value, (int, np.integer)) and not isinstance(value, bool),
               f"give {name} as a whole number, got {value!r}.")
    expect(trainable + non_trainable == 128,
           f"the total is {trainable + non_trainable}; BN keeps four numbers per channel, "
           "whatever the image size.")
    expect(trainable == 64, f"trainable = {trainable}: which two of the four numbers does "
                            "the optimizer update?")
    return "gamma and beta (2 × 32) are trainable; moving mean and variance (2 × 32) are not."


hint, solution, reference = help_for(__name__)
