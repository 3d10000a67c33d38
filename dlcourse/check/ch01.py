"""Exercise checks for lesson 01 (backpropagation from scratch).

The learner writes ``backward`` in a subclass of a ``dlcourse.scratch.layers``
layer (``forward`` is inherited). A check runs it on random inputs and
compares with (a) central differences of ``forward`` under the gradient-check
thresholds and (b) the package's own backward pass.
"""

from __future__ import annotations

import numpy as np

from dlcourse.check import Fail, exercise, expect, expect_close, help_for
from dlcourse.scratch import layers as L
from dlcourse.scratch.gradcheck import numerical_gradient, relative_error
from dlcourse.scratch.layercheck import threshold_for


def _instance(cls: type, base: type, *args):
    expect(isinstance(cls, type), f"pass your class itself (e.g. My{base.__name__}), "
                                  f"not {type(cls).__name__}.")
    layer = cls(*args)
    expect(hasattr(layer, "forward") and hasattr(layer, "backward"),
           "your class needs forward and backward methods: subclass "
           f"dlcourse.scratch.layers.{base.__name__} and write backward.")
    return layer


def _expect_array(dx, shape: tuple[int, ...]) -> None:
    expect(dx is not None, "backward returned None: did you forget `return`?")
    dx = np.asarray(dx, dtype=float)
    expect(dx.shape == shape, f"dx has shape {dx.shape}, expected the input's shape {shape}.")
    expect(bool(np.all(np.isfinite(dx))), "dx contains NaN or inf.")


def _was_set(grad: object) -> bool:
    """False for a gradient left as None or as the zeros a layer starts with."""
    return grad is not None and bool(np.any(np.asarray(grad) != 0))


def _check_elementwise(cls: type, base: type, *args, shape=(4, 5), seed: int = 1) -> str:
    """Learner's backward vs numerical and reference gradients for an elementwise layer."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    x[np.abs(x) < 1e-2] = 0.5  # keep inputs away from kinks at 0
    dout = rng.standard_normal(shape)
    x0, dout0 = x.copy(), dout.copy()
    layer = _instance(cls, base, *args)
    layer.forward(x)
    dx = layer.backward(dout)
    expect(np.array_equal(dout, dout0), "backward changed dout in place; compute a new array instead.")
    _expect_array(dx, shape)
    num = numerical_gradient(lambda v: float(np.sum(layer.forward(v) * dout)), x0)
    err = relative_error(dx, num)
    ref = base(*args)
    ref.forward(x0)
    want = ref.backward(dout0)
    limit = threshold_for(ref)
    if err > limit:
        raise Fail(f"dx disagrees with the numerical gradient (relative error {err:.1e} > {limit:.0e}).")
    expect_close(dx, want, what="dx")
    return f"relative error vs the numerical gradient {err:.0e} (threshold {limit:.0e})."


@exercise(
    "Sigmoid.backward",
    hints=[
        "the chain rule: the gradient that arrives (dout) times the sigmoid's local derivative; that derivative can be written with the sigmoid's own output, which forward kept.",
        "dσ/dx = σ(x)·(1 − σ(x)), and σ(x) is `self.out`.",
        "return a new array: dout times self.out times (1 − self.out).",
    ],
)
def sigmoid_backward(cls: type) -> str:
    """Check a subclass of ``layers.Sigmoid`` with the learner's ``backward``."""
    return _check_elementwise(cls, L.Sigmoid)


@exercise(
    "Tanh.backward",
    hints=[
        "like the sigmoid: the local derivative of tanh can be written with tanh's own output.",
        "d tanh/dx = 1 − tanh(x)², and tanh(x) is `self.out`.",
        "return dout times (1 − self.out squared).",
    ],
)
def tanh_backward(cls: type) -> str:
    """Check a subclass of ``layers.Tanh`` with the learner's ``backward``."""
    return _check_elementwise(cls, L.Tanh)


@exercise(
    "ReLU.backward",
    hints=[
        "ReLU's slope is 1 where the input was positive and 0 elsewhere; forward remembered where.",
        "`self.mask` marks the inputs that were positive; the gradient flows only there.",
        "return dout where self.mask is True and 0 elsewhere, as a new array.",
    ],
)
def relu_backward(cls: type) -> str:
    """Check a subclass of ``layers.ReLU`` with the learner's ``backward``."""
    return _check_elementwise(cls, L.ReLU)


