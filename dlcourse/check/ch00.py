"""Exercise checks for lesson 00 (a first network).

The exercises: build the lesson's Keras MLP, count a larger MLP's parameters by hand,
compute an accuracy and its binomial standard error, read a learning curve, measure by
simulation how much an accuracy varies between test sets, and size a test set that can
tell two models apart. Everything here imports without TensorFlow; the one check that
builds Keras models imports it inside.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from dlcourse.check import Fail, exercise, expect, help_for

# ---------------------------------------------------------------------------------------------------------------
# Exercise: an MLP builder


def _build_mlp_solution(hidden, activation="sigmoid"):
    """Flatten → one Dense(units, activation) per entry of hidden → Dense(10, softmax), for 28×28 images."""
    from dlcourse._tf import keras  # in a notebook: import keras

    model = keras.Sequential()
    model.add(keras.Input(shape=(28, 28)))
    model.add(keras.layers.Flatten())  # each image becomes a vector of 784 numbers
    for units in hidden:
        model.add(keras.layers.Dense(units, activation=activation))
    model.add(keras.layers.Dense(10, activation="softmax"))  # one probability per class
    return model


# (hidden sizes, activation) the builder is tried with: the lesson's network, two layers, an odd size.
_BUILDS = (((128,), "sigmoid"), ((64, 32), "relu"), ((7,), "tanh"))


def _mlp_params(hidden: tuple[int, ...]) -> int:
    sizes = [784, *hidden, 10]
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))


def _activation_name(layer: Any) -> str:
    return str(layer.get_config().get("activation"))


@exercise(
    "an MLP builder",
    hints=[
        "stack the layers in order: an input of 28×28 pixels, a layer that turns each image into one long vector, one fully connected layer per entry of hidden, and an output layer with one unit per class whose outputs are probabilities.",
        "`keras.Sequential` takes the layers one by one: `keras.Input(shape=(28, 28))`, `keras.layers.Flatten()`, a `keras.layers.Dense(units, activation=activation)` for each units in hidden, and a last Dense layer of 10 units.",
        "the last layer is `keras.layers.Dense(10, activation=\"softmax\")`; build the hidden ones in a for loop over hidden and return the model.",
    ],
    solution=_build_mlp_solution,
    shows=("build_mlp",),
)
def mlp_builder(fn: Callable[..., Any]) -> str:
    """Check ``fn(hidden, activation)`` → a Keras model for 28×28 images and ten classes, on three architectures."""
    from dlcourse._tf import keras

    expect(callable(fn), f"pass your function itself, not {type(fn).__name__}.")
    images = np.random.default_rng(0).random((3, 28, 28)).astype("float32")
    for hidden, activation in _BUILDS:
        model = fn(hidden, activation)
        expect(model is not None, "your function returned None: did you forget to `return` the model?")
        expect(isinstance(model, keras.Model),
               f"return a Keras model (a keras.Sequential), got {type(model).__name__}.")
        dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
        units, want = [layer.units for layer in dense], [*hidden, 10]
        if units == list(hidden):
            raise Fail("the output layer is missing: after the hidden layers, a Dense layer of 10 units gives one "
                       "score per class.")
        expect(units == want, f"for hidden={hidden} the Dense layers have {units} units, expected {want}: one "
                              "hidden layer per entry of hidden, then the output layer.")
        used = [_activation_name(layer) for layer in dense[:-1]]
        expect(all(name == activation for name in used),
               f"for activation={activation!r} the hidden layers use {used}: pass the activation argument on.")
        try:
            out = np.asarray(model(images))
        except Exception as err:  # a wrong input shape: say so in one line, not Keras' traceback
            raise Fail(f"your model cannot take a batch of 28×28 images ({type(err).__name__}): give it the input "
                       "shape (28, 28).") from None
        if out.shape == (3, 28, 10):
            raise Fail("the output has shape (3, 28, 10): without Flatten a Dense layer acts on the last axis of "
                       "each 28×28 image, row by row. Flatten each image to 784 numbers first.")
        expect(out.shape == (3, 10), f"for a batch of 3 images the output has shape {out.shape}, expected (3, 10).")
        if not np.allclose(out.sum(axis=1), 1.0, atol=1e-5):
            last = _activation_name(dense[-1])
            raise Fail(f"the output layer's activation is {last!r}: use softmax, so each image gets ten "
                       "probabilities that add up to 1.")
        count = model.count_params()
        expect(count == _mlp_params(hidden), f"for hidden={hidden} the model has {count:,} parameters, expected "
                                             f"{_mlp_params(hidden):,}: does every Dense layer have its biases?")
    return "Flatten, one Dense per hidden size with your activation, and a softmax output of 10, as build_mlp does."


# ---------------------------------------------------------------------------------------------------------------
# Exercise: the benchmark MLP's parameter count


def _parameter_count_solution():
    """Flatten → Dense(256) → Dense(128) → Dense(100) → Dense(10) on 28×28 images."""
    sizes = [28 * 28, 256, 128, 100, 10]  # Flatten's 784 inputs, the three hidden layers, the ten classes
    # A Dense layer with n inputs and m units has n·m weights and m biases; Flatten has none.
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))


def _count(sizes: list[int], biases: bool = True) -> int:
    return sum(n * m + (m if biases else 0) for n, m in zip(sizes[:-1], sizes[1:]))


@exercise(
    "parameter count of the benchmark MLP (256-128-100)",
    hints=[
        "count each Dense layer on its own and add them up: every input is connected to every unit, and every unit has one more number of its own.",
        "a Dense layer with n inputs and m units has n·m weights plus m biases; Flatten has no parameters, and the first Dense layer sees 28·28 inputs.",
        "784·256 + 256, then 256·128 + 128, 128·100 + 100 and 100·10 + 10: add the four.",
    ],
    solution=_parameter_count_solution,
    kind="value",
)
def parameter_count(answer: Any) -> str:
    """Check the learner's hand count of Flatten → Dense(256) → Dense(128) → Dense(100) → Dense(10)."""
    expect(answer is not None, "give your count, a whole number, not None.")
    expect(isinstance(answer, (int, np.integer)) and not isinstance(answer, bool),
           f"give a whole number, got {answer!r}.")
    sizes = [784, 256, 128, 100, 10]
    known = {
        _count(sizes, biases=False): "you counted the weights only: every unit also has a bias.",
        _count(sizes[:-1]): "the output layer, 100 → 10, has parameters too.",
        _count([28, *sizes[1:]]): "Flatten turns each image into 28·28 = 784 inputs, not 28.",
        _count([784, 128, 10]): "that is the lesson's network; this one has three hidden layers: 256, 128 and 100.",
    }
    if int(answer) in known:
        raise Fail(known[int(answer)])
    want = _count(sizes)
    expect(int(answer) == want, f"{int(answer):,} is not it: count each Dense layer as its weights plus its "
                                "biases, and add the four layers.")
    return (f"{want:,} parameters: 2.4 times the lesson's network, four fifths of them in the first layer. "
            "`build_mlp((256, 128, 100)).count_params()` agrees.")


