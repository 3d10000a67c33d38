"""Figures the lessons draw. One module per kind of figure."""

import matplotlib

from dlcourse.plots.history import plot_curves, plot_history
from dlcourse.plots.images import image_grid, probability_bars

# Crisp figures in the HTML book without oversized PNGs.
matplotlib.rcParams.update({"figure.dpi": 100, "savefig.dpi": 100, "figure.max_open_warning": 0})

__all__ = ["image_grid", "plot_curves", "plot_history", "probability_bars"]
from dlcourse.plots.trajectories import plot_trajectories  # noqa: E402,F401
