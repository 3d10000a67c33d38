"""plot_history, plot_curves, image_grid, probability_bars: what they draw."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from dlcourse import plots  # noqa: E402

HIST = {"loss": [1.0, 0.6, 0.4], "val_loss": [1.1, 0.8, 0.9],
        "accuracy": [0.5, 0.7, 0.8], "val_accuracy": [0.45, 0.65, 0.6]}


def teardown_function():
    plt.close("all")


def test_history_draws_train_and_validation_per_metric():
    fig = plots.plot_history(HIST)
    assert len(fig.axes) == 2
    loss_ax = fig.axes[0]
    lines = {l.get_label(): l for l in loss_ax.get_lines()}
    assert set(lines) == {"train loss", "validation loss"}
    assert list(lines["validation loss"].get_xdata()) == [1, 2, 3]
    assert list(lines["train loss"].get_ydata()) == HIST["loss"]


def test_history_accepts_keras_history_objects():
    class History:
        history = HIST

    assert len(plots.plot_history(History(), metrics=("loss",)).axes) == 1


def test_history_marks_early_stopping():
    fig = plots.plot_history(HIST, stopped_epoch=3, best_epoch=2)
    labels = [l.get_label() for l in fig.axes[0].get_lines()]
    assert "stopped (epoch 3)" in labels and "restored (epoch 2)" in labels


def test_history_errors():
    with pytest.raises(TypeError, match="Keras History or a dict"):
        plots.plot_history([1, 2])
    with pytest.raises(ValueError, match="none of the metrics"):
        plots.plot_history({"mse": [1.0]})


def test_curves_one_line_per_run():
    fig = plots.plot_curves({"sgd": [3, 2, 1], "adam": [3, 1, 0.5]}, logy=True)
    assert [l.get_label() for l in fig.axes[0].get_lines()] == ["sgd", "adam"]
    assert fig.axes[0].get_yscale() == "log"


def test_image_grid_titles_and_layout():
    imgs = np.zeros((10, 28, 28), np.uint8)
    fig = plots.image_grid(imgs, np.arange(10), [f"c{i}" for i in range(10)], ncols=4)
    assert len(fig.axes) == 12  # 3 rows × 4 columns, two left empty
    assert [a.get_title() for a in fig.axes[:3]] == ["c0", "c1", "c2"]
    with pytest.raises(ValueError, match="non-empty"):
        plots.image_grid(np.zeros((0, 28, 28)))


def test_probability_bars_highlight_true_class():
    fig = plots.probability_bars(np.full(3, 1 / 3), ["a", "b", "c"], true_label=1)
    bars = fig.axes[0].patches
    assert len(bars) == 3 and bars[1].get_facecolor() != bars[0].get_facecolor()
    with pytest.raises(ValueError, match="3 probabilities but 2 class names"):
        plots.probability_bars(np.ones(3), ["a", "b"])
