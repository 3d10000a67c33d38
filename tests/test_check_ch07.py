"""The lesson 07 exercise checkers accept the reference answers and explain wrong ones."""

from __future__ import annotations

import pytest

from dlcourse.check import ch07

pytest.importorskip("keras")


def test_head_parameters():
    assert ch07.head_parameters(64 * 5 + 5, features=64)
    r = ch07.head_parameters(64 * 5, features=64)
    assert not r and "bias" in r.message
    assert not ch07.head_parameters(None, features=64)
    assert not ch07.head_parameters(True, features=64)


REFERENCE = {
    ch07.TASKS[0]: ("softmax", "sparse_categorical_crossentropy"),
    ch07.TASKS[1]: ("softmax", "categorical_crossentropy"),
    ch07.TASKS[2]: ("sigmoid", "binary_crossentropy"),
    ch07.TASKS[3]: ("linear", "mse"),
}


def test_last_layer():
    assert ch07.last_layer(REFERENCE)
    assert ch07.last_layer({**REFERENCE, ch07.TASKS[3]: (None, "mean_squared_error")})
    wrong = ch07.last_layer({**REFERENCE, ch07.TASKS[2]: ("softmax", "binary_crossentropy")})
    assert not wrong and "yes/no" in wrong.message
    swapped = ch07.last_layer({**REFERENCE, ch07.TASKS[0]: ("softmax", "categorical_crossentropy")})
    assert not swapped and "integer labels" in swapped.message
    assert "no answer" in ch07.last_layer({}).message
    assert not ch07.last_layer(None)


def reference_freeze(model, n):
    model.trainable = True
    with_weights = [layer for layer in model.layers if layer.weights]
    for i, layer in enumerate(with_weights):
        layer.trainable = i >= len(with_weights) - n
    return model


def test_freeze_all_but_last():
    assert ch07.freeze_all_but_last(reference_freeze)

    def forgets_the_model_flag(model, n):
        with_weights = [layer for layer in model.layers if layer.weights]
        for i, layer in enumerate(with_weights):
            layer.trainable = i >= len(with_weights) - n

    r = ch07.freeze_all_but_last(forgets_the_model_flag)
    assert not r and "still frozen" in r.message

    def counts_all_layers(model, n):  # Dropout has no weights: counting it is off by one
        model.trainable = True
        for i, layer in enumerate(model.layers):
            layer.trainable = i >= len(model.layers) - n

    assert not ch07.freeze_all_but_last(counts_all_layers)

    def not_written(model, n):
        raise NotImplementedError

    assert "not written yet" in ch07.freeze_all_but_last(not_written).message
