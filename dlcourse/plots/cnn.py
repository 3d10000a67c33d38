"""Looking inside a CNN: numbers in grids, filters, feature maps, confusion matrix, mistakes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

from dlcourse.metrics import confusion_matrix


def plot_arrays(arrays: Mapping[str, np.ndarray], *, highlight: Mapping[str, tuple[int, int, int, int]]
                | None = None, fmt: str = "{:g}", cmap: str = "Blues", size: float = 0.45
                ) -> plt.Figure:
    """Small 2-D arrays side by side with every number written in its cell.

    ``highlight`` maps a title to a (row, col, height, width) box to outline,
    e.g. the window that produced one output of a convolution.
    """
    if not arrays:
        raise ValueError("arrays is empty: pass {'title': 2-D array, ...}")
    mats = {k: np.asarray(v, dtype=float) for k, v in arrays.items()}
    for k, m in mats.items():
        if m.ndim != 2:
            raise ValueError(f"array {k!r} must be 2-D, got shape {m.shape}")
    widths = [m.shape[1] for m in mats.values()]
    height = max(m.shape[0] for m in mats.values())
    fig, axes = plt.subplots(1, len(mats), figsize=(size * (sum(widths) + 1.5 * len(mats)), size * height + 0.8),
                             gridspec_kw={"width_ratios": widths}, squeeze=False)
    for ax, (title, m) in zip(axes[0], mats.items()):
        lo, hi = m.min() - 0.5 * np.ptp(m) - 1e-9, m.max() + 1e-9  # keep the lowest cells light
        ax.imshow(m, cmap=cmap, vmin=lo, vmax=hi)
        for (i, j), v in np.ndenumerate(m):
            dark = (v - lo) / (hi - lo) > 0.7
            ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize=8,
                    color="white" if dark else "black")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(title, fontsize=9)
        if highlight and title in highlight:
            r, c, h, w = highlight[title]
            ax.add_patch(Rectangle((c - 0.5, r - 0.5), w, h, fill=False, ec="tab:red", lw=2.5))
    fig.tight_layout()
    return fig


def plot_filters(kernel: np.ndarray, *, in_channel: int = 0, ncols: int = 16, size: float = 0.6
                 ) -> plt.Figure:
    """One small image per filter of a conv kernel (kh, kw, C_in, C_out), for one input channel.

    Each filter is scaled symmetrically around 0 (red positive, blue negative),
    so a filter's sign pattern is visible however small its weights are.
    """
    kernel = np.asarray(kernel)
    if kernel.ndim != 4:
        raise ValueError(f"kernel must have shape (kh, kw, C_in, C_out), got {kernel.shape}")
    if not 0 <= in_channel < kernel.shape[2]:
        raise ValueError(f"in_channel must be in [0, {kernel.shape[2]}), got {in_channel}")
    n = kernel.shape[3]
    ncols = min(ncols, n)
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows), squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i < n:
            f = kernel[:, :, in_channel, i]
            lim = np.abs(f).max() or 1.0
            ax.imshow(f, cmap="RdBu_r", vmin=-lim, vmax=lim)
    fig.suptitle(f"{n} filters of {kernel.shape[0]}×{kernel.shape[1]} (input channel {in_channel})",
                 fontsize=9)
    fig.tight_layout()
    return fig


def plot_feature_maps(maps: np.ndarray, *, ncols: int = 16, max_maps: int | None = None,
                      title: str | None = None, size: float = 0.9) -> plt.Figure:
    """The channels of one layer output (H, W, C) (or (1, H, W, C)) as a grid of images."""
    maps = np.asarray(maps)
    if maps.ndim == 4 and maps.shape[0] == 1:
        maps = maps[0]
    if maps.ndim != 3:
        raise ValueError(f"maps must have shape (H, W, C) or (1, H, W, C), got {maps.shape}")
    n = maps.shape[2] if max_maps is None else min(max_maps, maps.shape[2])
    ncols = min(ncols, n)
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows + 0.4), squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i < n:
            ax.imshow(maps[:, :, i], cmap="viridis")
    if title:
        fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    return fig


def plot_confusion_matrix(y_true: Sequence[int], y_pred: Sequence[int], class_names: Sequence[str], *,
                          normalize: bool = False, title: str | None = None,
                          ax: plt.Axes | None = None) -> plt.Figure:
    """Confusion matrix with counts (or row fractions if ``normalize``) written in the cells."""
    cm = confusion_matrix(y_true, y_pred, len(class_names))
    shown = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1) if normalize else cm
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.2, 5.4))
    else:
        fig = ax.figure
    ax.imshow(shown, cmap="Blues")
    top = shown.max() or 1
    for (i, j), v in np.ndenumerate(shown):
        if cm[i, j]:
            ax.text(j, i, f"{v:.2f}" if normalize else f"{v:d}", ha="center", va="center", fontsize=7,
                    color="white" if v > 0.6 * top else "black")
    n = len(class_names)
    ax.set_xticks(range(n), class_names, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(n), class_names, fontsize=8)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title(title or f"confusion matrix ({int(cm.sum()):,d} images)", fontsize=10)
    fig.tight_layout()
    return fig


def plot_misclassified(images: np.ndarray, y_true: Sequence[int], y_pred: Sequence[int],
                       class_names: Sequence[str], *, probs: np.ndarray | None = None, n: int = 16,
                       ncols: int = 8) -> plt.Figure:
    """A grid of the first ``n`` misclassified images titled 'true → predicted' (with confidence)."""
    images = np.asarray(images)
    t, p = np.asarray(y_true).astype(int), np.asarray(y_pred).astype(int)
    if len(images) != len(t) or len(t) != len(p):
        raise ValueError(f"images, y_true and y_pred must have the same length, got "
                         f"{len(images)}, {len(t)}, {len(p)}")
    wrong = np.flatnonzero(t != p)[:n]
    if wrong.size == 0:
        fig, ax = plt.subplots(figsize=(4, 1))
        ax.axis("off")
        ax.text(0.5, 0.5, "no misclassified images", ha="center", va="center")
        return fig
    from dlcourse.plots.images import image_grid

    titles = []
    for i in wrong:
        conf = f" ({probs[i, p[i]]:.0%})" if probs is not None else ""
        titles.append(f"{class_names[t[i]]}\n→ {class_names[p[i]]}{conf}")
    fig = image_grid(images[wrong], titles=titles, ncols=ncols, size=1.4)
    fig.suptitle("misclassified: true → predicted", fontsize=9)
    fig.tight_layout()
    return fig
