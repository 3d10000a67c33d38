"""Cut Keras training to a few steps, to prove a profile's code paths without its cost.

``DLCOURSE_MAX_STEPS=N`` makes every ``Model.fit`` stop after N training batches
and every ``Model.evaluate`` (validation passes included) after N batches.
``Model.predict`` is left whole, because lesson code compares its output with
the labels image by image. The course uses this to run the paper-scale ``gpu``
profile on a CPU in minutes (``make gpu-capped``): every cell runs, with the
real shapes, but the numbers mean nothing, and the page says so.

Keras' own ``KERAS_MAX_STEPS_PER_EPOCH`` is not used: it cuts ``predict`` too,
and it warns on stderr.
"""

from __future__ import annotations

import os
from typing import Any

ENV_VAR = "DLCOURSE_MAX_STEPS"

_installed: int | None = None


def max_steps_from_env() -> int | None:
    """The cap set by ``$DLCOURSE_MAX_STEPS`` (None when unset or empty)."""
    raw = os.environ.get(ENV_VAR, "").strip()
    if not raw:
        return None
    try:
        steps = int(raw)
    except ValueError:
        steps = 0
    if steps < 1:
        raise ValueError(f"${ENV_VAR} must be a positive number of training steps, got {raw!r}; "
                         "unset it to train in full.")
    return steps


def cap_training(max_steps: int) -> None:
    """Make ``keras.Model.fit`` and ``evaluate`` stop after ``max_steps`` batches (for this process)."""
    global _installed
    if not isinstance(max_steps, int) or max_steps < 1:
        raise ValueError(f"max_steps must be a positive integer, got {max_steps!r}")
    from dlcourse._tf import keras  # here, not at the top: profiles import this module without TensorFlow

    if _installed is None:
        original_fit, original_evaluate = keras.Model.fit, keras.Model.evaluate

        class _StopAfter(keras.callbacks.Callback):
            def __init__(self, steps: int):
                super().__init__()
                self.steps, self.seen = steps, 0

            def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
                self.seen += 1
                if self.seen >= self.steps:
                    self.model.stop_training = True  # Keras 3 leaves the epoch at once

        def fit(self: keras.Model, *args: Any, **kwargs: Any) -> Any:
            if _installed is None:
                return original_fit(self, *args, **kwargs)
            kwargs["callbacks"] = [*(kwargs.get("callbacks") or []), _StopAfter(_installed)]
            # fit builds its validation iterator itself, from validation_steps.
            kwargs["validation_steps"] = min(kwargs.get("validation_steps") or _installed, _installed)
            return original_fit(self, *args, **kwargs)

        def evaluate(self: keras.Model, *args: Any, **kwargs: Any) -> Any:
            if _installed is None:
                return original_evaluate(self, *args, **kwargs)
            kwargs["steps"] = min(kwargs.get("steps") or _installed, _installed)
            return original_evaluate(self, *args, **kwargs)

        fit.__doc__ = original_fit.__doc__
        evaluate.__doc__ = original_evaluate.__doc__
        keras.Model.fit, keras.Model.evaluate = fit, evaluate
    _installed = max_steps


def training_cap() -> int | None:
    """The cap in force in this process (None: training runs in full)."""
    return _installed
