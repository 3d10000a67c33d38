"""Transfer learning: reuse a trained network's layers, freeze them, give it a new head.

A Keras layer with ``trainable = False`` keeps its weights out of
``model.trainable_weights``, so the optimizer never changes them. A frozen
``BatchNormalization`` layer also runs in inference mode (it normalises with
its stored mean and variance instead of the batch's), which is what
fine-tuning needs: a small new data set must not overwrite statistics learned
on a large one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dlcourse._tf import keras


@dataclass(frozen=True)
class ParamCount:
    """How many of a model's parameters the optimizer updates, and how many it leaves alone."""

    trainable: int
    non_trainable: int

    @property
    def total(self) -> int:
        """All parameters."""
        return self.trainable + self.non_trainable

    def __str__(self) -> str:
        return (f"trainable {self.trainable:,d} · non-trainable {self.non_trainable:,d} · "
                f"total {self.total:,d}")


def _size(weights: Sequence[keras.Variable]) -> int:
    return int(sum(int(np.prod(w.shape)) for w in weights))


def count_params(model: keras.Model) -> ParamCount:
    """Count trainable and non-trainable parameters (frozen layers and BN statistics are the latter)."""
    return ParamCount(_size(model.trainable_weights), _size(model.non_trainable_weights))


def _is_keras_model(model: object) -> None:
    if not isinstance(model, keras.Model):
        raise TypeError(f"expected a keras.Model, got {type(model).__name__}")


def freeze(model: keras.Model) -> keras.Model:
    """Freeze every layer of ``model`` (no weight changes in training); return ``model``."""
    _is_keras_model(model)
    model.trainable = False
    return model


def layers_with_weights(model: keras.Model) -> list[keras.layers.Layer]:
    """The layers of ``model`` that own weights, in order (Conv, Dense, BatchNorm, ...)."""
    _is_keras_model(model)
    return [layer for layer in model.layers if layer.weights]


def unfreeze_top(model: keras.Model, n: int, *, keep_batchnorm_frozen: bool = True) -> list[str]:
    """Make the last ``n`` layers that own weights trainable, freeze all others; return their names.

    ``BatchNormalization`` layers are counted but stay frozen (and so in
    inference mode) unless ``keep_batchnorm_frozen=False``.
    """
    _is_keras_model(model)
    candidates = layers_with_weights(model)
    if not isinstance(n, (int, np.integer)) or not 0 <= n <= len(candidates):
        raise ValueError(f"n must be an integer from 0 to {len(candidates)} (the number of layers "
                         f"with weights in {model.name!r}), got {n!r}")
    # A model whose own flag is False hides every sublayer's weights, so open it first.
    model.trainable = True
    for layer in model.layers:
        layer.trainable = False
    opened = []
    for layer in candidates[len(candidates) - n:]:
        if keep_batchnorm_frozen and isinstance(layer, keras.layers.BatchNormalization):
            continue
        layer.trainable = True
        opened.append(layer.name)
    return opened


def feature_extractor(model: keras.Model, cut: str | int, *, name: str | None = None) -> keras.Model:
    """The part of ``model`` from its input up to and including layer ``cut`` (a name or index).

    x: model's input → the output of layer ``cut``, e.g. (N, 28, 28, 1) → (N, 64)
    after a global-average-pooling layer. The layers (and weights) are shared, not copied.
    """
    _is_keras_model(model)
    if isinstance(cut, str):
        names = [layer.name for layer in model.layers]
        if cut not in names:
            raise ValueError(f"no layer named {cut!r} in {model.name!r}; its layers are {names}")
        layer = model.get_layer(cut)
    elif isinstance(cut, (int, np.integer)):
        if not -len(model.layers) <= cut < len(model.layers):
            raise ValueError(f"cut index {cut} is out of range for {len(model.layers)} layers")
        layer = model.layers[cut]
    else:
        raise TypeError(f"cut must be a layer name or an index, got {type(cut).__name__}")
    return keras.Model(model.inputs, layer.output, name=name or f"{model.name}_features")


def with_new_head(base: keras.Model, classes: int, *, activation: str = "softmax",
                  dropout: float = 0.0, seed: int | None = 0, name: str = "transfer") -> keras.Model:
    """``base`` (a feature extractor, frozen or not) followed by a fresh ``Dense(classes)`` head.

    x: base's input (N, ...) → (N, classes). The base is called with
    ``training=False`` so that its BatchNormalization layers stay in inference
    mode even after some of its layers are unfrozen for fine-tuning.
    """
    _is_keras_model(base)
    if not isinstance(classes, (int, np.integer)) or classes < 1:
        raise ValueError(f"classes must be a positive integer, got {classes!r}")
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"dropout must be in [0, 1), got {dropout}")
    if len(base.outputs) != 1 or len(base.outputs[0].shape) != 2:
        raise ValueError(
            f"the base must output one (N, features) tensor, got {[o.shape for o in base.outputs]}; "
            "cut it after a Flatten or GlobalAveragePooling2D layer")
    if seed is not None:
        keras.utils.set_random_seed(seed)
    inputs = keras.Input(shape=base.inputs[0].shape[1:])
    x = base(inputs, training=False)
    if dropout:
        x = keras.layers.Dropout(dropout)(x)
    outputs = keras.layers.Dense(int(classes), activation=activation, name="new_head")(x)
    return keras.Model(inputs, outputs, name=name)


def trainable_table(model: keras.Model) -> str:
    """One line per layer with weights: name, trainable or frozen, parameter count."""
    rows = []
    for layer in model.layers:
        if not layer.weights:
            continue
        inner = getattr(layer, "layers", None)
        state = "trainable" if layer.trainable_weights else "frozen"
        if inner and layer.trainable_weights and layer.non_trainable_weights:
            state = "partly trainable"
        rows.append(f"{layer.name:22s} {state:17s} {_size(layer.weights):8,d} parameters")
    return "\n".join(rows)
