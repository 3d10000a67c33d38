"""Exercise checks for lesson 03 (overfitting and regularization)."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np

from dlcourse.check import Fail, exercise, expect, expect_close, expect_equal, expect_number, help_for




# ---------------------------------------------------------------------------
# Exercise: one SGD step with decoupled weight decay
# ---------------------------------------------------------------------------

def _decayed_sgd_step_solution(w, grad, lr, lam):
    # Shrink the weights by the fraction lr·lam, then take the plain gradient step; a new array.
    return (1 - lr * lam) * w - lr * grad


@exercise(
    "decayed_sgd_step(w, grad, lr, lam)",
    hints=[
        "decoupled weight decay is two moves: shrink the weights towards zero by a small fraction of "
        "themselves, and take the ordinary gradient step.",
        "as in chapter 2's AdamW the fraction is the learning rate times the decay strength, so the shrink "
        "factor per step is (1 − lr·lam).",
        "`return (1 - lr * lam) * w - lr * grad`: a new array, w and grad unchanged.",
    ],
    solution=_decayed_sgd_step_solution,
    kind="code",
    shows=("reg.sgd_step_decoupled",),
)
def decayed_sgd_step(fn: Callable[[np.ndarray, np.ndarray, float, float], np.ndarray]) -> str:
    """Check one SGD step with decoupled weight decay against SGD on loss + (λ/2)‖w‖²."""
    rng = np.random.default_rng(5)
    for lr, lam in ((0.1, 0.01), (0.5, 0.2), (0.03, 1.5)):
        w, grad = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
        w_in, g_in = w.copy(), grad.copy()
        got = fn(w_in, g_in, lr, lam)
        expect(np.array_equal(w_in, w) and np.array_equal(g_in, grad),
               "your function changed w or grad in place; return a new array instead.")
        expect(got is not None, "the function returned None: did you forget `return`?")
        g = np.asarray(got, dtype=float)
        if g.shape == w.shape:
            if np.allclose(g, (1 - lam) * w - lr * grad):
                raise Fail("the decay factor must include the learning rate: (1 − lr·lam), not (1 − lam).")
            if np.allclose(g, w - lr * grad):
                raise Fail("that is the plain SGD step: the weights were not shrunk.")
            if np.allclose(g, (1 - lr * lam) * w + lr * grad):
                raise Fail("the gradient step goes uphill: subtract lr·grad.")
            if np.allclose(g, (1 - lr * lam) * (w - lr * grad)):
                raise Fail("the shrink was applied after the gradient step, so it scaled the step too: "
                           "shrink w alone, then subtract lr·grad.")
        # The same update as one SGD step on loss + (λ/2)‖w‖², written the other way round.
        expect_close(got, w - lr * (grad + lam * w), what=f"the new w for lr={lr}, lam={lam}")
    return "(1 − ηλ)w − η∇L = w − η(∇L + λw): for SGD, weight decay is an L2 penalty."


# ---------------------------------------------------------------------------
# Exercise: inverted dropout as a layer
# ---------------------------------------------------------------------------

class _DropoutSolution:
    """Inverted dropout: zero each unit with probability rate in training, scale the rest by 1/(1 − rate)."""

    def __init__(self, rate, seed=0):
        self.rate = rate
        self.rng = np.random.default_rng(seed)
        self.mask = None  # what forward multiplied x by: 0 or 1/(1 − rate), or 1 at inference

    def forward(self, x, train=True):
        if not train:
            self.mask = np.ones_like(x)  # inference: nothing dropped, nothing scaled
            return x.copy()
        keep = self.rng.random(x.shape) >= self.rate  # a fresh coin for every entry
        self.mask = keep / (1 - self.rate)
        return x * self.mask

    def backward(self, dout):
        # out = x·mask with the mask fixed, so ∂out/∂x = mask: the gradient flows where x did.
        return dout * self.mask


def _ratio_values(ratio: np.ndarray) -> np.ndarray:
    return np.unique(np.round(ratio, 9))


def _check_train_forward(out: np.ndarray, x: np.ndarray, rate: float) -> np.ndarray:
    """The scale per entry (0 or 1/(1 − rate)) after a training forward; named failures otherwise."""
    expect(out is not None, "forward returned None: did you forget `return`?")
    out = np.asarray(out, dtype=float)
    expect_equal(out.shape, x.shape, what="the shape of forward's output")
    ratio = np.round(out / x, 9)  # x has no zeros: each entry's factor (rounded: x·m/x need not be m exactly)
    values = _ratio_values(ratio)
    scale = 1 / (1 - rate)
    if len(values) == 1:
        raise Fail(f"in training forward dropped nothing (every unit multiplied by {values[0]:.3g}): "
                   "each unit is zeroed with probability rate.")
    expect(len(values) == 2 and values[0] == 0,
           f"each training output should be 0 or x/(1 − rate); found {len(values)} different factors "
           f"out/x, such as {values[:3]}.")
    kept = values[1]
    if np.isclose(kept, 1.0):
        raise Fail(f"with rate={rate} the kept units equal x: inverted dropout scales them by "
                   f"1/(1 − rate) = {scale:.3g} in training, or the expected output shrinks.")
    if np.isclose(kept, 1 - rate):
        raise Fail("the kept units are multiplied by (1 − rate); inverted dropout divides by it.")
    if np.isclose(kept, 1 / rate):
        raise Fail("the kept units are divided by rate; divide by the probability of keeping a unit, 1 − rate.")
    expect(np.isclose(kept, scale), f"the kept units are multiplied by {kept:.4g}; expected 1/(1 − rate) = "
                                    f"{scale:.4g}.")
    if np.all(ratio == ratio[0]):
        raise Fail("every row got the same mask: draw one random number per entry, the mask has x's shape.")
    if np.all(ratio == ratio[:, :1]):
        raise Fail("every unit of a row shares one coin: draw the mask with the shape of x.")
    dropped = float(np.mean(ratio < 0.5 * scale))
    noise = 6 * math.sqrt(rate * (1 - rate) / x.size)
    if abs(dropped - (1 - rate)) <= noise:
        raise Fail(f"with rate={rate} you drop {dropped:.0%} of the units: rate is the probability of "
                   "dropping a unit, 1 − rate that of keeping it.")
    expect(abs(dropped - rate) <= noise,
           f"with rate={rate} you drop {dropped:.1%} of {x.size:,} units; expected about {rate:.0%}.")
    return ratio


@exercise(
    "an inverted Dropout layer with forward and backward",
    hints=[
        "in training each unit survives or not by its own coin flip, and the survivors are scaled so that "
        "every output keeps, on average, the value of its input; at inference the layer does nothing. "
        "Backward lets the gradient through exactly where forward let the activation through, with the "
        "same scale.",
        "forward keeps its mask (0 for a dropped unit, 1/(1 − rate) for a kept one) on the layer, draws a "
        "new one at every training call, and backward multiplies dout by the mask of the last forward.",
        "`keep = self.rng.random(x.shape) >= self.rate`, `self.mask = keep / (1 - self.rate)`, forward "
        "returns `x * self.mask`, backward `dout * self.mask`; at inference set the mask to ones.",
    ],
    solution=_DropoutSolution,
    kind="code",
    shows=("Dropout",),
)
def dropout_layer(cls: type) -> str:
    """Check ``cls(rate)`` with ``forward(x, train=True)`` and ``backward(dout)`` against inverted dropout."""
    expect(isinstance(cls, type), f"pass your class itself, not {type(cls).__name__}.")
    rng = np.random.default_rng(11)
    for rate in (0.2, 0.6):
        layer = cls(rate)
        shape = (int(rng.integers(150, 250)), int(rng.integers(40, 60)))
        x = rng.uniform(0.5, 1.5, size=shape) * rng.choice([-1.0, 1.0], size=shape)  # no zeros: out/x is the factor
        x_in = x.copy()
        first = _check_train_forward(layer.forward(x_in, train=True), x, rate)
        expect(np.array_equal(x_in, x), "forward changed its input x in place; build a new array instead.")
        second = _check_train_forward(layer.forward(x_in, train=True), x, rate)
        expect(not np.array_equal(first, second),
               "two training forwards used the same mask: draw a new one at every training call.")
        dout = rng.normal(size=shape)
        dout_in = dout.copy()
        dx = layer.backward(dout_in)
        expect(np.array_equal(dout_in, dout), "backward changed dout in place; build a new array instead.")
        expect(dx is not None, "backward returned None: did you forget `return`?")
        dx = np.asarray(dx, dtype=float)
        expect_equal(dx.shape, shape, what="the shape of dx")
        if np.allclose(dx, dout):
            raise Fail("backward let every gradient through: a dropped unit did not touch the output, "
                       "so its gradient is 0.")
        if np.allclose(dx, dout * (second != 0)):
            raise Fail("backward zeroes the right units but forgets the scale 1/(1 − rate) that forward "
                       "applied to the kept ones.")
        if np.allclose(dx, dout * first):
            raise Fail("backward used the mask of an earlier forward: use the one the last forward drew.")
        # out = x·mask with the mask fixed, so dx must be dout times each entry's factor.
        expect_close(dx, dout * second, what=f"dx for rate={rate}")
        out = layer.forward(x_in, train=False)
        expect(out is not None, "forward(x, train=False) returned None: did you forget `return`?")
        out = np.asarray(out, dtype=float)
        if out.shape == x.shape and np.allclose(out, x * (1 - rate)):
            raise Fail("at inference you scale by (1 − rate): that is the original, non-inverted dropout. "
                       "Inverted dropout scaled in training already, so inference is the identity.")
        expect(out.shape == x.shape and np.allclose(out, x),
               "forward(x, train=False) must return x unchanged: at inference nothing is dropped.")
        dx = layer.backward(dout)
        expect(dx is not None and np.allclose(np.asarray(dx, dtype=float), dout),
               "after an inference forward, backward must pass dout through unchanged.")
    return (f"at rate 0.6 you dropped {np.mean(second == 0):.1%} of {second.size:,} units; the output keeps "
            "its expected value, dx = dout·mask, and inference is the identity: Keras' Dropout.")


# ---------------------------------------------------------------------------
# Exercise: early stopping's rule
# ---------------------------------------------------------------------------

def _reference_early_stopping(val_losses: Sequence[float], patience: int) -> tuple[int, int]:
    """Keras' rule (min_delta = 0): stop once `patience` epochs pass without a new minimum."""
    best, best_i, wait = np.inf, 0, 0
    for i, v in enumerate(val_losses):
        wait += 1
        if v < best:
            best, best_i, wait = v, i, 0
            continue
        if wait >= patience and i > 0:
            return i + 1, best_i + 1
    return len(val_losses), best_i + 1


