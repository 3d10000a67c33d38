"""Diagrams for backpropagation: computational graphs with values, and matrix-shape equations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle

FORWARD_COLOR = "#1f4e9c"
BACKWARD_COLOR = "#c0392b"


def computational_graph(nodes: Mapping[str, tuple[float, float, str]],
                        edges: Sequence[tuple[str, str, str, str]], *, title: str | None = None,
                        operations: Sequence[str] = (), figsize: tuple[float, float] = (10, 3.6)
                        ) -> plt.Figure:
    """Draw a graph: ``nodes`` {name: (x, y, label)}, ``edges`` [(src, dst, forward, gradient)].

    Names in ``operations`` are drawn as rounded grey nodes; the others (inputs,
    outputs) as plain boxes. Each edge carries its forward value above it (blue) and
    the gradient of the output with respect to it below it (red).
    """
    for src, dst, *_ in edges:
        for name in (src, dst):
            if name not in nodes:
                raise ValueError(f"edge ({src!r}, {dst!r}) names unknown node {name!r}; nodes: {sorted(nodes)}")
    fig, ax = plt.subplots(figsize=figsize)
    # Half-width and half-height of each node's box, from the length of its label.
    half = {name: (max(0.3, 0.085 * len(label) + 0.12), 0.3) for name, (_, _, label) in nodes.items()}
    for name, (x, y, label) in nodes.items():
        hw, hh = half[name]
        op = name in operations
        ax.add_patch(FancyBboxPatch((x - hw, y - hh), 2 * hw, 2 * hh, zorder=3,
                                    boxstyle=f"round,pad=0,rounding_size={hh if op else 0.08}",
                                    facecolor="#f3f3f3" if op else "white",
                                    edgecolor="black" if op else "#999999", lw=1.2 if op else 1.0))
        ax.text(x, y, label, ha="center", va="center", fontsize=13 if op else 12, zorder=4)

    def clip(name: str, u: np.ndarray) -> float:
        """Distance from a node's centre to its box edge along unit direction ``u``."""
        hw, hh = half[name]
        return min(hw / max(abs(u[0]), 1e-9), hh / max(abs(u[1]), 1e-9)) + 0.06

    for src, dst, fwd, grad in edges:
        (x0, y0, _), (x1, y1, _) = nodes[src], nodes[dst]
        d = np.array([x1 - x0, y1 - y0])
        u = d / np.linalg.norm(d)
        start = np.array([x0, y0]) + u * clip(src, u)
        end = np.array([x1, y1]) - u * clip(dst, u)
        ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=14, lw=1.3,
                                     color="black", zorder=2))
        mid = (start + end) / 2
        normal = np.array([-u[1], u[0]]) if u[0] >= 0 else np.array([u[1], -u[0]])
        ax.text(*(mid + 0.2 * normal), fwd, color=FORWARD_COLOR, ha="center", va="center", fontsize=10.5)
        ax.text(*(mid - 0.2 * normal), grad, color=BACKWARD_COLOR, ha="center", va="center", fontsize=10.5)
    xs = [v[0] for v in nodes.values()]
    ys = [v[1] for v in nodes.values()]
    ax.set_xlim(min(xs) - 0.7, max(xs) + 0.7)
    ax.set_ylim(min(ys) - 0.7, max(ys) + 0.7)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.text(max(xs) + 0.6, min(ys) + 0.15, "forward value (above an edge)", color=FORWARD_COLOR,
            fontsize=10, ha="right")
    ax.text(max(xs) + 0.6, min(ys) - 0.25, "gradient ∂L/∂(edge) (below it)", color=BACKWARD_COLOR,
            fontsize=10, ha="right")
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


Term = tuple[str, tuple[str, str]] | str


def shape_equations(equations: Sequence[Sequence[Term]], sizes: Mapping[str, int], *,
                    title: str | None = None, unit: float = 0.35) -> plt.Figure:
    """Draw matrix equations as boxes sized by their shapes.

    Each equation is a list of terms: ``(name, (rows, cols))`` with symbolic
    dimensions looked up in ``sizes`` (a 1-D vector has cols ``""``), or an
    operator string such as ``"="`` or ``"·"``.
    """
    fig, ax = plt.subplots(figsize=(6.5, 0.8 + 1.6 * len(equations)))
    y, right = 0.0, 0.0
    colors = plt.get_cmap("Pastel1").colors
    for row, terms in enumerate(equations):
        x = 0.0
        heights = [sizes[t[1][0]] * unit for t in terms if not isinstance(t, str)]
        top = y
        for i, term in enumerate(terms):
            if isinstance(term, str):
                ax.text(x + 0.25, top - max(heights) / 2, term, ha="center", va="center", fontsize=16)
                x += 0.5
                continue
            name, (r, c) = term
            for dim in (r, c):
                if dim and dim not in sizes:
                    raise ValueError(f"dimension {dim!r} of {name} is not in sizes {dict(sizes)}")
            h, w = sizes[r] * unit, (sizes[c] if c else 1) * unit
            ax.add_patch(Rectangle((x, top - h), w, h, facecolor=colors[i % len(colors)],
                                   edgecolor="black", lw=1))
            ax.text(x + w / 2, top - h / 2, name, ha="center", va="center", fontsize=12)
            ax.text(x + w / 2, top - h - 0.18, f"{r}×{c}" if c else f"{r}", ha="center",
                    va="top", fontsize=10, color="#444444")
            x += w + 0.15
        right = max(right, x)
        y -= max(heights) + 0.8
    ax.set_xlim(-0.2, right + 0.2)
    ax.set_ylim(y + 0.3, 0.3)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig
