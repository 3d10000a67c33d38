"""Exercise checks for lesson 07 (saving, transfer learning and the training checklist).

The Keras models built here are tiny (a few Dense units, or one small convolution) so
that every check, and every reference answer, runs in well under two seconds.
TensorFlow is imported inside the functions that need it: ``dlcourse.check`` itself
imports without it.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from dlcourse.check import Fail, exercise, expect, expect_equal, help_for

if TYPE_CHECKING:
    from dlcourse._tf import keras

__all__ = ["CAUSES", "SITUATIONS", "STRATEGIES", "TASKS", "fix_the_model", "freeze_all_but_last", "last_layer",
           "one_batch_diagnosis", "one_batch_test", "suspects", "trainable_parameters", "transfer_strategy"]


def _whole(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


# ---------------------------------------------------------------------------------------
# Exercise 1: how many parameters train, before and during fine-tuning
# ---------------------------------------------------------------------------------------

# The exercise asks about the full profile's network, filters = 32, whatever profile runs:
# a smoke run builds a smaller one, and the answer must not depend on it.
COUNT_FILTERS = 32
COUNT_CLASSES = 5


def _trainable_parameters_solution(filters: int = 32, classes: int = 5) -> tuple[int, int]:
    """(a) the new head alone, (b) the head and block2_conv, for plain_cnn cut after flatten (filters = 32)."""
    # 28×28 → two 2×2 poolings → 7×7; block 2 has 2·filters channels.
    features = 7 * 7 * (2 * filters)
    head = features * classes + classes  # one weight per input and unit, one bias per unit
    # block2_conv: 2·filters filters, each 3×3 over block 1's `filters` channels, plus a bias
    block2 = (3 * 3 * filters) * (2 * filters) + 2 * filters
    return head, head + block2


def _head_mistakes(head: int, filters: int, classes: int) -> dict[int, str]:
    """Counts of the head that come from a typical slip, and what to say about each."""
    f2 = 2 * filters
    say_pool = "each of the two 2×2 poolings halves the side (28 → 14 → 7); 'same' convolutions keep it."
    return {
        49 * f2 * classes: f"(a) {49 * f2 * classes:,d} counts the weights only: each of the {classes} units "
                           "also has a bias.",
        49 * filters * classes + classes: "(a) uses the channels of block 1: the flatten layer sees the output of "
                                          "block 2, which has twice as many.",
        196 * f2 * classes + classes: say_pool,
        784 * f2 * classes + classes: say_pool,
        49 * f2 * 128 + 128 + 128 * classes + classes: "(a) counts the old `features` layer too: the cut after "
                                                       "`flatten` removed it; the head sits on the flattened map.",
    }


def _block2_mistakes(head: int, filters: int) -> dict[int, str]:
    """Counts (b) that come from a typical slip, given a right head count."""
    f2 = 2 * filters
    block2 = 9 * filters * f2 + f2
    return {
        block2: "(b) counts block2_conv alone: the head goes on training during fine-tuning.",
        head + 9 * filters * f2: "(b) forgets block2_conv's biases: one per filter.",
        head + 9 * f2 * f2 + f2: "(b) gives block2_conv as many input channels as output channels: its input is "
                                 "block 1's output, with `filters` channels.",
        head + 9 * f2 + f2: "(b) gives each 3×3 filter of block2_conv one input channel: a filter spans all the "
                            "channels of its input.",
        head + block2 + 9 * filters + filters: "(b) opens block 1 too: `unfreeze_top(base, 1)` opens only the last "
                                               "layer that has weights.",
    }


@exercise(
    "what trains, in numbers",
    hints=[
        "a Dense or Conv2D layer has one weight per input connection of each unit or filter, and one bias per unit or "
        "filter; pooling and flattening have none. Follow one image's shape through the base to know how many numbers "
        "reach the head.",
        "28×28×1 → 28×28×32 ('same' padding) → 14×14×32 → 14×14×64 → 7×7×64: the head sees F = 7·7·64 numbers "
        "per image.",
        "(a) F·5 weights + 5 biases. (b) adds block2_conv: 64 filters, each with 3·3·32 weights and "
        "one bias.",
    ],
    solution=_trainable_parameters_solution,
    kind="value",
)
def trainable_parameters(answer: tuple[int, int]) -> str:
    """Check (a) the head's and (b) the head + block2_conv's parameter counts of section 2's model, filters = 32."""
    filters, classes = COUNT_FILTERS, COUNT_CLASSES
    expect(isinstance(answer, (tuple, list)) and len(answer) == 2 and all(_whole(v) for v in answer),
           f"give a pair of whole numbers (head alone, head with block2_conv), got {answer!r}.")
    got_head, got_both = (int(v) for v in answer)
    head, both = _trainable_parameters_solution(filters, classes)
    expect(not (got_head == both and got_both == head), "the two counts are swapped: (a) is the head alone.")
    other = [f for f in (8, 16, 32, 64) if f != filters and (got_head, got_both) == _trainable_parameters_solution(
        f, classes)]
    expect(not other, f"these are the counts for filters = {other[0] if other else 0}; the exercise asks about "
                      f"filters = {filters}, the full profile's network, whatever profile this run uses.")
    if got_head != head:
        expect(got_head != both, "(a) is before fine-tuning: only the new head trains then.")
        raise Fail(_head_mistakes(head, filters, classes).get(
            got_head, f"(a) is {got_head:,d}; it should be the head's count for filters = {filters}."))
    if got_both != both:
        raise Fail(_block2_mistakes(head, filters).get(
            got_both, f"(a) is right; (b) is {got_both:,d}: add block2_conv's weights and biases to the head."))
    return (f"with filters = {filters} the head trains {head:,d} parameters and block2_conv adds {both - head:,d}; "
            "`transfer.count_params` reports the same.")


