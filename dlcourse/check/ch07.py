"""Exercise checks for lesson 07 (saving, transfer learning and the training checklist)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from dlcourse.check import exercise, expect, expect_equal, help_for

if TYPE_CHECKING:
    from dlcourse._tf import keras

# The tasks of exercise 2, in the words the lesson uses.
TASKS = (
    "ten classes, integer labels",
    "ten classes, one-hot labels",
    "yes/no with one output unit",
    "a price (a real number)",
)

_ACTIVATIONS = {
    TASKS[0]: {"softmax"},
    TASKS[1]: {"softmax"},
    TASKS[2]: {"sigmoid"},
    TASKS[3]: {"linear", None, "none"},
}
_LOSSES = {
    TASKS[0]: {"sparse_categorical_crossentropy"},
    TASKS[1]: {"categorical_crossentropy"},
    TASKS[2]: {"binary_crossentropy"},
    TASKS[3]: {"mse", "mean_squared_error", "mae", "mean_absolute_error", "huber"},
}


@exercise(
    "trainable parameters of the new head",
    hints=[
        "with the base frozen, only the new Dense layer learns.",
        "a Dense layer on F inputs with `classes` units.",
        "F weights per class plus one bias per class.",
    ],
)
def head_parameters(answer: int, features: int, classes: int = 5) -> str:
    """Check the count of trainable parameters of a Dense(classes) head on ``features`` inputs."""
    expect(isinstance(answer, (int, np.integer)) and not isinstance(answer, bool),
           f"give a whole number, got {answer!r}.")
    want = features * classes + classes
    expect(int(answer) != features * classes,
           f"{answer} counts the weights only: each of the {classes} units also has a bias.")
    expect_equal(int(answer), want, what="your count")
    return f"{features}·{classes} + {classes} = {want:,d}; everything else is frozen."


def _norm(value):
    return value.strip().lower() if isinstance(value, str) else value


@exercise(
    "last activation and loss",
    hints=[
        "decide what each task's output means: one class among several, one yes/no probability, or any real number.",
        "classes → softmax; one probability → sigmoid; a real number → no activation (linear).",
        "integer labels need the 'sparse_' loss, one-hot labels the plain one; a real number takes mse or mae.",
    ],
)
def last_layer(answer: dict) -> str:
    """Check a dict {task: (last activation, loss name)} for the tasks in ``TASKS``."""
    expect(isinstance(answer, dict), f"give a dict {{task: (activation, loss)}}, got {type(answer).__name__}.")
    missing = [t for t in TASKS if t not in answer]
    expect(not missing, f"no answer for {missing}; the keys are ch07.TASKS.")
    for task in TASKS:
        pair = answer[task]
        expect(isinstance(pair, (tuple, list)) and len(pair) == 2,
               f"for {task!r} give a pair (activation, loss), got {pair!r}.")
        activation, loss = (_norm(v) for v in pair)
        expect(activation in _ACTIVATIONS[task],
               f"for {task!r} the last activation {pair[0]!r} does not fit.")
        expect(loss in _LOSSES[task], f"for {task!r} the loss {pair[1]!r} does not fit.")
    return "softmax + (sparse_)categorical_crossentropy, sigmoid + binary_crossentropy, linear + mse."


def _tiny_model() -> keras.Model:
    from dlcourse._tf import keras  # here, not at the top: dlcourse.check imports without TensorFlow

    keras.utils.set_random_seed(0)
    return keras.Sequential([
        keras.Input(shape=(6,)),
        keras.layers.Dense(5, activation="relu", name="d1"),
        keras.layers.Dropout(0.1, name="drop"),
        keras.layers.Dense(4, activation="relu", name="d2"),
        keras.layers.Dense(3, activation="relu", name="d3"),
        keras.layers.Dense(2, activation="softmax", name="d4"),
    ])


@exercise(
    "freeze_all_but_last(model, n)",
    hints=[
        "only layers that own weights count, and a frozen model hides every layer's weights.",
        "make the model trainable first, then decide layer by layer among the layers that have weights.",
        "set model.trainable = True, then each weighted layer's .trainable to True only for the last n of them.",
    ],
)
def freeze_all_but_last(fn: Callable[[keras.Model, int], object]) -> str:
    """Check a function that leaves only the last ``n`` layers with weights trainable."""
    sizes = {"d1": 6 * 5 + 5, "d2": 5 * 4 + 4, "d3": 4 * 3 + 3, "d4": 3 * 2 + 2}
    order = ["d1", "d2", "d3", "d4"]
    for n in (2, 0, 4, 1):
        model = _tiny_model()
        model.trainable = False  # as after a first, fully frozen phase
        fn(model, n)
        expect(model.trainable or n == 0,
               f"after fn(model, {n}) the model itself is still frozen (model.trainable is False), "
               "so none of its layers trains whatever their own flags say.")
        trainable = sorted(layer.name for layer in model.layers if layer.trainable_weights)
        want = sorted(order[len(order) - n:])
        expect_equal(trainable, want, what=f"the layers that train after fn(model, {n})")
        count = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
        expect_equal(count, sum(sizes[k] for k in want),
                     what=f"the number of trainable parameters after fn(model, {n})")
    return "only the last n layers with weights train, even on a model frozen before."


hint, solution, reference = help_for(__name__)
