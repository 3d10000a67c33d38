"""Accept/reject cases for dlcourse.check.ch03 (see check_cases/__init__.py)."""

from __future__ import annotations

import numpy as np

from check_cases import Args, Case, Wrong  # noqa: F401


# --- decayed_sgd_step ----------------------------------------------------------------------------

def decay_without_lr(w, grad, lr, lam):
    return (1 - lam) * w - lr * grad


def in_place_decay(w, grad, lr, lam):
    w *= 1 - lr * lam
    w -= lr * grad
    return w


def no_decay(w, grad, lr, lam):
    return w - lr * grad


def uphill_decay(w, grad, lr, lam):
    return (1 - lr * lam) * w + lr * grad


def decay_after_step(w, grad, lr, lam):
    return (1 - lr * lam) * (w - lr * grad)


# --- the dropout layer ---------------------------------------------------------------------------

class _Layer:
    def __init__(self, rate, seed=0):
        self.rate, self.rng, self.mask = rate, np.random.default_rng(seed), None

    def forward(self, x, train=True):
        if not train:
            self.mask = np.ones_like(x)
            return x.copy()
        self.mask = (self.rng.random(x.shape) >= self.rate) / (1 - self.rate)
        return x * self.mask

    def backward(self, dout):
        return dout * self.mask


class NotInverted(_Layer):
    def forward(self, x, train=True):
        out = super().forward(x, train)
        return out * (1 - self.rate) if train else out


class ScaledByKeep(_Layer):
    def forward(self, x, train=True):
        out = super().forward(x, train)
        return out * (1 - self.rate) ** 2 if train else out


class DropsKeepProbability(_Layer):
    def forward(self, x, train=True):
        if not train:
            return super().forward(x, train)
        self.mask = (self.rng.random(x.shape) < self.rate) / (1 - self.rate)  # keeps with probability rate
        return x * self.mask


class OneMaskPerRow(_Layer):
    def forward(self, x, train=True):
        if not train:
            return super().forward(x, train)
        self.mask = (self.rng.random(x.shape[1]) >= self.rate) / (1 - self.rate) * np.ones_like(x)
        return x * self.mask


class FixedMask(_Layer):
    def forward(self, x, train=True):
        if not train:
            return super().forward(x, train)
        if self.mask is None or self.mask.shape != x.shape or np.all(self.mask == 1):
            self.mask = (self.rng.random(x.shape) >= self.rate) / (1 - self.rate)
        return x * self.mask


class BackwardPassesAll(_Layer):
    def backward(self, dout):
        return dout.copy()


class BackwardUnscaled(_Layer):
    def backward(self, dout):
        return dout * (self.mask != 0)


class OldStyleInference(_Layer):
    """Srivastava et al.'s original: no scaling in training, scale by the keep probability at inference."""

    def forward(self, x, train=True):
        if not train:
            self.mask = np.full_like(x, 1 - self.rate)
            return x * self.mask
        self.mask = (self.rng.random(x.shape) >= self.rate) / (1 - self.rate)
        return x * self.mask


class InPlaceDropout(_Layer):
    def forward(self, x, train=True):
        if not train:
            return super().forward(x, train)
        self.mask = (self.rng.random(x.shape) >= self.rate) / (1 - self.rate)
        x *= self.mask
        return x


class TodoDropout:
    def __init__(self, rate, seed=0):
        raise NotImplementedError


# --- early stopping --------------------------------------------------------------------------------

def _keras_rule(losses, patience):
    best, best_i, since = float("inf"), 0, 0
    for i, v in enumerate(losses):
        if v < best:
            best, best_i, since = v, i, 0
        else:
            since += 1
            if since >= patience:
                return i + 1, best_i + 1
    return len(losses), best_i + 1


def zero_based(losses, patience):
    return tuple(v - 1 for v in _keras_rule(losses, patience))


def ties_improve(losses, patience):  # <= instead of <
    best, best_i, since = float("inf"), 0, 0
    for i, v in enumerate(losses):
        if v <= best:
            best, best_i, since = v, i, 0
        else:
            since += 1
            if since >= patience:
                return i + 1, best_i + 1
    return len(losses), best_i + 1


def restores_last(losses, patience):
    stopped, _ = _keras_rule(losses, patience)
    return stopped, stopped