# ---------------------------------------------------------------------------------------
# Exercise 2: freeze all but the last n layers with weights
# ---------------------------------------------------------------------------------------

def _freeze_all_but_last_solution(model: keras.Model, n: int) -> keras.Model:
    """Leave only the last n layers that own weights trainable; BatchNormalization stays frozen."""
    from dlcourse._tf import keras  # in a notebook: import keras

    model.trainable = True  # a frozen model hides every layer's weights, whatever their own flags
    with_weights = [layer for layer in model.layers if layer.weights]
    opened = with_weights[len(with_weights) - n:]  # not [-n:], which is the whole list for n = 0
    for layer in model.layers:
        is_batchnorm = isinstance(layer, keras.layers.BatchNormalization)
        layer.trainable = layer in opened and not is_batchnorm
    return model


_WEIGHTED = ["d1", "bn", "d2", "d3"]  # the layers of _tiny_model that own weights, in order
_SIZES = {"d1": 6 * 5 + 5, "bn": 2 * 5, "d2": 5 * 4 + 4, "d3": 4 * 3 + 3}  # trainable parameters of each


def _tiny_model() -> keras.Model:
    from dlcourse._tf import keras  # here, not at the top: dlcourse.check imports without TensorFlow

    return keras.Sequential([
        keras.Input(shape=(6,)),
        keras.layers.Dense(5, activation="relu", name="d1"),
        keras.layers.BatchNormalization(name="bn"),
        keras.layers.Dropout(0.1, name="drop"),
        keras.layers.Dense(4, activation="relu", name="d2"),
        keras.layers.Dense(3, activation="softmax", name="d3"),
    ], name="tiny")


def _expected_open(n: int) -> list[str]:
    return [name for name in _WEIGHTED[len(_WEIGHTED) - n:] if name != "bn"]


def _training_layers(model: keras.Model) -> list[str]:
    """The layers whose weights the optimizer would update (none when the model itself is frozen)."""
    return [layer.name for layer in model.layers if layer.trainable_weights] if model.trainable_weights else []


def _freeze_verdict(got: list[str], n: int, start: str) -> str:
    """Name the slip behind a wrong set of training layers after fn(model, n)."""
    want = _expected_open(n)
    call = f"after fn(model, {n}) on a model {start}"
    if n == 0 and got:
        return f"{call}, {got} train, but n = 0 opens nothing: a slice from -0 is the whole list."
    if "bn" in got and [name for name in got if name != "bn"] == want:
        return (f"{call}, the BatchNormalization layer trains: keep it frozen, so that a few small batches do not "
                "replace the statistics it learned on the large data set.")
    every = ["d1", "bn", "drop", "d2", "d3"][5 - n:] if n else []  # counting every layer, Dropout included
    if sorted(got) == sorted(name for name in every if name in _WEIGHTED and name != "bn"):
        return f"{call}, {got} train, expected {want}: a layer without weights (Dropout) is counted among the n."
    extra = [name for name in got if name not in want]
    if extra and all(name in got for name in want):
        return f"{call}, {extra} train as well: freeze every layer that is not among the last n, explicitly."
    return f"{call}, the layers that train are {got}, expected {want}."


