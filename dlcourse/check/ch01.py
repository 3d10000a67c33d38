"""Exercise checks for lesson 01 (backpropagation from scratch).

Most exercises ask for a ``backward`` in a subclass of a ``dlcourse.scratch.layers``
layer (``forward`` is inherited). A check runs it on several random inputs and
shapes and compares with (a) central differences of ``forward`` under the
gradient-check thresholds of the chapter and (b) the package's own backward pass;
where a common mistake can be recognised from the numbers, the message names it.
The other exercises ask for a gradient checker, a two-layer network's ``gradient``,
the layer at fault in a network with a bug, and a measurement on a deep sigmoid net.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from dlcourse.check import Fail, exercise, expect, expect_close, help_for
from dlcourse.scratch import layercheck, layers
from dlcourse.scratch.gradcheck import GRADCHECK_PASS, GRADCHECK_PASS_KINKED, numerical_gradient, relative_error
from dlcourse.scratch.layercheck import threshold_for
from dlcourse.scratch.net import MultiLayerNet

# Shapes and seeds of the draws an elementwise layer is checked on: a matrix, a vector and a 3-D array,
# since an activation must work on any shape.
_ELEMENTWISE_DRAWS = (((4, 5), 1), ((7,), 2), ((2, 3, 4), 3))

# A wrong answer recognised from its numbers: a function of (reference layer after forward, dout) giving
# what that mistake returns, and the message that names it.
Mistake = tuple[Callable[[Any, np.ndarray], np.ndarray], str]


def _instance(cls: type, base: type, *args: Any) -> Any:
    expect(isinstance(cls, type), f"pass your class itself (e.g. My{base.__name__}), "
                                  f"not {type(cls).__name__}.")
    layer = cls(*args)
    expect(hasattr(layer, "forward") and hasattr(layer, "backward"),
           "your class needs forward and backward methods: subclass "
           f"dlcourse.scratch.layers.{base.__name__} and write backward.")
    return layer


def _expect_array(dx: Any, shape: tuple[int, ...], what: str = "dx") -> np.ndarray:
    expect(dx is not None, "backward returned None: did you forget `return`?")
    try:
        dx = np.asarray(dx, dtype=float)
    except (TypeError, ValueError):
        raise Fail(f"{what} should be a numeric array, got {type(dx).__name__}.") from None
    expect(dx.shape == shape, f"{what} has shape {dx.shape}, expected the input's shape {shape}.")
    expect(bool(np.all(np.isfinite(dx))), f"{what} contains NaN or inf.")
    return dx


def _was_set(grad: object) -> bool:
    """False for a gradient left as None or as the zeros a layer starts with."""
    return grad is not None and bool(np.any(np.asarray(grad) != 0))


def _matches(got: np.ndarray, wrong: np.ndarray) -> bool:
    wrong = np.asarray(wrong, dtype=float)
    return got.shape == wrong.shape and bool(np.allclose(got, wrong, rtol=1e-6, atol=1e-9))


def _check_elementwise(cls: type, base: type, *args: Any, mistakes: tuple[Mistake, ...] = ()) -> str:
    """The learner's backward vs numerical and reference gradients of an elementwise layer, on several draws."""
    worst, limit = 0.0, threshold_for(base(*args))
    for shape, seed in _ELEMENTWISE_DRAWS:
        rng = np.random.default_rng(seed)
        x = 2 * rng.standard_normal(shape)
        x[np.abs(x) < 0.05] = 0.5  # keep inputs away from the kink at 0, where differences blur
        dout = rng.standard_normal(shape)
        layer = _instance(cls, base, *args)
        layer.forward(x.copy())
        given = dout.copy()
        dx = layer.backward(given)
        expect(np.array_equal(given, dout), "backward changed dout in place, and the caller may still need it: "
                                            "leave dout as it came and return a new array (`np.where` builds one, "
                                            "or work on `dout.copy()`).")
        dx = _expect_array(dx, shape)
        ref = base(*args)
        ref.forward(x)
        want = ref.backward(dout)
        if not np.allclose(dx, want, rtol=1e-6, atol=1e-9):
            for wrong, message in mistakes:
                if _matches(dx, wrong(ref, dout)):
                    raise Fail(message)
        num = numerical_gradient(lambda v: float(np.sum(base(*args).forward(v) * dout)), x)
        err = relative_error(dx, num)
        if err > limit:
            raise Fail(f"dx disagrees with the numerical gradient for an input of shape {shape} "
                       f"(relative error {err:.1e} > {limit:.0e}).")
        expect_close(dx, want, what=f"dx for an input of shape {shape}")
        worst = max(worst, err)
    return f"largest relative error vs the numerical gradient {worst:.0e} (threshold {limit:.0e})."


_FORGOT_DOUT = "dx ignores dout: the chain rule multiplies the local derivative by the gradient that arrives."


class _SigmoidSolution(layers.Sigmoid):
    def backward(self, dout):
        return dout * self.out * (1.0 - self.out)  # σ′(x) = y·(1 − y), with y the output forward kept


