"""Training-history plots: train vs validation, one helper for every lesson."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

from dlcourse.history import history_dict


def plot_history(history: Any, metrics: Sequence[str] = ("loss", "accuracy"), *,
                 title: str | None = None, stopped_epoch: int | None = None,
                 best_epoch: int | None = None, axes: Sequence[plt.Axes] | None = None,
                 shade_gap: bool = False) -> plt.Figure:
    """Plot train vs validation curves, one panel per metric (epochs counted from 1).

    ``stopped_epoch`` marks where early stopping ended training and
    ``best_epoch`` the epoch whose weights were restored (both 1-based).
    ``shade_gap`` fills the area between each train and validation curve:
    the generalization gap, epoch by epoch.
    """
    h = history_dict(history)
    metrics = [m for m in metrics if m in h]
    if not metrics:
        raise ValueError(f"none of the metrics is in the history; it has {sorted(h)}")
    n_epochs = len(h[metrics[0]])
    for name, epoch in (("stopped_epoch", stopped_epoch), ("best_epoch", best_epoch)):
        if epoch is not None and not (isinstance(epoch, (int, np.integer)) and 1 <= epoch <= n_epochs):
            raise ValueError(f"{name} must be an epoch number from 1 to {n_epochs} (1-based), got {epoch!r}")
    if axes is None:
        fig, axes = plt.subplots(1, len(metrics), figsize=(5 * len(metrics), 3.4), squeeze=False)
        axes = axes[0]
    else:
        fig = axes[0].figure
    for ax, m in zip(axes, metrics):
        epochs = np.arange(1, len(h[m]) + 1)
        ax.plot(epochs, h[m], "o-", ms=3, label=f"train {m}")
        if f"val_{m}" in h:
            ax.plot(epochs, h[f"val_{m}"], "s--", ms=3, label=f"validation {m}")
            if shade_gap:
                ax.fill_between(epochs, h[m], h[f"val_{m}"], color="tab:red", alpha=0.12,
                                label="generalization gap")
        if stopped_epoch is not None:
            ax.axvline(stopped_epoch, color="grey", lw=1, ls=":", label=f"stopped (epoch {stopped_epoch})")
        if best_epoch is not None:
            ax.axvline(best_epoch, color="green", lw=1.2, ls="-.", label=f"restored (epoch {best_epoch})")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("epoch")
        ax.set_ylabel(m)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_curves(runs: Mapping[str, Sequence[float]], *, xlabel: str = "epoch",
                ylabel: str = "loss", title: str | None = None, logy: bool = False,
                ax: plt.Axes | None = None) -> plt.Figure:
    """Several named curves (e.g. one loss curve per optimizer) on one axis."""
    if not runs:
        raise ValueError("runs is empty: pass {'name': [values, ...], ...}")
    if ax is None:
        fig, ax = plt.subplots(figsize=(6, 3.8))
    else:
        fig = ax.figure
    for name, values in runs.items():
        ax.plot(np.arange(1, len(values) + 1), values, label=name)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if logy:
        ax.set_yscale("log")
    if title:
        ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
