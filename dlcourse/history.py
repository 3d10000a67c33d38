"""Reading a training history: the one helper every function that takes ``fit``'s result uses."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def history_dict(history: Any, needs: Iterable[str] = ()) -> dict[str, list[float]]:
    """``{metric: [value per epoch]}`` from a Keras ``History``, its ``.history`` dict or any mapping of lists.

    ``needs`` names metrics that must be there (e.g. ``("loss",)``).
    """
    if isinstance(needs, str):
        raise TypeError(f"needs must be a tuple of metric names, e.g. ({needs!r},), not a string")
    h = getattr(history, "history", history)
    if not isinstance(h, Mapping) or not h:
        raise TypeError(
            "history must be a Keras History or a dict (what model.fit returns, or its .history) like "
            f"{{'loss': [...], 'val_loss': [...]}}, got {type(history).__name__}")
    missing = [m for m in needs if m not in h]
    if missing:
        raise ValueError(f"the history needs {' and '.join(map(repr, missing))}; it has {sorted(h)}")
    return {k: list(map(float, v)) for k, v in h.items()}
