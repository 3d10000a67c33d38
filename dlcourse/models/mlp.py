"""Multi-layer perceptrons for 28×28 images."""

from __future__ import annotations

from collections.abc import Sequence

from dlcourse._tf import keras


def build_mlp(hidden: Sequence[int] = (128,), *, activation: str = "sigmoid",
              input_shape: tuple[int, ...] = (28, 28), classes: int = 10,
              dropout: float = 0.0, kernel_initializer: str = "glorot_uniform",
              seed: int | None = 0, name: str = "mlp") -> keras.Model:
    """Flatten → [Dense(h, activation) (→ Dropout)] × len(hidden) → Dense(classes, softmax).

    ``seed`` fixes the initial weights, so two models built with the same seed
    start identical and comparisons between them are fair.
    """
    if not hidden or any((not isinstance(h, int)) or h < 1 for h in hidden):
        raise ValueError(f"hidden must be a non-empty sequence of positive ints, got {hidden!r}")
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"dropout must be in [0, 1), got {dropout}")
    if seed is not None:
        keras.utils.set_random_seed(seed)
    layers = [keras.Input(shape=input_shape), keras.layers.Flatten()]
    for i, units in enumerate(hidden):
        layers.append(keras.layers.Dense(units, activation=activation,
                                         kernel_initializer=kernel_initializer, name=f"hidden{i + 1}"))
        if dropout:
            layers.append(keras.layers.Dropout(dropout, name=f"dropout{i + 1}"))
    layers.append(keras.layers.Dense(classes, activation="softmax", name="output"))
    return keras.Sequential(layers, name=name)
