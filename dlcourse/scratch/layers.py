"""Layers with a hand-written backward pass: Affine, activations and softmax-with-loss.

Every layer follows the protocol of :mod:`dlcourse.scratch.base`:
``forward(x, train=True)`` keeps what the backward pass needs; ``backward(dout)``
takes ∂L/∂(output) and returns ∂L/∂(input), keeping parameter gradients in
``grads`` (``Affine.dW`` is ``grads["W"]``). No layer changes the arrays it is
given. Arrays are float64 unless the parameters are another float type.
"""

from __future__ import annotations

import numpy as np

from dlcourse.scratch.base import Grad, Layer, Param
from dlcourse.scratch.base import float_array as _float_array

__all__ = [
    "ELU", "Affine", "Layer", "LeakyReLU", "ReLU", "Sigmoid", "SoftmaxWithLoss", "Tanh",
    "log_softmax", "softmax",
]


class Affine(Layer):
    """Fully connected layer ``y = x·W + b``. x: (N, D) → y: (N, M); W: (D, M), b: (M,)."""

    W, b = Param("W"), Param("b")  # views of self.params["W"], self.params["b"]
    dW, db = Grad("W"), Grad("b")  # views of self.grads["W"], self.grads["b"]

    def __init__(self, W: np.ndarray, b: np.ndarray) -> None:
        W, b = _float_array(W, "W"), _float_array(b, "b")
        if W.ndim != 2:
            raise ValueError(f"W must have shape (D, M), got {W.shape}")
        if b.shape != (W.shape[1],):
            raise ValueError(f"b must have shape ({W.shape[1]},) to match W {W.shape}, got {b.shape}")
        super().__init__(W=W.copy(), b=b.copy())  # copies: training never changes the caller's arrays
        self.x: np.ndarray | None = None

    def forward(self, x: np.ndarray, train: bool = True) -> np.ndarray:
        """x: (N, D) → (N, M)."""
        x = _float_array(x)
        D = self.W.shape[0]
        if x.ndim != 2 or x.shape[1] != D:
            raise ValueError(f"Affine expects x of shape (N, {D}), got {x.shape}")
        self.x = x
        self._out_shape = (x.shape[0], self.W.shape[1])
        return x @ self.W + self.b

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """dout: (N, M) → dx: (N, D); sets dW = xᵀ·dout (D, M) and db = Σₙ dout (M,)."""
        dout = self._check_dout(dout)
        self.dW = self.x.T @ dout
        self.db = dout.sum(axis=0)
        return dout @ self.W.T

    def __repr__(self) -> str:
        return f"Affine({self.W.shape[0]} → {self.W.shape[1]})"


class ReLU(Layer):
    """``max(0, x)`` elementwise; any shape. The gradient at exactly 0 is taken as 0."""

    kinked = True

    def forward(self, x: np.ndarray, train: bool = True) -> np.ndarray:
        """x: any shape → same shape."""
        x = _float_array(x)
        self.mask = x > 0
        self._out_shape = x.shape
        return np.where(self.mask, x, 0.0).astype(x.dtype, copy=False)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """dout → dout where x > 0, else 0."""
        dout = self._check_dout(dout)
        return np.where(self.mask, dout, 0.0).astype(dout.dtype, copy=False)


class Sigmoid(Layer):
    """``σ(x) = 1 / (1 + e⁻ˣ)`` elementwise; any shape."""

    def forward(self, x: np.ndarray, train: bool = True) -> np.ndarray:
        """x: any shape → same shape, values in (0, 1)."""
        x = _float_array(x)
        # 0.5·(1 + tanh(x/2)) equals σ(x) and never overflows, unlike 1/(1 + exp(−x)).
        self.out = 0.5 * (1.0 + np.tanh(0.5 * x))
        self._out_shape = x.shape
        return self.out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """dσ/dx = y·(1 − y), with y the forward output."""
        dout = self._check_dout(dout)
        return dout * self.out * (1.0 - self.out)


class Tanh(Layer):
    """``tanh(x)`` elementwise; any shape."""

    def forward(self, x: np.ndarray, train: bool = True) -> np.ndarray:
        """x: any shape → same shape, values in (−1, 1)."""
        x = _float_array(x)
        self.out = np.tanh(x)
        self._out_shape = x.shape
        return self.out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """d tanh/dx = 1 − y², with y the forward output."""
        dout = self._check_dout(dout)
        return dout * (1.0 - self.out ** 2)