# ---------------------------------------------------------------------------------------------------------------
# Exercise: accuracy and its standard error


def _accuracy_and_se_solution(probs, labels):
    """The fraction of images whose most probable class is the label, and its binomial standard error."""
    predicted = np.argmax(probs, axis=1)  # the most probable class of each image
    correct = predicted == np.asarray(labels)
    n = len(correct)
    accuracy = float(np.mean(correct))
    se = float(np.sqrt(accuracy * (1.0 - accuracy) / n))  # each image is right or wrong: a binomial proportion
    return accuracy, se


def _classifier_draw(seed: int, n: int, classes: int, skill: float) -> tuple[np.ndarray, np.ndarray]:
    """Probabilities of a classifier right about ``skill`` of the time, and the labels."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, classes, n)
    probs = rng.dirichlet(np.ones(classes), size=n)
    right = rng.random(n) < skill
    probs[right, labels[right]] += 1.0  # make the true class the most probable one
    return probs / probs.sum(axis=1, keepdims=True), labels


# A float32 mean or square root is off by about 1e-7 relative: accept it, while every named
# mistake (n − 1 for n, a missing root, a percentage) is off by far more than this.
_REL_TOL = 1e-6


def _se_problem(se: float, p: float, n: int) -> str:
    """A message naming a recognised mistake in a standard error, or ''."""
    if p in (0.0, 1.0):
        return "" if se == 0.0 else f"with accuracy {p:g} every image gives the same result, so the standard " \
                                    f"error is 0, not {se:.3g}."
    forms = {
        p * (1 - p) / n: "that is the variance p(1 − p)/n: the standard error is its square root.",
        np.sqrt(p * (1 - p)) / n: "divide by n inside the square root: the spread shrinks with √n, not n.",
        np.sqrt(p * (1 - p)): "that is the spread of one image's right-or-wrong: divide by n under the root.",
        np.sqrt(p * (1 - p) / (n - 1)): "divide by n, not n − 1: the formula is the spread of a proportion of n "
                                        "images.",
    }
    for value, message in forms.items():
        if math.isclose(se, value, rel_tol=_REL_TOL):
            return message
    return ""


@exercise(
    "accuracy_and_se(probs, labels)",
    hints=[
        "first decide, image by image, whether the most probable class is the label; the accuracy is the fraction of right ones, and each image is one right-or-wrong trial, which gives the spread of that fraction.",
        "the predicted class is the position of the largest probability in each row; with p the accuracy and n the number of images, the standard error is the square root of p(1 − p)/n.",
        "`correct = np.argmax(probs, axis=1) == labels`, `p = correct.mean()`, `se = np.sqrt(p * (1 - p) / len(correct))`; return (p, se) as floats.",
    ],
    solution=_accuracy_and_se_solution,
    shows=("binomial_se",),
)
def accuracy_and_se(fn: Callable[[np.ndarray, np.ndarray], tuple[float, float]]) -> str:
    """Check ``fn(probs, labels)`` → (accuracy, standard error) on several classifiers and test-set sizes."""
    expect(callable(fn), f"pass your function itself, not {type(fn).__name__}.")
    for seed, (n, classes, skill) in enumerate(((50, 10, 0.7), (400, 10, 0.85), (7, 3, 0.5), (30, 4, 1.0)), start=1):
        probs, labels = _classifier_draw(seed, n, classes, skill)
        p_in, t_in = probs.copy(), labels.copy()
        got = fn(p_in, t_in)
        expect(np.array_equal(p_in, probs) and np.array_equal(t_in, labels),
               "your function changed probs or labels in place; compute new arrays instead.")
        expect(got is not None, "your function returned None: did you forget `return`?")
        try:
            acc, se = (float(v) for v in got)
        except (TypeError, ValueError):
            raise Fail(f"return a pair (accuracy, standard error), got {got!r}.") from None
        want_acc, want_se = _accuracy_and_se_solution(probs, labels)
        if not math.isclose(acc, want_acc, rel_tol=_REL_TOL, abs_tol=1e-9):
            if math.isclose(acc, 1 - want_acc, rel_tol=_REL_TOL, abs_tol=1e-9):
                raise Fail("that is the error rate: the accuracy is the fraction of images classified right.")
            if math.isclose(acc, 100 * want_acc, rel_tol=_REL_TOL):
                raise Fail("give the accuracy as a fraction between 0 and 1, not as a percentage.")
            raise Fail(f"for {n} images the accuracy is {acc:.10g}, expected {want_acc:.10g}: compare each image's "
                       "most probable class with its label.")
        expect(not math.isnan(se), "the standard error is NaN.")
        problem = _se_problem(se, want_acc, n)
        if problem:
            raise Fail(problem)
        expect(math.isclose(se, want_se, rel_tol=_REL_TOL, abs_tol=1e-9),
               f"for accuracy {want_acc:.10g} on {n} images the standard error is {se:.10g}, expected "
               f"{want_se:.10g}.")
    return "on 400 images an accuracy of 0.85 is known to about ±0.018; on 10,000, to about ±0.0036."


# ---------------------------------------------------------------------------------------------------------------
# Exercise: reading a learning curve

# A real run, recorded once: the lesson's network (build_mlp((128,), activation="sigmoid", seed=0), SGD with
# learning rate 0.1 and momentum 0.9, batch size 32) trained for 40 epochs on 1,000 training images of
# Fashion-MNIST (data.stratified_subset(..., 1000, seed=0), pixels scaled to [0, 1]) with validation_split=0.2:
# 800 images to train on and 200 to validate. fit(...).history rounded to 4 digits; TensorFlow 2.21 on a CPU.
SMALL_RUN: dict[str, list[float]] = {
    "loss": [1.6147, 0.8356, 0.6862, 0.5593, 0.494, 0.4467, 0.4052, 0.3698, 0.3363, 0.3062, 0.2839, 0.2672,
             0.2606, 0.2575, 0.2566, 0.2854, 0.2376, 0.1917, 0.1612, 0.1723, 0.1654, 0.1511, 0.1239, 0.1158,
             0.1151, 0.1148, 0.1108, 0.1103, 0.1117, 0.1117, 0.1177, 0.1023, 0.0862, 0.0918, 0.0786, 0.0521,
             0.0455, 0.0479, 0.0422, 0.0422],
    "accuracy": [0.4187, 0.6913, 0.765, 0.8075, 0.8338, 0.8537, 0.8712, 0.8813, 0.8875, 0.9038, 0.9175, 0.9212,
                 0.9162, 0.9125, 0.9075, 0.9025, 0.9112, 0.9312, 0.9463, 0.9463, 0.9488, 0.9575, 0.9663, 0.9663,
                 0.97, 0.9688, 0.9737, 0.9737, 0.9737, 0.9638, 0.96, 0.9725, 0.9762, 0.9737, 0.9737, 0.9875,
                 0.9912, 0.99, 0.9912, 0.9937],
    "val_loss": [1.0869, 0.7872, 0.7226, 0.6747, 0.6548, 0.6432, 0.6293, 0.6235, 0.6315, 0.6373, 0.6621, 0.6912,
                 0.7369, 0.7799, 0.7686, 0.6491, 0.6843, 0.6801, 0.7491, 0.7278, 0.6844, 0.6773, 0.7018, 0.7093,
                 0.7253, 0.7512, 0.791, 0.8271, 0.8478, 0.8546, 0.8762, 0.8937, 0.8363, 0.8711, 0.8958, 0.8665,
                 0.9222, 0.9505, 0.96, 0.9477],
    "val_accuracy": [0.55, 0.7, 0.725, 0.77, 0.785, 0.77, 0.77, 0.78, 0.785, 0.78, 0.76, 0.755, 0.75, 0.75, 0.76,
                     0.77, 0.745, 0.78, 0.77, 0.765, 0.77, 0.76, 0.765, 0.78, 0.79, 0.805, 0.775, 0.78, 0.795,
                     0.785, 0.775, 0.765, 0.76, 0.765, 0.745, 0.77, 0.76, 0.755, 0.75, 0.755],
}
VERDICTS = ("overfits", "underfits", "fits")
_SYNONYMS = {"overfit": "overfits", "overfitting": "overfits", "underfit": "underfits", "underfitting": "underfits",
             "fits well": "fits", "good fit": "fits", "neither": "fits"}


def _learning_curve_solution():
    """The epoch of the lowest validation loss in SMALL_RUN (counted from 1), and what the curves show."""
    val_loss = SMALL_RUN["val_loss"]
    best = int(np.argmin(val_loss)) + 1  # Keras prints epochs from 1
    # Training accuracy near 1 while validation loss climbs well above its minimum: memorising, not learning.
    rises = val_loss[-1] > 1.2 * min(val_loss)
    verdict = "overfits" if rises and SMALL_RUN["accuracy"][-1] > 0.95 else "fits"
    return best, verdict


@exercise(
    "reading a learning curve",
    hints=[
        "plot the run and look at the dashed validation curves: where is the validation loss lowest, and what do training and validation do after that epoch?",
        "epochs count from 1, as Keras prints them. The question asks about the validation loss, not the validation accuracy, which on only 200 images jumps by a few points from epoch to epoch by chance.",
        "the lowest point of val_loss is `np.argmin(ch00.SMALL_RUN[\"val_loss\"]) + 1`; after it training accuracy climbs towards 1 while validation loss rises: the network memorises its 800 images.",
    ],
    solution=_learning_curve_solution,
    kind="value",
)
def learning_curve(answer: Any) -> str:
    """Check (epoch of the lowest validation loss, verdict) read off SMALL_RUN."""
    expect(answer is not None,
           "give a pair (epoch, verdict), the verdict one of \"overfits\", \"underfits\", \"fits\".")
    try:
        epoch, verdict = answer
    except (TypeError, ValueError):
        raise Fail(f"give a pair (epoch, verdict), got {answer!r}.") from None
    expect(isinstance(epoch, (int, np.integer)) and not isinstance(epoch, bool),
           f"the epoch is a whole number (counted from 1), got {epoch!r}.")
    best, want = _learning_curve_solution()
    n = len(SMALL_RUN["val_loss"])
    expect(1 <= epoch <= n, f"the run has epochs 1 to {n}, got {epoch}.")
    if epoch == best - 1:
        raise Fail("count epochs from 1, as Keras prints them and plot_history draws them.")
    if epoch == int(np.argmax(SMALL_RUN["val_accuracy"])) + 1:
        raise Fail("that is where validation accuracy peaks; the question asks about the validation loss. On 200 "
                   "images an accuracy moves by about ±0.03 by chance (its standard error), so its peak is noise.")
    if epoch in (int(np.argmin(SMALL_RUN["loss"])) + 1, n):
        raise Fail("the training loss is lowest at the end of training; the question asks about the validation loss.")
    expect(epoch == best, f"the validation loss at epoch {epoch} is not its lowest: follow the dashed loss curve.")
    expect(isinstance(verdict, str), f"the verdict is one of {', '.join(map(repr, VERDICTS))}, got {verdict!r}.")
    said = _SYNONYMS.get(verdict.strip().lower(), verdict.strip().lower())
    expect(said in VERDICTS, f"the verdict is one of {', '.join(map(repr, VERDICTS))}, got {verdict!r}.")
    if said == "underfits":
        raise Fail("training accuracy reaches 0.99: the network fits its training images very well. What does the "
                   "validation loss do meanwhile?")
    if said == "fits":
        raise Fail("after its minimum the validation loss climbs by half while the training loss keeps falling: "
                   "look again at the gap between the curves.")
    return (f"epoch {best}: the weights to keep. After it the network memorises its 800 images (training accuracy "
            "→ 0.99) and gets worse on new ones; chapter 3 stops such runs early.")


# ---------------------------------------------------------------------------------------------------------------
# Experiment: how much an accuracy varies between test sets


def _accuracy_spread_solution():
    """The spread of the accuracies of one classifier measured on 2,000 independent test sets of 500 images."""
    rng = np.random.default_rng(0)
    right = rng.random((2000, 500)) < 0.85  # each image is classified right with probability 0.85
    accuracies = right.mean(axis=1)  # one accuracy per test set
    return float(accuracies.std())


_SPREAD_P, _SPREAD_N, _SPREAD_SETS = 0.85, 500, 2000


@exercise(
    "the spread of a measured accuracy",
    hints=[
        "simulate instead of measuring: draw many independent test sets, decide for every image at random whether the classifier gets it right, compute each test set's accuracy, and look at how those accuracies scatter.",
        "a table of random numbers with one row per test set and one column per image, compared with 0.85, gives right-or-wrong for every image; the mean of each row is that test set's accuracy, and you want the standard deviation of the 2,000 row means.",
        "`right = rng.random((2000, 500)) < 0.85`, then `right.mean(axis=1).std()`; compare it with the formula of the chapter.",
    ],
    solution=_accuracy_spread_solution,
    kind="experiment",
)
def accuracy_spread(answer: Any) -> str:
    """Check the simulated standard deviation of 2,000 accuracies (p = 0.85, n = 500) within 6 % of the formula's."""
    expect(answer is not None, "give the standard deviation you measured, a number, not None.")
    try:
        value = float(answer)
    except (TypeError, ValueError):
        raise Fail(f"give the standard deviation as a number, got {answer!r}.") from None
    p, n, sets = _SPREAD_P, _SPREAD_N, _SPREAD_SETS
    formula = math.sqrt(p * (1 - p) / n)
    if abs(value / formula - 1) <= 0.06:  # a 2,000-set simulation lands within about 2 % of it
        return (f"the formula √(p(1 − p)/n) gives {formula:.4f}: one test set of 500 images can miss the true "
                "accuracy by ±0.03 (two standard errors) without anything being wrong.")
    known = {
        formula ** 2: "that is the variance of the accuracies; the standard deviation is its square root.",
        math.sqrt(p * (1 - p)): "that is the spread of one image's right-or-wrong (0 or 1); a test set averages "
                                "500 of them, and the average scatters much less.",
        p: "that is the mean accuracy; the question asks how much it varies from test set to test set.",
        formula / math.sqrt(sets): "that is how precisely your 2,000 test sets together pin down 0.85 (the standard "
                                   "error of their mean); the question asks how much one test set's accuracy varies.",
    }
    for wrong, message in known.items():
        if abs(value / wrong - 1) <= 0.06:
            raise Fail(message)
    raise Fail(f"{value:.4g} is far from what the simulation gives: 2,000 test sets of 500 images, each image right "
               "with probability 0.85, and the standard deviation of their 2,000 accuracies.")


