"""Accept/reject cases for dlcourse.check.ch04 (see check_cases/__init__.py)."""

from __future__ import annotations

import math

import numpy as np

from check_cases import Args, Case, Wrong  # noqa: F401

CASES: dict[str, Case] = {}


# ---------------------------------------------------------------- initialize


def _init_with(std_of):
    """An initializer drawing normal weights with the std ``std_of(scheme, fan_in, fan_out)``."""

    def initialize(scheme, fan_in, fan_out, rng):
        if scheme not in ("xavier", "he"):
            raise ValueError(scheme)
        return rng.normal(0.0, std_of(scheme, fan_in, fan_out), size=(fan_in, fan_out))

    return initialize


def _right_std(scheme, fan_in, fan_out):
    return math.sqrt(2 / (fan_in + fan_out)) if scheme == "xavier" else math.sqrt(2 / fan_in)


def _transposed(scheme, fan_in, fan_out, rng):
    return rng.normal(0.0, _right_std(scheme, fan_in, fan_out), size=(fan_out, fan_in))


def _uniform(scheme, fan_in, fan_out, rng):
    std = _right_std(scheme, fan_in, fan_out)
    return rng.uniform(-std * math.sqrt(3), std * math.sqrt(3), size=(fan_in, fan_out))


def _global_rng(scheme, fan_in, fan_out, rng):
    return np.random.default_rng(0).normal(0.0, _right_std(scheme, fan_in, fan_out), size=(fan_in, fan_out))


def _no_value_error(scheme, fan_in, fan_out, rng):
    std = math.sqrt(2 / (fan_in + fan_out)) if scheme == "xavier" else math.sqrt(2 / fan_in)
    return rng.normal(0.0, std, size=(fan_in, fan_out))


def _key_error(scheme, fan_in, fan_out, rng):
    std = {"xavier": math.sqrt(2 / (fan_in + fan_out)), "he": math.sqrt(2 / fan_in)}[scheme]
    return rng.normal(0.0, std, size=(fan_in, fan_out))


def _not_centred(scheme, fan_in, fan_out, rng):
    return rng.normal(1.0, _right_std(scheme, fan_in, fan_out), size=(fan_in, fan_out))


CASES["initialize"] = Case(wrong=(
    Wrong(_init_with(lambda s, i, o: 2 / (i + o) if s == "xavier" else 2 / i), "variance, not the standard",
          "variance-not-std"),
    Wrong(_init_with(lambda s, i, o: math.sqrt(2 / i)), "that is He's std", "xavier-as-he"),
    Wrong(_init_with(lambda s, i, o: math.sqrt(1 / i)), "LeCun", "lecun-for-both"),
    Wrong(_init_with(lambda s, i, o: math.sqrt(2 / (i + o)) if s == "xavier" else math.sqrt(2 / o)),
          "you used fan_out", "he-with-fan-out"),
    Wrong(_init_with(lambda s, i, o: math.sqrt(1 / (i + o)) if s == "xavier" else math.sqrt(2 / i)),
          "the 2 is missing", "xavier-without-2"),
    Wrong(_transposed, "(fan_out, fan_in)", "transposed-shape"),
    Wrong(_uniform, "not a uniform", "uniform-distribution"),
    Wrong(_global_rng, "draw from the `rng` argument", "ignores-the-generator"),
    Wrong(_no_value_error, "raise a ValueError", "unknown-scheme-accepted"),
    Wrong(_key_error, "raised KeyError", "keyerror-for-unknown-scheme"),
    Wrong(_not_centred, "centre the normal at zero", "mean-not-zero"),
    Wrong(lambda scheme, fan_in, fan_out, rng: None, "forget `return`", "returns-none"),
))

# ---------------------------------------------------------------- relu_std_ratios

_S = math.sqrt
CASES["relu_std_ratios"] = Case(wrong=(
    Wrong((10.0, 1.0, _S(2)), "you left out the ReLU", "no-relu-halving"),
    Wrong((50.0, 0.5, 1.0), "factors of the variance", "variance-factors"),
    Wrong((100.0, 1.0, 2.0), "without the ReLU's halving", "variance-without-halving"),
    Wrong((_S(50), 1.0, 1.0), "Xavier", "xavier-keeps-the-scale"),
    Wrong((_S(50), _S(0.5)), "three numbers", "two-numbers"),
    Wrong(None, "replace None", "unedited"),
    Wrong("7, 0.7, 1", "give three numbers", "a-string"),
))

# ---------------------------------------------------------------- batchnorm_forward


def _fwd(fn):
    return lambda x, gamma, beta, eps=1e-3: fn(x, gamma, beta, eps)


def _mutating_forward(x, gamma, beta, eps=1e-3):
    x -= x.mean(axis=0)
    return gamma * x / np.sqrt(x.var(axis=0) + eps) + beta


CASES["batchnorm_forward"] = Case(wrong=(
    Wrong(_fwd(lambda x, g, b, e: g * (x - x.mean(0)) / np.sqrt(x.var(0, ddof=1) + e) + b), "unbiased variance",
          "unbiased-variance"),
    Wrong(_fwd(lambda x, g, b, e: g * (x - x.mean(0)) / (np.sqrt(x.var(0)) + e) + b), "eps belongs inside",
          "eps-outside-the-root"),
    Wrong(_fwd(lambda x, g, b, e: g * (x - x.mean(0)) / np.sqrt(x.var(0)) + b), "eps is missing", "no-eps"),
    Wrong(_fwd(lambda x, g, b, e: g * (x - x.mean(1, keepdims=True)) / np.sqrt(x.var(1, keepdims=True) + e) + b),
          "axis 0", "normalised-per-example"),
    Wrong(_fwd(lambda x, g, b, e: (x - x.mean(0)) / np.sqrt(x.var(0) + e) + b), "gamma is missing", "no-gamma"),
    Wrong(_fwd(lambda x, g, b, e: g * (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-3) + b), "do you use the eps passed in",
          "eps-fixed-inside"),
    Wrong(_fwd(lambda x, g, b, e: g * (x - x.mean(0)) / (x.var(0) + e) + b), "divided by the variance",
          "divides-by-variance"),
    Wrong(_mutating_forward, "changed x in place", "mutates-x"),
))

# ---------------------------------------------------------------- batchnorm_backward


def _staged(ddof=0, eps_outside=False, var_path=True, var_divisor="m", mean_path=True, mean_divisor="m",
            use_gamma=True, dgamma_of=None, dbeta_of=None):
    """A staged batch-norm backward pass with one typical mistake switched on."""

    def backward(dout, x, gamma, eps=1e-3):
        m = x.shape[0]
        xc = x - x.mean(axis=0)
        var = (xc ** 2).sum(axis=0) / (m - ddof)
        std = np.sqrt(var) + eps if eps_outside else np.sqrt(var + eps)
        x_hat = xc / std
        dbeta = dout.sum(axis=0) if dbeta_of is None else dbeta_of(dout, x, x_hat)
        dgamma = (dout * x_hat).sum(axis=0) if dgamma_of is None else dgamma_of(dout, x, x_hat)
        dx_hat = dout * gamma if use_gamma else dout
        dxc = dx_hat / std
        if var_path:
            dstd = -(dx_hat * xc).sum(axis=0) / std ** 2
            dvar = dstd / (2 * (np.sqrt(var) if eps_outside else std))
            dxc = dxc + 2 * xc * dvar / {"m": m - ddof, "m-1": m - 1, "1": 1}[var_divisor]
        if mean_path:
            dxc = dxc - dxc.sum(axis=0) / (m if mean_divisor == "m" else 1)
        return dxc, dgamma, dbeta

    return backward


def _mutating_backward(dout, x, gamma, eps=1e-3):
    dout *= gamma  # in place: the caller's dout changes
    x_hat = (x - x.mean(0)) / np.sqrt(x.var(0) + eps)
    dx = (dout - dout.mean(0) - x_hat * (dout * x_hat).mean(0)) / np.sqrt(x.var(0) + eps)
    return dx, (dout / gamma * x_hat).sum(0), (dout / gamma).sum(0)


