"""Image grids and probability bars."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np


def image_grid(images: np.ndarray, labels: Sequence[int] | None = None,
               class_names: Sequence[str] | None = None, *, ncols: int = 8,
               titles: Sequence[str] | None = None, cmap: str = "gray_r",
               size: float = 1.3) -> plt.Figure:
    """Show images (N, H, W) or (N, H, W, C) in a grid, titled by label or ``titles``."""
    images = np.asarray(images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim not in (3, 4) or len(images) == 0:
        raise ValueError(f"images must be a non-empty (N, H, W[, C]) array, got shape {images.shape}")
    n = len(images)
    ncols = min(ncols, n)
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows * 1.15), squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i >= n:
            continue
        ax.imshow(images[i], cmap=cmap if images.ndim == 3 else None)
        if titles is not None:
            ax.set_title(titles[i], fontsize=7)
        elif labels is not None:
            lab = int(labels[i])
            ax.set_title(class_names[lab] if class_names else str(lab), fontsize=7)
    fig.tight_layout()
    return fig


def probability_bars(probs: np.ndarray, class_names: Sequence[str], *, true_label: int | None = None,
                     title: str | None = None, ax: plt.Axes | None = None) -> plt.Figure:
    """Bar chart of one prediction's class probabilities; the true class in another colour."""
    probs = np.asarray(probs, dtype=float).ravel()
    if len(probs) != len(class_names):
        raise ValueError(f"{len(probs)} probabilities but {len(class_names)} class names")
    if ax is None:
        fig, ax = plt.subplots(figsize=(6, 2.8))
    else:
        fig = ax.figure
    colors = ["tab:green" if i == true_label else "tab:blue" for i in range(len(probs))]
    ax.bar(range(len(probs)), probs, color=colors)
    ax.set_xticks(range(len(probs)), class_names, rotation=45, ha="right", fontsize=8)
    ax.set_ylim(0, 1)
    ax.set_ylabel("probability")
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig
