"""Optimizer paths drawn over the contour lines of a 2-D function."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np


def plot_trajectories(f: Callable[[np.ndarray, np.ndarray], np.ndarray],
                      paths: Mapping[str, np.ndarray], *,
                      xlim: tuple[float, float] | None = None,
                      ylim: tuple[float, float] | None = None,
                      levels: int | Sequence[float] = 20, minimum: Sequence[float] | None = None,
                      title: str | None = None, markers: bool = True,
                      ax: plt.Axes | None = None) -> plt.Figure:
    """Contours of ``f(x, y)`` (vectorised over grids) with each path (T, 2) drawn on top.

    ``paths`` maps a label to the visited points; the start is a square and
    the end a circle. Without ``xlim``/``ylim`` the view fits every path.
    """
    if not paths:
        raise ValueError("paths is empty: pass {'name': array of shape (T, 2), ...}")
    arrays = {}
    for name, p in paths.items():
        a = np.asarray(p, dtype=float)
        if a.ndim != 2 or a.shape[1] != 2 or len(a) < 1:
            raise ValueError(f"path {name!r} must have shape (T, 2), got {a.shape}")
        arrays[name] = a
    everything = np.concatenate([a[np.isfinite(a).all(axis=1)] for a in arrays.values()])
    if xlim is None or ylim is None:
        low, high = everything.min(axis=0), everything.max(axis=0)
        pad = 0.1 * np.maximum(high - low, 1e-3)
        xlim = xlim or (low[0] - pad[0], high[0] + pad[0])
        ylim = ylim or (low[1] - pad[1], high[1] + pad[1])
    xs, ys = np.meshgrid(np.linspace(*xlim, 200), np.linspace(*ylim, 200))
    zs = f(xs, ys)
    if ax is None:
        fig, ax = plt.subplots(figsize=(6, 4.5))
    else:
        fig = ax.figure
    if isinstance(levels, int):
        # Levels evenly spaced in √f crowd near the minimum, where the paths end.
        top = float(np.nanmax(zs))
        bottom = float(np.nanmin(zs))
        levels = bottom + (top - bottom) * np.linspace(0, 1, levels + 1)[1:] ** 2
    ax.contour(xs, ys, zs, levels=levels, colors="0.75", linewidths=0.8)
    for name, a in arrays.items():
        line, = ax.plot(a[:, 0], a[:, 1], "-", lw=1.4, label=name,
                        marker="." if markers else None, ms=3)
        ax.plot(*a[0], "s", color=line.get_color(), ms=5)
        ax.plot(*a[-1], "o", color=line.get_color(), ms=6, mec="k", mew=0.6)
    if minimum is not None:
        ax.plot(*minimum, "*", color="k", ms=10, label="minimum")
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if title:
        ax.set_title(title)
    ax.legend(fontsize=8, loc="best")
    fig.tight_layout()
    return fig
