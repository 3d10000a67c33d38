"""Scaling layer widths: the one rule the profiles and the model builders share."""

from __future__ import annotations


def scale_width(n: int, multiplier: float, minimum: int = 1) -> int:
    """``n`` units or channels times ``multiplier``, rounded to the nearest int, at least ``minimum``."""
    return max(minimum, int(round(n * multiplier)))
