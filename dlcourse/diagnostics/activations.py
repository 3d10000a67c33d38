"""Activation statistics of ReLU layers: mean, spread, zeros, and dead units."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlcourse._tf import keras


@dataclass(frozen=True)
class ActivationStats:
    """Statistics of one layer's outputs on a probe batch."""

    mean: float
    std: float
    zero_fraction: float  # share of all outputs that are exactly 0 (or below)
    dead_fraction: float  # share of units (channels) that are 0 for every input and position


def relu_layers(model: keras.Model) -> list[keras.layers.Layer]:
    """The model's layers whose output is a ReLU: ``ReLU`` layers and layers with ``activation='relu'``."""
    relu = keras.activations.get("relu")
    return [layer for layer in model.layers
            if isinstance(layer, keras.layers.ReLU) or getattr(layer, "activation", None) is relu]


def activation_stats(model: keras.Model, x: np.ndarray) -> dict[str, ActivationStats]:
    """Statistics of every ReLU layer's output for images ``x``: (N, ...), in inference mode."""
    layers = relu_layers(model)
    if not layers:
        raise ValueError("the model has no ReLU layers to probe")
    inputs = model.inputs[0] if len(model.inputs) == 1 else model.inputs
    probe = keras.Model(inputs, [layer.output for layer in layers])
    outputs = probe(x, training=False)
    if not isinstance(outputs, (list, tuple)):
        outputs = [outputs]
    stats = {}
    for layer, out in zip(layers, outputs):
        a = np.asarray(out, dtype=np.float64)
        per_unit_max = a.reshape(-1, a.shape[-1]).max(axis=0)  # over examples and positions
        stats[layer.name] = ActivationStats(
            mean=float(a.mean()), std=float(a.std()),
            zero_fraction=float(np.mean(a <= 0)),
            dead_fraction=float(np.mean(per_unit_max <= 0)),
        )
    return stats


class ActivationMonitor(keras.callbacks.Callback):
    """Record :func:`activation_stats` on a probe batch before training and after every epoch.

    ``history`` is a list of ``(epoch, {layer: ActivationStats})``; epoch 0 is
    the state before training.
    """

    def __init__(self, x_probe: np.ndarray) -> None:
        super().__init__()
        self.x_probe = x_probe
        self.history: list[tuple[int, dict[str, ActivationStats]]] = []

    def on_train_begin(self, logs: dict[str, float] | None = None) -> None:
        if not self.history:
            self.history.append((0, activation_stats(self.model, self.x_probe)))

    def on_epoch_end(self, epoch: int, logs: dict[str, float] | None = None) -> None:
        self.history.append((epoch + 1, activation_stats(self.model, self.x_probe)))

    def dead_fractions(self) -> dict[str, list[float]]:
        """Layer name → dead-unit fraction at each recorded epoch."""
        out: dict[str, list[float]] = {}
        for _, stats in self.history:
            for name, s in stats.items():
                out.setdefault(name, []).append(s.dead_fraction)
        return out