@exercise(
    "Sigmoid.backward",
    hints=[
        "the chain rule: the gradient that arrives (dout) times the sigmoid's local derivative; that derivative can be written with the sigmoid's own output, which forward kept.",
        "dσ/dx = σ(x)·(1 − σ(x)), and σ(x) is `self.out`.",
        "return a new array: dout times self.out times (1 − self.out).",
    ],
    solution=_SigmoidSolution,
    shows=("layers.Sigmoid",),
)
def sigmoid_backward(cls: type) -> str:
    """Check a subclass of ``layers.Sigmoid`` with the learner's ``backward``."""
    return _check_elementwise(cls, layers.Sigmoid, mistakes=(
        (lambda r, d: d * r.out, "dx is dout times y only: σ′ = y·(1 − y) has a second factor."),
        (lambda r, d: r.out * (1 - r.out), _FORGOT_DOUT),
        (lambda r, d: d * (1 - r.out), "dx is dout times (1 − y) only: σ′ = y·(1 − y) has a second factor."),
    ))


class _TanhSolution(layers.Tanh):
    def backward(self, dout):
        return dout * (1.0 - self.out ** 2)  # tanh′(x) = 1 − y²


@exercise(
    "Tanh.backward",
    hints=[
        "like the sigmoid: the local derivative of tanh can be written with tanh's own output.",
        "d tanh/dx = 1 − tanh(x)², and tanh(x) is `self.out`.",
        "return dout times (1 − self.out squared).",
    ],
    solution=_TanhSolution,
    shows=("layers.Tanh",),
)
def tanh_backward(cls: type) -> str:
    """Check a subclass of ``layers.Tanh`` with the learner's ``backward``."""
    return _check_elementwise(cls, layers.Tanh, mistakes=(
        (lambda r, d: d * (1 - r.out), "dx uses 1 − y: the derivative of tanh is 1 − y², the output squared."),
        (lambda r, d: d * (1 - r.out) ** 2, "dx uses (1 − y)²: only y is squared, 1 − y²."),
        (lambda r, d: 1 - r.out ** 2, _FORGOT_DOUT),
    ))


class _ReLUSolution(layers.ReLU):
    def backward(self, dout):
        return np.where(self.mask, dout, 0.0)  # slope 1 where the input was positive, 0 elsewhere


@exercise(
    "ReLU.backward",
    hints=[
        "ReLU's slope is 1 where the input was positive and 0 elsewhere; forward remembered where.",
        "`self.mask` marks the inputs that were positive; the gradient flows only there.",
        "return dout where self.mask is True and 0 elsewhere, as a new array.",
    ],
    solution=_ReLUSolution,
    shows=("layers.ReLU",),
)
def relu_backward(cls: type) -> str:
    """Check a subclass of ``layers.ReLU`` with the learner's ``backward``."""
    return _check_elementwise(cls, layers.ReLU, mistakes=(
        (lambda r, d: d, "dx equals dout everywhere: the gradient must stop where the input was not positive."),
        (lambda r, d: np.where(r.mask, 0.0, d), "the mask is inverted: the gradient flows where the input was "
                                                "positive, and stops elsewhere."),
        (lambda r, d: r.mask.astype(float), _FORGOT_DOUT),
    ))


class _LeakyReLUSolution(layers.LeakyReLU):
    def backward(self, dout):
        return np.where(self.mask, dout, self.alpha * dout)  # slope 1 for positive inputs, alpha elsewhere


@exercise(
    "LeakyReLU.backward",
    hints=[
        "two slopes: 1 for positive inputs, alpha for the others; forward remembered which was which.",
        "`self.mask` marks the positive inputs; `self.alpha` is the slope elsewhere.",
        "dout where self.mask, self.alpha · dout elsewhere (numpy's where picks between the two).",
    ],
    solution=_LeakyReLUSolution,
    shows=("layers.LeakyReLU",),
)
def leaky_relu_backward(cls: type) -> str:
    """Check a subclass of ``layers.LeakyReLU`` with the learner's ``backward`` (alpha = 0.1)."""
    return _check_elementwise(cls, layers.LeakyReLU, 0.1, mistakes=(
        (lambda r, d: np.where(r.mask, d, 0.0), "dx is 0 for negative inputs, as for ReLU: LeakyReLU keeps "
                                                "the slope alpha there."),
        (lambda r, d: np.where(r.mask, r.alpha * d, d), "the two slopes are swapped: 1 for positive inputs, "
                                                        "alpha for the others."),
        (lambda r, d: r.alpha * d, "dx is alpha·dout everywhere: positive inputs have slope 1."),
        (lambda r, d: np.where(r.mask, 1.0, r.alpha), _FORGOT_DOUT),
    ))


class _ELUSolution(layers.ELU):
    def backward(self, dout):
        # For x ≤ 0 the derivative of alpha·(eˣ − 1) is alpha·eˣ, which is the output plus alpha.
        return np.where(self.mask, dout, dout * (self.out + self.alpha))


