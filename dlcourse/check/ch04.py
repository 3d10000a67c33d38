"""Exercise checks for lesson 04 (initialization and batch normalization)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from dlcourse.check import Fail, exercise, expect, expect_close, help_for
from dlcourse.scratch import init
from dlcourse.scratch.batchnorm import BatchNorm
from dlcourse.scratch.gradcheck import GRADCHECK_PASS, numerical_gradient, relative_error

# ---------------------------------------------------------------- Xavier and He initializers


def _initialize_solution(scheme: str, fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    """Weights (fan_in, fan_out) from a normal with Xavier's or He's standard deviation."""
    if scheme == "xavier":
        std = math.sqrt(2.0 / (fan_in + fan_out))  # a compromise between the forward and the backward signal
    elif scheme == "he":
        std = math.sqrt(2.0 / fan_in)  # twice 1/fan_in: a ReLU zeroes half of the signal
    else:
        raise ValueError(f"unknown scheme {scheme!r}; use 'xavier' or 'he'")
    return rng.normal(0.0, std, size=(fan_in, fan_out))


# Non-square layers tell fan_in from fan_out; 30,000+ draws pin the std down to about 0.4 %.
_INIT_FANS = ((400, 100), (100, 400), (300, 300))
_STD_TOLERANCE = 0.03  # relative; ten times the sampling noise of the smallest layer's std


def _init_mistakes(scheme: str, fan_in: int, fan_out: int) -> dict[str, float]:
    """Message → the std a typical mistake gives for this layer."""
    right = _expected_std(scheme, fan_in, fan_out)
    common = {
        "your weights' spread is the variance, not the standard deviation: take the square root "
        "of the formula": right ** 2,
        "your weights look uniform with the right limit but the wrong spread: draw from a normal "
        "distribution with that standard deviation": right / math.sqrt(3),
    }
    if scheme == "he":
        return {
            "that is 1/√fan_in (LeCun's scale), right for tanh-like units; He doubles the variance "
            "for ReLU": math.sqrt(1.0 / fan_in),
            "you used fan_out; He's variance divides by fan_in, the number of inputs each unit sums":
                math.sqrt(2.0 / fan_out),
            "that is Xavier's std; He's depends on fan_in only": math.sqrt(2.0 / (fan_in + fan_out)),
            **common,
        }
    return {
        "that is He's std, 2 / fan_in; Xavier's variance divides 2 by fan_in + fan_out": math.sqrt(2.0 / fan_in),
        "that is 1/√fan_in (LeCun's scale); Xavier's variance divides 2 by fan_in + fan_out":
            math.sqrt(1.0 / fan_in),
        "the 2 is missing: Xavier's variance is 2 divided by fan_in + fan_out": math.sqrt(1.0 / (fan_in + fan_out)),
        **common,
    }


def _expected_std(scheme: str, fan_in: int, fan_out: int) -> float:
    return init.xavier_std(fan_in, fan_out) if scheme == "xavier" else init.he_std(fan_in)


def _weights(fn: Callable[..., Any], scheme: str, fan_in: int, fan_out: int, seed: int) -> np.ndarray:
    """The learner's weights as a float array, with the shape checked."""
    w = fn(scheme, fan_in, fan_out, np.random.default_rng(seed))
    expect(w is not None, "the function returned None: did you forget `return`?")
    w = np.asarray(w, dtype=float)
    if w.shape == (fan_out, fan_in) and fan_in != fan_out:
        raise Fail(f"the weights have shape {w.shape}, i.e. (fan_out, fan_in); a dense layer computes "
                   f"x @ W, so W is (fan_in, fan_out) = {(fan_in, fan_out)}.")
    expect(w.shape == (fan_in, fan_out), f"the weights have shape {w.shape}, expected (fan_in, fan_out) = "
                                         f"{(fan_in, fan_out)}.")
    expect(bool(np.all(np.isfinite(w))), "the weights contain NaN or inf.")
    return w


