"""dlcourse.plots.plot_trajectories: paths drawn where they are, bad input refused."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from dlcourse.plots import plot_trajectories  # noqa: E402


def bowl(x, y):
    return x ** 2 + 4 * y ** 2


def test_draws_each_path_with_its_points_and_fits_the_view():
    a = np.array([[-5.0, 4.0], [-2.0, 1.0], [0.0, 0.0]])
    b = np.array([[-5.0, 4.0], [1.0, -3.0]])
    fig = plot_trajectories(bowl, {"a": a, "b": b}, title="t")
    ax = fig.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    np.testing.assert_array_equal(lines["a"].get_xydata(), a)
    np.testing.assert_array_equal(lines["b"].get_xydata(), b)
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    assert x0 < -5 and x1 > 1 and y0 < -3 and y1 > 4
    assert ax.get_title() == "t"


def test_explicit_limits_and_minimum_marker():
    fig = plot_trajectories(bowl, {"p": [[1, 1], [0, 0]]}, xlim=(-2, 2), ylim=(-1, 3), minimum=(0, 0))
    ax = fig.axes[0]
    assert ax.get_xlim() == (-2, 2) and ax.get_ylim() == (-1, 3)
    assert "minimum" in [line.get_label() for line in ax.get_lines()]


@pytest.mark.parametrize("paths, message", [
    ({}, "paths is empty"),
    ({"p": np.zeros((4, 3))}, r"shape \(T, 2\)"),
    ({"p": np.zeros(4)}, r"shape \(T, 2\)"),
])
def test_bad_paths_are_refused(paths, message):
    with pytest.raises(ValueError, match=message):
        plot_trajectories(bowl, paths)