@exercise(
    "ELU.backward",
    hints=[
        "two pieces: slope 1 for positive inputs; for the others, differentiate the exponential branch of the forward formula.",
        "that derivative is alpha·eˣ, which equals the forward output plus alpha, so you need no exponential.",
        "dout where self.mask; elsewhere dout · (self.out + self.alpha).",
    ],
    solution=_ELUSolution,
    shows=("layers.ELU",),
)
def elu_backward(cls: type) -> str:
    """Check a subclass of ``layers.ELU`` with the learner's ``backward`` (alpha = 0.7)."""
    return _check_elementwise(cls, layers.ELU, 0.7, mistakes=(
        (lambda r, d: np.where(r.mask, d, d * (r.out + 1.0)), "dx uses y + 1: the derivative is y + alpha, "
                                                              "and this layer's alpha is not 1."),
        (lambda r, d: np.where(r.mask, d, d * r.out), "dx uses y for negative inputs: alpha·eˣ is y + alpha."),
        (lambda r, d: np.where(r.mask, d, 0.0), "dx is 0 for negative inputs: ELU's curve still has a slope there."),
        (lambda r, d: np.where(r.mask, 1.0, r.out + r.alpha), _FORGOT_DOUT),
    ))


def _affine_draw(seed: int, N: int, D: int, M: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((D, M)), rng.standard_normal(M), rng.standard_normal((N, D)),
            rng.standard_normal((N, M)))


def _affine_grad_problem(dW: Any, db: Any, ref: layers.Affine, N: int) -> str:
    """A message naming what is wrong with dW and db, or '' when they are right."""
    if not _was_set(dW):
        return "self.dW is not set: store the gradient of the weights in self.dW."
    dW = np.asarray(dW, dtype=float)
    if dW.shape != ref.dW.shape:
        return f"self.dW has shape {dW.shape}, expected W's shape {ref.dW.shape}: is a product transposed?"
    if _matches(dW, ref.dW.T):
        return "self.dW is the transpose of the right answer: xᵀ times dout has W's shape, (D, M)."
    if _matches(dW, ref.dW / N):
        return "self.dW is divided by N: the loss already averaged over the batch, here the rows are summed."
    if not _matches(dW, ref.dW):
        return "self.dW differs from the reference: every row of the batch contributes x_nᵀ times dout_n."
    if not _was_set(db):
        return "self.db is not set: store the bias gradient in self.db."
    db = np.asarray(db, dtype=float)
    if db.shape == (N, ref.db.shape[0]):
        return (f"self.db has shape {db.shape}, one row per example: sum dout over the batch, giving b's shape "
                f"{ref.db.shape}.")
    if db.shape != ref.db.shape:
        return f"self.db has shape {db.shape}, expected b's shape {ref.db.shape}: sum over the batch axis."
    if _matches(db, ref.db / N):
        return "self.db is the mean of dout over the batch: b is added to every row, so its gradient is the sum."
    if not _matches(db, ref.db):
        return "self.db differs from the reference: b is added to every row, so sum dout over the rows."
    return ""


class _AffineSolution(layers.Affine):
    def backward(self, dout):
        self.dW = self.x.T @ dout  # (D, N) @ (N, M): W's shape
        self.db = dout.sum(axis=0)  # b was added to every row, so its gradient sums over them
        return dout @ self.W.T  # (N, M) @ (M, D): x's shape


@exercise(
    "Affine.backward",
    hints=[
        "write down the shapes first: x is (N, D), W is (D, M), dout is (N, M). Each gradient has the shape of the thing it is the gradient of.",
        "Y = xW + b. For dx you need an (N, D) product of dout and W; for dW a (D, M) product of x and dout; b was added to every row.",
        "self.dW = x.T @ dout, self.db = dout summed over the batch axis, and return dout @ W.T.",
    ],
    solution=_AffineSolution,
    shows=("layers.Affine",),
)
def affine_backward(cls: type) -> str:
    """Check a subclass of ``layers.Affine`` on several shapes: returned dx, and the dW, db it keeps."""
    worst = 0.0
    for seed, (N, D, M) in enumerate(((5, 4, 3), (2, 6, 5), (7, 3, 3)), start=2):  # D = M: a transpose keeps its shape
        W, b, x, dout = _affine_draw(seed, N, D, M)
        layer = _instance(cls, layers.Affine, W.copy(), b.copy())
        layer.forward(x.copy())
        given = dout.copy()
        dx = layer.backward(given)
        expect(np.array_equal(given, dout), "backward changed dout in place; compute new arrays instead.")
        expect(np.array_equal(layer.W, W) and np.array_equal(layer.b, b),
               "backward changed the weights: it only computes gradients (the optimizer updates W and b).")
        ref = layers.Affine(W, b)
        ref.forward(x)
        want = ref.backward(dout)
        expect(dx is not None, "backward returned None: did you forget `return`?")
        dx = np.asarray(dx, dtype=float)
        if dx.shape != (N, D):
            raise Fail(f"dx has shape {dx.shape}, expected the input's shape {(N, D)}: is a product transposed?")
        if _matches(dx, dout @ W.T / N):
            raise Fail("dx is divided by N: the loss already averaged over the batch; each row's dx is dout_n Wᵀ.")
        expect_close(dx, want, what=f"dx for x of shape {(N, D)}")
        problem = _affine_grad_problem(getattr(layer, "dW", None), getattr(layer, "db", None), ref, N)
        if problem:
            raise Fail(problem)
        num = numerical_gradient(lambda v: float(np.sum(layers.Affine(v, b).forward(x) * dout)), W)
        worst = max(worst, relative_error(np.asarray(layer.dW, dtype=float), num))
    return f"dx, dW and db match on three shapes; dW vs the numerical gradient: relative error {worst:.0e}."