@exercise(
    "initialize(scheme, fan_in, fan_out, rng): Xavier and He",
    hints=[
        "both schemes draw from a normal centred at zero; they differ only in its spread, which "
        "depends on how many inputs each unit sums (and, for Xavier, how many units each input feeds).",
        "Xavier's variance is 2 / (fan_in + fan_out), He's is 2 / fan_in; the standard deviation is "
        "the square root. Draw with `rng.normal(mean, std, size)`, the generator you are given.",
        "`std = math.sqrt(2 / fan_in)` for \"he\", `math.sqrt(2 / (fan_in + fan_out))` for \"xavier\", "
        "`raise ValueError(...)` for any other name; then `return rng.normal(0.0, std, size=(fan_in, fan_out))`.",
    ],
    solution=_initialize_solution,
    shows=("init.xavier_std", "init.he_std", "init.initialize"),
)
def initialize(fn: Callable[..., Any]) -> str:
    """Check a learner's Xavier/He initializer: shape, mean, spread, normality, the generator, bad names."""
    for scheme in ("xavier", "he"):
        for fan_in, fan_out in _INIT_FANS:
            w = _weights(fn, scheme, fan_in, fan_out, seed=7)
            want = _expected_std(scheme, fan_in, fan_out)
            mean, std = float(w.mean()), float(w.std())
            layer = f"{scheme!r} with fan_in={fan_in}, fan_out={fan_out}"
            expect(abs(mean) < 0.1 * want,
                   f"for {layer} the weights' mean is {mean:.3g}, far from 0: centre the normal at zero.")
            if abs(std / want - 1) > _STD_TOLERANCE:
                for message, wrong in _init_mistakes(scheme, fan_in, fan_out).items():
                    if abs(std / wrong - 1) < _STD_TOLERANCE:
                        raise Fail(f"for {layer} your weights have std {std:.4g}: {message}.")
                raise Fail(f"for {layer} your weights have std {std:.4g}, expected about {want:.4g}.")
            within = float(np.mean(np.abs(w - mean) < std))  # 0.683 for a normal, 0.577 for a uniform
            expect(abs(within - 0.683) < 0.03,
                   f"for {layer} {within:.0%} of the weights lie within one standard deviation of the "
                   "mean; a normal distribution puts 68 % there: draw from a normal, not a uniform.")
    same = [_weights(fn, "he", 50, 20, seed=3) for _ in range(2)]
    other = _weights(fn, "he", 50, 20, seed=4)
    expect(np.array_equal(same[0], same[1]) and not np.array_equal(same[0], other),
           "generators with the same seed must give the same weights, different seeds different ones: "
           "draw from the `rng` argument, not from `np.random` or a generator of your own.")
    try:
        fn("glorot", 10, 10, np.random.default_rng(0))
    except ValueError:
        pass
    except Exception as err:  # noqa: BLE001 — any other error type is the learner's to fix
        raise Fail(f"an unknown scheme name raised {type(err).__name__}; raise ValueError, the error "
                   "for a bad argument value.") from None
    else:
        raise Fail("an unknown scheme name ('glorot') returned weights: raise a ValueError, so that a "
                   "misspelt name cannot silently give the wrong scale.")
    return "Xavier's std for a 400 → 100 layer is 0.0632, He's 0.0707; both scale like 1/√fan_in."


# ---------------------------------------------------------------- predicted growth per layer


def _relu_std_ratios_solution() -> tuple[float, float, float]:
    """Per-layer factor of a ReLU net's signal std: √(n · Var(w) / 2), n = 100 inputs per unit."""
    n = 100
    variances = (1.0, 2.0 / (n + n), 2.0 / n)  # std 1, Xavier (a square layer), He
    # n · Var(w) multiplies the second moment of the signal, the ReLU halves it, and the
    # standard deviation is the square root of that factor.
    return tuple(math.sqrt(n * var / 2) for var in variances)


RATIO_SCHEMES = ("std 1", "Xavier", "He")


@exercise(
    "predicted growth of a ReLU signal per layer",
    hints=[
        "a layer multiplies the second moment of its input by the number of inputs each unit sums "
        "times the variance of a weight; then the ReLU throws part of it away. The standard deviation "
        "follows the square root of the combined factor.",
        "the factor on the second moment is n · Var(w) · ½ with n = 100 (the ReLU zeroes half the "
        "signal); Xavier's Var(w) for a square layer is 2 / (n + n), He's is 2 / n.",
        "take √(100 · Var(w) / 2) for Var(w) = 1, 0.01 and 0.02.",
    ],
    solution=_relu_std_ratios_solution,
    kind="value",
)
def relu_std_ratios(answer: Sequence[float] | None) -> str:
    """Check the learner's three predicted per-layer factors (std 1, Xavier, He)."""
    expect(answer is not None, "replace None with three numbers: the factors for std 1, Xavier and He.")
    try:
        got = [float(a) for a in answer]
    except (TypeError, ValueError):
        raise Fail("give three numbers, e.g. a tuple (factor_std1, factor_xavier, factor_he).") from None
    expect(len(got) == 3, f"give three numbers (std 1, Xavier, He), got {len(got)}.")
    want = np.array(_relu_std_ratios_solution())
    got_arr = np.array(got)
    if np.allclose(got_arr, want, rtol=0.02):
        return ("√50 ≈ 7.1, √0.5 ≈ 0.71 and 1: std 1 explodes, Xavier halves the variance at every "
                "layer, He keeps it; compare with the table below.")
    mistakes = {
        "you left out the ReLU, which sets about half of its inputs to zero and so halves the "
        "second moment": want * math.sqrt(2),
        "those are the factors of the variance; the standard deviation changes by their square root": want ** 2,
        "those are variance factors without the ReLU's halving: take half, then the square root": 2 * want ** 2,
    }
    for message, wrong in mistakes.items():
        if np.allclose(got_arr, wrong, rtol=0.02):
            raise Fail(message + ".")
    off = [name for name, g, w in zip(RATIO_SCHEMES, got_arr, want) if not math.isclose(g, w, rel_tol=0.02)]
    raise Fail(f"the factor for {', '.join(off)} is not right (within 2 %).")