def never_stops(losses, patience):
    return len(losses), int(np.argmin(losses)) + 1


# --- the histories: the right verdicts, and typical slips -------------------------------------------

RIGHT = {"A": "underfitting", "B": "overfitting", "C": "underfitting", "D": "good fit", "E": "good fit"}


def _but(**changes):
    return {**RIGHT, **changes}


CASES: dict[str, Case] = {
    "decayed_sgd_step": Case(wrong=(
        Wrong(decay_without_lr, "(1 − lr·lam)", "decay-without-lr"),
        Wrong(in_place_decay, "in place", "in-place"),
        Wrong(no_decay, "plain SGD step", "no-decay"),
        Wrong(uphill_decay, "uphill", "sign"),
        Wrong(decay_after_step, "scaled the step too", "decay-after-step"),
        Wrong(lambda w, grad, lr, lam: None, "return", "returns-none"),
    )),
    "dropout_layer": Case(wrong=(
        Wrong(NotInverted, "kept units equal x", "not-inverted"),
        Wrong(ScaledByKeep, "multiplied by (1 − rate)", "multiplies-by-keep"),
        Wrong(DropsKeepProbability, "probability of dropping", "rate-is-keep"),
        Wrong(OneMaskPerRow, "every row got the same mask", "mask-per-row"),
        Wrong(FixedMask, "same mask", "mask-never-redrawn"),
        Wrong(BackwardPassesAll, "let every gradient through", "backward-identity"),
        Wrong(BackwardUnscaled, "forgets the scale", "backward-unscaled"),
        Wrong(OldStyleInference, "non-inverted dropout", "scales-at-inference"),
        Wrong(InPlaceDropout, "in place", "in-place"),
        Wrong(TodoDropout, "not written yet", "placeholder"),
    )),
    "early_stopping": Case(wrong=(
        Wrong(zero_based, "count epochs from 1", "zero-based"),
        Wrong(ties_improve, "patience=", "ties-count-as-improvement"),
        Wrong(restores_last, "(stopped, restored)", "restores-the-last-epoch"),
        Wrong(never_stops, "patience=", "never-stops"),
        Wrong(lambda losses, patience: 3, "pair", "not-a-pair"),
    )),
    "fit_diagnosis": Case(wrong=(
        Wrong(_but(B="good fit"), "model B is not 'good fit'", "overfitting-missed"),
        Wrong(_but(C="good fit"), "still falling", "stopped-early-called-good"),
        Wrong(_but(D="underfitting"), "dropout active", "dropout-curves-misread"),
        Wrong(_but(A="good fit"), "level off high", "capacity-missed"),
        Wrong({k: "overfitting" for k in RIGHT}, "model A is not 'overfitting'", "everything-overfits"),
        Wrong(_but(B="overfit"), "use exactly one of", "wrong-word"),
        Wrong({"A": "underfitting"}, "give a verdict for each", "missing-models"),
        Wrong(None, "give a dict", "placeholder"),
    )),
    "lambda_search": Case(wrong=(
        Wrong(1.5e-4, "Choosing by training error", "chosen-on-training-error"),
        Wrong(3.0, "draw the exponent uniformly", "linear-sampling"),
        Wrong(0.0, "no penalty", "no-penalty"),
        Wrong(1e3, "outside the search range", "out-of-range"),
        Wrong(None, "replace None", "placeholder"),
        Wrong("0.05", "give a number", "a-string"),
    )),
    "sign_augmentations": Case(wrong=(
        Wrong({"horizontal flip", "rotate ±10°", "shift ±2 pixels", "zoom ±10%", "brightness ±20%"},
              "'turn right'", "horizontal-flip"),
        Wrong({"rotate ±10°", "shift ±2 pixels", "zoom ±10%", "brightness ±20%", "swap red and blue"},
              "colour carries meaning", "colour-swap"),
        Wrong({"rotate ±10°", "shift ±2 pixels", "zoom ±10%"}, "'brightness ±20%' also keeps the label",
              "brightness-missing"),
        Wrong({"rotate ±10°", "mixup"}, "unknown", "unknown-transform"),
        Wrong("rotate ±10°", "give a set", "a-string"),
        Wrong(None, "give a set", "placeholder"),
    )),
}
