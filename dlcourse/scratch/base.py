"""The one protocol every scratch layer follows.

* ``forward(x, train=True)`` returns the layer's output and keeps what
  ``backward`` needs. ``train=False`` is inference: BatchNorm uses its running
  statistics and Dropout drops nothing; other layers ignore the flag. A loss
  layer (``loss = True``) also takes its targets: ``forward(x, t, train=True)``
  returns a float.
* ``backward(dout)`` takes ∂L/∂(output), an array of the output's shape (a
  float for a loss layer, 1.0 by default), returns ∂L/∂x with x's shape, and
  fills ``grads``.
* ``params`` and ``grads`` are dicts with the same keys, e.g. ``{"W": ..., "b": ...}``
  (both empty for a layer without parameters); ``grads[k]`` has the shape of
  ``params[k]`` and holds zeros until the first ``backward``. So any optimizer
  trains a layer with ``optimizer.update(layer.params, layer.grads)``.
  Attributes such as ``layer.W`` and ``layer.dW`` are views of those dicts.
* **Weight ownership:** a layer owns its parameter arrays. The constructor
  copies the arrays it is given, so training a layer never changes the
  caller's arrays. Optimizers change ``params[k]`` in place; a network that
  trains several layers (``MultiLayerNet``) holds the very arrays of its
  layers' ``params`` rather than copies, so both always agree.
* No layer changes the arrays passed to ``forward`` or ``backward``.
* Class flags say how a layer must be gradient-checked: ``kinked`` (the
  derivative jumps somewhere, e.g. ReLU at 0 or max-pooling at ties: the looser
  threshold), ``random`` (forward draws random numbers while training, e.g.
  Dropout: central differences of forward cannot check it) and ``loss``.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

__all__ = ["Grad", "Layer", "Param", "float_array"]


def float_array(x: np.ndarray, name: str = "x") -> np.ndarray:
    """``x`` as a float array (float64 unless it already is a float type); no copy if possible."""
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.number) or np.issubdtype(x.dtype, np.complexfloating):
        raise TypeError(f"{name} must be a real numeric array, got dtype {x.dtype}")
    return x if np.issubdtype(x.dtype, np.floating) else x.astype(np.float64)


class Param:
    """Attribute ``layer.<name>`` that reads and writes ``layer.params[key]``."""

    store = "params"

    def __init__(self, key: str) -> None:
        self.key = key

    def __get__(self, layer: Any, owner: type | None = None) -> Any:
        if layer is None:
            return self
        return getattr(layer, self.store)[self.key]

    def __set__(self, layer: Any, value: np.ndarray) -> None:
        getattr(layer, self.store)[self.key] = value


class Grad(Param):
    """Attribute ``layer.d<key>`` that reads and writes ``layer.grads[key]``."""

    store = "grads"


class Layer:
    """Base of every scratch layer: the protocol above, and the shape check of ``backward``."""

    kinked: ClassVar[bool] = False
    random: ClassVar[bool] = False
    loss: ClassVar[bool] = False
    _out_shape: tuple[int, ...] | None = None

    def __init__(self, **params: np.ndarray) -> None:
        # Each instance gets its own dicts; grads start as zeros of the params' shapes.
        self.params: dict[str, np.ndarray] = dict(params)
        self.grads: dict[str, np.ndarray] = {k: np.zeros_like(v) for k, v in params.items()}

    def forward(self, x: np.ndarray, train: bool = True) -> np.ndarray:
        """x → the layer's output; ``train=False`` for inference."""
        raise NotImplementedError(f"{type(self).__name__} must define forward(x, train=True)")

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """∂L/∂(output) → ∂L/∂x; also fills ``grads``."""
        raise NotImplementedError(f"{type(self).__name__} must define backward(dout)")

    def _check_dout(self, dout: np.ndarray) -> np.ndarray:
        if self._out_shape is None:
            raise RuntimeError(f"{type(self).__name__}.backward called before forward")
        dout = float_array(dout, "dout")
        if dout.shape != self._out_shape:
            raise ValueError(
                f"{type(self).__name__}.backward: dout must have the forward output's shape "
                f"{self._out_shape}, got {dout.shape}")
        return dout

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"
