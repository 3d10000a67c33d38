"""Inverted dropout: drop units at random while training, do nothing at inference.

During training each unit is zeroed with probability ``rate`` and the units that
survive are multiplied by ``1 / (1 − rate)``. The expected value of every output
then equals its input, so the layer can simply be skipped at inference — no
rescaling of the weights afterwards (Srivastava et al., 2014, scale the weights
by the keep probability at test time instead; both give the same expectation).
"""

from __future__ import annotations

import numpy as np

from dlcourse.scratch.base import Layer


class Dropout(Layer):
    """Inverted dropout. x: any shape → same shape; seeded, so a run can be repeated."""

    random = True  # a new mask at every training forward

    def __init__(self, rate: float, seed: int | None = 0) -> None:
        if isinstance(rate, bool) or not isinstance(rate, (int, float, np.floating)):
            raise ValueError(f"rate must be a number in [0, 1), got {rate!r}")
        if not 0.0 <= float(rate) < 1.0:
            # rate = 1 would drop every unit and divide by zero when rescaling.
            raise ValueError(f"rate must be in [0, 1) (the probability of dropping a unit), got {rate}")
        super().__init__()
        self.rate = float(rate)
        self.rng = np.random.default_rng(seed)
        self.mask: np.ndarray | None = None  # kept unit → 1/(1−rate), dropped → 0

    def forward(self, x: np.ndarray, train: bool = True) -> np.ndarray:
        """Training: x · mask / (1 − rate) with a fresh random mask; inference: x unchanged."""
        x = np.asarray(x, dtype=np.float64)
        if not train or self.rate == 0.0:
            # Inference is the identity: a ones "mask" lets backward work the same way.
            self.mask = np.ones_like(x)
            return x.copy()
        keep = self.rng.random(x.shape) >= self.rate
        self.mask = keep / (1.0 - self.rate)
        return x * self.mask

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """dout: same shape as the last forward's x → dx = dout · mask (dropped units get 0)."""
        if self.mask is None:
            raise RuntimeError("call forward before backward: backward needs forward's mask")
        dout = np.asarray(dout, dtype=np.float64)
        if dout.shape != self.mask.shape:
            raise ValueError(f"dout must have the shape of the last forward input {self.mask.shape}, "
                             f"got {dout.shape}")
        return dout * self.mask