@exercise(
    "freeze_all_but_last(model, n)",
    hints=[
        "only layers that own weights count, a batch-normalisation layer counts but stays frozen, and a frozen model "
        "hides every layer's weights.",
        "make the model trainable first, list the layers that have weights, then set every layer's flag: open only "
        "the last n of that list, and never a BatchNormalization layer.",
        "model.trainable = True; with_weights = [l for l in model.layers if l.weights]; "
        "opened = with_weights[len(with_weights) - n:]; then for each layer: "
        "layer.trainable = layer in opened and not isinstance(layer, keras.layers.BatchNormalization).",
    ],
    solution=_freeze_all_but_last_solution,
    shows=("transfer.unfreeze_top",),
)
def freeze_all_but_last(fn: Callable[[keras.Model, int], object]) -> str:
    """Check a function that leaves only the last ``n`` layers with weights trainable (BN frozen)."""
    frozen, fresh = "that was frozen whole", "fresh from its constructor"
    for n, start in ((2, frozen), (0, frozen), (4, frozen), (3, fresh), (1, fresh)):
        model = _tiny_model()
        if start == frozen:
            model.trainable = False  # as after a first, fully frozen phase
        fn(model, n)
        if n and not model.trainable:
            raise Fail(f"after fn(model, {n}) the model itself is still frozen (model.trainable is False), "
                       "so none of its layers trains whatever their own flags say.")
        got = _training_layers(model)
        if got != _expected_open(n):
            raise Fail(_freeze_verdict(got, n, start))
        count = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
        expect_equal(count, sum(_SIZES[k] for k in _expected_open(n)),
                     what=f"the number of trainable parameters after fn(model, {n})")
    # Used twice on one model, as when fine-tuning opens more and more of a base.
    model = _tiny_model()
    fn(model, 4)
    fn(model, 1)
    got = _training_layers(model)
    expect(got == ["d3"], f"fn(model, 4) then fn(model, 1) on one model leaves {got} training, expected ['d3']: "
                          "the second call must close what the first one opened.")
    return "only the last n layers with weights train (BatchNormalization stays frozen), from any starting state."


# ---------------------------------------------------------------------------------------
# Exercise 3: the one-batch test
# ---------------------------------------------------------------------------------------

def _one_batch_test_solution(model: keras.Model, x: np.ndarray, y: np.ndarray,
                             steps: int = 100) -> tuple[float, float, float]:
    """Train a compiled model on one batch for ``steps`` steps; return (first loss, final loss, final accuracy)."""
    # The first step reports the loss of the weights it starts from, before its update.
    first = model.train_on_batch(x, y, return_dict=True)
    for _ in range(steps - 1):
        model.train_on_batch(x, y)
    # Evaluate once more: the last step reported the loss from before its own update.
    final = model.evaluate(x, y, batch_size=len(x), verbose=0, return_dict=True)
    return float(first["loss"]), float(final["loss"]), float(final["accuracy"])


def _one_batch_data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(17)
    x = rng.normal(size=(12, 4)).astype("float32")
    return x, rng.integers(0, 3, size=12)


