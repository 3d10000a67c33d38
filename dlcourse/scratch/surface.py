"""The lecture's surface for racing optimizers: J(x) = x1² + 4·x2² − x1·x2.

An elongated bowl with its minimum at (0, 0): steep along x2, shallow along x1,
so plain gradient descent zig-zags across it while momentum and the adaptive
methods do better. The lecture starts every optimizer at ``START``.
"""

from __future__ import annotations

import numpy as np

START = (-5.0, 4.0)


def value(x: np.ndarray) -> float:
    """J(x) = x1² + 4·x2² − x1·x2 for x of shape (2,)."""
    return float(x[0] ** 2 + 4 * x[1] ** 2 - x[0] * x[1])


def gradient(x: np.ndarray) -> np.ndarray:
    """∇J(x) = (2·x1 − x2, 8·x2 − x1), shape (2,)."""
    return np.array([2 * x[0] - x[1], 8 * x[1] - x[0]])
