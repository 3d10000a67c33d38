"""Activation histograms: how the values in each layer are distributed, for several nets."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np


def activation_histograms(activations: Mapping[str, Sequence[np.ndarray]], *, bins: int = 30,
                          ranges: Mapping[str, tuple[float, float]] | None = None,
                          size: tuple[float, float] = (1.9, 1.15),
                          colors: Sequence[str] | None = None,
                          title: str | None = None) -> plt.Figure:
    """Grid of histograms: one row per net (``activations`` key), one column per layer.

    ``activations[row]`` is a list of per-layer arrays (any shape). A row shares
    its x range, so growing or shrinking activations show as a spreading or
    collapsing histogram from left to right; ``ranges`` can fix a row's range.
    Each panel is titled with the standard deviation of its values; ``colors``
    are used row by row, cycling (e.g. one colour per initialization).
    """
    if not activations:
        raise ValueError("activations is empty: pass {'row name': [layer1, layer2, ...], ...}")
    depth = {len(v) for v in activations.values()}
    if len(depth) != 1 or 0 in depth:
        raise ValueError("every row needs the same, non-zero number of layers; got "
                         + ", ".join(f"{k!r}: {len(v)}" for k, v in activations.items()))
    if not isinstance(bins, int) or bins < 1:
        raise ValueError(f"bins must be a positive integer, got {bins!r}")
    if colors is not None and len(colors) == 0:
        raise ValueError("colors must name at least one colour, or be None")
    ranges = dict(ranges or {})
    unknown = set(ranges) - set(activations)
    if unknown:
        raise ValueError(f"ranges names rows that are not in activations: {sorted(unknown)}")
    nrows, ncols = len(activations), depth.pop()
    fig, axes = plt.subplots(nrows, ncols, figsize=(size[0] * ncols + 1.2, size[1] * nrows),
                             squeeze=False)
    for r, (name, layers) in enumerate(activations.items()):
        values = [np.asarray(a, dtype=np.float64).ravel() for a in layers]
        lo, hi = ranges.get(name, _row_range(values))
        for c, v in enumerate(values):
            ax = axes[r, c]
            counts, edges = np.histogram(v[np.isfinite(v)], bins=bins, range=(lo, hi))
            # Fractions, not counts: rows with different sizes compare directly.
            ax.stairs(counts / max(v.size, 1), edges, fill=True,
                      color=colors[r % len(colors)] if colors else f"C{r % 10}")
            ax.set_title(f"σ = {np.std(v):.2g}", fontsize=7, pad=2)
            ax.tick_params(labelsize=6, length=2, pad=1)
            ax.set_yticks([])
            ax.xaxis.get_offset_text().set_fontsize(6)
            if r == 0:
                ax.annotate(f"layer {c + 1}", (0.5, 1.35), xycoords="axes fraction",
                            ha="center", fontsize=8, weight="bold")
            if c == 0:
                ax.set_ylabel(name, rotation=0, ha="right", va="center", fontsize=8)
    # Fixed margins instead of tight_layout, which is slow on a grid of 60 panels.
    top = 1.0 - (0.75 + (0.35 if title else 0.0)) / fig.get_figheight()
    fig.subplots_adjust(left=1.4 / fig.get_figwidth(), right=0.98, bottom=0.3 / fig.get_figheight(),
                        top=top, hspace=0.75, wspace=0.12)
    if title:
        fig.suptitle(title)
    return fig


def _row_range(values: list[np.ndarray]) -> tuple[float, float]:
    """A common x range for one row: the values' overall min and max (never empty)."""
    finite = [v[np.isfinite(v)] for v in values]
    finite = [v for v in finite if v.size]
    if not finite:
        return (-1.0, 1.0)
    lo = float(min(v.min() for v in finite))
    hi = float(max(v.max() for v in finite))
    if hi - lo < 1e-12 * max(1.0, abs(lo)):
        pad = max(abs(lo) * 0.1, 1e-12)
        return (lo - pad, hi + pad)
    return (lo, hi)