def _early_stopping_solution(val_losses, patience):
    best, best_epoch, waited = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses, start=1):  # epochs counted from 1, as Keras prints them
        if loss < best:  # a tie is no improvement
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited >= patience:
                return epoch, best_epoch  # stop here; restore the best epoch's weights
    return len(val_losses), best_epoch


@exercise(
    "early_stopping(val_losses, patience)",
    hints=[
        "walk through the epochs remembering the best loss so far and how long ago it was.",
        "stop at the epoch where `patience` epochs have passed without a new best; a tie is not an improvement.",
        "epochs are counted from 1; return the epoch you stopped at and the epoch of the best loss (the weights "
        "that are restored).",
    ],
    solution=_early_stopping_solution,
    kind="code",
)
def early_stopping(fn: Callable[[Sequence[float], int], tuple[int, int]]) -> str:
    """Check (last epoch trained, epoch restored), both 1-based, for validation-loss curves."""
    cases = [
        ([0.9, 0.7, 0.6, 0.65, 0.7, 0.8, 0.5], 2),   # stops at 5, restores 3
        ([0.9, 0.7, 0.6, 0.65, 0.59, 0.8, 0.9], 2),  # a late improvement resets the count
        ([1.0, 0.9, 0.8, 0.7], 3),                   # never stops: all 4 epochs, best is the last
        ([0.5, 0.5, 0.5, 0.5], 2),                   # ties do not count: stops at 3, restores 1
        ([0.4, 0.6, 0.3, 0.2], 1),                   # patience 1 stops at the first worse epoch
    ]
    rng = np.random.default_rng(4)
    for _ in range(20):  # and random curves: a fall, then noise
        n = int(rng.integers(5, 30))
        curve = np.round(np.exp(-np.arange(n) / 4) + rng.normal(scale=0.05, size=n), 2)
        cases.append((curve.tolist(), int(rng.integers(1, 6))))
    for losses, patience in cases:
        got = fn(list(losses), patience)
        expect(got is not None, "the function returned None: did you forget `return`?")
        try:
            got = tuple(int(v) for v in got)
        except (TypeError, ValueError):
            raise Fail(f"return a pair (stopped_epoch, restored_epoch), got {got!r}.") from None
        want = _reference_early_stopping(losses, patience)
        if got == tuple(v - 1 for v in want):
            raise Fail("count epochs from 1, as Keras prints them (your answers are 0-based).")
        expect_equal(got, want, what=f"(stopped, restored) for val_loss={losses}, patience={patience}")
    return "you stop `patience` epochs after the last improvement and keep the best epoch's weights."


