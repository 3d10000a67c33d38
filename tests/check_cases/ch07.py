"""Accept/reject cases for dlcourse.check.ch07 (see check_cases/__init__.py).

The wrong functions import Keras inside their bodies, through ``dlcourse._tf``, so that
collecting the cases does not import TensorFlow.
"""

from __future__ import annotations

from check_cases import Case, Wrong
from dlcourse.check import ch07

CASES: dict[str, Case] = {}


# --- what trains, in numbers (filters = 32: F = 3,136, head 15,685, block2_conv 18,496) -------------

HEAD, BLOCK2 = 3136 * 5 + 5, 9 * 32 * 64 + 64
CASES["trainable_parameters"] = Case(wrong=(
    Wrong((3136 * 5, 3136 * 5 + 9 * 32 * 64), "bias", "weights-without-biases"),
    Wrong((1568 * 5 + 5, 1568 * 5 + 5 + BLOCK2), "twice as many", "block-1-channels-at-the-flatten"),
    Wrong((12544 * 5 + 5, 12544 * 5 + 5 + BLOCK2), "halves the side", "one-pooling-only"),
    Wrong((HEAD, BLOCK2), "head goes on training", "fine-tuning-counts-block2-alone"),
    Wrong((HEAD, HEAD + 9 * 64 * 64 + 64), "input channels", "block2-input-channels-doubled"),
    Wrong((HEAD, HEAD + BLOCK2 + 9 * 32 + 32), "opens only the last", "block1-opened-too"),
    Wrong((HEAD + BLOCK2, HEAD), "swapped", "pair-swapped"),
    Wrong(HEAD, "give a pair", "a-single-number"),
    Wrong((49 * 16 * 5 + 5, 49 * 16 * 5 + 5 + 9 * 8 * 16 + 16), "filters = 8", "smoke-network-counts"),
))


# --- freeze_all_but_last ----------------------------------------------------------------------------

def _keras():
    from dlcourse._tf import keras

    return keras


def forgets_the_model_flag(model, n):
    with_weights = [layer for layer in model.layers if layer.weights]
    for layer in model.layers:
        layer.trainable = layer in with_weights[len(with_weights) - n:] and not isinstance(
            layer, _keras().layers.BatchNormalization)


def counts_every_layer(model, n):  # Dropout has no weights: counting it shifts the window
    model.trainable = True
    for i, layer in enumerate(model.layers):
        layer.trainable = i >= len(model.layers) - n and not isinstance(layer, _keras().layers.BatchNormalization)


def slices_from_minus_n(model, n):  # [-0:] is the whole list
    model.trainable = True
    opened = [layer for layer in model.layers if layer.weights][-n:]
    for layer in model.layers:
        layer.trainable = layer in opened and not isinstance(layer, _keras().layers.BatchNormalization)


def opens_batchnorm_too(model, n):
    model.trainable = True
    with_weights = [layer for layer in model.layers if layer.weights]
    for layer in model.layers:
        layer.trainable = layer in with_weights[len(with_weights) - n:]


def only_opens_the_last(model, n):  # never freezes the others: model.trainable = True opened them all
    model.trainable = True
    with_weights = [layer for layer in model.layers if layer.weights]
    for layer in with_weights[len(with_weights) - n:]:
        layer.trainable = not isinstance(layer, _keras().layers.BatchNormalization)


CASES["freeze_all_but_last"] = Case(wrong=(
    Wrong(forgets_the_model_flag, "still frozen", "model-flag-left-false"),
    Wrong(counts_every_layer, "Dropout", "counts-layers-without-weights"),
    Wrong(slices_from_minus_n, "-0", "slice-minus-zero"),
    Wrong(opens_batchnorm_too, "BatchNormalization layer trains", "batchnorm-opened"),
    Wrong(only_opens_the_last, "as well", "others-never-frozen"),
))


# --- one_batch_test ---------------------------------------------------------------------------------

def _report(model, x, y):
    final = model.evaluate(x, y, batch_size=len(x), verbose=0, return_dict=True)
    return final["loss"], final["accuracy"]


def compiles_again(model, x, y, steps=100):
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    first = model.train_on_batch(x, y, return_dict=True)["loss"]
    for _ in range(steps - 1):
        model.train_on_batch(x, y)
    return (first, *_report(model, x, y))


