"""Exercise checks for lesson 00 (a first network)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dlcourse.check import exercise, expect, expect_equal


@exercise(
    "parameter count of Flatten → Dense(128) → Dense(10)",
    hint="a Dense layer with n inputs and m units has n·m weights plus m biases; "
         "a 28×28 image flattens to 784 inputs.",
)
def parameter_count(answer: int) -> str:
    """Check the learner's hand count of the lesson's MLP parameters."""
    expect(isinstance(answer, (int, np.integer)), f"give a whole number, got {answer!r}.")
    expect_equal(int(answer), 784 * 128 + 128 + 128 * 10 + 10, what="your count")
    return "784·128 + 128 + 128·10 + 10 = 101,770."


@exercise(
    "predicted_class(probs)",
    hint="the predicted class of each row is the index of its largest probability: np.argmax(..., axis=1).",
)
def predicted_class(fn: Callable[[np.ndarray], np.ndarray]) -> str:
    """Check a function mapping an (N, classes) probability array to N class indices."""
    rng = np.random.default_rng(7)
    probs = rng.dirichlet(np.ones(10), size=50)
    got = fn(probs.copy())
    expect(got is not None, "the function returned None: did you forget `return`?")
    got = np.asarray(got)
    expect_equal(got.shape, (50,), what="the shape of the result")
    expect_equal(got.astype(int), probs.argmax(axis=1), what="the predicted classes")
    one = fn(probs[:1].copy())
    expect_equal(np.asarray(one).shape, (1,), what="the result for a batch of one image")
    return "argmax over the class axis, one index per image."
