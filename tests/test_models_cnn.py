"""The CNN builders: the lab report's layers, output shapes and parameter counts."""

from __future__ import annotations

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from dlcourse.models import mnist_cnn, small_cnn  # noqa: E402


def _rows(model):
    return [(type(layer).__name__, tuple(layer.output.shape[1:]), layer.count_params())
            for layer in model.layers]


def test_mnist_cnn_is_the_lab_report_network():
    model = mnist_cnn(seed=0)
    assert _rows(model) == [
        ("Conv2D", (28, 28, 64), 3 * 3 * 1 * 64 + 64),
        ("ReLU", (28, 28, 64), 0),
        ("Conv2D", (28, 28, 64), 3 * 3 * 64 * 64 + 64),
        ("ReLU", (28, 28, 64), 0),
        ("MaxPooling2D", (14, 14, 64), 0),
        ("Conv2D", (14, 14, 32), 3 * 3 * 64 * 32 + 32),
        ("Conv2D", (14, 14, 32), 3 * 3 * 32 * 32 + 32),
        ("MaxPooling2D", (7, 7, 32), 0),
        ("Flatten", (1568,), 0),
        ("Dense", (512,), 1568 * 512 + 512),
        ("Dense", (10,), 512 * 10 + 10),
    ]
    assert model.count_params() == 873_738
    convs = [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]
    assert [c.padding for c in convs] == ["same"] * 4
    assert [c.activation.__name__ for c in convs] == ["linear", "linear", "relu", "relu"]
    assert model.layers[-1].activation.__name__ == "softmax"


def test_mnist_cnn_options_and_seed():
    m = mnist_cnn(input_shape=(32, 32, 3), classes=5, seed=1)
    assert m.output_shape == (None, 5)
    assert m.layers[0].count_params() == 3 * 3 * 3 * 64 + 64
    a, b = mnist_cnn(seed=3), mnist_cnn(seed=3)
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_array_equal(wa, wb)
    c = mnist_cnn(seed=4)
    assert not np.array_equal(a.get_weights()[0], c.get_weights()[0])


def test_small_cnn_shapes_and_budget():
    model = small_cnn(seed=0)
    shapes = [s for name, s, _ in _rows(model) if name in ("MaxPooling2D", "GlobalAveragePooling2D", "Dense")]
    assert shapes == [(14, 14, 32), (7, 7, 64), (64,), (10,)]
    assert model.count_params() == 66_218
    assert model.count_params() < 100_000  # the chapter's promise: a CNN under 100 K parameters
    probs = model.predict(np.zeros((2, 28, 28, 1), "float32"), verbose=0)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)


def test_small_cnn_filters():
    small = small_cnn(filters=8, seed=0)
    convs = [layer for layer in small.layers if isinstance(layer, keras.layers.Conv2D)]
    assert [c.filters for c in convs] == [8, 8, 16, 16]  # the second block doubles them
    assert small.count_params() < small_cnn(filters=16, seed=0).count_params()
    with pytest.raises(ValueError, match="filters"):
        small_cnn(filters=0)


def test_small_cnn_bn_momentum():
    bns = [layer for layer in small_cnn(bn_momentum=0.9, seed=0).layers
           if isinstance(layer, keras.layers.BatchNormalization)]
    assert len(bns) == 4 and all(b.momentum == 0.9 for b in bns)
    with pytest.raises(ValueError, match="bn_momentum"):
        small_cnn(bn_momentum=1.0)