# ---------------------------------------------------------------------------
# Exercise: over- or underfitting, read off histories
# ---------------------------------------------------------------------------

DIAGNOSES = ("overfitting", "underfitting", "good fit")


def _curve(start: float, end: float, rate: float, n: int) -> np.ndarray:
    """From ``start`` towards ``end``, closing the distance by the fraction ``rate`` per epoch."""
    return end + (start - end) * (1 - rate) ** np.arange(n)


def _make_histories(epochs: int = 30) -> dict[str, dict[str, list[float]]]:
    """Five made-up Keras histories, each the shape of a classic case, with a little epoch-to-epoch noise."""
    rng = np.random.default_rng(3)
    t = np.arange(epochs)

    def noisy(c, scale):
        return c * (1 + rng.normal(scale=scale, size=epochs))  # relative noise: a loss near 0 stays positive

    shapes = {
        # A: a small model (or a strong penalty): both losses level off high, close together.
        "A": (_curve(2.1, 1.02, 0.35, epochs), _curve(2.1, 1.06, 0.35, epochs),
              _curve(0.25, 0.63, 0.35, epochs), _curve(0.25, 0.61, 0.35, epochs)),
        # B: memorises: training loss towards 0, validation loss lowest after about ten epochs, then rising.
        "B": (_curve(1.6, 0.01, 0.22, epochs), _curve(1.6, 0.45, 0.3, epochs) + 0.0009 * np.maximum(t - 6, 0) ** 2,
              _curve(0.5, 1.0, 0.2, epochs), _curve(0.5, 0.84, 0.3, epochs)),
        # C: stopped too soon: both losses still falling steeply at the last epoch, no gap.
        "C": (_curve(2.3, 0.3, 0.04, epochs), _curve(2.3, 0.33, 0.04, epochs),
              _curve(0.15, 0.9, 0.05, epochs), _curve(0.15, 0.89, 0.05, epochs)),
        # D: dropout: the training curves, measured with units dropped, lie on the wrong side of the validation curves.
        "D": (_curve(1.9, 0.42, 0.25, epochs), _curve(1.8, 0.33, 0.25, epochs),
              _curve(0.35, 0.85, 0.25, epochs), _curve(0.4, 0.88, 0.25, epochs)),
        # E: levels off low with a small gap that does not grow.
        "E": (_curve(1.9, 0.27, 0.2, epochs), _curve(1.9, 0.31, 0.2, epochs),
              _curve(0.35, 0.905, 0.2, epochs), _curve(0.35, 0.89, 0.2, epochs)),
    }
    return {name: {key: np.round(np.clip(noisy(c, 0.005 if "acc" in key else 0.01), 0.0, 1.0 if "acc" in key
                                         else None), 4).tolist()
                   for key, c in zip(("loss", "val_loss", "accuracy", "val_accuracy"), curves)}
            for name, curves in shapes.items()}