# ---------------------------------------------------------------- batch norm, forward


def _batchnorm_forward_solution(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray,
                                eps: float = 1e-3) -> np.ndarray:
    """Training-mode batch norm of an (N, D) batch: each feature normalised over the batch."""
    mean = x.mean(axis=0)
    var = x.var(axis=0)  # biased (÷ N), as the layer normalises
    x_hat = (x - mean) / np.sqrt(var + eps)
    return gamma * x_hat + beta


def _reference_bn(x: np.ndarray, gamma: np.ndarray | float, beta: np.ndarray | float, eps: float) -> np.ndarray:
    return gamma * (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps) + beta


def _forward_mistakes(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> dict[str, np.ndarray]:
    mean, var = x.mean(0), x.var(0)
    return {
        "you divide by the unbiased variance (ddof=1); batch norm normalises with the "
        "biased one, x.var(axis=0)": gamma * (x - mean) / np.sqrt(x.var(0, ddof=1) + eps) + beta,
        "eps is missing: add it to the variance inside the square root": gamma * (x - mean) / np.sqrt(var) + beta,
        "you normalised each example (axis 1); batch norm normalises each feature over the "
        "batch, axis 0": gamma * (x - x.mean(1, keepdims=True)) / np.sqrt(x.var(1, keepdims=True) + eps) + beta,
        "gamma is missing: scale x̂ by gamma before adding beta": _reference_bn(x, 1.0, beta, eps),
        "beta is missing: add beta after scaling": _reference_bn(x, gamma, 0.0, eps),
        "eps belongs inside the square root: √(var + eps), not √var + eps":
            gamma * (x - mean) / (np.sqrt(var) + eps) + beta,
        "you divided by the variance; divide by the standard deviation √(var + eps)":
            gamma * (x - mean) / (var + eps) + beta,
    }


@exercise(
    "batchnorm_forward(x, gamma, beta, eps) in training mode",
    hints=[
        "normalise every feature (column) over the batch, then let gamma and beta rescale and shift it.",
        "use the batch mean and the biased variance of each column (axis 0); eps goes inside the square root.",
        "x̂ = (x − mean) / √(var + eps), then gamma · x̂ + beta.",
    ],
    solution=_batchnorm_forward_solution,
    shows=("BatchNorm.forward",),
)
def batchnorm_forward(fn: Callable[..., np.ndarray]) -> str:
    """Check a training-mode batch-norm forward pass on (N, D) batches of several shapes."""
    rng = np.random.default_rng(4)
    for n, d in ((8, 5), (4, 3), (16, 2)):
        x = rng.normal(3.0, 2.0, (n, d)) * rng.uniform(0.1, 5.0, d)
        gamma, beta, eps = rng.normal(1.0, 0.5, d), rng.normal(0.0, 1.0, d), 1e-3
        x_in = x.copy()
        got = fn(x_in, gamma.copy(), beta.copy(), eps)
        expect(got is not None, "the function returned None: did you forget `return`?")
        expect(np.array_equal(x_in, x), "your function changed x in place: work on a copy.")
        got = np.asarray(got, dtype=float)
        expect(got.shape == x.shape, f"the output has shape {got.shape}, expected {x.shape}.")
        if not np.allclose(got, _reference_bn(x, gamma, beta, eps), rtol=1e-6, atol=1e-8):
            for message, wrong in _forward_mistakes(x, gamma, beta, eps).items():
                if np.allclose(got, wrong, rtol=1e-6, atol=1e-8):
                    raise Fail(message + ".")
            expect_close(got, _reference_bn(x, gamma, beta, eps), what=f"your output for a {(n, d)} batch")
    # Variance 1e-4 < eps = 1e-2: catches an eps fixed inside the function.
    tiny = rng.normal(0.0, 0.01, (6, 5))
    gamma, beta = rng.normal(1.0, 0.5, 5), rng.normal(0.0, 1.0, 5)
    expect_close(fn(tiny, gamma, beta, 1e-2), _reference_bn(tiny, gamma, beta, 1e-2),
                 what="the output for a batch with small variance and eps = 1e-2 (do you use the eps passed in?)")
    return "x̂ has mean 0 and variance ≈ 1 per feature; gamma and beta set them anew."


# ---------------------------------------------------------------- batch norm, backward


def _batchnorm_backward_solution(dout: np.ndarray, x: np.ndarray, gamma: np.ndarray,
                                 eps: float = 1e-3) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Training-mode gradients (dx, dgamma, dbeta) of batch norm, stage by stage."""
    m = x.shape[0]
    # The forward pass again, one stage at a time: backward walks these stages in reverse.
    mu = x.mean(axis=0)
    xc = x - mu
    var = (xc ** 2).mean(axis=0)  # biased, ÷ m
    std = np.sqrt(var + eps)
    x_hat = xc / std
    # y = gamma · x_hat + beta
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx_hat = dout * gamma
    # x_hat = xc / std: xc reaches x_hat directly, and through std
    dxc = dx_hat / std
    dstd = -(dx_hat * xc).sum(axis=0) / std ** 2
    dvar = dstd / (2 * std)  # std = √(var + eps)
    dxc += 2 * xc * dvar / m  # var = mean of xc²
    # xc = x − mu, and mu = mean of x: every x also moves mu
    dmu = -dxc.sum(axis=0)
    dx = dxc + dmu / m
    return dx, dgamma, dbeta


def _staged_dx(dout: np.ndarray, x: np.ndarray, gamma: np.ndarray, eps: float, *, ddof: int = 0,
               eps_outside: bool = False, var_path: bool = True, var_divisor: str = "m",
               mean_path: bool = True, mean_divisor: str = "m") -> np.ndarray:
    """dx of batch norm's training mode, with the switches a typical mistake flips."""
    m = x.shape[0]
    xc = x - x.mean(axis=0)
    var = (xc ** 2).sum(axis=0) / (m - ddof)
    root = np.sqrt(var)
    std = root + eps if eps_outside else np.sqrt(var + eps)
    dx_hat = dout * gamma
    dxc = dx_hat / std
    if var_path:
        dstd = -(dx_hat * xc).sum(axis=0) / std ** 2
        dvar = dstd / (2 * (root if eps_outside else std))
        divisor = {"m": m - ddof, "m-1": m - 1, "1": 1}[var_divisor]
        dxc = dxc + 2 * xc * dvar / divisor
    if mean_path:
        dxc = dxc - dxc.sum(axis=0) / (m if mean_divisor == "m" else 1)
    return dxc


_DX_MISTAKES: dict[str, dict[str, Any]] = {
    "you normalised with the unbiased variance (÷ (m − 1)); batch norm uses the biased one (÷ m), "
    "in the forward stages and so in the variance's gradient": dict(ddof=1),
    "the variance is a mean over m values, so its gradient 2(x − μ)/m divides by m; you divided by "
    "m − 1 (the unbiased variance's m − 1)": dict(var_divisor="m-1"),
    "the 1/m of the variance's mean is missing from its gradient: d(σ²)/dx = 2(x − μ)/m": dict(var_divisor="1"),
    "eps belongs inside the square root, σ = √(σ² + ε), in the forward stages as in their gradients; "
    "you have √σ² + ε": dict(eps_outside=True),
    "you left out the path through the variance: every x also moves σ², and σ² divides every x̂":
        dict(var_path=False),
    "you left out the path through the mean: every x also moves μ, which every x − μ subtracts":
        dict(mean_path=False),
    "that is the inference-mode gradient, dout · γ / σ; in training every x also moves the batch "
    "mean and variance, so both paths add to dx": dict(var_path=False, mean_path=False),
    "the mean's share is spread over m inputs: the path through μ divides by m": dict(mean_divisor="1"),
}


def _check_param_grad(name: str, got: np.ndarray, want: np.ndarray, shape: tuple[int, int],
                      wrong: dict[str, np.ndarray]) -> None:
    if got.shape == shape:
        raise Fail(f"{name} has shape {got.shape}, one value per example; {name[1:]} is shared by the "
                   f"whole batch, so sum over the batch axis to get shape {want.shape}.")
    expect(got.shape == want.shape, f"{name} has shape {got.shape}, expected {want.shape} (one per feature).")
    if not np.allclose(got, want, rtol=1e-6, atol=1e-9):
        for message, value in wrong.items():
            if np.allclose(got, value, rtol=1e-6, atol=1e-9):
                raise Fail(f"{name}: {message}.")
        expect_close(got, want, what=name)


# (batch shape, scale of x, eps): a small batch makes ÷ m and ÷ (m − 1) differ clearly; the
# last draw's variance (about 0.01) is comparable to its eps, so eps's place shows.
_BN_DRAWS = (((8, 5), 2.0, 1e-3), ((4, 3), 1.0, 1e-3), ((6, 4), 0.1, 1e-2))


@exercise(
    "batchnorm_backward(dout, x, gamma, eps): the staged derivation",
    hints=[
        "write the forward pass as a chain of small stages (the mean, the centred input, the variance, "
        "the standard deviation, the normalised input, the output) and walk back through them, one "
        "chain-rule step each; an input that reaches a stage by two routes adds up both gradients.",
        "dbeta sums dout over the batch and dgamma sums dout times x̂. Backward from x̂ = xc / σ: xc gets "
        "dx̂ / σ directly, and σ gets minus the sum of dx̂ · xc / σ²; σ = √(var + eps) and var = mean(xc²) "
        "pass that on to xc as 2 · xc / m · dvar.",
        "last, xc = x − μ: dx is dxc minus its mean over the batch (the path through μ). The whole "
        "thing collapses to (1/σ) · (g − mean(g) − x̂ · mean(g · x̂)) with g = γ · dout, the formula "
        "above.",
    ],
    solution=_batchnorm_backward_solution,
    shows=("BatchNorm.backward",),
)
def batchnorm_backward(fn: Callable[..., Any]) -> str:
    """Check (dx, dgamma, dbeta) against BatchNorm.backward and the numerical gradient."""
    rng = np.random.default_rng(44)
    worst = 0.0
    for shape, scale, eps in _BN_DRAWS:
        x = rng.normal(1.0, scale, shape)
        gamma, dout = rng.normal(1.0, 0.5, shape[1]), rng.normal(size=shape)
        args = (dout.copy(), x.copy(), gamma.copy())
        result = fn(*args, eps)
        expect(all(np.array_equal(a, b) for a, b in zip(args, (dout, x, gamma))),
               "your function changed one of its inputs in place (dout, x or gamma): work on copies.")
        expect(result is not None, "the function returned None: did you forget `return`?")
        expect(isinstance(result, (tuple, list)) and len(result) == 3,
               "return the three gradients as a tuple (dx, dgamma, dbeta).")
        dx, dgamma, dbeta = (np.asarray(r, dtype=float) for r in result)
        layer = BatchNorm(gamma, np.zeros(shape[1]), eps=eps)
        layer.forward(x, train=True)
        want_dx = layer.backward(dout)
        expect(dx.shape == shape, f"dx has shape {dx.shape}, expected the shape of x, {shape}.")
        expect(bool(np.all(np.isfinite(dx))), "dx contains NaN or inf.")

        def loss(v: np.ndarray) -> float:
            return float(np.sum(BatchNorm(gamma, np.zeros(shape[1]), eps=eps).forward(v, train=True) * dout))

        # The verdict on dx: its relative error against the numerical gradient must be below the
        # chapter's threshold, and it must equal BatchNorm.backward's (which names the slip).
        err = relative_error(dx, numerical_gradient(loss, x))
        if err > GRADCHECK_PASS or not np.allclose(dx, want_dx, rtol=1e-6, atol=1e-9):
            against = f" (relative error against the numerical gradient: {err:.1e}; a correct one is below " \
                      f"{GRADCHECK_PASS:g})"
            if np.allclose(dx, _staged_dx(dout, x, np.ones_like(gamma), eps), rtol=1e-6, atol=1e-9):
                raise Fail("dx: multiply dout by γ first, since the output is γ · x̂ + β" + against + ".")
            for message, switches in _DX_MISTAKES.items():
                if np.allclose(dx, _staged_dx(dout, x, gamma, eps, **switches), rtol=1e-6, atol=1e-9):
                    raise Fail(f"dx: {message}{against}.")
            if err > GRADCHECK_PASS:
                raise Fail(f"dx fails the gradient check for a {shape} batch: its relative error against the "
                           f"numerical gradient is {err:.1e}, above the threshold {GRADCHECK_PASS:g}.")
            raise Fail(f"dx differs from BatchNorm.backward for a {shape} batch{against}.")
        xc = x - x.mean(0)
        x_hat = xc / np.sqrt(x.var(0) + eps)
        _check_param_grad("dbeta", dbeta, layer.dbeta, shape, {
            "average over the batch is not the gradient: each example adds its own share, so sum":
                dout.mean(0)})
        _check_param_grad("dgamma", dgamma, layer.dgamma, shape, {
            "multiply dout by x̂, the normalised input, not by x": (dout * x).sum(0),
            "that is dbeta; the output is γ · x̂ + β, so dgamma weighs dout by x̂": dout.sum(0),
            "average over the batch is not the gradient: each example adds its own share, so sum":
                (dout * x_hat).mean(0),
            "your x̂ uses the unbiased variance (÷ (m − 1)); batch norm's is the biased one (÷ m)":
                (dout * xc / np.sqrt(x.var(0, ddof=1) + eps)).sum(0),
            "your x̂ has eps outside the square root; it belongs inside, √(σ² + ε)":
                (dout * xc / (np.sqrt(x.var(0)) + eps)).sum(0)})
        worst = max(worst, err)
    return (f"dx, dgamma and dbeta equal BatchNorm.backward's; dx's largest relative error against the "
            f"numerical gradient is {worst:.0e}, below {GRADCHECK_PASS:g}.")


# ---------------------------------------------------------------- experiment: a bad initialisation


BAD_STD = 0.001  # the bad initialisation of the experiment: the signal vanishes without batch norm

BN_BAD_INIT_CHOICES = {
    "a": "batch norm restores the signal: layer 5 spreads like a well-initialised network's",
    "b": "batch norm slows the collapse but does not stop it: the variances are far below ε",
    "c": "batch norm changes nothing: the signal vanishes as fast as without it",
    "d": "the signal explodes: batch norm divides by a tiny variance",
}


def _bn_net_layer5_std(weight_std: float, batchnorm: bool, eps: float = 1e-3, seed: int = 0) -> float:
    """Std of layer 5's outputs: the lesson's 1000 × 100 inputs through 5 × [Dense(100) (→ BN) → ReLU]."""
    x = np.random.default_rng(seed).normal(size=(1000, 100))
    rng = np.random.default_rng(seed)
    h = x
    for _ in range(5):
        z = h @ init.initialize("normal", h.shape[1], 100, seed=rng, std=weight_std)
        if batchnorm:
            z = BatchNorm(np.ones(100), np.zeros(100), eps=eps).forward(z, train=True)
        h = np.maximum(z, 0.0)
    return float(np.std(h))


def _bn_bad_init_solution() -> tuple[float, str]:
    """Layer 5's std with batch norm for weights of std 0.001, and what it shows."""
    x_random = np.random.default_rng(0).normal(size=(1000, 100))  # the lesson's inputs (SEED = 0)
    spreads = {}
    for batchnorm in (False, True):
        rng = np.random.default_rng(0)  # the same weights in both runs
        h = x_random
        for _ in range(5):
            z = h @ init.initialize("normal", h.shape[1], 100, seed=rng, std=0.001)
            if batchnorm:
                z = BatchNorm(np.ones(100), np.zeros(100)).forward(z, train=True)  # eps = 1e-3
            h = np.maximum(z, 0.0)
        spreads[batchnorm] = float(np.std(h))
    # About 1e-11 without batch norm, 2e-4 with it: far better, yet far below the 0.58 of a
    # healthy layer. The first layer's variance, 100 · 0.001² = 1e-4, is a tenth of eps, so
    # batch norm divides by about √eps rather than σ, and every layer still shrinks the signal.
    return spreads[True], "b"


@exercise(
    "experiment: batch norm against weights of std 0.001",
    hints=[
        "run the network twice, with and without batch norm, and compare both layer-5 spreads with a "
        "healthy one; then ask what batch norm divides by when a feature's variance is much smaller than ε.",
        "each batch norm divides by √(σ² + ε) with ε = 1e-3; the first layer's σ² is 100 · 0.001² = 1e-4, "
        "so the division is by about √ε, not by σ, and the layer still shrinks the signal, only less.",
        "layer 5's std with batch norm comes out near 2e-4: far above the 1e-11 without it, far below "
        "the 0.58 of a healthy layer.",
    ],
    solution=_bn_bad_init_solution,
    kind="experiment",
)
def bn_bad_init(answer: tuple[float, str] | None) -> str:
    """Check the measured layer-5 std with batch norm and the learner's reading of it."""
    expect(answer is not None and not (isinstance(answer, (tuple, list)) and None in answer),
           "replace the Nones with your measured standard deviation and the letter of what it shows.")
    expect(isinstance(answer, (tuple, list)) and len(answer) == 2,
           "give a pair: (layer 5's standard deviation with batch norm, a letter from a to d).")
    measured, letter = answer
    expect(isinstance(measured, (int, float, np.floating)) and measured > 0,
           f"the standard deviation should be a positive number, got {measured!r}.")
    want, right = _bn_bad_init_solution()
    if not 0.75 < measured / want < 1.33:
        readings = {
            "that is the network without batch norm: put a BatchNorm between each product and its ReLU.":
                _bn_net_layer5_std(BAD_STD, batchnorm=False),
            "that is the spread of a well-scaled batch-normalised layer: did you use weights of std 0.001?":
                _bn_net_layer5_std(init.he_std(100), batchnorm=True),
            "your number matches weights of std 0.01, or a far smaller ε such as PyTorch's 1e-5; use std "
            "0.001 and BatchNorm's default ε = 1e-3 (Keras' too).": _bn_net_layer5_std(BAD_STD, True, eps=1e-5),
        }
        for message, value in readings.items():
            if 0.9 < measured / value < 1.11:
                raise Fail(f"your standard deviation {measured:.3g}: {message}")
        raise Fail(f"your standard deviation {measured:.3g} is not what this network gives: five layers of "
                   "100 units on `x_random`, each Dense (no bias) → BatchNorm (γ = 1, β = 0, training mode) "
                   "→ ReLU, weights from `init.initialize(\"normal\", ..., std=0.001)`.")
    expect(letter in BN_BAD_INIT_CHOICES, f"choose one of the letters a, b, c, d, got {letter!r}.")
    if letter != right:
        why = {
            "a": "your number is far below the 0.58 of a healthy ReLU layer (try He weights with batch norm)",
            "c": "run the same network without batch norm: its layer 5 is many orders of magnitude smaller",
            "d": "your number is far below the input's spread of 1: nothing exploded",
        }[letter]
        raise Fail(f"your measurement is right, but ({letter}) is not what it shows: {why}.")
    at_001 = _bn_net_layer5_std(0.01, batchnorm=True)
    return (f"layer 5's std is {measured:.1e} with batch norm: ε = 1e-3 outweighs variances of 1e-4 and "
            f"less, so the division is by about √ε and the signal still shrinks. With weights of std 0.01 "
            f"the same network keeps {at_001:.2f}.")


# ---------------------------------------------------------------- running statistics


def _steps_to_forget_solution() -> tuple[int, int]:
    """The first step t at which momentum**t < 1 %, for Keras' 0.99 and for 0.9."""
    steps = []
    for momentum in (0.99, 0.9):
        t = math.log(0.01) / math.log(momentum)  # momentum**t = 0.01 exactly
        steps.append(math.floor(t) + 1)  # the first whole step past it
    return steps[0], steps[1]


@exercise(
    "steps until the running statistics forget their start",
    hints=[
        "each step keeps a fraction of the running value equal to the momentum, so the starting values' "
        "weight shrinks by that factor at every step; find the first step at which it is below one percent.",
        "after t steps the start weighs momentum to the power t; solve momentum^t < 0.01 for t with "
        "logarithms, t > ln 0.01 / ln momentum, and take the next whole number.",
        "ln 0.01 / ln 0.99 ≈ 458.2 and ln 0.01 / ln 0.9 ≈ 43.7.",
    ],
    solution=_steps_to_forget_solution,
    kind="value",
)
def steps_to_forget(answer: tuple[int, int] | None) -> str:
    """Check the learner's step counts for momentum 0.99 and 0.9."""
    expect(answer is not None, "replace None with two whole numbers: (steps for 0.99, steps for 0.9).")
    expect(isinstance(answer, (tuple, list)) and len(answer) == 2,
           "give two whole numbers: (steps for momentum 0.99, steps for momentum 0.9).")
    # A whole number may come as a float (`np.ceil` returns 459.0); a fraction of a step may not.
    expect(all(isinstance(a, (int, float, np.integer, np.floating)) and not isinstance(a, bool)
               and math.isfinite(a) and float(a).is_integer() for a in answer),
           f"give whole numbers of steps, got {answer!r}.")
    got, want = tuple(int(a) for a in answer), _steps_to_forget_solution()
    if got == want:
        return "459 and 44 steps: roughly 4.6 / (1 − momentum), several times 1 / (1 − momentum)."
    if got == (100, 10):
        raise Fail("1 / (1 − momentum) is the average's memory, roughly how many batches it averages; "
                   "after that many steps the start still weighs about 37 %.")
    if got == tuple(w - 1 for w in want):
        raise Fail("one step short: at that step the start still weighs slightly more than 1 %.")
    wrong = [name for name, g, w in zip(("0.99", "0.9"), got, want) if g != w]
    raise Fail(f"the count for momentum {' and '.join(wrong)} is not right.")


# ---------------------------------------------------------------- parameter counts

BN_COUNT_INPUTS = 32 * 32 * 3  # a flattened 32×32 RGB image
BN_COUNT_UNITS = 100


def _bn_parameter_counts_solution() -> tuple[int, int]:
    """(trainable, non-trainable) of Dense(100, use_bias=False) → BatchNormalization on 32×32×3 inputs."""
    inputs = 32 * 32 * 3  # Flatten turns each image into 3,072 values
    dense = inputs * 100  # one weight per input and unit, no bias: beta takes its place
    gamma_beta = 2 * 100  # one scale and one shift per unit, trained by the optimizer
    moving = 2 * 100  # moving mean and variance per unit, updated by averaging
    return dense + gamma_beta, moving


@exercise(
    "parameters of Dense(100, use_bias=False) → BatchNormalization",
    hints=[
        "count the two layers separately: the dense layer has one weight per pair of an input value and a "
        "unit, and batch norm keeps a few numbers per feature it normalises; then ask which of those the "
        "optimizer updates.",
        "a flattened 32×32 RGB image has 32 · 32 · 3 input values; the dense layer has no bias; batch norm "
        "keeps four numbers per unit: gamma, beta, the moving mean and the moving variance.",
        "gamma and beta are trained by gradient descent, like the dense weights; the moving statistics "
        "are updated by averaging, so they are not trainable.",
    ],
    solution=_bn_parameter_counts_solution,
    kind="value",
)
def bn_parameter_counts(answer: tuple[int, int] | None) -> str:
    """Check the learner's (trainable, non-trainable) count of the two layers."""
    expect(answer is not None, "replace None with two whole numbers: (trainable, non_trainable).")
    expect(isinstance(answer, (tuple, list)) and len(answer) == 2,
           "give two whole numbers: (trainable, non_trainable).")
    for name, value in zip(("trainable", "non_trainable"), answer):
        expect(isinstance(value, (int, np.integer)) and not isinstance(value, bool),
               f"give {name} as a whole number, got {value!r}.")
    trainable, non_trainable = (int(a) for a in answer)
    want = _bn_parameter_counts_solution()
    dense, units = BN_COUNT_INPUTS * BN_COUNT_UNITS, BN_COUNT_UNITS
    if (trainable, non_trainable) == want:
        return (f"{dense:,} dense weights plus gamma and beta (2 × 100) train; the moving mean and variance "
                "(2 × 100) do not. Batch norm adds little next to the dense weights.")
    expect(trainable + non_trainable != sum(want),
           "the total is right, but which of batch norm's four numbers per unit does the optimizer update? "
           "Two of them are averaged, not trained.")
    if non_trainable == 2 * BN_COUNT_INPUTS:
        raise Fail("batch norm sits after the dense layer, so it normalises the layer's 100 outputs, not the "
                   f"{BN_COUNT_INPUTS:,} inputs: its numbers come per unit.")
    expect(non_trainable == want[1],
           f"non_trainable = {non_trainable}: which of batch norm's numbers are not updated by the optimizer, "
           "and how many per unit?")
    if trainable == want[0] + units:
        raise Fail("use_bias=False: the dense layer has no bias, beta takes its place.")
    if trainable == 2 * units:
        raise Fail("the dense layer's weights are trainable too: count them.")
    if trainable == dense:
        raise Fail("batch norm's gamma and beta are trained by the optimizer too: add them.")
    if trainable == 32 * 32 * units + 2 * units:
        raise Fail("the images are RGB: each pixel gives three input values, not one.")
    raise Fail(f"trainable = {trainable:,} is not right: count the dense layer's weights (inputs × units), "
               "then batch norm's trained numbers.")


hint, solution, reference = help_for(__name__)
