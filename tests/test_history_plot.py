"""plot_history: train/validation curves, early-stopping markers and the shaded gap."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PolyCollection  # noqa: E402

from dlcourse.plots import plot_history  # noqa: E402

H = {"loss": [1.0, 0.6, 0.4, 0.3, 0.2], "val_loss": [1.1, 0.8, 0.7, 0.75, 0.9],
     "accuracy": [0.5, 0.7, 0.8, 0.9, 0.95], "val_accuracy": [0.45, 0.6, 0.66, 0.65, 0.64]}


def _labels(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_markers_at_the_stopped_and_restored_epochs():
    fig = plot_history(H, stopped_epoch=5, best_epoch=3)
    for ax in fig.axes:
        labels = _labels(ax)
        assert "stopped (epoch 5)" in labels and "restored (epoch 3)" in labels
        xs = sorted(float(line.get_xdata()[0]) for line in ax.get_lines() if len(set(line.get_xdata())) == 1)
        assert xs == [3.0, 5.0]
    plt.close(fig)


def test_gap_is_shaded_between_train_and_validation():
    fig = plot_history(H, shade_gap=True)
    for ax, m in zip(fig.axes, ("loss", "accuracy")):
        polys = [c for c in ax.collections if isinstance(c, PolyCollection)]
        assert len(polys) == 1 and "generalization gap" in _labels(ax)
        ys = np.concatenate([p.vertices[:, 1] for p in polys[0].get_paths()])
        lo = np.minimum(H[m], H[f"val_{m}"]).min()
        hi = np.maximum(H[m], H[f"val_{m}"]).max()
        assert ys.min() == pytest.approx(lo) and ys.max() == pytest.approx(hi)
    plt.close(fig)
    fig = plot_history(H)
    assert not any(isinstance(c, PolyCollection) for ax in fig.axes for c in ax.collections)
    plt.close(fig)


def test_epochs_are_counted_from_one():
    fig = plot_history(H, metrics=("loss",))
    line = fig.axes[0].get_lines()[0]
    assert list(line.get_xdata()) == [1, 2, 3, 4, 5]
    plt.close(fig)
    fig = plot_history({"loss": [1.0, 0.5], "val_loss": [1.1, 0.9]})
    ticks = [t for t in fig.axes[0].get_xticks() if 1 <= t <= 2]
    assert ticks and all(float(t).is_integer() for t in ticks), "epoch ticks must be whole numbers"
    plt.close(fig)


@pytest.mark.parametrize("kw", [dict(stopped_epoch=0), dict(best_epoch=6), dict(stopped_epoch=2.5)])
def test_marker_outside_the_history_raises(kw):
    with pytest.raises(ValueError, match="from 1 to 5"):
        plot_history(H, **kw)


def test_unknown_metrics_and_bad_history_raise():
    with pytest.raises(ValueError, match="none of the metrics"):
        plot_history(H, metrics=("precision",))
    with pytest.raises(TypeError, match="Keras History"):
        plot_history([1, 2, 3])
