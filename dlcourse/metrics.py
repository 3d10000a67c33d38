"""Classification metrics from true and predicted labels, in numpy."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def confusion_matrix(y_true: Sequence[int], y_pred: Sequence[int], classes: int) -> np.ndarray:
    """Counts (classes, classes): row = true class, column = predicted class."""
    t, p = np.asarray(y_true).astype(int).ravel(), np.asarray(y_pred).astype(int).ravel()
    if t.shape != p.shape:
        raise ValueError(f"y_true and y_pred must have the same length, got {t.shape} and {p.shape}")
    if t.size and (min(t.min(), p.min()) < 0 or max(t.max(), p.max()) >= classes):
        raise ValueError(f"labels must be in [0, {classes}); got values from "
                         f"{min(t.min(), p.min())} to {max(t.max(), p.max())}")
    return np.bincount(t * classes + p, minlength=classes * classes).reshape(classes, classes)