def _small_classifier(learning_rate: float = 0.05) -> keras.Model:
    from dlcourse._tf import keras

    keras.utils.set_random_seed(3)
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dense(3, activation="softmax")], name="small")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def _loss_and_accuracy(weights: list[np.ndarray], x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """The small classifier's cross-entropy and accuracy, in numpy, for the given weights."""
    w1, b1, w2, b2 = (np.asarray(w, dtype=float) for w in weights)
    scores = np.maximum(x @ w1 + b1, 0.0) @ w2 + b2
    probs = np.exp(scores - scores.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    picked = np.clip(probs[np.arange(len(y)), y], 1e-7, 1.0)
    return float(-np.log(picked).mean()), float(np.mean(probs.argmax(axis=1) == y))


def _three_numbers(result: Any) -> tuple[float, float, float]:
    expect(result is not None, "the function returned None: return (first_loss, final_loss, final_accuracy).")
    expect(isinstance(result, (tuple, list)) and len(result) == 3,
           f"return a tuple (first_loss, final_loss, final_accuracy), got {type(result).__name__}.")
    try:
        numbers = tuple(float(v) for v in result)
    except (TypeError, ValueError):
        raise Fail("return three numbers (first_loss, final_loss, final_accuracy), got "
                   f"{[type(v).__name__ for v in result]}.") from None
    return numbers  # type: ignore[return-value]


@exercise(
    "one_batch_test(model, x, y, steps)",
    hints=[
        "train the compiled model on the same small batch again and again, and compare the loss of the weights it "
        "starts from with the loss and accuracy of the weights it ends with. The test must not change how the model "
        "was compiled: a bad learning rate is one of the bugs it looks for.",
        "each call of the model's train_on_batch takes one optimizer step on (x, y) and reports the loss of the "
        "weights before that step; evaluate measures the weights as they are now.",
        "first = model.train_on_batch(x, y, return_dict=True); then steps − 1 more train_on_batch calls; then "
        "final = model.evaluate(x, y, batch_size=len(x), verbose=0, return_dict=True); return first['loss'], "
        "final['loss'], final['accuracy'].",
    ],
    solution=_one_batch_test_solution,
    shows=("checklist.overfit_one_batch",),
)
def one_batch_test(fn: Callable[..., tuple[float, float, float]]) -> str:
    """Check a one-batch test on a small classifier whose losses are recomputed in numpy."""
    x, y = _one_batch_data()
    model = _small_classifier()
    optimizer, start = model.optimizer, model.get_weights()
    steps = 40
    first, final, accuracy = _three_numbers(fn(model, x.copy(), y.copy(), steps=steps))
    expect(model.optimizer is optimizer,
           "your test compiled the model again: it must train the model as it was compiled, or it would hide "
           "a learning rate far off, one of the bugs it is there to find.")
    took = int(model.optimizer.iterations)
    expect(took != 0, "the model's weights never changed: the test must train it on (x, y).")
    if took != steps:
        why = {100: "is the `steps` argument used?", steps + 1: "one too many: the step that reports the first loss "
               "is one of the steps.", steps - 1: "one too few: if the first loss came from a call that takes no "
               "step, all the steps are still to come."}
        raise Fail(f"the optimizer took {took} steps, expected {steps}; {why.get(took, 'count them again.')}")
    want_first, _ = _loss_and_accuracy(start, x, y)
    want_final, want_accuracy = _loss_and_accuracy(model.get_weights(), x, y)
    expect(abs(first - want_first) <= 1e-3 * want_first,
           f"first_loss is {first:.4g}; the loss of the starting weights is {want_first:.4g}"
           + (": it was measured after training." if abs(first - want_final) < abs(first - want_first) else "."))
    # The last step's own report is the loss before its update: close to, not exactly, the final loss.
    expect(abs(final - want_final) <= 0.25 * want_final + 1e-3,
           f"final_loss is {final:.4g}; the trained weights have a loss of {want_final:.4g} on the batch"
           + (": it is the loss from before training." if abs(final - want_first) < 1e-3 * want_first else "."))
    expect(abs(accuracy - want_accuracy) <= 1 / len(x) + 1e-6,
           f"final_accuracy is {accuracy:.3f}; the trained weights classify {want_accuracy:.3f} of the batch right.")
    expect(want_accuracy == 1.0, "after your test the model has not memorised the 12 examples, which it does "
                                 f"in {steps} steps when trained on them: is it trained on (x, y) each step?")
    return f"loss {first:.3f} → {final:.4f}, accuracy {accuracy:.2f} after {steps} steps on one batch."


# ---------------------------------------------------------------------------------------
# Exercise 4: choose a transfer strategy
# ---------------------------------------------------------------------------------------

STRATEGIES = {
    "new head": "freeze the whole base, train only a new head",
    "cut lower": "keep only the early layers of the base, freeze them, train a new head on top",
    "fine-tune top": "train a new head, then fine-tune the top blocks of the base with a low learning rate",
    "fine-tune all": "fine-tune most or all of the base with a low learning rate (or train from scratch)",
}
SITUATIONS = {
    "A": "1,200 photos of 12 dog breeds (100 per breed); the base was trained on ImageNet, whose photos include "
         "over a hundred dog breeds",
    "B": "800 chest X-rays, labelled healthy or pneumonia; the base was trained on ImageNet's photos",
    "C": "120,000 shop photos of 40 kinds of furniture (3,000 per kind); the base was trained on ImageNet's photos, "
         "chairs, tables and sofas among them",
    "D": "90,000 spectrograms (pictures of sound: time across, pitch up) of 30 bird species; the base was trained "
         "on ImageNet's photos",
}
# Each strategy fits one cell of the chapter's table: (much data?, similar data?).
_QUADRANT = {"new head": (False, True), "cut lower": (False, False), "fine-tune top": (True, True),
             "fine-tune all": (True, False)}


# What a strategy assumes about the images, said when that assumption is wrong.
_SIMILARITY_SLIP = {
    "new head": "keeps the whole base, its task-specific top layers included, which pays only when the images look "
                "like the base's: do they?",
    "fine-tune top": "keeps the lower blocks of the base as they are and builds on its top ones, which pays only when "
                     "the images look like the base's: do they?",
    "cut lower": "throws the later layers away, as for images unlike the base's: do these look so unlike ImageNet's "
                 "photos?",
    "fine-tune all": "adapts even the early, general layers, as for images unlike the base's: do these look so "
                     "unlike ImageNet's photos?",
}


def _transfer_strategy_solution() -> dict[str, str]:
    """For each situation: how much data, how similar to ImageNet, and the table's cell."""
    much_data = {"A": False, "B": False, "C": True, "D": True}  # 100 and 800 images vs thousands per class
    similar = {"A": True, "B": False, "C": True, "D": False}  # X-rays and spectrograms look like no photo
    by_cell = {cell: strategy for strategy, cell in _QUADRANT.items()}
    return {s: by_cell[(much_data[s], similar[s])] for s in SITUATIONS}


@exercise(
    "a transfer strategy for four data situations",
    hints=[
        "for each situation ask the chapter's two questions: is there little or much data per class, and do the "
        "images look like the ones the base learned from? The answers pick one cell of the table.",
        "a hundred images per class is little and thousands are much; dogs and furniture are among ImageNet's "
        "photos, grey X-rays and pictures of sound are not.",
        "little and similar: a new head; little and different: cut lower; much and similar: fine-tune the top; much "
        "and different: fine-tune all.",
    ],
    solution=_transfer_strategy_solution,
    kind="value",
)
def transfer_strategy(answer: dict[str, str]) -> str:
    """Check a dict {situation letter: strategy name} against the chapter's four cases."""
    expect(isinstance(answer, dict), f"give a dict {{situation: strategy}}, got {type(answer).__name__}.")
    missing = [s for s in SITUATIONS if s not in answer]
    expect(not missing, f"no strategy for {missing}; the keys are the letters of ch07.SITUATIONS.")
    right = _transfer_strategy_solution()
    for s in SITUATIONS:
        choice = answer[s].strip().lower() if isinstance(answer[s], str) else answer[s]
        expect(isinstance(choice, str) and choice in STRATEGIES,
               f"for {s}, {answer[s]!r} is not one of ch07.STRATEGIES: {list(STRATEGIES)}.")
        if choice == right[s]:
            continue
        (much, similar), (is_much, is_similar) = _QUADRANT[choice], _QUADRANT[right[s]]
        why = []
        if much != is_much:
            why.append("trains many weights, which overfits on little data: how many images per class are there?"
                       if much else "trains few weights, as for little data: with thousands of images per class, "
                       "more of the base can adapt.")
        if similar != is_similar:
            why.append(_SIMILARITY_SLIP[choice])
        raise Fail(f"for {s}, {choice!r} " + "; and it ".join(why))
    return "little data: few weights train; different data: fewer task-specific layers are worth keeping."


# ---------------------------------------------------------------------------------------
# Exercise 5: the last activation and the loss
# ---------------------------------------------------------------------------------------

# The tasks, in the words the lesson uses.
TASKS = (
    "ten classes, integer labels",
    "ten classes, one-hot labels",
    "yes/no with one output unit",
    "a price (a real number)",
    "five tags per photo, any number of which may apply",
    "yes/no with one output unit, the loss written BinaryCrossentropy(from_logits=True)",
    "the fraction of a photo covered by sky, between 0 and 1",
)

_REAL_LOSSES = {"mse", "mean_squared_error", "mae", "mean_absolute_error", "huber"}

_ACTIVATIONS = {
    TASKS[0]: {"softmax"},
    TASKS[1]: {"softmax"},
    TASKS[2]: {"sigmoid"},
    TASKS[3]: {"linear", None, "none"},
    TASKS[4]: {"sigmoid"},
    TASKS[5]: {"linear", None, "none"},
    TASKS[6]: {"sigmoid"},
}
_LOSSES = {
    TASKS[0]: {"sparse_categorical_crossentropy"},
    TASKS[1]: {"categorical_crossentropy"},
    TASKS[2]: {"binary_crossentropy"},
    TASKS[3]: _REAL_LOSSES,
    TASKS[4]: {"binary_crossentropy"},
    TASKS[5]: {"binary_crossentropy"},
    # A fraction is a real number (error losses), and also a soft yes/no target, which the
    # cross-entropy of a sigmoid accepts.
    TASKS[6]: _REAL_LOSSES | {"binary_crossentropy"},
}


def _last_layer_solution() -> dict[str, tuple[str, str]]:
    """The last activation and the loss for each of ch07.TASKS."""
    return {
        TASKS[0]: ("softmax", "sparse_categorical_crossentropy"),  # integer labels: the sparse loss
        TASKS[1]: ("softmax", "categorical_crossentropy"),  # one-hot labels: the plain one
        TASKS[2]: ("sigmoid", "binary_crossentropy"),  # one unit: the probability of "yes"
        TASKS[3]: ("linear", "mse"),  # any real number: no squashing
        TASKS[4]: ("sigmoid", "binary_crossentropy"),  # five independent yes/no answers
        TASKS[5]: ("linear", "binary_crossentropy"),  # from_logits=True: the loss applies the sigmoid itself
        TASKS[6]: ("sigmoid", "mse"),  # a real number, but only in (0, 1): the sigmoid's range
    }


def _norm(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


def _last_layer_slip(task: str, activation: Any, loss: Any) -> str:
    """What is wrong with (activation, loss) for ``task``, in one sentence."""
    if task == TASKS[0] and loss == "categorical_crossentropy":
        return "integer labels, one class index per image, need the sparse_ loss; the plain one expects one-hot rows."
    if task == TASKS[1] and loss == "sparse_categorical_crossentropy":
        return "one-hot labels, one row of ten per image, need categorical_crossentropy; the sparse_ loss expects " \
               "one class index per image."
    if task == TASKS[2] and activation == "softmax":
        return "a softmax over one unit is 1 whatever its input: one yes/no probability needs a sigmoid."
    if task in (TASKS[5], TASKS[6]) and activation == "softmax":
        return "a softmax over one unit is 1 whatever its input, so this output could never change."
    if task == TASKS[5] and activation == "sigmoid":
        return "from_logits=True tells the loss that the outputs are logits, and it applies the sigmoid itself; " \
               "a sigmoid in the last layer would be applied twice: leave the last layer linear."
    if task == TASKS[5] and activation not in _ACTIVATIONS[task]:
        return f"from_logits=True means the loss takes raw outputs (logits) and squashes them itself; {activation!r} " \
               "changes them first: leave the last layer linear."
    if task == TASKS[5]:
        return f"one yes/no unit takes binary_crossentropy (here with from_logits=True), not {loss!r}."
    if task == TASKS[6] and activation in ("linear", None, "none"):
        return "a linear output can fall below 0 or rise above 1, which a fraction cannot: pick the activation " \
               "whose outputs always lie between 0 and 1."
    if task == TASKS[6] and activation == "relu":
        return "a ReLU keeps the output above 0 but not below 1: pick the activation whose outputs always lie " \
               "between 0 and 1."
    if task == TASKS[6] and activation in _ACTIVATIONS[task]:
        return f"a fraction is compared with its target by its error (mse or mae), or by binary_crossentropy, " \
               f"which accepts targets between 0 and 1; {loss!r} expects class labels."
    if task == TASKS[4] and (activation == "softmax" or loss in _LOSSES[TASKS[0]] | _LOSSES[TASKS[1]]):
        return "a softmax makes the five tags compete for one unit of probability, so two tags could not both be " \
               "likely: each tag is its own yes/no question."
    if task == TASKS[3] and activation not in _ACTIVATIONS[task]:
        return f"a price can be any real number, and {activation!r} limits the output's range: leave the last " \
               "layer linear."
    if task == TASKS[3]:
        return f"{loss!r} compares probabilities or classes; a price is compared by its error: mse or mae."
    if activation not in _ACTIVATIONS[task]:
        return f"the last activation {activation!r} does not give what the loss expects."
    return f"the loss {loss!r} does not fit."


@exercise(
    "last activation and loss",
    hints=[
        "decide what each task's output means: one class among several, one yes/no probability, several "
        "independent yes/no probabilities, any real number, or a real number within a range; then how the labels "
        "are written, and whether the loss applies the last activation for you.",
        "classes → softmax; yes/no probabilities, one or several → sigmoid; any real number → no activation "
        "(linear); a number that must stay between 0 and 1 → the activation whose outputs do. A loss with "
        "from_logits=True squashes the outputs itself, so the last layer stays linear.",
        "integer labels need the 'sparse_' loss, one-hot labels the plain one; sigmoid outputs (or logits of "
        "yes/no answers) take binary_crossentropy; a real number takes mse or mae; the sky's fraction is "
        "sigmoid with mse.",
    ],
    solution=_last_layer_solution,
    kind="value",
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
        expect(all(v is None or isinstance(v, str) for v in pair),
               f"for {task!r} give the two Keras names as strings, got {pair!r}.")
        activation, loss = (_norm(v) for v in pair)
        if activation not in _ACTIVATIONS[task] or loss not in _LOSSES[task]:
            raise Fail(f"for {task!r}: {_last_layer_slip(task, activation, loss)}")
    return ("softmax + (sparse_)categorical_crossentropy, sigmoid + binary_crossentropy, linear + mse; with "
            "from_logits=True the last layer stays linear, and a sigmoid keeps a fraction between 0 and 1.")


# ---------------------------------------------------------------------------------------
# Exercise 6: fix a broken model from its error messages
# ---------------------------------------------------------------------------------------

def _fix_the_model_solution() -> keras.Model:
    """The lesson's broken_model with its three bugs fixed."""
    from dlcourse._tf import keras  # in a notebook: import keras

    model = keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        keras.layers.Conv2D(8, 3, activation="relu"),
        keras.layers.MaxPooling2D(2),
        keras.layers.Flatten(),  # bug 1: without it, Dense predicts once per position of the 13×13 map
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),  # bug 3: one class of ten is a softmax, not a sigmoid
    ])
    # bug 2: the labels are integers, one per image, so the loss is the sparse one
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def _last_activation(model: keras.Model) -> str:
    """The name of the activation the model's output goes through last."""
    layer = model.layers[-1]
    if type(layer).__name__ == "Softmax":
        return "softmax"
    activation = getattr(layer, "activation", None)
    return getattr(activation, "__name__", str(activation))


def _loss_name_and_logits(loss: Any) -> tuple[str, bool]:
    if isinstance(loss, str):
        return loss.strip().lower(), False
    config = loss.get_config() if hasattr(loss, "get_config") else {}
    name = config.get("name") or getattr(loss, "name", None) or getattr(loss, "__name__", repr(loss))
    return str(name), bool(config.get("from_logits", False))


@exercise(
    "fix broken_model from its error messages",
    hints=[
        "fix one error at a time: read the one line the error prints, find which layer or setting it is about, fix "
        "that, and train again. The data stays as it is: images of 28×28×1 and one integer label per image. Once it "
        "trains, check the last layer against the checklist's table: one bug raises no error.",
        "the first error compares the labels' shape with the output's: `model.summary()` shows which layer keeps the "
        "13×13 positions; the second is about labels and loss (integer or one-hot?); the silent one is the last "
        "activation for one class among ten.",
        "add keras.layers.Flatten() after the pooling, compile with loss='sparse_categorical_crossentropy', and give "
        "the last Dense(10) activation='softmax'.",
    ],
    solution=_fix_the_model_solution,
)
def fix_the_model(fn: Callable[[], keras.Model]) -> str:
    """Check that ``fn()`` returns broken_model fixed: right output shape, loss and last activation, and it trains."""
    from dlcourse import checklist
    from dlcourse._tf import keras

    model = fn()
    expect(model is not None, "fixed_model() returned None: return the model.")
    expect(isinstance(model, keras.Model), f"fixed_model() should return a Keras model, got {type(model).__name__}.")
    expect(any(isinstance(layer, keras.layers.Conv2D) for layer in model.layers),
           "the model has no Conv2D layer any more: fix broken_model's bugs, keep its convolution.")
    expect(getattr(model, "optimizer", None) is not None and getattr(model, "loss", None) is not None,
           "compile the model (optimizer and loss) before returning it.")
    shape = tuple(model.output_shape)
    expect(len(shape) != 4, f"the output has shape {shape}: one prediction per position of the feature map, where "
                            "one per image was meant; the Dense layers need a flat vector per image.")
    expect_equal(shape, (None, 10), what="the output shape")
    loss, logits = _loss_name_and_logits(model.loss)
    expect(loss != "categorical_crossentropy",
           "the loss categorical_crossentropy expects one-hot labels of shape (N, 10); the labels here are one "
           "integer per image.")
    expect(loss == "sparse_categorical_crossentropy",
           f"the loss {loss!r} does not compare ten class probabilities with integer labels.")
    last = _last_activation(model)
    if logits:
        expect(last == "linear", f"the loss has from_logits=True and the last layer applies {last!r}: the loss "
                                 "would squash the outputs a second time; leave the last layer linear then.")
    else:
        expect(last != "sigmoid", "the model trains, but the last layer's sigmoid gives ten independent yes/no "
                                  "probabilities: one class among ten needs outputs that compete and sum to 1.")
        expect(last == "softmax", f"the last activation is {last!r}: the loss expects class probabilities.")
    rng = np.random.default_rng(5)
    x = rng.random((8, 28, 28, 1), dtype=np.float32)
    y = rng.integers(0, 10, size=8)
    try:
        history = model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    except Exception as err:  # the learner reads the same one line the lesson prints
        raise Fail(f"training still fails: {checklist.short_error(err)}") from None
    expect(np.isfinite(history.history["loss"][-1]), "the loss is not a number after one step.")
    return "a flat vector per image, ten softmax probabilities, and the sparse loss for integer labels."


# ---------------------------------------------------------------------------------------
# Exercise 7 (experiment): diagnose four models with the one-batch test
# ---------------------------------------------------------------------------------------

CAUSES = (
    "no bug",
    "frozen layers",
    "learning rate far too high",
    "learning rate far too low",
    "one output unit with softmax",
)
_TRUE_CAUSES = {"A": "frozen layers", "B": "no bug", "C": "learning rate far too low",
                "D": "one output unit with softmax"}


def suspects() -> dict[str, tuple[keras.Model, np.ndarray, np.ndarray]]:
    """Four compiled models, each with its own batch: {name: (model, x, y)}. New models at every call."""
    from dlcourse._tf import keras

    rng = np.random.default_rng(11)
    x = rng.normal(size=(16, 6)).astype("float32")
    classes = np.argmax(x @ rng.normal(size=(6, 3)), axis=1)  # three classes a small network can learn
    yes_no = (x[:, 0] + x[:, 1] > 0).astype("float32")

    def build(name: str, units: int, activation: str, loss: str, learning_rate: float,
              frozen: bool = False) -> keras.Model:
        keras.utils.set_random_seed(len(name) + ord(name[-1]))
        model = keras.Sequential([keras.Input(shape=(6,)), keras.layers.Dense(16, activation="relu"),
                                  keras.layers.Dense(units, activation=activation)], name=name)
        model.trainable = not frozen
        model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=loss, metrics=["accuracy"])
        return model

    sparse = "sparse_categorical_crossentropy"
    return {
        "A": (build("suspect_a", 3, "softmax", sparse, 0.02, frozen=True), x, classes),
        "B": (build("suspect_b", 3, "softmax", sparse, 0.02), x, classes),
        "C": (build("suspect_c", 3, "softmax", sparse, 1e-6), x, classes),
        "D": (build("suspect_d", 1, "softmax", "binary_crossentropy", 0.02), x, yes_no),
    }