HISTORIES = _make_histories()
_DIAGNOSIS = {"A": "underfitting", "B": "overfitting", "C": "underfitting", "D": "good fit", "E": "good fit"}


def _evidence(name: str) -> str:
    """What to look at in history ``name``, in numbers read off it."""
    h = HISTORIES[name]
    loss, val = np.array(h["loss"]), np.array(h["val_loss"])
    best = int(np.argmin(val)) + 1
    if name == "B":
        return (f"its validation loss is lowest at epoch {best} and {val[-1] / val.min():.1f} times that at "
                f"epoch {len(val)}, while its training loss falls to {loss[-1]:.2f}.")
    if name == "C":
        return (f"both losses fell by {loss[-5] - loss[-1]:.2f} in the last four epochs and are still falling, "
                "close together: training stopped before the model learned what it could.")
    if name == "A":
        return (f"both losses level off high (training {loss[-1]:.2f}, validation {val[-1]:.2f}) and close "
                f"together, at a training accuracy of only {h['accuracy'][-1]:.2f}.")
    if name == "D":
        return ("its training curves lie below the validation accuracy and above the validation loss: "
                "measured with dropout active, they say nothing about memorising; the validation curves "
                "level off low and stay there.")
    return (f"both curves level off together, validation loss {val[-1]:.2f} at its lowest, with a small "
            "gap that does not grow.")


