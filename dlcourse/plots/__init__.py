"""Figures the lessons draw. One module per kind of figure."""

import matplotlib

from dlcourse.plots.activations import activation_histograms
from dlcourse.plots.cnn import (
    plot_arrays,
    plot_confusion_matrix,
    plot_feature_maps,
    plot_filters,
    plot_misclassified,
)
from dlcourse.plots.graph import computational_graph, shape_equations
from dlcourse.plots.history import plot_curves, plot_history
from dlcourse.plots.images import image_grid, probability_bars
from dlcourse.plots.trajectories import plot_trajectories

# Crisp figures in the HTML book without oversized PNGs.
matplotlib.rcParams.update({"figure.dpi": 100, "savefig.dpi": 100, "figure.max_open_warning": 0})

__all__ = [
    "activation_histograms", "computational_graph", "image_grid",
    "plot_arrays", "plot_confusion_matrix", "plot_curves", "plot_feature_maps", "plot_filters",
    "plot_history", "plot_misclassified", "plot_trajectories", "probability_bars", "shape_equations",
]