# ---------------------------------------------------------------------------------------------------------------
# Exercise: how large a test set must be


def _images_needed_solution():
    """Images per test set for a gap of 0.005 between accuracies 0.880 and 0.885 to be two standard errors."""
    p1, p2, gap = 0.880, 0.885, 0.005
    se_needed = gap / 2  # the gap must be two standard errors of the difference
    # The difference's standard error is √(p1(1 − p1)/n + p2(1 − p2)/n); solve se_needed for n.
    return math.ceil((p1 * (1 - p1) + p2 * (1 - p2)) / se_needed ** 2)


def _within(value: float, target: float, tolerance: float = 0.03) -> bool:
    return abs(value / target - 1) <= tolerance


@exercise(
    "how many test images",
    hints=[
        "the difference of two accuracies measured on separate test sets has its own standard error, which combines the two accuracies' standard errors, and it shrinks as the test sets grow: find the size at which the gap is two of them.",
        "the difference's standard error is the square root of p1(1 − p1)/n + p2(1 − p2)/n; set it equal to half the gap and solve for n.",
        "n = (0.880·0.120 + 0.885·0.115) / 0.0025², rounded up.",
    ],
    solution=_images_needed_solution,
    kind="value",
)
def images_needed(answer: Any) -> str:
    """Check n, the images per test set, within 3 % (p = 0.88 for both models is a fair approximation)."""
    expect(answer is not None, "give the number of images, a whole number, not None.")
    try:
        n = float(answer)
    except (TypeError, ValueError):
        raise Fail(f"give the number of images as a number, got {answer!r}.") from None
    expect(n > 0 and math.isfinite(n), f"a number of images is positive, got {answer!r}.")
    want = _images_needed_solution()
    if _within(n, want):
        return (f"about {want:,} images per model: more than Fashion-MNIST's 10,000 test images, so half a point "
                "between two models measured there is within the noise.")
    spread = 0.880 * 0.120 + 0.885 * 0.115
    if _within(n, want / 4):
        raise Fail("with that n the gap is one standard error of the difference; the rule asks for two.")
    if _within(n, want / 2):
        raise Fail("both accuracies are uncertain: the difference's standard error combines the two test sets' "
                   "standard errors, not one of them.")
    if _within(n, spread / 0.0025) or _within(n, spread / 0.005) or _within(n, spread / 2 / 0.0025):
        raise Fail("the standard error shrinks with √n, so to make it a given size n grows with the square of "
                   "1/(standard error).")
    if n == 10_000:
        raise Fail("10,000 is Fashion-MNIST's test set: is it enough? Work out n from the standard error.")
    raise Fail(f"{n:,.0f} is not it: set the difference's standard error, which combines both accuracies, equal to "
               "half the gap and solve for n.")


hint, solution, reference = help_for(__name__)
