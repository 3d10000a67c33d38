"""Compile a classifier for integer labels with its training state built up front."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dlcourse._env import import_tensorflow

if TYPE_CHECKING:
    import keras


def compile_classifier(model: keras.Model, optimizer: keras.optimizers.Optimizer,
                       **compile_kwargs: Any) -> keras.Model:
    """``model.compile`` with sparse cross-entropy and accuracy, optimizer state built now.

    Same as ``model.compile(optimizer, "sparse_categorical_crossentropy",
    metrics=["accuracy"])`` (the history keys are ``loss`` and ``accuracy``), with one
    difference in *when* work happens. Outside a distribution strategy Keras 3 creates
    the optimizer's slot variables and the accuracy metric's counters while TensorFlow
    traces the first training step; a trace that creates variables is discarded and
    traced again, which costs 1.5–3 s per model on a CPU. Building them here means one
    trace. The numbers do not change: the slots and counters start at zero either way.

    ``model`` must be built (give it a ``keras.Input``), since the optimizer's state
    has one slot per trainable weight. Extra keyword arguments go to ``model.compile``.
    Returns ``model``.
    """
    import_tensorflow()
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    if not model.built or not model.trainable_variables:
        raise ValueError(f"model {model.name!r} has no weights yet: start it with keras.Input(shape=...) or "
                         "call it on a batch before compiling, so the optimizer can make one slot per weight")
    for key in ("loss", "metrics"):
        if key in compile_kwargs:
            raise TypeError(f"compile_classifier sets {key!r} itself; call model.compile for another {key}")
    # A metric *object* owns its counters from the start; the string "accuracy" would
    # only become one (and make them) inside the traced step.
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy",
                  metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")], **compile_kwargs)
    model.optimizer.build(model.trainable_variables)
    return model
