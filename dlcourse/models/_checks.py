"""Argument checks shared by the AlexNet and VGG builders."""

from __future__ import annotations


def check_builder_args(input_shape: tuple, width: float, dropout: float, classes: int,
                       bn_momentum: float = 0.99) -> None:
    """Raise ValueError, saying what is allowed, for a bad shape, width, dropout, class count or BN momentum."""
    if len(input_shape) != 3 or any(not isinstance(d, int) or d < 1 for d in input_shape):
        raise ValueError(f"input_shape must be (height, width, channels) of positive ints, got {input_shape!r}")
    if not width > 0:
        raise ValueError(f"width must be a positive multiplier (1.0 = paper widths), got {width!r}")
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"dropout must be in [0, 1), got {dropout!r}")
    if not isinstance(classes, int) or classes < 2:
        raise ValueError(f"classes must be an integer ≥ 2, got {classes!r}")
    if not 0.0 <= bn_momentum < 1.0:
        raise ValueError(f"bn_momentum must be in [0, 1) (Keras' default is 0.99), got {bn_momentum!r}")
