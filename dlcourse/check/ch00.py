"""Exercise checks for lesson 00 (a first network)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dlcourse.check import exercise, expect, expect_equal, help_for


@exercise(
    "parameter count of Flatten → Dense(128) → Dense(10)",
    hints=[
        "count each Dense layer on its own: every input is connected to every unit, and every unit has one more number of its own.",
        "a Dense layer with n inputs and m units has n·m weights plus m biases; Flatten has no parameters.",
        "a 28×28 image flattens to 784 inputs; add the two Dense layers' counts.",
    ],
)
def parameter_count(answer: int) -> str:
    """Check the learner's hand count of the lesson's MLP parameters."""
    expect(isinstance(answer, (int, np.integer)), f"give a whole number, got {answer!r}.")
    expect_equal(int(answer), 784 * 128 + 128 + 128 * 10 + 10, what="your count")
    return "784·128 + 128 + 128·10 + 10 = 101,770."


@exercise(
    "predicted_class(probs)",
    hints=[
        "each row holds one image's ten probabilities; the prediction is the class whose probability is largest.",
        "you want the position of the largest entry of each row, not the largest value itself.",
        "numpy's argmax over the class axis (axis 1) gives one index per row.",
    ],
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


hint, solution, reference = help_for(__name__)