def _fit_diagnosis_solution():
    # The evidence per history, in numbers: where the validation loss is lowest, whether it rises again,
    # how far each training loss still falls at the end, and the training accuracy.
    for name, h in HISTORIES.items():
        val = np.array(h["val_loss"])
        print(f"{name}: lowest val_loss at epoch {np.argmin(val) + 1}, then up by {val[-1] - val.min():.2f}; "
              f"training loss {h['loss'][-1]:.2f}, {h['loss'][-1] - h['loss'][-5]:+.2f} in the last 4 epochs; "
              f"accuracy {h['accuracy'][-1]:.2f}, validation {h['val_accuracy'][-1]:.2f}")
    return {"A": "underfitting",  # levels off high: too little capacity or too strong a penalty
            "B": "overfitting",   # validation loss turns up while the training loss goes to 0
            "C": "underfitting",  # still learning at the last epoch: train longer
            "D": "good fit",      # dropout's training curves lie below; validation levels off low
            "E": "good fit"}      # low, level, small steady gap


@exercise(
    "over- or underfitting? five histories",
    hints=[
        "for each model ask two questions: has it learned what the training data can teach (is the training "
        "loss low and level), and does what it learned carry over (does the validation loss stay at its "
        "lowest, or turn and climb)?",
        "a validation loss that turns upwards while the training loss keeps falling is overfitting; losses "
        "that stay high, or are still falling steeply when training stops, are underfitting; remember which "
        "model trained with dropout before you read its training curve.",
        "one model overfits, two underfit (one of them only because it stopped too early), two fit well.",
    ],
    solution=_fit_diagnosis_solution,
    kind="value",
)
def fit_diagnosis(answer: Mapping[str, str]) -> str:
    """Check the learner's verdict per history of ``HISTORIES``: "overfitting", "underfitting" or "good fit"."""
    names = sorted(HISTORIES)
    expect(isinstance(answer, Mapping),
           f"give a dict mapping each of {names} to one of {list(DIAGNOSES)}.")
    expect(set(answer) == set(names), f"give a verdict for each of {names} (and nothing else); got "
                                      f"{sorted(answer)}.")
    odd = {k: v for k, v in answer.items() if v not in DIAGNOSES}
    expect(not odd, f"use exactly one of {list(DIAGNOSES)} per model; got {odd}.")
    for name in names:
        if answer[name] != _DIAGNOSIS[name]:
            raise Fail(f"model {name} is not {answer[name]!r}: {_evidence(name)}")
    return "B overfits; A lacks capacity and C needed more epochs; D (with dropout) and E fit well."


# ---------------------------------------------------------------------------
# Exercise: a random search for λ on a log scale (ridge regression in numpy)
# ---------------------------------------------------------------------------

SEARCH_LOW, SEARCH_HIGH, SEARCH_TRIALS = 1e-4, 1e2, 30
SEARCH_TOLERANCE = 0.10  # a λ whose validation MSE is within 10 % of the range's best passes


