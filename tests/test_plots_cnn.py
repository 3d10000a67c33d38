"""Chapter 5 figures: the confusion-matrix counts and what each figure draws."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from dlcourse import metrics, plots  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_confusion_matrix_counts():
    cm = metrics.confusion_matrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], 3)
    np.testing.assert_array_equal(cm, [[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    assert cm.sum() == 6 and np.trace(cm) == 4


def test_confusion_matrix_errors():
    with pytest.raises(ValueError, match="same length"):
        metrics.confusion_matrix([0, 1], [0], 2)
    with pytest.raises(ValueError, match=r"\[0, 2\)"):
        metrics.confusion_matrix([0, 2], [0, 1], 2)


def test_plot_confusion_matrix_labels_and_normalisation():
    fig = plots.plot_confusion_matrix([0, 0, 1], [0, 1, 1], ["a", "b"], normalize=True)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b"]
    assert sorted(t.get_text() for t in ax.texts) == ["0.50", "0.50", "1.00"]


def test_plot_filters_one_panel_per_filter():
    fig = plots.plot_filters(np.random.default_rng(0).normal(size=(3, 3, 2, 10)), ncols=4)
    assert len(fig.axes) == 12 and sum(bool(ax.images) for ax in fig.axes) == 10
    with pytest.raises(ValueError, match=r"\(kh, kw, C_in, C_out\)"):
        plots.plot_filters(np.ones((3, 3, 4)))
    with pytest.raises(ValueError, match="in_channel"):
        plots.plot_filters(np.ones((3, 3, 2, 4)), in_channel=2)


def test_plot_feature_maps_limits_and_shapes():
    fig = plots.plot_feature_maps(np.ones((1, 5, 5, 12)), max_maps=6, ncols=3)
    assert sum(bool(ax.images) for ax in fig.axes) == 6
    with pytest.raises(ValueError, match=r"\(H, W, C\)"):
        plots.plot_feature_maps(np.ones((2, 5, 5, 3)))


def test_plot_misclassified_titles_true_and_predicted():
    images = np.zeros((4, 8, 8))
    probs = np.eye(3)[[0, 2, 1, 1]] * 0.9 + 0.1 / 3
    fig = plots.plot_misclassified(images, [0, 1, 1, 2], [0, 2, 1, 1], ["a", "b", "c"], probs=probs)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles == ["b\n→ c (93%)", "c\n→ b (93%)"]
    none = plots.plot_misclassified(images, [0, 1, 1, 2], [0, 1, 1, 2], ["a", "b", "c"])
    assert "no misclassified" in none.axes[0].texts[0].get_text()


def test_plot_arrays_writes_every_number_and_highlights():
    fig = plots.plot_arrays({"x": np.arange(6).reshape(2, 3), "k": [[1, -1]]}, highlight={"x": (0, 1, 2, 2)})
    assert [t.get_text() for t in fig.axes[0].texts] == ["0", "1", "2", "3", "4", "5"]
    assert len(fig.axes[0].patches) == 1 and not fig.axes[1].patches
    with pytest.raises(ValueError, match="2-D"):
        plots.plot_arrays({"x": np.ones(3)})