class _SoftmaxWithLossSolution(layers.SoftmaxWithLoss):
    def backward(self, dout=1.0):
        N = self.t.shape[0]
        return dout * (self.y - self.t) / N  # probabilities minus targets; the loss is a mean over N rows


@exercise(
    "SoftmaxWithLoss.backward",
    hints=[
        "softmax followed by cross-entropy has a famously simple gradient with respect to the scores: compare the predicted probabilities with the targets.",
        "per example it is (probabilities − one-hot targets); the loss is a mean over the batch, so divide by N.",
        "dout · (self.y − self.t) / N, with N the batch size.",
    ],
    solution=_SoftmaxWithLossSolution,
    shows=("layers.SoftmaxWithLoss",),
)
def softmax_with_loss_backward(cls: type) -> str:
    """Check a subclass of ``layers.SoftmaxWithLoss`` with labels and one-hot targets, and dout ≠ 1."""
    worst = 0.0
    for seed, (N, C, one_hot, dout) in enumerate(((6, 4, False, 1.0), (3, 7, True, 2.0), (10, 2, False, 0.5)), start=3):
        rng = np.random.default_rng(seed)
        x, labels = 3 * rng.standard_normal((N, C)), rng.integers(0, C, N)
        t = np.eye(C)[labels] if one_hot else labels
        layer = _instance(cls, layers.SoftmaxWithLoss)
        layer.forward(x.copy(), t)
        dx = _expect_array(layer.backward(dout), (N, C))
        y, onehot = layers.softmax(x), np.eye(C)[labels]
        want = dout * (y - onehot) / N
        if not np.allclose(dx, want, rtol=1e-6, atol=1e-10):
            for wrong, message in (
                (dout * (y - onehot), "dx is N times too large: the loss is the mean over the batch, so divide by N."),
                ((y - onehot) / N, "dx ignores dout: multiply by the gradient that arrives (it is 2.0 in this check)."),
                (dout * (onehot - y) / N, "dx has the wrong sign: the gradient is probabilities minus targets."),
                (dout * y / N, "dx forgets the targets: subtract them from the probabilities."),
            ):
                if _matches(dx, wrong):
                    raise Fail(message)
        num = dout * numerical_gradient(lambda v: layers.SoftmaxWithLoss().forward(v, t), x)
        err = relative_error(dx, num)
        if err > GRADCHECK_PASS:
            raise Fail(f"dx disagrees with the numerical gradient for N={N}, C={C}, dout={dout} "
                       f"(relative error {err:.1e} > {GRADCHECK_PASS:.0e}).")
        expect_close(dx, want, what=f"dx for N={N}, C={C}, dout={dout}")
        worst = max(worst, err)
    return f"largest relative error vs the numerical gradient {worst:.0e}."


# ---------------------------------------------------------------------------------------------------------------
# A gradient checker


def _gradient_check_solution(f, x, analytic, h=1e-5, threshold=1e-7):
    """Relative error between ``analytic`` and the central-difference gradient of ``f`` at ``x``, and a verdict."""
    x = np.array(x, dtype=np.float64)  # a copy, nudged and restored entry by entry: the caller's x never changes
    numeric = np.zeros_like(x)
    for i in np.ndindex(x.shape):  # every entry, whatever the shape
        old = x[i]
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        x[i] = old
        numeric[i] = (f_plus - f_minus) / (2 * h)
    analytic = np.asarray(analytic, dtype=np.float64)
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    error = 0.0 if scale == 0 else float(np.linalg.norm(analytic - numeric) / scale)  # 0/0: both gradients are 0
    return error, error < threshold


def _curvy(x: np.ndarray) -> float:
    """A smooth test function with curvature everywhere: Σ x³ + Σ sin x (gradient 3x² + cos x)."""
    return float(np.sum(x ** 3) + np.sum(np.sin(x)))


def _curvy_grad(x: np.ndarray) -> np.ndarray:
    return 3 * x ** 2 + np.cos(x)


def _forward_difference(f: Callable[[np.ndarray], float], x: np.ndarray, h: float) -> np.ndarray:
    grad, base = np.zeros_like(x), f(x)
    for i in np.ndindex(x.shape):
        step = x.copy()
        step[i] += h
        grad[i] = (f(step) - base) / h
    return grad


def _call_checker(fn: Callable[..., Any], f: Callable[[np.ndarray], float], x: np.ndarray, analytic: np.ndarray,
                  **kwargs: float) -> tuple[float, bool]:
    """Run the learner's checker on a copy of x and return (error, passed), refusing a changed x or a bad result."""
    x_in, a_in = x.copy(), analytic.copy()
    got = fn(f, x_in, a_in, **kwargs)
    expect(np.array_equal(x_in, x), "your checker changed x: restore each entry after nudging it (or work on a copy).")
    expect(np.array_equal(a_in, analytic), "your checker changed the analytic gradient it was given.")
    expect(got is not None, "your checker returned None: return a pair (relative error, passed).")
    try:
        error, passed = got
        error = float(error)
    except (TypeError, ValueError):
        raise Fail(f"return a pair (relative error, passed), got {got!r}.") from None
    expect(isinstance(passed, (bool, np.bool_)), f"passed should be True or False, got {passed!r}.")
    expect(not np.isnan(error), "the relative error is NaN: when both gradients are 0 (a flat f), 0/0 should count as "
                                "an error of 0.")
    return error, bool(passed)