def ridge_data(seed: int = 3) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(X_train (40, 30), y_train (40,), X_val (200, 30), y_val (200,)): a linear model with noise.

    Forty rows for thirty weights: without a penalty the fit follows the noise.
    """
    rng = np.random.default_rng(seed)
    n_train, n_val, d = 40, 200, 30
    w_true = rng.normal(scale=0.3, size=d)
    X = rng.normal(size=(n_train + n_val, d))
    y = X @ w_true + rng.normal(size=n_train + n_val)
    return X[:n_train], y[:n_train], X[n_train:], y[n_train:]


RIDGE_DATA = ridge_data()  # what the lesson's exercise uses


def _ridge_mse(lam: float) -> tuple[float, float]:
    """(training MSE, validation MSE) of the ridge fit with strength ``lam``."""
    X, y, Xv, yv = RIDGE_DATA
    n, d = X.shape
    w = np.linalg.solve(X.T @ X / n + lam * np.eye(d), X.T @ y / n)
    return float(np.mean((X @ w - y) ** 2)), float(np.mean((Xv @ w - yv) ** 2))


@functools.cache
def _best_in_range() -> tuple[float, float]:
    """(λ, validation MSE) of the best λ on a fine log grid over the search range."""
    grid = np.logspace(math.log10(SEARCH_LOW), math.log10(SEARCH_HIGH), 601)
    vals = [_ridge_mse(lam)[1] for lam in grid]
    i = int(np.argmin(vals))
    return float(grid[i]), float(vals[i])


def ridge_val_mse(lam: float) -> float:
    """The validation MSE of ridge regression with strength ``lam`` on ``RIDGE_DATA``.

    The 30 weights minimise ½·mean((Xw − y)²) + (λ/2)·‖w‖² on the 40 training rows; the
    error is measured on the 200 validation rows, which the fit never saw.
    """
    X_fit, y_fit, X_check, y_check = RIDGE_DATA
    n, d = X_fit.shape
    w_fit = np.linalg.solve(X_fit.T @ X_fit / n + lam * np.eye(d), X_fit.T @ y_fit / n)
    return float(np.mean((X_check @ w_fit - y_check) ** 2))


SEARCH_SEED = 0  # the seed of the exercise's `search_rng`


def _lambda_search_solution():
    """The λ with the lowest validation MSE among 30 log-uniform trials, run as in the exercise cell."""
    search_rng = np.random.default_rng(SEARCH_SEED)  # the exercise cell's generator
    best_lam, best_mse = None, np.inf
    for _ in range(30):
        lam = 10 ** search_rng.uniform(-4, 2)  # uniform in the exponent: every decade gets the same share of trials
        mse = ridge_val_mse(lam)  # scored on the validation rows, never on the training rows
        if mse < best_mse:
            best_lam, best_mse = lam, mse
    return best_lam


@exercise(
    "a random search for λ on a log scale",
    hints=[
        "a good λ could lie in any of the six decades of the range, so every decade should get the same "
        "share of the trials; and a trial is judged by data the fit did not see.",
        "draw the exponent uniformly between −4 and 2 and raise 10 to it; for each trial fit on the training "
        "rows, compute the MSE on the validation rows, and keep the λ with the lowest.",
        "`lam = 10 ** search_rng.uniform(-4, 2)` thirty times; `best_lam = min(lams, key=ridge_val_mse)`.",
    ],
    solution=_lambda_search_solution,
    kind="experiment",
)
def lambda_search(answer: float) -> str:
    """Check the λ the learner's random search chose for ``ridge_data`` by its validation MSE."""
    lam = expect_number(answer)
    expect(lam > 0, f"λ = {lam:g} is no penalty (or a negative one); the search range is "
                    f"{SEARCH_LOW:g} to {SEARCH_HIGH:g}.")
    expect(SEARCH_LOW * 0.999 <= lam <= SEARCH_HIGH * 1.001,
           f"λ = {lam:g} lies outside the search range {SEARCH_LOW:g} to {SEARCH_HIGH:g}: is the exponent "
           "drawn between −4 and 2, and raised to base 10?")
    _, best_mse = _best_in_range()
    train_mse, val_mse = _ridge_mse(lam)
    excess = val_mse / best_mse - 1
    if excess <= SEARCH_TOLERANCE:
        return (f"validation MSE {val_mse:.3f} at λ = {lam:.3g}, within {SEARCH_TOLERANCE:.0%} of the best the "
                f"range offers ({best_mse:.3f}); the training MSE, {train_mse:.3f}, would have chosen the "
                "smallest λ.")
    best_lam = _best_in_range()[0]
    if lam < best_lam and lam < 1e-3:
        raise Fail(f"at λ = {lam:.2g} the fit follows the noise of its 40 training rows: validation MSE "
                   f"{excess:.0%} above the best in the range. Choosing by training error always favours the "
                   "smallest λ: score each trial on the validation rows.")
    if lam > best_lam:
        raise Fail(f"at λ = {lam:.3g} the penalty is too strong: validation MSE {excess:.0%} above the best in "
                   "the range. Drawing λ itself uniformly from 1e-4 to 100 puts 99 % of the trials above 1 and "
                   "almost never tries small values: draw the exponent uniformly instead.")
    raise Fail(f"at λ = {lam:.3g} the validation MSE is {excess:.0%} above the best the range offers; thirty "
               "log-uniform trials nearly always get within 10 %: is every trial scored on the validation rows?")