CASES["batchnorm_backward"] = Case(wrong=(
    Wrong(_staged(ddof=1), "unbiased variance", "unbiased-variance"),
    Wrong(_staged(var_divisor="m-1"), "you divided by m − 1", "gradient-divides-by-m-minus-1"),
    Wrong(_staged(var_divisor="1"), "the 1/m of the variance's mean is missing", "forgotten-1-over-m"),
    Wrong(_staged(eps_outside=True), "eps belongs inside the square root", "eps-outside-the-root"),
    Wrong(_staged(var_path=False), "path through the variance", "no-variance-path"),
    Wrong(_staged(mean_path=False), "path through the mean", "no-mean-path"),
    Wrong(_staged(var_path=False, mean_path=False), "inference-mode gradient", "inference-gradient-in-training"),
    Wrong(_staged(mean_divisor="1"), "divides by m", "mean-path-without-1-over-m"),
    Wrong(_staged(use_gamma=False), "multiply dout by γ", "gamma-forgotten-in-dx"),
    Wrong(_staged(dgamma_of=lambda dout, x, x_hat: (dout * x).sum(0)), "not by x", "dgamma-uses-x"),
    Wrong(_staged(dgamma_of=lambda dout, x, x_hat: dout * x_hat), "sum over the batch axis", "dgamma-not-summed"),
    Wrong(_staged(dbeta_of=lambda dout, x, x_hat: dout.mean(0)), "so sum", "dbeta-averaged"),
    Wrong(lambda dout, x, gamma, eps=1e-3: _staged()(dout, x, gamma, eps)[0], "as a tuple (dx, dgamma, dbeta)",
          "returns-dx-only"),
    Wrong(_mutating_backward, "in place", "mutates-dout"),
))

# ---------------------------------------------------------------- bn_bad_init

CASES["bn_bad_init"] = Case(wrong=(
    Wrong((1.8e-11, "c"), "that is the network without batch norm", "measured-without-bn"),
    Wrong((0.587, "a"), "did you use weights of std 0.001", "measured-he-weights"),
    Wrong((0.49, "a"), "PyTorch's 1e-5", "measured-small-eps-or-std-0.01"),
    Wrong((2.1e-4, "a"), "far below the 0.58", "reads-it-as-restored"),
    Wrong((2.1e-4, "c"), "run the same network without batch norm", "reads-it-as-no-effect"),
    Wrong((2.1e-4, "d"), "nothing exploded", "reads-it-as-exploding"),
    Wrong((2.1e-4, "e"), "choose one of the letters", "no-such-choice"),
    Wrong((None, None), "replace the Nones", "unedited"),
    Wrong((0.05, "b"), "is not what this network gives", "some-other-network"),
))

# ---------------------------------------------------------------- steps_to_forget

CASES["steps_to_forget"] = Case(wrong=(
    Wrong((100, 10), "the average's memory", "one-over-one-minus-momentum"),
    Wrong((458, 43), "one step short", "floor-not-ceil"),
    Wrong((459, 46), "momentum 0.9", "approximation-for-0.9"),
    Wrong((458.2, 43.7), "whole numbers", "not-whole"),
    Wrong((458.0, 43.0), "one step short", "floor-not-ceil-as-floats"),
    Wrong((True, 44), "whole numbers", "a-bool"),
    Wrong(None, "replace None", "unedited"),
))

# ---------------------------------------------------------------- bn_parameter_counts

_DENSE = 32 * 32 * 3 * 100  # Dense(100, use_bias=False) on a flattened 32×32 RGB image
CASES["bn_parameter_counts"] = Case(wrong=(
    Wrong((_DENSE + 100 + 200, 200), "use_bias=False", "counted-the-dense-bias"),
    Wrong((200, 200), "weights are trainable too", "forgot-the-dense-layer"),
    Wrong((_DENSE, 200), "gamma and beta are trained", "forgot-gamma-and-beta"),
    Wrong((32 * 32 * 100 + 200, 200), "RGB", "one-input-channel"),
    Wrong((_DENSE + 400, 0), "the total is right", "moving-statistics-counted-trainable"),
    Wrong((_DENSE, 400), "the total is right", "gamma-beta-counted-non-trainable"),
    Wrong((_DENSE + 2 * 3072, 2 * 3072), "not the 3,072 inputs", "statistics-per-input"),
    Wrong((_DENSE + 200, 400), "how many per unit", "too-many-statistics"),
    Wrong((None, None), "whole number", "unedited-pair"),
    Wrong(None, "replace None", "unedited"),
))