@exercise(
    "LeakyReLU.backward",
    hints=[
        "two slopes: 1 for positive inputs, alpha for the others; forward remembered which was which.",
        "`self.mask` marks the positive inputs; `self.alpha` is the slope elsewhere.",
        "dout where self.mask, self.alpha · dout elsewhere (numpy's where picks between the two).",
    ],
)
def leaky_relu_backward(cls: type) -> str:
    """Check a subclass of ``layers.LeakyReLU`` with the learner's ``backward`` (alpha = 0.1)."""
    return _check_elementwise(cls, L.LeakyReLU, 0.1)


@exercise(
    "ELU.backward",
    hints=[
        "two pieces: slope 1 for positive inputs; for the others, differentiate the exponential branch of the forward formula.",
        "that derivative is alpha·eˣ, which equals the forward output plus alpha, so you need no exponential.",
        "dout where self.mask; elsewhere dout · (self.out + self.alpha).",
    ],
)
def elu_backward(cls: type) -> str:
    """Check a subclass of ``layers.ELU`` with the learner's ``backward`` (alpha = 0.7)."""
    return _check_elementwise(cls, L.ELU, 0.7)


@exercise(
    "Affine.backward",
    hints=[
        "write down the shapes first: x is (N, D), W is (D, M), dout is (N, M). Each gradient has the shape of the thing it is the gradient of.",
        "Y = xW + b. For dx you need an (N, D) product of dout and W; for dW a (D, M) product of x and dout; b was added to every row.",
        "self.dW = x.T @ dout, self.db = dout summed over the batch axis, and return dout @ W.T.",
    ],
)
def affine_backward(cls: type) -> str:
    """Check a subclass of ``layers.Affine``: returned dx, and the dW, db it keeps."""
    rng = np.random.default_rng(2)
    N, D, M = 5, 4, 3
    W, b = rng.standard_normal((D, M)), rng.standard_normal(M)
    x, dout = rng.standard_normal((N, D)), rng.standard_normal((N, M))
    layer = _instance(cls, L.Affine, W.copy(), b.copy())
    layer.forward(x.copy())
    dx = layer.backward(dout.copy())
    ref = L.Affine(W, b)
    ref.forward(x)
    want = ref.backward(dout)
    expect_close(dx, want, what=f"dx (should be dout @ W.T, shape {(N, D)})")
    dW, db = getattr(layer, "dW", None), getattr(layer, "db", None)
    # A layer's gradients start as zeros (the layer protocol), so all zeros means never set.
    expect(_was_set(dW), "self.dW is not set: store the weight gradient x.T @ dout in self.dW.")
    expect_close(dW, ref.dW, what=f"self.dW (should have W's shape {(D, M)})")
    expect(_was_set(db), "self.db is not set: store the bias gradient in self.db.")
    expect_close(db, ref.db, what=f"self.db (should have b's shape {(M,)}: sum dout over the batch)")
    num = numerical_gradient(lambda v: float(np.sum(L.Affine(v, b).forward(x) * dout)), W)
    return f"dx, dW and db match; dW vs the numerical gradient: relative error {relative_error(dW, num):.0e}."


@exercise(
    "SoftmaxWithLoss.backward",
    hints=[
        "softmax followed by cross-entropy has a famously simple gradient with respect to the scores: compare the predicted probabilities with the targets.",
        "per example it is (probabilities − one-hot targets); the loss is a mean over the batch, so divide by N.",
        "dout · (self.y − self.t) / N, with N the batch size.",
    ],
)
def softmax_with_loss_backward(cls: type) -> str:
    """Check a subclass of ``layers.SoftmaxWithLoss`` with the learner's ``backward``."""
    rng = np.random.default_rng(3)
    N, C = 6, 4
    x, t = 3 * rng.standard_normal((N, C)), rng.integers(0, C, N)
    layer = _instance(cls, L.SoftmaxWithLoss)
    layer.forward(x.copy(), t)
    dx = layer.backward(1.0)
    num = numerical_gradient(lambda v: L.SoftmaxWithLoss().forward(v, t), x)
    _expect_array(dx, (N, C))
    expect_close(dx, num, what="dx", rtol=1e-5, atol=1e-8)
    err = relative_error(dx, num)
    layer.forward(x.copy(), t)
    expect_close(layer.backward(2.0), 2 * num, what="dx for dout = 2.0", rtol=1e-5, atol=1e-8)
    return f"relative error vs the numerical gradient {err:.0e}."


hint, solution, reference = help_for(__name__)
