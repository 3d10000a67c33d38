"""Check a layer's backward pass against central differences of its forward pass."""

from __future__ import annotations

import numpy as np

from dlcourse.scratch.gradcheck import (
    GRADCHECK_PASS,
    GRADCHECK_PASS_KINKED,
    numerical_gradient,
    relative_error,
)


def threshold_for(layer: object) -> float:
    """The pass threshold for ``layer``: looser for layers declared ``kinked`` (ReLU, max-pooling)."""
    return GRADCHECK_PASS_KINKED if getattr(layer, "kinked", False) else GRADCHECK_PASS


def layer_gradcheck(layer: object, x: np.ndarray, t: np.ndarray | None = None, *,
                    seed: int = 0, h: float = 1e-5, train: bool = True) -> dict[str, float]:
    """Relative errors of ``backward`` vs numerical gradients: {"dx": .., "dW": .., "db": ..}.

    A layer is checked through the scalar ``sum(forward(x) · dout)`` with a
    random ``dout``, whose gradient is exactly ``backward(dout)``. A loss layer
    (pass its targets ``t``) is checked through ``forward(x, t)`` and ``backward(1.0)``.
    Every entry of ``layer.params`` gets its own error, keyed "d" + its name.
    """
    if train and getattr(layer, "random", False):
        raise ValueError(
            f"{type(layer).__name__} draws new random numbers at every training forward, so "
            "central differences of forward cannot check its backward. Check it with train=False, "
            "or compare backward(dout) with dout times the mask that forward used.")
    x = np.array(x, dtype=np.float64)  # a copy: the caller's array is never touched
    if t is None:
        dout = np.random.default_rng(seed).standard_normal(np.shape(layer.forward(x, train=train)))

        def scalar(x_in: np.ndarray) -> float:
            return float(np.sum(layer.forward(x_in, train=train) * dout))

        layer.forward(x, train=train)
        analytic_dx = layer.backward(dout.copy())
    else:
        def scalar(x_in: np.ndarray) -> float:
            return float(layer.forward(x_in, t, train=train))

        layer.forward(x, t, train=train)
        analytic_dx = layer.backward(1.0)
    params = getattr(layer, "params", {})
    analytic_params = {key: np.array(layer.grads[key]) for key in params}

    errors = {"dx": relative_error(analytic_dx, numerical_gradient(scalar, x, h=h))}
    for key, analytic in analytic_params.items():
        saved = params[key]

        def scalar_of_param(value: np.ndarray, key: str = key) -> float:
            params[key] = value
            return scalar(x)

        try:
            errors["d" + key] = relative_error(analytic, numerical_gradient(scalar_of_param, saved, h=h))
        finally:
            params[key] = saved
    return errors
