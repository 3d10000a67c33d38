"""Stop a run whose loss becomes non-finite or explodes, and say what was seen."""

from __future__ import annotations

import math

import numpy as np

from dlcourse._tf import keras


class DivergenceDetector(keras.callbacks.Callback):
    """Watch every batch's loss; stop on NaN/inf or on a loss ``factor`` times too high.

    "Too high" means above ``factor`` × the larger of the first batch's loss
    (where training started, about ln(classes) for a fresh classifier) and the
    median of the last ``window`` batch losses: a healthy run never climbs far
    above where it began. Keras reports the *running mean* of the epoch's loss
    after each batch; the detector recovers each batch's own loss from it.
    ``diverged``, ``at`` and ``explanation`` tell what happened; with
    ``stop=False`` it records the first event and lets training go on.
    """

    def __init__(self, factor: float = 10.0, window: int = 20, stop: bool = True,
                 verbose: bool = True) -> None:
        super().__init__()
        if not factor > 1:
            raise ValueError(f"factor must be > 1 (how many times too high counts as exploding), got {factor!r}")
        if not isinstance(window, int) or window < 1:
            raise ValueError(f"window must be a positive integer, got {window!r}")
        self.factor, self.window, self.stop, self.verbose = factor, window, stop, verbose
        self.batch_losses: list[float] = []
        self.diverged = False
        self.explanation = ""
        self.at: tuple[int, int] | None = None  # (epoch, batch) of the first event, 1-based
        self.step: int | None = None  # its global step (1-based index into batch_losses)
        self._epoch = 0
        self._prev_mean = 0.0

    def on_epoch_begin(self, epoch: int, logs: dict[str, float] | None = None) -> None:
        self._epoch, self._prev_mean = epoch, 0.0

    def on_train_batch_end(self, batch: int, logs: dict[str, float] | None = None) -> None:
        mean = float((logs or {}).get("loss", math.nan))
        # Running mean after batch b (0-based) → this batch's loss.
        loss = (batch + 1) * mean - batch * self._prev_mean if math.isfinite(mean) else mean
        self._prev_mean = mean
        earlier = [v for v in self.batch_losses if math.isfinite(v)]
        self.batch_losses.append(loss)
        if self.diverged:
            return
        if not math.isfinite(loss):
            what = f"the loss became {loss} (not a finite number)"
        elif earlier:
            reference = max(earlier[0], float(np.median(earlier[-self.window:])))
            if loss <= self.factor * reference:
                return
            what = (f"the loss jumped to {loss:.4g}, {loss / reference:.3g} times its reference "
                    f"{reference:.4g} (the larger of the first batch's loss and the recent median)")
        else:
            return
        self.diverged, self.at, self.step = True, (self._epoch + 1, batch + 1), len(self.batch_losses)
        recent = ", ".join(f"{v:.4g}" for v in self.batch_losses[-6:-1]) or "none"
        self.explanation = (
            f"Divergence at epoch {self._epoch + 1}, batch {batch + 1} (step {len(self.batch_losses)}): "
            f"{what}. The batch losses before it were: {recent}. The updates are too large for "
            "this network: the weights grow until activations overflow or every ReLU dies. "
            "Try a lower learning rate, gradient clipping, a learning-rate warm-up, batch norm, "
            "or He initialisation."
        )
        if self.stop:
            self.model.stop_training = True
            self.explanation += " Training was stopped."
        if self.verbose:
            print(self.explanation)
