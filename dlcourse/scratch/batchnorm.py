"""Batch normalization (Ioffe & Szegedy, 2015) in numpy, forward and backward.

Training mode normalises each feature (the last axis) with the mean and
variance of the current batch, then scales by ``gamma`` and shifts by
``beta``; it also keeps exponential moving averages of those statistics.
Inference mode uses the moving averages instead, so a prediction does not
depend on the other examples in its batch.

The moving averages follow Keras' ``BatchNormalization`` exactly::

    running = running * momentum + batch_statistic * (1 - momentum)

with the *biased* batch variance (divided by m, the number of values per
feature). The paper's inference variance is the unbiased m/(m − 1) form;
``unbiased_running_var=True`` uses it (as PyTorch does).
"""

from __future__ import annotations

import numpy as np

from dlcourse.scratch.base import Grad, Layer, Param


class BatchNorm(Layer):
    """Batch normalization over all axes but the last: x (N, D) or (N, H, W, C) → same shape."""

    gamma, beta = Param("gamma"), Param("beta")
    dgamma, dbeta = Grad("gamma"), Grad("beta")

    def __init__(self, gamma: np.ndarray, beta: np.ndarray, momentum: float = 0.99,
                 eps: float = 1e-3, unbiased_running_var: bool = False,
                 running_mean: np.ndarray | None = None,
                 running_var: np.ndarray | None = None) -> None:
        """gamma, beta: (C,) scale and shift; running statistics start at 0 and 1 like Keras'."""
        gamma, beta = _vector("gamma", gamma), _vector("beta", beta)
        if beta.shape != gamma.shape:
            raise ValueError(f"beta must have the shape of gamma {gamma.shape}, got {beta.shape}")
        super().__init__(gamma=gamma, beta=beta)  # _vector copied them: the layer owns its arrays
        if not (isinstance(momentum, (int, float)) and 0.0 <= momentum <= 1.0):
            raise ValueError(f"momentum must be a number in [0, 1] (Keras' default 0.99), "
                             f"got {momentum!r}")
        if not (isinstance(eps, (int, float)) and eps > 0):
            raise ValueError(f"eps must be a positive number (Keras' default 1e-3), got {eps!r}")
        self.momentum = float(momentum)
        self.eps = float(eps)
        self.unbiased_running_var = bool(unbiased_running_var)
        c = self.gamma.shape
        self.running_mean = (np.zeros(c) if running_mean is None
                             else _vector("running_mean", running_mean, c))
        self.running_var = (np.ones(c) if running_var is None
                            else _vector("running_var", running_var, c))
        if np.any(self.running_var < 0):
            raise ValueError("running_var must be non-negative")
        self._cache: tuple | None = None

    @property
    def features(self) -> int:
        """C, the number of features (channels) normalised separately."""
        return self.gamma.shape[0]

    def _axes(self, x: np.ndarray) -> tuple[int, ...]:
        """Axes to average over: all but the last; checks x is (N, C) or (N, H, W, C)."""
        if x.ndim not in (2, 4) or x.shape[-1] != self.features or x.shape[0] < 1:
            raise ValueError(f"x must have shape (N, {self.features}) or "
                             f"(N, H, W, {self.features}), got {x.shape}")
        return tuple(range(x.ndim - 1))

    def forward(self, x: np.ndarray, train: bool = True) -> np.ndarray:
        """Normalise x (N, C) or (N, H, W, C); in training, also update the running statistics."""
        x = np.asarray(x, dtype=np.float64)
        axes = self._axes(x)
        if train:
            m = x.size // self.features  # values per feature: N, or N·H·W
            mean = x.mean(axis=axes)
            var = x.var(axis=axes)  # biased (÷ m): what the layer normalises with
            if self.unbiased_running_var:
                if m < 2:
                    raise ValueError("the unbiased running variance needs at least 2 values "
                                     f"per feature, got a batch with m = {m}")
                var_for_running = var * m / (m - 1)
            else:
                var_for_running = var
            # New arrays, not in-place updates: a caller may hold the old ones.
            self.running_mean = self.running_mean * self.momentum + mean * (1.0 - self.momentum)
            self.running_var = (self.running_var * self.momentum
                                + var_for_running * (1.0 - self.momentum))
        else:
            mean, var = self.running_mean, self.running_var
        inv_std = 1.0 / np.sqrt(var + self.eps)
        x_hat = (x - mean) * inv_std
        self._cache = (bool(train), x_hat, inv_std, axes)
        return self.gamma * x_hat + self.beta

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """dout (shape of the last forward's x) → dx; keeps dgamma and dbeta (C,)."""
        if self._cache is None:
            raise RuntimeError("call forward before backward")
        train, x_hat, inv_std, axes = self._cache
        dout = np.asarray(dout, dtype=np.float64)
        if dout.shape != x_hat.shape:
            raise ValueError(f"dout must have the shape of the forward input {x_hat.shape}, "
                             f"got {dout.shape}")
        self.dbeta = dout.sum(axis=axes)
        self.dgamma = (dout * x_hat).sum(axis=axes)
        dx_hat = dout * self.gamma
        if not train:
            # Inference: mean and variance are constants, so BN is a per-feature affine map.
            return dx_hat * inv_std
        # Training: every x moves the batch mean and variance too. Projecting out
        # the mean of dx_hat and its component along x_hat accounts for both.
        m = x_hat.size // self.features
        return inv_std / m * (m * dx_hat - dx_hat.sum(axis=axes)
                              - x_hat * (dx_hat * x_hat).sum(axis=axes))


def _vector(name: str, value: np.ndarray, shape: tuple[int, ...] | None = None) -> np.ndarray:
    """A float64 copy of a 1-D array, checked for shape and finiteness."""
    v = np.array(value, dtype=np.float64)  # a copy: the caller's array is never changed
    if v.ndim != 1 or v.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array (C,), got shape {v.shape}")
    if shape is not None and v.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {v.shape}")
    if not np.all(np.isfinite(v)):
        raise ValueError(f"{name} must be finite")
    return v
