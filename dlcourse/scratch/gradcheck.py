"""Numerical gradient checking by central differences.

Pass thresholds for the relative error ``‖a − b‖ / (‖a‖ + ‖b‖)`` (Euclidean
norms over all entries, so entries whose true gradient is 0 do not blow the
ratio up), in float64 with ``h = 1e-5``:

* ``GRADCHECK_PASS = 1e-7``: a correct backward pass of smooth layers lands
  around 1e-9 to 1e-11; anything above 1e-7 means a bug.
* ``GRADCHECK_PASS_KINKED = 1e-5``: layers with kinks (ReLU, max-pooling) can
  be off when an input sits within ``h`` of the kink.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

GRADCHECK_PASS = 1e-7
GRADCHECK_PASS_KINKED = 1e-5


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Gradient of scalar ``f`` at ``x`` (any shape) by central differences; ``x`` is not changed."""
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        raise TypeError(f"x must be a float array (use float64), got dtype {x.dtype}")
    work = x.astype(np.float64, copy=True)
    grad = np.zeros_like(work)
    flat, gflat = work.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        fp = float(f(work))
        flat[i] = old - h
        fm = float(f(work))
        flat[i] = old
        gflat[i] = (fp - fm) / (2 * h)
    return grad


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """``‖a − b‖ / (‖a‖ + ‖b‖)`` (0.0 when both are zero); raises if shapes differ."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"shapes differ: {a.shape} vs {b.shape}")
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    if denom == 0.0:
        return 0.0
    return float(np.linalg.norm(a - b) / denom)
