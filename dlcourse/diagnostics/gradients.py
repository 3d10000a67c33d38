"""Per-layer gradient norms: the evidence for vanishing or exploding gradients."""

from __future__ import annotations

import math

import numpy as np

from dlcourse._tf import keras, tf


def _weighted_layers(model: keras.Model) -> list[keras.layers.Layer]:
    """Layers with a ``kernel`` (Dense, Conv2D), in order from input to output."""
    return [layer for layer in model.layers if getattr(layer, "kernel", None) is not None]


def _kernel_gradient_norms(model: keras.Model, layers: list[keras.layers.Layer], x: np.ndarray,
                           y: np.ndarray, loss_fn: keras.losses.Loss,
                           per_entry: bool = False) -> list[tf.Tensor | None]:
    """Norms of ∂loss/∂kernel for ``layers`` (None where a kernel gets no gradient).

    ``per_entry``: the root mean square of the entries instead (norm / √size), which
    compares layers of different sizes fairly.
    """
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=False))
    grads = tape.gradient(loss, [layer.kernel for layer in layers])
    if per_entry:
        return [None if g is None else tf.sqrt(tf.reduce_mean(tf.square(g))) for g in grads]
    return [None if g is None else tf.norm(g) for g in grads]


def gradient_norms(model: keras.Model, x: np.ndarray, y: np.ndarray,
                   loss_fn: keras.losses.Loss | None = None, per_entry: bool = False) -> dict[str, float]:
    """L2 norm of ∂loss/∂kernel for each Dense/Conv layer, on one batch ``x``: (N, ...), ``y``: (N,).

    ``per_entry=True`` gives the root mean square of each gradient's entries instead,
    the measure for comparing layers whose kernels differ in size. Computed in
    inference mode (no dropout, batch-norm moving statistics), so the probe is
    deterministic and does not change the model's state.
    """
    loss_fn = loss_fn or keras.losses.SparseCategoricalCrossentropy()
    layers = _weighted_layers(model)
    if not layers:
        raise ValueError("the model has no Dense or Conv layers with a kernel to probe")
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same length, got {len(x)} and {len(y)}")
    norms = _kernel_gradient_norms(model, layers, x, y, loss_fn, per_entry)
    return {layer.name: (math.nan if g is None else float(g)) for layer, g in zip(layers, norms)}


class GradientNormLogger(keras.callbacks.Callback):
    """Every ``every`` batches, log each layer's gradient norm on a fixed probe batch.

    After training, ``steps`` holds the global step numbers and ``norms`` maps
    layer name → list of norms (one per logged step); ``losses`` the probe loss.
    """

    def __init__(self, x_probe: np.ndarray, y_probe: np.ndarray, every: int = 1,
                 loss_fn: keras.losses.Loss | None = None, per_entry: bool = False) -> None:
        super().__init__()
        if not isinstance(every, int) or every < 1:
            raise ValueError(f"every must be a positive integer, got {every!r}")
        self.x_probe, self.y_probe, self.every, self.per_entry = x_probe, y_probe, every, per_entry
        self.loss_fn = loss_fn or keras.losses.SparseCategoricalCrossentropy()
        self.steps: list[int] = []
        self.norms: dict[str, list[float]] = {}
        self._step = 0
        self._probe = self._probe_model = None
        self._names: list[str] = []

    def _log(self) -> None:
        if self._probe is None or self._probe_model is not self.model:
            # Compiled once per model: an eager probe costs about five times as much,
            # and a run probes hundreds of times.
            layers = _weighted_layers(self.model)
            if not layers:
                raise ValueError("the model has no Dense or Conv layers with a kernel to probe")
            model, loss_fn, per_entry = self.model, self.loss_fn, self.per_entry
            self._names = [layer.name for layer in layers]
            self._probe = tf.function(lambda x, y: _kernel_gradient_norms(model, layers, x, y, loss_fn, per_entry))
            self._probe_model = self.model
        values = self._probe(self.x_probe, self.y_probe)
        norms = {n: (math.nan if g is None else float(g)) for n, g in zip(self._names, values)}
        self.steps.append(self._step)
        for name, value in norms.items():
            self.norms.setdefault(name, []).append(value)

    def on_train_begin(self, logs: dict[str, float] | None = None) -> None:
        if not self.steps:  # the state before the first update is step 0
            self._log()

    def on_train_batch_end(self, batch: int, logs: dict[str, float] | None = None) -> None:
        self._step += 1
        if self._step % self.every == 0:
            self._log()

    def as_array(self) -> np.ndarray:
        """The norms as an array of shape (logged steps, layers), layers in model order."""
        return np.array([self.norms[name] for name in self.norms]).T


class StepGradientRecorder(keras.callbacks.Callback):
    """The gradient of every training step, the one the optimizer applied: its global norm and each kernel's RMS.

    A probe (``GradientNormLogger``) measures a fixed batch every few steps and can miss
    a spike that lasts one step. This callback records the real step's gradient: at the
    start of training it wraps the model's optimizer so that the gradients it applies
    are also written to two variables, and after every batch it reads them (cheap: no
    extra forward or backward pass). After training, ``global_norms`` holds one value
    per step and ``kernel_rms`` maps each Dense/Conv layer to one value per step.
    """

    def __init__(self) -> None:
        super().__init__()
        self.global_norms: list[float] = []
        self.kernel_rms: dict[str, list[float]] = {}
        self._wrapped = None

    def on_train_begin(self, logs: dict[str, float] | None = None) -> None:
        optimizer = self.model.optimizer
        if self._wrapped is optimizer:
            return
        layers = _weighted_layers(self.model)
        kernel_ids = [id(layer.kernel) for layer in layers]
        self._names = [layer.name for layer in layers]
        self._global = tf.Variable(0.0, trainable=False, dtype="float32")
        self._rms = tf.Variable(tf.zeros(len(layers)), trainable=False, dtype="float32")
        unwrapped, global_var, rms_var = optimizer.apply, self._global, self._rms

        def apply(grads: list, trainable_variables: list | None = None) -> object:  # traced into the training step
            variables = trainable_variables if trainable_variables is not None else optimizer._trainable_variables
            by_id = {id(v): g for g, v in zip(grads, variables)}
            global_var.assign(tf.cast(tf.linalg.global_norm([g for g in grads if g is not None]), "float32"))
            rms = [tf.sqrt(tf.reduce_mean(tf.square(tf.cast(by_id[k], "float32")))) if by_id.get(k) is not None
                   else tf.constant(float("nan")) for k in kernel_ids]
            rms_var.assign(tf.stack(rms))
            return unwrapped(grads, trainable_variables)

        optimizer.apply = apply
        self._wrapped = optimizer
        self.model.make_train_function(force=True)  # trace the step again, with the wrapper in it

    def on_train_batch_end(self, batch: int, logs: dict[str, float] | None = None) -> None:
        self.global_norms.append(float(self._global.numpy()))
        for name, value in zip(self._names, self._rms.numpy()):
            self.kernel_rms.setdefault(name, []).append(float(value))
