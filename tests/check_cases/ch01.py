"""Accept/reject cases for dlcourse.check.ch01 (see check_cases/__init__.py)."""

from __future__ import annotations

import numpy as np

from check_cases import Args, Case, Wrong  # noqa: F401
from dlcourse.check import ch01
from dlcourse.scratch import layers
from dlcourse.scratch.gradcheck import relative_error

# --- Activations: each wrong class overrides backward with one typical mistake.


class SigmoidTimesY(layers.Sigmoid):
    def backward(self, dout):
        return dout * self.out  # forgot (1 − y)


class SigmoidMutatesDout(layers.Sigmoid):
    def backward(self, dout):
        dout *= self.out * (1 - self.out)
        return dout


class SigmoidNoReturn(layers.Sigmoid):
    def backward(self, dout):
        dout * self.out * (1 - self.out)


class SigmoidWithoutDout(layers.Sigmoid):
    def backward(self, dout):
        return self.out * (1 - self.out)


class TanhNotSquared(layers.Tanh):
    def backward(self, dout):
        return dout * (1 - self.out)


class TanhSquaredDifference(layers.Tanh):
    def backward(self, dout):
        return dout * (1 - self.out) ** 2


class TanhWithoutDout(layers.Tanh):
    def backward(self, dout):
        return 1 - self.out ** 2


class ReLUPassesAll(layers.ReLU):
    def backward(self, dout):
        return dout.copy()


class ReLUInvertedMask(layers.ReLU):
    def backward(self, dout):
        return np.where(self.mask, 0.0, dout)


class ReLUMasksInPlace(layers.ReLU):
    def backward(self, dout):
        dout[~self.mask] = 0.0
        return dout


class ReLUWithoutDout(layers.ReLU):
    def backward(self, dout):
        return self.mask.astype(float)


class LeakyAsReLU(layers.LeakyReLU):
    def backward(self, dout):
        return np.where(self.mask, dout, 0.0)


class LeakySwapped(layers.LeakyReLU):
    def backward(self, dout):
        return np.where(self.mask, self.alpha * dout, dout)


class LeakyAlphaEverywhere(layers.LeakyReLU):
    def backward(self, dout):
        return self.alpha * dout


class ELUAlphaOne(layers.ELU):
    def backward(self, dout):
        return np.where(self.mask, dout, dout * (self.out + 1.0))


class ELUOutputOnly(layers.ELU):
    def backward(self, dout):
        return np.where(self.mask, dout, dout * self.out)


class ELUAsReLU(layers.ELU):
    def backward(self, dout):
        return np.where(self.mask, dout, 0.0)


# --- Affine


class AffineTransposedDW(layers.Affine):
    def backward(self, dout):
        self.dW = dout.T @ self.x
        self.db = dout.sum(axis=0)
        return dout @ self.W.T


class AffineMeanDb(layers.Affine):
    def backward(self, dout):
        self.dW = self.x.T @ dout
        self.db = dout.mean(axis=0)
        return dout @ self.W.T


class AffineNoDb(layers.Affine):
    def backward(self, dout):
        self.dW = self.x.T @ dout
        return dout @ self.W.T


class AffineRowDb(layers.Affine):
    def backward(self, dout):
        self.dW = self.x.T @ dout
        self.db = dout
        return dout @ self.W.T


class AffineDxTransposed(layers.Affine):
    def backward(self, dout):
        self.dW = self.x.T @ dout
        self.db = dout.sum(axis=0)
        return (dout @ self.W.T).T


class AffineAveragedDW(layers.Affine):
    def backward(self, dout):
        self.dW = self.x.T @ dout / len(dout)
        self.db = dout.sum(axis=0)
        return dout @ self.W.T


class AffineUpdatesW(layers.Affine):
    def backward(self, dout):
        self.dW = self.x.T @ dout
        self.db = dout.sum(axis=0)
        self.W -= 0.1 * self.dW  # an SGD step inside backward
        return dout @ self.W.T


# --- SoftmaxWithLoss


class SoftmaxWithoutN(layers.SoftmaxWithLoss):
    def backward(self, dout=1.0):
        return dout * (self.y - self.t)


class SoftmaxIgnoresDout(layers.SoftmaxWithLoss):
    def backward(self, dout=1.0):
        return (self.y - self.t) / len(self.t)


class SoftmaxSignFlipped(layers.SoftmaxWithLoss):
    def backward(self, dout=1.0):
        return dout * (self.t - self.y) / len(self.t)


class SoftmaxForgetsTargets(layers.SoftmaxWithLoss):
    def backward(self, dout=1.0):
        return dout * self.y / len(self.t)


# --- The gradient checker