@exercise(
    "gradient_check(f, x, analytic)",
    hints=[
        "nudge one entry of x at a time by h up and down, evaluate f both times, and put the entry back; then compare the whole numerical gradient with the analytic one through a scale-free error.",
        "the numerical gradient of entry i is (f(x + h eᵢ) − f(x − h eᵢ)) / 2h; the relative error is ‖a − n‖ / (‖a‖ + ‖n‖), taken as 0 when both norms are 0.",
        "copy x to float64, loop over `np.ndindex(x.shape)`, restore x[i] after the two evaluations, then use np.linalg.norm for the error and return (error, error < threshold).",
    ],
    solution=_gradient_check_solution,
    shows=("gradcheck.numerical_gradient", "gradcheck.relative_error"),
)
def gradient_check(fn: Callable[..., tuple[float, bool]]) -> str:
    """Check ``fn(f, x, analytic, h=1e-5, threshold=1e-7) → (relative error, passed)`` on several shapes."""
    expect(callable(fn), f"pass your function itself, not {type(fn).__name__}.")
    rng = np.random.default_rng(11)
    errors = []
    for shape in ((5,), (3, 4), (2, 2, 3)):
        x = rng.standard_normal(shape)
        exact = _curvy_grad(x)
        try:
            error, passed = _call_checker(fn, _curvy, x, exact)
        except Fail:
            raise
        except Exception as err:
            if len(shape) > 1:
                raise Fail(f"your checker works on a vector but fails on x of shape {shape} "
                           f"({type(err).__name__}: {err}): x may have any shape.") from None
            raise
        if error > 1e-8 and len(shape) > 1 and errors:  # the vector passed: the loop misses entries
            raise Fail(f"your checker works on a vector but not on x of shape {shape} (relative error {error:.1e} "
                       "with the exact gradient): x may have any shape, and every entry needs its own nudge.")
        if error > 1e-8:
            one_sided = relative_error(exact, _forward_difference(_curvy, x, 1e-5))
            if abs(error - one_sided) < 0.3 * one_sided:
                raise Fail(f"with the exact gradient your error is {error:.1e}, of the order of h: a one-sided "
                           "difference. Nudge both ways, x + h and x − h, and divide by 2h.")
            raise Fail(f"with the exact gradient of a smooth f your relative error is {error:.1e}; central "
                       "differences give about 1e-10. Is the numerical gradient right, for every entry?")
        expect(passed, f"the exact gradient gives error {error:.0e} below the threshold 1e-7, but passed is False.")
        # A wrong gradient: the error must be the relative error of the chapter, and passed False.
        wrong = exact * (1 + 0.3 * rng.standard_normal(shape))
        error, passed = _call_checker(fn, _curvy, x, wrong)
        want, _ = _gradient_check_solution(_curvy, x, wrong)
        numeric = exact  # up to 1e-10, far below the differences that follow
        diff = np.linalg.norm(wrong - numeric)
        others = ((diff / np.linalg.norm(wrong), "‖a‖ alone"), (diff / np.linalg.norm(numeric), "‖n‖ alone"),
                  (diff, "nothing"), (np.max(np.abs(wrong - numeric)) / np.max(np.abs(numeric)), "maxima"))
        for other, name in others:
            if abs(error - other) < 1e-4 * other and abs(error - want) > 1e-4 * want:
                raise Fail(f"your relative error divides by {name}: the chapter's is ‖a − n‖ / (‖a‖ + ‖n‖), "
                           "the difference's norm over the sum of both norms.")
        if abs(error - want) > 1e-4 * want:
            raise Fail(f"for a wrong gradient your relative error is {error:.4g}, expected {want:.4g} "
                       "(‖a − n‖ / (‖a‖ + ‖n‖) with Euclidean norms over all entries).")
        expect(not passed, f"a gradient with relative error {error:.2g} passed: passed must be error < threshold.")
        errors.append(want)
    # The arguments h and threshold are used, not fixed inside.
    x = rng.standard_normal((3, 2))
    slightly = _curvy_grad(x) * (1 + 1e-6)  # relative error about 5e-7: fails 1e-7, passes 1e-5
    _, strict = _call_checker(fn, _curvy, x, slightly, threshold=GRADCHECK_PASS)
    _, loose = _call_checker(fn, _curvy, x, slightly, threshold=GRADCHECK_PASS_KINKED)
    expect(not strict and loose, "passed must compare the error with the `threshold` argument (an error of 5e-7 "
                                 f"fails {GRADCHECK_PASS:.0e} and passes {GRADCHECK_PASS_KINKED:.0e}).")
    coarse, _ = _call_checker(fn, _curvy, x, _curvy_grad(x), h=1e-2)
    want, _ = _gradient_check_solution(_curvy, x, _curvy_grad(x), h=1e-2)
    expect(abs(coarse - want) < 0.05 * want, f"with h=1e-2 your error is {coarse:.1e}, expected {want:.1e}: "
                                             "use the `h` argument as the step.")
    error, passed = _call_checker(fn, lambda v: 3.0, x, np.zeros_like(x))
    expect(error == 0.0 and passed, f"for a flat f and a zero gradient the result should be (0.0, True), "
                                    f"got ({error}, {passed}): both norms are 0, so count it as no error.")
    return (f"central differences, the chapter's relative error and both arguments used; a 30 % wrong gradient "
            f"scores {min(errors):.2f} to {max(errors):.2f}.")