def _one_batch_diagnosis_solution() -> dict[str, str]:
    """Train each suspect on its batch, then look closer at the ones that do not memorise it."""
    from dlcourse import transfer

    causes = {}
    for name, (model, x, y) in suspects().items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Keras warns about D's softmax and A's frozen weights; we look instead
            first = model.train_on_batch(x, y, return_dict=True)
            for _ in range(29):
                last = model.train_on_batch(x, y, return_dict=True)
        out = model.layers[-1]
        if last["accuracy"] == 1.0:
            causes[name] = "no bug"  # it memorised the batch
        elif not np.isfinite(last["loss"]) or last["loss"] > first["loss"]:
            causes[name] = "learning rate far too high"  # steps that overshoot, then overflow
        elif transfer.count_params(model).trainable == 0:
            causes[name] = "frozen layers"  # nothing can move the loss
        elif out.units == 1 and out.activation.__name__ == "softmax":
            causes[name] = "one output unit with softmax"  # the loss falls, the output stays 1
        else:
            causes[name] = "learning rate far too low"  # trainable, yet the loss hardly moves
    return causes


@exercise(
    "diagnose four models with the one-batch test",
    hints=[
        "run the one-batch test on each suspect first. A failed test only says that something is wrong: for each "
        "failure look at how far the loss moved, how many parameters can train, what the model outputs, and what "
        "Keras warned about.",
        "a loss that stays put comes from weights that cannot change or from steps far too small: count what can "
        "train, and read the learning rate. A loss that falls while the accuracy stays where it began means the "
        "predictions do not follow the loss: look at them. A loss that grows or turns nan comes from steps far too "
        "large.",
        "transfer.count_params(model) shows the trainable parameters; model.predict(x) shows the outputs; "
        "model.optimizer.learning_rate shows the step size; model.summary() shows the last layer.",
    ],
    solution=_one_batch_diagnosis_solution,
    kind="experiment",
)
def one_batch_diagnosis(answer: dict[str, str]) -> str:
    """Check a dict {suspect: cause} for the four models of ``suspects()``."""
    expect(isinstance(answer, dict), f"give a dict {{suspect: cause}}, got {type(answer).__name__}.")
    missing = [name for name in _TRUE_CAUSES if name not in answer]
    expect(not missing, f"no cause for {missing}; the keys are the letters of ch07.suspects().")
    clues = {
        "A": "its loss stays put; before blaming the step size, count how many of its parameters can train.",
        "B": "run the one-batch test on it: what is its verdict?",
        "C": "its loss stays put, yet it has parameters that can train: read its optimizer's learning rate.",
        "D": "its loss falls, yet its accuracy stays where it began: look at what it outputs on x, and at its last "
             "layer.",
    }
    for name, cause in _TRUE_CAUSES.items():
        said = _norm(answer[name])
        expect(said in CAUSES, f"for {name}, {answer[name]!r} is not one of ch07.CAUSES.")
        if said == "learning rate far too high" and said != cause:
            raise Fail(f"for {name}: no suspect's loss becomes nan or grows; {clues[name]}")
        expect(said == cause, f"for {name}: {clues[name]}")
    return "a failed one-batch test says that; the loss, the parameter count and the outputs say why."


hint, solution, reference = help_for(__name__)