def checker_one_sided(f, x, analytic, h=1e-5, threshold=1e-7):
    x = np.array(x, dtype=float)
    numeric, base = np.zeros_like(x), f(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        numeric[i] = (f(x) - base) / h
        x[i] = old
    error = relative_error(analytic, numeric)
    return error, error < threshold


def checker_does_not_restore(f, x, analytic, h=1e-5, threshold=1e-7):
    numeric = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        numeric[i] = (f_plus - f(x)) / (2 * h)  # x[i] stays at old − h
    error = relative_error(analytic, numeric)
    return error, error < threshold


def checker_divides_by_analytic(f, x, analytic, h=1e-5, threshold=1e-7):
    x = np.array(x, dtype=float)
    numeric = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        numeric[i] = (f_plus - f(x)) / (2 * h)
        x[i] = old
    error = float(np.linalg.norm(analytic - numeric) / np.linalg.norm(analytic))
    return error, error < threshold


def checker_vector_only(f, x, analytic, h=1e-5, threshold=1e-7):
    x = np.array(x, dtype=float)
    numeric = np.zeros_like(x)
    for i in range(len(x)):  # a row at a time once x has two axes
        old = x[i]
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        numeric[i] = (f_plus - f(x)) / (2 * h)
        x[i] = old
    error = relative_error(analytic, numeric)
    return error, error < threshold


def checker_fixed_threshold(f, x, analytic, h=1e-5, threshold=1e-7):
    error, _ = ch01.reference("gradient_check")(f, x, analytic, h)
    return error, error < 1e-7


def checker_zero_over_zero(f, x, analytic, h=1e-5, threshold=1e-7):
    x = np.array(x, dtype=float)
    numeric = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        numeric[i] = (f_plus - f(x)) / (2 * h)
        x[i] = old
    with np.errstate(invalid="ignore"):
        error = float(np.linalg.norm(analytic - numeric) / (np.linalg.norm(analytic) + np.linalg.norm(numeric)))
    return error, error < threshold


def checker_returns_error_only(f, x, analytic, h=1e-5, threshold=1e-7):
    return ch01.reference("gradient_check")(f, x, analytic, h, threshold)[0]


# --- The two-layer network: each wrong class overrides one step of the reference.


class _Net:
    def __init__(self, params):
        self.params = params

    def _forward(self, x):
        W1, b1, W2, b2 = (self.params[k] for k in ("W1", "b1", "W2", "b2"))
        z = x @ W1 + b1
        h = np.maximum(z, 0.0)
        return z, h, layers.softmax(h @ W2 + b2)

    def _dscores(self, y, t):
        d = y.copy()
        d[np.arange(len(t)), t] -= 1.0
        return d / len(t)

    def gradient(self, x, t):
        z, h, y = self._forward(x)
        dscores = self._dscores(y, t)
        dz = (dscores @ self.params["W2"].T) * (z > 0)
        return {"W1": x.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dscores, "b2": dscores.sum(axis=0)}


class NetWithoutN(_Net):
    def _dscores(self, y, t):
        return super()._dscores(y, t) * len(t)


class NetWithoutReLUMask(_Net):
    def gradient(self, x, t):
        z, h, y = self._forward(x)
        dscores = self._dscores(y, t)
        dz = dscores @ self.params["W2"].T
        return {"W1": x.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dscores, "b2": dscores.sum(axis=0)}


class NetRowBias(_Net):
    def gradient(self, x, t):
        grads = super().gradient(x, t)
        z, h, y = self._forward(x)
        grads["b2"] = self._dscores(y, t)  # one row per example
        return grads


class NetTransposedW2(_Net):
    def gradient(self, x, t):
        grads = super().gradient(x, t)
        grads["W2"] = grads["W2"].T
        return grads


class NetMaskOnX(_Net):
    def gradient(self, x, t):
        z, h, y = self._forward(x)
        dscores = self._dscores(y, t)
        dz = (dscores @ self.params["W2"].T) * (h > 1.0)  # a wrong mask
        return {"W1": x.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dscores, "b2": dscores.sum(axis=0)}


class NetStepsInPlace(_Net):
    def gradient(self, x, t):
        grads = super().gradient(x, t)
        for k in grads:
            self.params[k] -= 0.1 * grads[k]
        return grads


class NetWithoutB1(_Net):
    def gradient(self, x, t):
        grads = super().gradient(x, t)
        del grads["b1"]
        return grads


CASES: dict[str, Case] = {
    "sigmoid_backward": Case(wrong=(
        Wrong(SigmoidTimesY, "second factor", "forgot-1-minus-y"),
        Wrong(SigmoidMutatesDout, "changed dout in place", "mutates-dout"),
        Wrong(SigmoidNoReturn, "returned None", "no-return"),
        Wrong(SigmoidWithoutDout, "ignores dout", "forgot-dout"),
        Wrong(SigmoidTimesY(), "pass your class itself", "instance-not-class"),
    )),
    "tanh_backward": Case(wrong=(
        Wrong(TanhNotSquared, "1 − y²", "not-squared"),
        Wrong(TanhSquaredDifference, "only y is squared", "squared-difference"),
        Wrong(TanhWithoutDout, "ignores dout", "forgot-dout"),
    )),
    "relu_backward": Case(wrong=(
        Wrong(ReLUPassesAll, "must stop where the input was not positive", "passes-everything"),
        Wrong(ReLUInvertedMask, "mask is inverted", "inverted-mask"),
        Wrong(ReLUMasksInPlace, "changed dout in place", "mutates-dout"),
        Wrong(ReLUWithoutDout, "ignores dout", "forgot-dout"),
    )),
    "leaky_relu_backward": Case(wrong=(
        Wrong(LeakyAsReLU, "keeps the slope alpha", "zero-for-negatives"),
        Wrong(LeakySwapped, "slopes are swapped", "swapped-slopes"),
        Wrong(LeakyAlphaEverywhere, "positive inputs have slope 1", "alpha-everywhere"),
    )),
    "elu_backward": Case(wrong=(
        Wrong(ELUAlphaOne, "alpha is not 1", "alpha-one"),
        Wrong(ELUOutputOnly, "y + alpha", "output-without-alpha"),
        Wrong(ELUAsReLU, "still has a slope", "zero-for-negatives"),
    )),
    "affine_backward": Case(wrong=(
        Wrong(AffineTransposedDW, "is a product transposed?", "transposed-dW"),
        Wrong(AffineMeanDb, "gradient is the sum", "mean-db"),
        Wrong(AffineNoDb, "self.db is not set", "no-db"),
        Wrong(AffineRowDb, "sum dout over the batch", "db-per-row"),
        Wrong(AffineDxTransposed, "expected the input's shape", "transposed-dx"),
        Wrong(AffineAveragedDW, "divided by N", "averaged-dW"),
        Wrong(AffineUpdatesW, "changed the weights", "updates-W"),
    )),
    "softmax_with_loss_backward": Case(wrong=(
        Wrong(SoftmaxWithoutN, "divide by N", "forgot-1-over-N"),
        Wrong(SoftmaxIgnoresDout, "ignores dout", "forgot-dout"),
        Wrong(SoftmaxSignFlipped, "wrong sign", "sign"),
        Wrong(SoftmaxForgetsTargets, "forgets the targets", "forgot-targets"),
    )),
    "gradient_check": Case(wrong=(
        Wrong(checker_one_sided, "one-sided difference", "forward-difference"),
        Wrong(checker_does_not_restore, "restore each entry", "x-not-restored"),
        Wrong(checker_divides_by_analytic, "divides by ‖a‖ alone", "relative-error-one-norm"),
        Wrong(checker_vector_only, "x may have any shape", "vectors-only"),
        Wrong(checker_fixed_threshold, "`threshold` argument", "threshold-ignored"),
        Wrong(checker_zero_over_zero, "0/0", "nan-for-zero-gradients"),
        Wrong(checker_returns_error_only, "return a pair", "error-only"),
    )),
    "two_layer_gradient": Case(wrong=(
        Wrong(NetWithoutN, "N times too large", "forgot-1-over-N"),
        Wrong(NetWithoutReLUMask, "only where its input was positive", "no-relu-mask"),
        Wrong(NetRowBias, "sum over the batch", "b2-per-row"),
        Wrong(NetTransposedW2, "is a product transposed?", "transposed-dW2"),
        Wrong(NetMaskOnX, "W2 and b2 are right", "wrong-mask"),
        Wrong(NetStepsInPlace, "changed the parameters", "updates-params"),
        Wrong(NetWithoutB1, "no 'b1'", "missing-key"),
        Wrong(_Net({}), "pass your class itself", "instance-not-class"),
    )),
    "find_the_bug": Case(wrong=(
        Wrong(2, "wrong only because a wrong gradient reaches it", "victim-affine"),
        Wrong(0, "wrong only because a wrong gradient reaches it", "first-layer"),
        Wrong(4, "above the bug", "last-affine"),
        Wrong(5, "indices 0 to 4", "out-of-range"),
        Wrong("Tanh", "whole number", "a-name"),
    )),
    "sigmoid_depth": Case(wrong=(
        Wrong(2e12, "above 1", "inverted-ratio"),
        Wrong(9e-7, "10-layer network", "ten-layers"),
        Wrong(4.2, "per-layer factor", "per-layer-factor"),
        Wrong(1e-9, "more than 3 times away", "far-off"),
    )),
}