# ---------------------------------------------------------------------------------------------------------------
# A two-layer network's gradient


class _TwoLayerNetSolution:
    """x (N, D) → Affine (W1, b1) → ReLU → Affine (W2, b2) → softmax with cross-entropy, mean over the batch."""

    def __init__(self, params):
        self.params = params  # {"W1": (D, H), "b1": (H,), "W2": (H, C), "b2": (C,)}

    def gradient(self, x, t):
        W1, b1, W2, b2 = (self.params[k] for k in ("W1", "b1", "W2", "b2"))
        N = len(x)
        # forward, keeping what the backward pass needs
        z = x @ W1 + b1
        h = np.maximum(z, 0.0)
        y = layers.softmax(h @ W2 + b2)
        # backward: softmax with cross-entropy, then each layer in reverse order
        dscores = y.copy()
        dscores[np.arange(N), t] -= 1.0  # probabilities minus the one-hot targets
        dscores /= N  # the loss is the mean over the batch
        dW2, db2 = h.T @ dscores, dscores.sum(axis=0)
        dz = (dscores @ W2.T) * (z > 0)  # back through W2, then through the ReLU's mask
        dW1, db1 = x.T @ dz, dz.sum(axis=0)
        return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


_KEYS = ("W1", "b1", "W2", "b2")


def _two_layer_reference(params: dict[str, np.ndarray], x: np.ndarray, t: np.ndarray,
                         activation: str = "relu") -> tuple[dict[str, np.ndarray], MultiLayerNet]:
    """The package's MultiLayerNet with these parameters, and its backprop gradients."""
    D, H = params["W1"].shape
    net = MultiLayerNet(D, [H], params["W2"].shape[1], activation=activation)
    for key in _KEYS:
        net.params[key][...] = params[key]  # in place: the layers hold these arrays
    return net.gradient(x, t), net