# ---------------------------------------------------------------------------
# Exercise: label-preserving augmentations for traffic signs
# ---------------------------------------------------------------------------

# The transforms offered, and why each does or does not keep a traffic sign's label.
SIGN_TRANSFORMS = {
    "horizontal flip": (False, "a mirrored 'turn left' sign is a 'turn right' sign, and 'keep left' becomes "
                               "'keep right': for every sign with a direction the label changes."),
    "vertical flip": (False, "signs are never upside down, and an upside-down arrow points the other way."),
    "rotate 180°": (False, "an arrow turned by 180° points the other way, which is another sign."),
    "rotate ±10°": (True, "a camera tilts and signs lean: a slightly turned sign is the same sign."),
    "shift ±2 pixels": (True, "a detector rarely centres a sign exactly: a shifted sign is the same sign."),
    "zoom ±10%": (True, "signs are seen from different distances: a larger or smaller sign is the same sign."),
    "brightness ±20%": (True, "the same sign is photographed at noon and at dusk."),
    "swap red and blue": (False, "colour carries meaning: red rims forbid, blue discs command; swapping "
                                 "them makes another class of sign."),
}


def _sign_augmentations_solution():
    # Would a driver still read the same sign? Geometry that reverses a direction or turns the sign
    # over changes it; small changes of viewpoint and light do not; colour is part of the meaning.
    return {"rotate ±10°", "shift ±2 pixels", "zoom ±10%", "brightness ±20%"}


@exercise(
    "label-preserving augmentations for traffic signs",
    hints=[
        "ask of each transform: would a driver still read the same sign? Think of the signs with arrows, "
        "and of what their colours mean.",
        "mirroring or turning a sign over reverses its arrows, and a sign's colours carry meaning; a tilted, "
        "shifted, nearer or darker photo still shows the same sign.",
        "keep the small rotations, shifts, zooms and the brightness change; drop the flips, the 180° turn "
        "and the colour swap.",
    ],
    solution=_sign_augmentations_solution,
    kind="value",
)
def sign_augmentations(answer: Iterable[str]) -> str:
    """Check the set of transforms that keep a traffic sign's label (names from SIGN_TRANSFORMS)."""
    names = sorted(SIGN_TRANSFORMS)
    expect(answer is not None and not isinstance(answer, (str, Mapping)),
           f"give a set of transform names; choose from {names}.")
    chosen = set(answer)
    unknown = chosen - SIGN_TRANSFORMS.keys()
    expect(not unknown, f"unknown transform(s) {sorted(unknown)}; choose from {names}.")
    for t, (safe, why) in SIGN_TRANSFORMS.items():
        if t in chosen and not safe:
            raise Fail(f"{t!r} can change the label: {why}")
    for t, (safe, why) in SIGN_TRANSFORMS.items():
        if t not in chosen and safe:
            raise Fail(f"{t!r} also keeps the label: {why}")
    return "small changes of viewpoint and light keep a sign a sign; mirror images and colour swaps do not."


hint, solution, reference = help_for(__name__)