class LeakyReLU(Layer):
    """``x`` for x > 0, ``alpha·x`` otherwise; any shape."""

    kinked = True

    def __init__(self, alpha: float = 0.01) -> None:
        if not (np.isfinite(alpha) and 0.0 <= alpha < 1.0):
            raise ValueError(f"alpha must be in [0, 1), got {alpha!r}")
        super().__init__()
        self.alpha = float(alpha)

    def forward(self, x: np.ndarray, train: bool = True) -> np.ndarray:
        """x: any shape → same shape."""
        x = _float_array(x)
        self.mask = x > 0
        self._out_shape = x.shape
        return np.where(self.mask, x, self.alpha * x)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """dout where x > 0, alpha·dout elsewhere."""
        dout = self._check_dout(dout)
        return np.where(self.mask, dout, self.alpha * dout)

    def __repr__(self) -> str:
        return f"LeakyReLU(alpha={self.alpha})"


class ELU(Layer):
    """``x`` for x > 0, ``alpha·(eˣ − 1)`` otherwise; any shape (Clevert et al., 2016)."""

    kinked = True  # the derivative jumps at 0 unless alpha = 1

    def __init__(self, alpha: float = 1.0) -> None:
        if not (np.isfinite(alpha) and alpha > 0.0):
            raise ValueError(f"alpha must be a positive number, got {alpha!r}")
        super().__init__()
        self.alpha = float(alpha)

    def forward(self, x: np.ndarray, train: bool = True) -> np.ndarray:
        """x: any shape → same shape, values above −alpha."""
        x = _float_array(x)
        self.mask = x > 0
        # expm1 of min(x, 0): accurate near 0 and no overflow warning for large x.
        self.out = np.where(self.mask, x, self.alpha * np.expm1(np.minimum(x, 0.0)))
        self._out_shape = x.shape
        return self.out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """dout where x > 0, else dout·alpha·eˣ = dout·(y + alpha)."""
        dout = self._check_dout(dout)
        return np.where(self.mask, dout, dout * (self.out + self.alpha))

    def __repr__(self) -> str:
        return f"ELU(alpha={self.alpha})"


def log_softmax(x: np.ndarray) -> np.ndarray:
    """Row-wise log-softmax, x: (N, C) → (N, C); stable for any size of scores."""
    x = _float_array(x)
    shifted = x - x.max(axis=-1, keepdims=True)  # softmax(x) = softmax(x − c): no overflow
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def softmax(x: np.ndarray) -> np.ndarray:
    """Row-wise softmax, x: (N, C) → (N, C), each row sums to 1."""
    return np.exp(log_softmax(x))


class SoftmaxWithLoss(Layer):
    """Softmax followed by mean cross-entropy. x: (N, C) scores, t: (N,) labels or (N, C) targets."""

    loss = True

    def forward(self, x: np.ndarray, t: np.ndarray, train: bool = True) -> float:
        """Batch-mean cross-entropy ``−(1/N)·Σₙ Σ_c t_nc·log softmax(x)_nc``."""
        x = _float_array(x)
        if x.ndim != 2 or x.shape[0] == 0 or x.shape[1] < 2:
            raise ValueError(f"SoftmaxWithLoss expects scores of shape (N, C) with C ≥ 2, got {x.shape}")
        self.t = self._targets(np.asarray(t), x.shape)
        logp = log_softmax(x)
        self.y = np.exp(logp)
        self._out_shape = ()
        return float(-(self.t * logp).sum() / x.shape[0])

    @staticmethod
    def _targets(t: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
        """Integer labels (N,) or target distributions (N, C) → (N, C) float targets."""
        N, C = shape
        if t.shape == (N,):
            if not np.issubdtype(t.dtype, np.integer):
                raise ValueError(f"integer labels must have an integer dtype, got {t.dtype}")
            if t.min() < 0 or t.max() >= C:
                raise ValueError(f"labels must lie in [0, {C - 1}], got values from {t.min()} to {t.max()}")
            onehot = np.zeros((N, C))
            onehot[np.arange(N), t] = 1.0
            return onehot
        if t.shape == (N, C):
            t = _float_array(t, "t")
            if np.any(t < 0) or not np.allclose(t.sum(axis=1), 1.0):
                raise ValueError("one-hot targets must be non-negative and each row must sum to 1")
            return t
        raise ValueError(f"targets must have shape ({N},) (labels) or ({N}, {C}) (one-hot), got {t.shape}")

    def backward(self, dout: float = 1.0) -> np.ndarray:
        """∂loss/∂x = dout·(y − t)/N, shape (N, C); y = softmax(x)."""
        if self._out_shape is None:
            raise RuntimeError("SoftmaxWithLoss.backward called before forward")
        dout = np.asarray(dout, dtype=np.float64)
        if dout.shape != ():
            raise ValueError(f"dout of a loss must be a scalar, got shape {dout.shape}")
        return float(dout) * (self.y - self.t) / self.t.shape[0]


# Layers taught in later chapters live in their own modules; they are re-exported
# here so that every scratch layer can be imported from one place.
from dlcourse.scratch.batchnorm import BatchNorm  # noqa: E402,F401
from dlcourse.scratch.dropout import Dropout  # noqa: E402,F401
