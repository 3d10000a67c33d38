"""Tools for the training checklist: readable errors, the one-batch test, the generalisation gap."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from dlcourse.history import history_dict

if TYPE_CHECKING:  # only named in signatures: the model passed in has brought TensorFlow already
    from dlcourse._tf import keras

_TF_PREFIX = re.compile(r"^\{\{function_node [^}]*\}\}\s*")
_TF_SUFFIX = re.compile(r"\s*\[Op:[^\]]*\].*$")
_TF_NODE = re.compile(r"^\[\[\{\{node [^}]*\}\}\]\]")  # "[[{{node name}}]] [Op:...]"


def short_error(err: BaseException, width: int = 200) -> str:
    """The one line of an exception worth reading, prefixed by its type (no traceback).

    TensorFlow's "Graph execution error" puts the cause on its last line, and
    eager errors wrap it in ``{{function_node ...}} ... [Op:Sub]``; both are trimmed.
    """
    lines = [ln.strip() for ln in str(err).splitlines() if ln.strip()]
    if not lines:
        line = ""
    elif lines[0].startswith("Graph execution error"):
        # The cause is the last line, unless TensorFlow appended the failing node there.
        causes = [ln for ln in lines[1:] if not _TF_NODE.match(ln)]
        line = causes[-1] if causes else lines[-1]
    else:
        line = lines[0]
    line = _TF_SUFFIX.sub("", _TF_PREFIX.sub("", line))
    if len(line) > width:
        line = line[: width - 1] + "…"
    return f"{type(err).__name__}: {line}"


@dataclass(frozen=True)
class OneBatchResult:
    """What happened when a model trained on one small batch over and over."""

    steps: int
    first_loss: float
    final_loss: float
    final_accuracy: float
    threshold: float

    @property
    def passed(self) -> bool:
        """True when the model memorised the batch (training accuracy ≥ threshold)."""
        return bool(np.isfinite(self.final_loss) and self.final_accuracy >= self.threshold)

    def __str__(self) -> str:
        verdict = "passed" if self.passed else "FAILED"
        return (f"one-batch test {verdict}: loss {self.first_loss:.3f} → {self.final_loss:.3f}, "
                f"training accuracy {self.final_accuracy:.2f} after {self.steps} steps")


def overfit_one_batch(model: keras.Model, x: np.ndarray, y: np.ndarray, *, steps: int = 100,
                      threshold: float = 0.99) -> OneBatchResult:
    """Train a compiled model on one batch x: (B, ...), y: (B,) for ``steps`` steps.

    A correct model with enough capacity memorises a handful of examples; one
    that cannot has a bug (wrong loss or labels, frozen layers, a learning rate
    far off) that a long run on the full data would only hide. The model must be
    compiled with an "accuracy" metric.
    """
    if not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps!r}")
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same length, got {len(x)} and {len(y)}")
    first = model.train_on_batch(x, y, return_dict=True)
    if "accuracy" not in first:
        raise ValueError("compile the model with metrics=['accuracy'] for the one-batch test")
    # train_on_batch reuses one traced step: far cheaper than `steps` one-batch epochs of fit().
    for _ in range(int(steps) - 1):
        model.train_on_batch(x, y)
    # Keras' metrics average over calls; evaluate once more for the final state alone.
    final_loss, final_accuracy = _loss_and_accuracy(model, x, y)
    return OneBatchResult(int(steps), float(first["loss"]), final_loss, final_accuracy, threshold)


def _loss_and_accuracy(model: keras.Model, x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    result = model.evaluate(x, y, batch_size=len(x), verbose=0, return_dict=True)
    return float(result["loss"]), float(result["accuracy"])


def generalization_gap(history: Any, metric: str = "accuracy") -> float:
    """Training minus validation ``metric`` at the last epoch (positive: overfitting)."""
    h = history_dict(history, needs=(metric, f"val_{metric}"))
    return float(h[metric][-1]) - float(h[f"val_{metric}"][-1])