def _linear_gradients(params: dict[str, np.ndarray], x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
    """The gradients of the same network with the ReLU's mask left out of the backward pass."""
    z = x @ params["W1"] + params["b1"]
    h = np.maximum(z, 0.0)
    dscores = (layers.softmax(h @ params["W2"] + params["b2"]) - np.eye(params["W2"].shape[1])[t]) / len(x)
    dz = dscores @ params["W2"].T
    return {"W1": x.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dscores, "b2": dscores.sum(axis=0)}


def _two_layer_problem(grads: Mapping[str, np.ndarray], want: dict[str, np.ndarray],
                       params: dict[str, np.ndarray], x: np.ndarray, t: np.ndarray) -> str:
    """A message naming a recognisable mistake in a complete set of gradients of the right shapes."""
    N = len(x)
    if all(_matches(grads[k], N * want[k]) for k in _KEYS):
        return "every gradient is N times too large: the loss is the mean over the batch, so divide by N."
    if all(_matches(grads[k], want[k] / N) for k in _KEYS):
        return "every gradient is N times too small: divide by N once, at the softmax, not again later."
    linear = _linear_gradients(params, x, t)
    if all(_matches(grads[k], linear[k]) for k in _KEYS):
        return "W2 and b2 are right, but the way back through the ReLU lets everything through: it passes the " \
               "gradient only where its input was positive."
    wrong = [k for k in _KEYS if not _matches(grads[k], want[k])]
    if set(wrong) <= {"W1", "b1"}:
        return f"{' and '.join(wrong)} differ from the reference while W2 and b2 are right: follow the gradient " \
               "from the scores back through W2 and the ReLU."
    return f"{', '.join(wrong)} differ from the reference: start from the softmax's gradient, probabilities minus " \
           "targets over N, and check each step back."


@exercise(
    "TwoLayerNet.gradient",
    hints=[
        "run the forward pass and keep every intermediate result; then go backward from the scores, one layer at a time, each step turning the gradient of a layer's output into the gradients of its input and its parameters.",
        "at the scores the gradient is (softmax probabilities − one-hot targets) / N; an affine layer gives dW = inputᵀ·grad, db = the grad summed over the batch, and passes grad·Wᵀ down; the ReLU keeps the gradient only where its input was positive.",
        "z = x @ W1 + b1, h = max(z, 0), scores = h @ W2 + b2; then dscores, dW2 = h.T @ dscores, db2 = dscores.sum(axis=0), dz = (dscores @ W2.T) * (z > 0), dW1 = x.T @ dz, db1 = dz.sum(axis=0).",
    ],
    solution=_TwoLayerNetSolution,
    shows=("MultiLayerNet.gradient",),
)
def two_layer_gradient(cls: type) -> str:
    """Check ``cls(params).gradient(x, t)`` against MultiLayerNet and central differences, on several sizes."""
    expect(isinstance(cls, type), f"pass your class itself (e.g. TwoLayerNet), not {type(cls).__name__}.")
    worst = 0.0
    for seed, (N, D, H, C) in enumerate(((6, 5, 4, 3), (3, 7, 6, 4), (8, 3, 5, 2)), start=5):
        rng = np.random.default_rng(seed)
        params = {"W1": rng.standard_normal((D, H)), "b1": 0.5 * rng.standard_normal(H),
                  "W2": rng.standard_normal((H, C)), "b2": 0.5 * rng.standard_normal(C)}
        x, t = rng.standard_normal((N, D)), rng.integers(0, C, N)
        given = {k: v.copy() for k, v in params.items()}
        x_in = x.copy()
        grads = cls(given).gradient(x_in, t.copy())
        expect(all(np.array_equal(given[k], params[k]) for k in _KEYS),
               "gradient changed the parameters: it only computes gradients (an optimizer updates the parameters).")
        expect(np.array_equal(x_in, x), "gradient changed x in place; compute new arrays instead.")
        expect(grads is not None, "gradient returned None: did you forget `return`?")
        expect(isinstance(grads, Mapping), f"return a dict {{\"W1\": …, \"b1\": …, \"W2\": …, \"b2\": …}}, "
                                           f"got {type(grads).__name__}.")
        missing = [k for k in _KEYS if k not in grads]
        expect(not missing, f"the gradient dict has no {', '.join(map(repr, missing))}: use the keys of params.")
        grads = {k: np.asarray(grads[k], dtype=float) for k in _KEYS}
        for k in _KEYS:
            if grads[k].shape != params[k].shape:
                fix = "sum over the batch" if k.startswith("b") else "is a product transposed?"
                raise Fail(f"grads[\"{k}\"] has shape {grads[k].shape}, expected {k}'s shape {params[k].shape}: {fix}")
        want, net = _two_layer_reference(params, x, t)
        if not all(_matches(grads[k], want[k]) for k in _KEYS):
            raise Fail(_two_layer_problem(grads, want, params, x, t))
        numeric = net.numerical_gradient(x, t)
        worst = max(worst, *(relative_error(grads[k], numeric[k]) for k in _KEYS))
    expect(worst < GRADCHECK_PASS_KINKED, f"the gradients disagree with central differences "
                                          f"(relative error {worst:.1e}).")
    return f"all four gradients match MultiLayerNet; largest relative error vs central differences {worst:.0e}."


# ---------------------------------------------------------------------------------------------------------------
# A network with a bug


class _SlipTanh(layers.Tanh):
    """Tanh whose backward forgets the square: dout·(1 − y) instead of dout·(1 − y²)."""

    def backward(self, dout: np.ndarray) -> np.ndarray:
        dout = self._check_dout(dout)
        return dout * (1.0 - self.out)

    def __repr__(self) -> str:
        return "Tanh()"  # it looks like any other tanh layer in a printout


_BUGGY_LAYER = 3  # the second tanh: Affine, Tanh, Affine, Tanh, Affine


def suspect_net(seed: int = 0) -> MultiLayerNet:
    """A 6 → 5 → 4 → 3 tanh network (lesson 01's small net) in which one layer's backward pass is wrong."""
    net = MultiLayerNet(6, [5, 4], 3, activation="tanh", seed=seed)
    net.layers[_BUGGY_LAYER] = _SlipTanh()
    return net


def _find_the_bug_solution():
    """Check each layer of the suspect net on its own, fed the input it really gets; the first to fail is at fault."""
    suspect = suspect_net()
    x = np.random.default_rng(0).standard_normal((10, suspect.sizes[0]))
    for i, layer in enumerate(suspect.layers):
        errors = layercheck.layer_gradcheck(layer, x)  # dx and the layer's own parameter gradients
        if max(errors.values()) > layercheck.threshold_for(layer):
            return i
        x = layer.forward(x)  # what the next layer receives
    return None


@exercise(
    "the layer with the bug",
    hints=[
        "first find which parameters' gradients disagree with central differences, as the chapter checked its small network; those layers sit below the bug or contain it. Then check each layer on its own, the way the chapter checked single layers: the faulty one fails even alone.",
        "a wrong gradient spreads downwards: every parameter below the bug gets it wrong too, while the layers above it pass. `layercheck.layer_gradcheck(layer, x)` checks one layer alone; give it an input of the shape that layer expects.",
        "loop over `enumerate(suspect.layers)`, run layer_gradcheck on each with the output of the layers before it, and give the index of the first layer whose largest error is above `layercheck.threshold_for(layer)`.",
    ],
    solution=_find_the_bug_solution,
    kind="experiment",
)
def find_the_bug(answer: Any) -> str:
    """Check the index (in ``suspect_net().layers``) of the layer whose backward pass is wrong."""
    net_layers = suspect_net().layers
    expect(answer is not None, "give the index of the faulty layer in `suspect.layers` (0 for the first), "
                               "not None.")
    expect(isinstance(answer, (int, np.integer)) and not isinstance(answer, bool),
           f"give the index of the layer in `suspect.layers` as a whole number (0 for the first), got {answer!r}.")
    n = len(net_layers)
    expect(0 <= answer < n, f"suspect.layers has {n} layers, indices 0 to {n - 1}; the softmax-with-loss is "
                            "suspect.last_layer, and its backward is right.")
    if answer > _BUGGY_LAYER:
        raise Fail(f"layer {answer} ({net_layers[answer]!r}) is above the bug: its own parameter gradients agree with "
                   "central differences. Look lower.")
    if answer < _BUGGY_LAYER:
        raise Fail(f"layer {answer} ({net_layers[answer]!r}) passes its check when tested alone: its gradients are "
                   "wrong only because a wrong gradient reaches it from above. Look higher.")
    return ("layer 3, the second tanh: its backward forgets the square (1 − y instead of 1 − y²). "
            "Everything below it inherited the error; checked alone, only it fails.")


# ---------------------------------------------------------------------------------------------------------------
# A deeper sigmoid network


@functools.lru_cache(maxsize=1)
def _probe() -> tuple[np.ndarray, np.ndarray]:
    """The chapter's probe: the first 200 Fashion-MNIST test images, flattened to [0, 1], and their labels."""
    from dlcourse import data

    _, (x_test, y_test) = data.load_fashion_mnist()
    return x_test[:200].reshape(200, -1) / 255.0, y_test[:200]


def _depth_ratio(depth: int, seed: int = 0) -> float:
    """rms(dW1) / rms(dW_depth) of a sigmoid MultiLayerNet with hidden layers of 100, on the probe images."""
    x_probe, y_probe = _probe()
    deep = MultiLayerNet(784, [100] * (depth - 1), 10, activation="sigmoid", seed=seed)
    g = deep.gradient(x_probe, y_probe)
    first, last = (np.sqrt(np.mean(g[f"W{i}"] ** 2)) for i in (1, depth))
    return float(first / last)


def _sigmoid_depth_solution():
    """The chapter's measurement with 20 affine layers (19 hidden layers of 100 sigmoid units)."""
    from dlcourse import data

    _, (x_test, y_test) = data.load_fashion_mnist()
    x_probe, y_probe = x_test[:200].reshape(200, -1) / 255.0, y_test[:200]  # the chapter's probe images
    deep = MultiLayerNet(784, [100] * 19, 10, activation="sigmoid", seed=0)
    g = deep.gradient(x_probe, y_probe)
    rms = {key: np.sqrt(np.mean(g[key] ** 2)) for key in ("W1", "W20")}  # the size of one entry
    return float(rms["W1"] / rms["W20"])


@exercise(
    "gradient ratio of a 20-layer sigmoid net",
    hints=[
        "the chapter measured the same ratio for 10 affine layers; each extra sigmoid layer shrinks the gradient by about the per-layer factor it printed, so you can predict the order of magnitude before you measure it.",
        "run the chapter's measurement again with a depth of 20: 19 hidden layers of 100 sigmoid units, the same 200 probe images and seed, and divide the RMS of dW1's entries by that of dW20's.",
        "`MultiLayerNet(784, [100] * 19, 10, activation=\"sigmoid\", seed=SEED)`, its gradient on x_probe, y_probe, then sqrt(mean(g[\"W1\"]²)) / sqrt(mean(g[\"W20\"]²)).",
    ],
    solution=_sigmoid_depth_solution,
    kind="experiment",
)
def sigmoid_depth(answer: Any) -> str:
    """Check the measured rms(dW1) / rms(dW20) of a 20-layer sigmoid net, within a factor of 3."""
    expect(answer is not None, "give the ratio you measured, a number, not None.")
    try:
        value = float(answer)
    except (TypeError, ValueError):
        raise Fail(f"give the ratio as a number, got {answer!r}.") from None
    expect(bool(np.isfinite(value)) and value > 0, f"a ratio of two sizes is a positive number, got {value!r}.")
    want = _depth_ratio(20)  # the reference's measurement, on the cached probe
    if abs(np.log10(value / want)) < 0.5:  # within a factor of 3: another seed moves it less than that
        return (f"about {want:.0e}: the first layer's steps are that much smaller than the last's, so it hardly "
                "learns. First change: ReLU with He weights, or batch normalization (chapter 4).")
    if 0.1 < value < 10:
        raise Fail(f"{value:.3g} looks like a per-layer factor; the question asks for the ratio across all 20 layers.")
    if value > 1:
        raise Fail(f"{value:.1e} is above 1: that is the last layer's gradient over the first's. The first layer's "
                   "is the smaller one.")
    if abs(np.log10(value / _depth_ratio(10))) < 0.5:
        raise Fail("that is about the ratio of the chapter's 10-layer network: measure one with 20 affine layers "
                   "(19 hidden).")
    raise Fail(f"{value:.1e} is more than 3 times away from the measured ratio: check the depth (20 affine layers), "
               "the images and which layers you divide.")


hint, solution, reference = help_for(__name__)
