"""dlcourse.checklist: readable one-line errors, the one-batch test, the generalisation gap."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from tf_lazy import keras  # skips only the tests that use TensorFlow

from dlcourse import checklist


def test_short_error_takes_the_informative_line():
    assert checklist.short_error(ValueError("first line\nsecond")) == "ValueError: first line"
    graph = RuntimeError("Graph execution error:\n\nDetected at node x\n  File a\nlabel 9 out of range")
    assert checklist.short_error(graph) == "RuntimeError: label 9 out of range"
    node_last = RuntimeError("Graph execution error:\n  File a\nIncompatible shapes: [4,8] vs. [32,8]\n"
                             "\t [[{{node seq/noisy/add_1}}]] [Op:__inference_multi_step_on_iterator_1366]")
    assert checklist.short_error(node_last) == "RuntimeError: Incompatible shapes: [4,8] vs. [32,8]"
    eager = RuntimeError("{{function_node __wrapped__Sub_device_/job:0}} Incompatible shapes: "
                         "[32,10] vs. [32,5] [Op:Sub] name: ")
    assert checklist.short_error(eager) == "RuntimeError: Incompatible shapes: [32,10] vs. [32,5]"
    long = checklist.short_error(ValueError("x" * 500), width=50)
    assert len(long) == len("ValueError: ") + 50 and long.endswith("…")
    assert checklist.short_error(KeyError()) == "KeyError: "


def test_generalization_gap():
    h = {"accuracy": [0.5, 0.9], "val_accuracy": [0.5, 0.7], "loss": [1, 0.2], "val_loss": [1, 0.9]}
    assert checklist.generalization_gap(h) == pytest.approx(0.2)
    assert checklist.generalization_gap(h, "loss") == pytest.approx(-0.7)
    with pytest.raises(ValueError, match="val_accuracy"):
        checklist.generalization_gap({"accuracy": [1.0]})


def mlp(seed=0):
    keras.utils.set_random_seed(seed)
    return keras.Sequential([keras.Input(shape=(10,)), keras.layers.Dense(32, activation="relu"),
                             keras.layers.Dense(4, activation="softmax")])


def batch():
    rng = np.random.default_rng(0)
    return rng.normal(size=(16, 10)).astype("float32"), rng.integers(0, 4, 16)


def test_one_batch_test_passes_for_a_working_model():
    m = mlp()
    m.compile(keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy", metrics=["accuracy"])
    r = checklist.overfit_one_batch(m, *batch(), steps=60)
    assert r.passed and r.final_loss < r.first_loss / 5 and r.final_accuracy == 1.0
    assert str(r).startswith("one-batch test passed")


def test_one_batch_test_fails_for_a_frozen_model():
    m = mlp()
    m.trainable = False
    m.compile(keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy", metrics=["accuracy"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Keras warns that nothing is trainable: that is the bug
        r = checklist.overfit_one_batch(m, *batch(), steps=5)
    assert not r.passed and r.final_loss == pytest.approx(r.first_loss, rel=1e-5)
    assert "FAILED" in str(r)


def test_one_batch_test_validates_arguments():
    m = mlp()
    m.compile("adam", "sparse_categorical_crossentropy")
    x, y = batch()
    with pytest.raises(ValueError, match="metrics=\\['accuracy'\\]"):
        checklist.overfit_one_batch(m, x, y, steps=2)
    with pytest.raises(ValueError, match="steps"):
        checklist.overfit_one_batch(m, x, y, steps=0)
    with pytest.raises(ValueError, match="same length"):
        checklist.overfit_one_batch(m, x, y[:3])
