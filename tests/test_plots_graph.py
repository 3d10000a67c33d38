"""dlcourse.plots.graph: the backprop diagrams draw what they are given and reject bad input."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from dlcourse import plots  # noqa: E402


def test_computational_graph_draws_every_edge_label():
    nodes = {"x": (0, 0, "x"), "f": (2, 0, "f"), "y": (4, 0, "y")}
    fig = plots.computational_graph(nodes, [("x", "f", "2", "-0.5"), ("f", "y", "4", "1")],
                                    operations=("f",))
    texts = {t.get_text() for t in fig.axes[0].texts}
    assert {"x", "f", "y", "2", "-0.5", "4", "1"} <= texts
    assert len(fig.axes[0].patches) == 3 + 2  # three node boxes, two arrows


def test_computational_graph_rejects_unknown_nodes():
    with pytest.raises(ValueError, match="unknown node 'z'"):
        plots.computational_graph({"x": (0, 0, "x")}, [("x", "z", "1", "1")])


def test_shape_equations_sizes_boxes_by_shape():
    fig = plots.shape_equations([[("A", ("N", "D")), "=", ("B", ("N", "D"))]], {"N": 4, "D": 2}, unit=1.0)
    boxes = [p for p in fig.axes[0].patches]
    assert [(b.get_width(), b.get_height()) for b in boxes] == [(2.0, 4.0), (2.0, 4.0)]
    assert "N×D" in {t.get_text() for t in fig.axes[0].texts}
    with pytest.raises(ValueError, match="'K'"):
        plots.shape_equations([[("A", ("N", "K"))]], {"N": 4})