def ignores_steps(model, x, y, steps=100):
    first = model.train_on_batch(x, y, return_dict=True)["loss"]
    for _ in range(99):
        model.train_on_batch(x, y)
    return (first, *_report(model, x, y))


def one_step_too_many(model, x, y, steps=100):
    first = model.train_on_batch(x, y, return_dict=True)["loss"]
    for _ in range(steps):
        model.train_on_batch(x, y)
    return (first, *_report(model, x, y))


def first_loss_after_training(model, x, y, steps=100):
    for _ in range(steps):
        model.train_on_batch(x, y)
    loss, accuracy = _report(model, x, y)
    return loss, loss, accuracy


def final_loss_before_training(model, x, y, steps=100):
    first = model.train_on_batch(x, y, return_dict=True)
    for _ in range(steps - 1):
        model.train_on_batch(x, y)
    return first["loss"], first["loss"], _report(model, x, y)[1]


def final_accuracy_of_the_first_step(model, x, y, steps=100):
    first = model.train_on_batch(x, y, return_dict=True)
    for _ in range(steps - 1):
        model.train_on_batch(x, y)
    return first["loss"], _report(model, x, y)[0], first["accuracy"]


def never_trains(model, x, y, steps=100):
    loss, accuracy = _report(model, x, y)
    return loss, loss, accuracy


CASES["one_batch_test"] = Case(wrong=(
    Wrong(compiles_again, "compiled the model again", "recompiles-with-its-own-optimizer"),
    Wrong(ignores_steps, "argument used", "ignores-steps"),
    Wrong(one_step_too_many, "one too many", "one-step-too-many"),
    Wrong(first_loss_after_training, "measured after training", "first-loss-after-training"),
    Wrong(final_loss_before_training, "from before training", "final-loss-from-the-first-step"),
    Wrong(final_accuracy_of_the_first_step, "final_accuracy is", "accuracy-of-the-first-step"),
    Wrong(never_trains, "never changed", "evaluates-only"),
    Wrong(lambda model, x, y, steps=100: None, "returned None", "returns-nothing"),
))


# --- transfer_strategy ------------------------------------------------------------------------------

RIGHT_STRATEGY = {"A": "new head", "B": "cut lower", "C": "fine-tune top", "D": "fine-tune all"}
CASES["transfer_strategy"] = Case(wrong=(
    Wrong({**RIGHT_STRATEGY, "A": "fine-tune top"}, "overfits on little data", "fine-tunes-on-little-data"),
    Wrong({**RIGHT_STRATEGY, "B": "new head"}, "keeps the whole base", "x-rays-taken-as-similar"),
    Wrong({**RIGHT_STRATEGY, "C": "new head"}, "thousands of images per class", "much-data-taken-as-little"),
    Wrong({**RIGHT_STRATEGY, "D": "fine-tune top"}, "builds on its top ones", "spectrograms-taken-as-similar"),
    Wrong({**RIGHT_STRATEGY, "A": "cut lower"}, "throws the later layers away", "dogs-taken-as-different"),
    Wrong({**RIGHT_STRATEGY, "B": "freeze"}, "is not one of", "unknown-strategy"),
    Wrong({"A": "new head"}, "no strategy for", "missing-situations"),
))


# --- last_layer -------------------------------------------------------------------------------------

RIGHT_LAST = ch07.reference("last_layer")
T = ch07.TASKS
CASES["last_layer"] = Case(wrong=(
    Wrong({**RIGHT_LAST, T[0]: ("softmax", "categorical_crossentropy")}, "integer labels", "plain-loss-for-integers"),
    Wrong({**RIGHT_LAST, T[1]: ("softmax", "sparse_categorical_crossentropy")}, "one-hot labels",
          "sparse-loss-for-one-hot"),
    Wrong({**RIGHT_LAST, T[2]: ("softmax", "binary_crossentropy")}, "softmax over one unit", "softmax-on-one-unit"),
    Wrong({**RIGHT_LAST, T[3]: ("relu", "mse")}, "limits the output's range", "relu-for-a-price"),
    Wrong({**RIGHT_LAST, T[3]: ("linear", "binary_crossentropy")}, "mse or mae", "cross-entropy-for-a-price"),
    Wrong({**RIGHT_LAST, T[4]: ("softmax", "categorical_crossentropy")}, "compete", "softmax-for-multi-label"),
    Wrong({**RIGHT_LAST, T[5]: ("sigmoid", "binary_crossentropy")}, "applied twice", "sigmoid-with-from-logits"),
    Wrong({**RIGHT_LAST, T[5]: ("softmax", "binary_crossentropy")}, "softmax over one unit",
          "softmax-with-from-logits"),
    Wrong({**RIGHT_LAST, T[5]: ("linear", "mse")}, "binary_crossentropy", "mse-for-logits"),
    Wrong({**RIGHT_LAST, T[6]: ("linear", "mse")}, "below 0 or rise above 1", "linear-for-a-fraction"),
    Wrong({**RIGHT_LAST, T[6]: ("relu", "mse")}, "not below 1", "relu-for-a-fraction"),
    Wrong({**RIGHT_LAST, T[6]: ("sigmoid", "sparse_categorical_crossentropy")}, "expects class labels",
          "class-loss-for-a-fraction"),
    Wrong({}, "no answer", "empty"),
))


# --- fix_the_model ----------------------------------------------------------------------------------

def _conv_model(flatten=True, loss="sparse_categorical_crossentropy", last="softmax", compiled=True):
    keras = _keras()
    layers = [keras.Input(shape=(28, 28, 1)), keras.layers.Conv2D(8, 3, activation="relu"),
              keras.layers.MaxPooling2D(2)]
    layers += [keras.layers.Flatten()] if flatten else []
    model = keras.Sequential(layers + [keras.layers.Dense(32, activation="relu"),
                                       keras.layers.Dense(10, activation=last)])
    if compiled:
        model.compile(optimizer="adam", loss=loss)
    return model


def as_given():
    return _conv_model(flatten=False, loss="categorical_crossentropy", last="sigmoid")


def only_flatten_added():
    return _conv_model(loss="categorical_crossentropy", last="sigmoid")


def sigmoid_left():
    return _conv_model(last="sigmoid")


def softmax_and_from_logits():
    model = _conv_model(compiled=False)
    model.compile(optimizer="adam", loss=_keras().losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


def not_compiled():
    return _conv_model(compiled=False)


def swapped_for_an_mlp():
    keras = _keras()
    model = keras.Sequential([keras.Input(shape=(28, 28, 1)), keras.layers.Flatten(),
                              keras.layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


CASES["fix_the_model"] = Case(
    wrong=(
        Wrong(as_given, "one prediction per position", "unchanged"),
        Wrong(only_flatten_added, "expects one-hot labels", "loss-left-for-one-hot"),
        Wrong(sigmoid_left, "independent yes/no", "sigmoid-left-on-ten-classes"),
        Wrong(softmax_and_from_logits, "a second time", "softmax-with-from-logits"),
        Wrong(not_compiled, "compile the model", "not-compiled"),
        Wrong(swapped_for_an_mlp, "no Conv2D", "architecture-replaced"),
        Wrong(lambda: None, "returned None", "returns-nothing"),
    ),
)


# --- one_batch_diagnosis ----------------------------------------------------------------------------

RIGHT_CAUSES = {"A": "frozen layers", "B": "no bug", "C": "learning rate far too low",
                "D": "one output unit with softmax"}
CASES["one_batch_diagnosis"] = Case(wrong=(
    Wrong({**RIGHT_CAUSES, "A": "learning rate far too low", "C": "frozen layers"}, "can train",
          "frozen-and-slow-swapped"),
    Wrong({**RIGHT_CAUSES, "B": "learning rate far too low"}, "what is its verdict", "healthy-model-blamed"),
    Wrong({**RIGHT_CAUSES, "D": "no bug"}, "its accuracy stays where it began", "falling-loss-trusted"),
    Wrong({**RIGHT_CAUSES, "C": "learning rate far too high"}, "becomes nan", "too-high-for-too-low"),
    Wrong({**RIGHT_CAUSES, "A": "broken"}, "is not one of", "unknown-cause"),
    Wrong({"A": "frozen layers"}, "no cause for", "missing-suspects"),
))
