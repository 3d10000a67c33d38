"""Detect a classifier that predicts the same class for (almost) every input."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlcourse._tf import keras


@dataclass(frozen=True)
class OneClassReport:
    """The prediction histogram and what it implies for accuracy."""

    histogram: np.ndarray  # predictions per class, shape (classes,)
    dominant_class: int
    dominant_share: float  # share of predictions that are the dominant class
    true_share: float  # share of the true labels that are the dominant class
    accuracy: float
    collapsed: bool

    def __str__(self) -> str:
        c, n = self.dominant_class, int(self.histogram.sum())
        if not self.collapsed:
            return (f"no collapse: the most predicted class ({c}) gets {self.dominant_share:.1%} "
                    f"of {n:,} predictions; accuracy {self.accuracy:.4f}.")
        return (f"collapse: {self.dominant_share:.1%} of {n:,} predictions are class {c}. "
                f"A constant prediction of class {c} is right exactly when the label is {c}, so "
                f"accuracy ≈ the share of class {c} among the labels ({self.true_share:.4f}); "
                f"measured accuracy {self.accuracy:.4f}.")


def one_class_check(predicted: np.ndarray, y_true: np.ndarray, classes: int | None = None,
                    threshold: float = 0.95) -> OneClassReport:
    """Report whether predicted classes ``predicted``: (N,) or probabilities (N, classes) collapsed onto one class."""
    p = np.asarray(predicted)
    if p.ndim == 2:
        classes = classes or p.shape[1]
        p = p.argmax(axis=1)
    y = np.asarray(y_true).astype(int).ravel()
    if p.ndim != 1 or len(p) != len(y) or len(y) == 0:
        raise ValueError(f"predicted must have shape (N,) or (N, classes) with N = {len(y)}, got {np.shape(predicted)}")
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold!r}")
    classes = classes or int(max(p.max(), y.max()) + 1)
    hist = np.bincount(p.astype(int), minlength=classes)
    c = int(hist.argmax())
    share = float(hist[c] / len(p))
    return OneClassReport(histogram=hist, dominant_class=c, dominant_share=share,
                          true_share=float(np.mean(y == c)), accuracy=float(np.mean(p == y)),
                          collapsed=share >= threshold)


class OneClassMonitor(keras.callbacks.Callback):
    """After every epoch, check the predictions on ``(x, y)`` for a one-class collapse.

    ``reports`` holds one :class:`OneClassReport` per epoch (index 0: before training).
    """

    def __init__(self, x: np.ndarray, y: np.ndarray, threshold: float = 0.95, verbose: bool = False) -> None:
        super().__init__()
        self.x, self.y, self.threshold, self.verbose = x, y, threshold, verbose
        self.reports: list[OneClassReport] = []

    def _check(self) -> OneClassReport:
        probs = self.model.predict(self.x, verbose=0)
        report = one_class_check(probs, self.y, threshold=self.threshold)
        self.reports.append(report)
        return report

    def on_train_begin(self, logs: dict[str, float] | None = None) -> None:
        if not self.reports:
            self._check()

    def on_epoch_end(self, epoch: int, logs: dict[str, float] | None = None) -> None:
        report = self._check()
        if self.verbose and report.collapsed:
            print(f"epoch {epoch + 1}: {report}")
