"""Weight initializers for a dense layer's (fan_in, fan_out) weight matrix.

The scale of the initial weights decides whether signals keep their size
through a deep net. Xavier/Glorot (Glorot & Bengio, 2010) keeps the variance
of tanh/sigmoid-like layers near 1 with Var(w) = 2 / (fan_in + fan_out); LeCun
(LeCun et al., 1998) uses Var(w) = 1 / fan_in, the lecture's "1/√n", which
equals Xavier's for square layers; He (He et al., 2015) doubles that for ReLU,
which zeroes half its inputs: Var(w) = 2 / fan_in. Each name means this one
formula throughout dlcourse. All draws are plain (untruncated) normals from a
seeded numpy Generator.
"""

from __future__ import annotations

import math

import numpy as np

SeedLike = int | np.random.Generator | None


def xavier_std(fan_in: int, fan_out: int) -> float:
    """Glorot's std, as Keras' ``glorot_normal``: √(2 / (fan_in + fan_out))."""
    _check_fans(fan_in, fan_out)
    return math.sqrt(2.0 / (fan_in + fan_out))


def lecun_std(fan_in: int) -> float:
    """LeCun's std, as Keras' ``lecun_normal``: √(1 / fan_in) (Xavier's for a square layer)."""
    _check_fans(fan_in, 1)
    return math.sqrt(1.0 / fan_in)


def he_std(fan_in: int) -> float:
    """He's std for ReLU layers: √(2 / fan_in)."""
    _check_fans(fan_in, 1)
    return math.sqrt(2.0 / fan_in)


def zeros(fan_in: int, fan_out: int) -> np.ndarray:
    """All-zero weights (fan_in, fan_out): every hidden unit starts, and stays, the same."""
    _check_fans(fan_in, fan_out)
    return np.zeros((fan_in, fan_out))


def normal(fan_in: int, fan_out: int, std: float, seed: SeedLike = 0) -> np.ndarray:
    """Weights (fan_in, fan_out) drawn from N(0, std²)."""
    _check_fans(fan_in, fan_out)
    if not (isinstance(std, (int, float)) and math.isfinite(std) and std > 0):
        raise ValueError(f"std must be a positive finite number, got {std!r} "
                         "(use zeros() for all-zero weights)")
    return _rng(seed).normal(0.0, float(std), size=(fan_in, fan_out))


def xavier_normal(fan_in: int, fan_out: int, seed: SeedLike = 0) -> np.ndarray:
    """Xavier/Glorot normal weights (fan_in, fan_out), std ``xavier_std(fan_in, fan_out)``."""
    return normal(fan_in, fan_out, xavier_std(fan_in, fan_out), seed)


def he_normal(fan_in: int, fan_out: int, seed: SeedLike = 0) -> np.ndarray:
    """He normal weights (fan_in, fan_out) with std √(2 / fan_in), for ReLU layers."""
    return normal(fan_in, fan_out, he_std(fan_in), seed)


def initialize(scheme: str, fan_in: int, fan_out: int, seed: SeedLike = 0,
               std: float | None = None) -> np.ndarray:
    """Weights (fan_in, fan_out) by name: "zeros", "normal" (needs std), "xavier" or "he"."""
    if scheme == "zeros":
        return zeros(fan_in, fan_out)
    if scheme == "normal":
        if std is None:
            raise ValueError('scheme "normal" needs std=..., e.g. std=0.01')
        return normal(fan_in, fan_out, std, seed)
    if std is not None:
        raise ValueError(f"std is only used by scheme 'normal', not {scheme!r}")
    if scheme == "xavier":
        return xavier_normal(fan_in, fan_out, seed)
    if scheme == "he":
        return he_normal(fan_in, fan_out, seed)
    raise ValueError(f"unknown scheme {scheme!r}; choose 'zeros', 'normal', 'xavier' or 'he'")


def _check_fans(fan_in: int, fan_out: int) -> None:
    for name, n in (("fan_in", fan_in), ("fan_out", fan_out)):
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f"{name} must be a positive integer, got {n!r}")


def _rng(seed: SeedLike) -> np.random.Generator:
    """A Generator from an int seed (reproducible), a Generator (shared stream) or None."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or (isinstance(seed, (int, np.integer)) and not isinstance(seed, bool)
                        and seed >= 0):
        return np.random.default_rng(seed)
    raise ValueError(f"seed must be a non-negative int, a numpy Generator or None, got {seed!r}")
