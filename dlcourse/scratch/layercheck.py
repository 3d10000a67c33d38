"""Check a layer's backward pass against central differences of its forward pass."""

from __future__ import annotations

import numpy as np

from dlcourse.scratch.gradcheck import (
    GRADCHECK_PASS,
    GRADCHECK_PASS_KINKED,
    numerical_gradient,
    relative_error,
)
from dlcourse.scratch.layers import ELU, LeakyReLU, ReLU

PARAM_NAMES = ("W", "b")  # a layer's parameter p has its gradient in attribute "d" + p


def threshold_for(layer: object) -> float:
    """The pass threshold for ``layer``: looser for layers with a kink at 0."""
    return GRADCHECK_PASS_KINKED if isinstance(layer, (ReLU, LeakyReLU, ELU)) else GRADCHECK_PASS


def layer_gradcheck(layer: object, x: np.ndarray, t: np.ndarray | None = None, *,
                    seed: int = 0, h: float = 1e-5) -> dict[str, float]:
    """Relative errors of ``backward`` vs numerical gradients: {"dx": .., "dW": .., "db": ..}.

    A layer is checked through the scalar ``sum(forward(x) · dout)`` with a
    random ``dout``, whose gradient is exactly ``backward(dout)``. A loss layer
    (pass its targets ``t``) is checked through ``forward(x, t)`` and ``backward(1.0)``.
    """
    x = np.array(x, dtype=np.float64)  # a copy: the caller's array is never touched
    if t is None:
        dout = np.random.default_rng(seed).standard_normal(np.shape(layer.forward(x)))

        def scalar(x_in: np.ndarray) -> float:
            return float(np.sum(layer.forward(x_in) * dout))

        layer.forward(x)
        analytic_dx = layer.backward(dout.copy())
    else:
        def scalar(x_in: np.ndarray) -> float:
            return float(layer.forward(x_in, t))

        layer.forward(x, t)
        analytic_dx = layer.backward(1.0)
    analytic_params = {p: np.array(getattr(layer, "d" + p)) for p in PARAM_NAMES if hasattr(layer, p)}

    errors = {"dx": relative_error(analytic_dx, numerical_gradient(scalar, x, h=h))}
    for p, analytic in analytic_params.items():
        saved = getattr(layer, p)

        def scalar_of_param(value: np.ndarray, p: str = p) -> float:
            setattr(layer, p, value)
            return scalar(x)

        try:
            errors["d" + p] = relative_error(analytic, numerical_gradient(scalar_of_param, saved, h=h))
        finally:
            setattr(layer, p, saved)
    return errors
