"""Accept/reject cases for dlcourse.check.ch00 (see check_cases/__init__.py)."""

from __future__ import annotations

import math

import numpy as np

from check_cases import Args, Case, Wrong  # noqa: F401

# --- MLP builders, each with one typical mistake (Keras is imported when a builder runs).


def _keras():
    from dlcourse._tf import keras

    return keras


def mlp_without_flatten(hidden, activation="sigmoid"):
    keras = _keras()
    return keras.Sequential([keras.Input(shape=(28, 28)),
                             *[keras.layers.Dense(u, activation=activation) for u in hidden],
                             keras.layers.Dense(10, activation="softmax")])


def mlp_without_softmax(hidden, activation="sigmoid"):
    keras = _keras()
    return keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.Flatten(),
                             *[keras.layers.Dense(u, activation=activation) for u in hidden],
                             keras.layers.Dense(10)])


def mlp_without_output(hidden, activation="sigmoid"):
    keras = _keras()
    return keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.Flatten(),
                             *[keras.layers.Dense(u, activation=activation) for u in hidden]])


def mlp_always_sigmoid(hidden, activation="sigmoid"):
    keras = _keras()
    return keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.Flatten(),
                             *[keras.layers.Dense(u, activation="sigmoid") for u in hidden],
                             keras.layers.Dense(10, activation="softmax")])


def mlp_first_size_only(hidden, activation="sigmoid"):
    keras = _keras()
    return keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.Flatten(),
                             keras.layers.Dense(hidden[0], activation=activation),
                             keras.layers.Dense(10, activation="softmax")])


def mlp_flat_input(hidden, activation="sigmoid"):
    keras = _keras()
    return keras.Sequential([keras.Input(shape=(784,)),
                             *[keras.layers.Dense(u, activation=activation) for u in hidden],
                             keras.layers.Dense(10, activation="softmax")])


def mlp_not_returned(hidden, activation="sigmoid"):
    mlp_without_flatten(hidden, activation)


# --- accuracy_and_se with one typical mistake each


def _accuracy(probs, labels):
    return float(np.mean(np.argmax(probs, axis=1) == labels)), len(labels)


def acc_error_rate(probs, labels):
    p, n = _accuracy(probs, labels)
    return 1 - p, math.sqrt(p * (1 - p) / n)


def acc_variance(probs, labels):
    p, n = _accuracy(probs, labels)
    return p, p * (1 - p) / n


def acc_n_minus_one(probs, labels):
    p, n = _accuracy(probs, labels)
    return p, math.sqrt(p * (1 - p) / (n - 1))


def acc_root_over_n(probs, labels):
    p, n = _accuracy(probs, labels)
    return p, math.sqrt(p * (1 - p)) / n


def acc_percent(probs, labels):
    p, n = _accuracy(probs, labels)
    return 100 * p, math.sqrt(p * (1 - p) / n)


def acc_only(probs, labels):
    return _accuracy(probs, labels)[0]


def acc_normalises_in_place(probs, labels):
    probs /= probs.sum(axis=1, keepdims=True)
    p, n = _accuracy(probs, labels)
    return p, math.sqrt(p * (1 - p) / n)


CASES: dict[str, Case] = {
    "mlp_builder": Case(wrong=(
        Wrong(mlp_without_flatten, "Flatten each image", "no-flatten"),
        Wrong(mlp_without_softmax, "use softmax", "no-softmax"),
        Wrong(mlp_without_output, "output layer is missing", "no-output-layer"),
        Wrong(mlp_always_sigmoid, "pass the activation argument on", "activation-ignored"),
        Wrong(mlp_first_size_only, "one hidden layer per entry of hidden", "first-size-only"),
        Wrong(mlp_flat_input, "input shape (28, 28)", "flat-input"),
        Wrong(mlp_not_returned, "return", "no-return"),
    )),
    "parameter_count": Case(wrong=(
        Wrong(247_272, "weights only", "no-biases"),
        Wrong(246_756, "output layer", "no-output-layer"),
        Wrong(54_230, "784 inputs, not 28", "28-inputs"),
        Wrong(101_770, "lesson's network", "lesson-network"),
        Wrong(247_766.0, "whole number", "a-float"),
        Wrong(250_000, "weights plus its biases", "a-guess"),
    )),
    "accuracy_and_se": Case(wrong=(
        Wrong(acc_error_rate, "error rate", "error-rate"),
        Wrong(acc_variance, "square root", "variance"),
        Wrong(acc_n_minus_one, "not n − 1", "n-minus-one"),
        Wrong(acc_root_over_n, "inside the square root", "root-over-n"),
        Wrong(acc_percent, "percentage", "percent"),
        Wrong(acc_only, "return a pair", "accuracy-only"),
        Wrong(acc_normalises_in_place, "in place", "mutates-probs"),
    )),
    "learning_curve": Case(wrong=(
        Wrong((7, "overfits"), "count epochs from 1", "zero-based"),
        Wrong((26, "overfits"), "validation accuracy peaks", "accuracy-peak"),
        Wrong((40, "overfits"), "training loss is lowest", "last-epoch"),
        Wrong((12, "overfits"), "not its lowest", "wrong-epoch"),
        Wrong((8, "underfits"), "training accuracy reaches 0.99", "underfits"),
        Wrong((8, "fits"), "climbs by half", "fits"),
        Wrong(8, "give a pair", "epoch-only"),
    )),
    "accuracy_spread": Case(wrong=(
        Wrong(0.000255, "variance", "variance"),
        Wrong(0.357, "one image's right-or-wrong", "one-image"),
        Wrong(0.85, "mean accuracy", "the-mean"),
        Wrong(0.000357, "standard error of their mean", "se-of-the-mean"),
        Wrong(0.1, "far from what the simulation gives", "far-off"),
    )),
    "images_needed": Case(wrong=(
        Wrong(8_295, "one standard error", "one-se"),
        Wrong(16_896, "combines the two", "one-model-only"),
        Wrong(83, "square", "no-square"),
        Wrong(10_000, "Fashion-MNIST's test set", "the-test-set"),
        Wrong(1_000, "half the gap", "a-guess"),
    )),
}
