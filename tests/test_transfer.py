"""Freezing, head replacement and parameter counts of dlcourse.transfer (tiny Keras models)."""

from __future__ import annotations

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from dlcourse import transfer  # noqa: E402
from dlcourse.models import plain_cnn  # noqa: E402


def tiny(seed: int = 0):
    keras.utils.set_random_seed(seed)
    return keras.Sequential([
        keras.Input(shape=(6,)),
        keras.layers.Dense(5, activation="relu", name="d1"),
        keras.layers.BatchNormalization(name="bn"),
        keras.layers.Dense(4, activation="relu", name="d2"),
        keras.layers.Dense(3, activation="softmax", name="out"),
    ], name="tiny")


def test_count_params_splits_trainable_and_frozen():
    m = tiny()
    c = transfer.count_params(m)
    # d1 35, bn 10 trainable (γ, β) + 10 statistics, d2 24, out 15
    assert (c.trainable, c.non_trainable, c.total) == (35 + 10 + 24 + 15, 10, 94)
    transfer.freeze(m)
    assert transfer.count_params(m) == transfer.ParamCount(0, 94)
    assert "trainable 0" in str(transfer.count_params(m))


def test_freeze_keeps_weights_fixed_in_training():
    m = tiny()
    transfer.freeze(m)
    before = [w.copy() for w in m.get_weights()]
    m.compile("sgd", "sparse_categorical_crossentropy")
    x = np.random.default_rng(0).normal(size=(16, 6)).astype("float32")
    with pytest.warns(UserWarning, match="trainable weights"):
        m.fit(x, np.arange(16) % 3, epochs=1, verbose=0)
    for a, b in zip(before, m.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_unfreeze_top_opens_last_layers_but_keeps_batchnorm_frozen():
    m = transfer.freeze(tiny())
    opened = transfer.unfreeze_top(m, 3)  # bn, d2, out; bn stays frozen
    assert opened == ["d2", "out"]
    assert [layer.name for layer in m.layers if layer.trainable_weights] == ["d2", "out"]
    assert transfer.count_params(m).trainable == 24 + 15
    assert transfer.unfreeze_top(m, 3, keep_batchnorm_frozen=False) == ["bn", "d2", "out"]
    assert transfer.unfreeze_top(m, 0) == [] and transfer.count_params(m).trainable == 0


def test_unfreeze_top_rejects_bad_n():
    m = tiny()
    with pytest.raises(ValueError, match="from 0 to 4"):
        transfer.unfreeze_top(m, 5)
    with pytest.raises(ValueError):
        transfer.unfreeze_top(m, -1)


def test_feature_extractor_shares_weights_and_cuts_where_asked():
    m = tiny()
    f = transfer.feature_extractor(m, "d2")
    assert f.output.shape[1:] == (4,)
    assert f.get_layer("d1") is m.get_layer("d1")
    x = np.ones((2, 6), "float32")
    want = keras.Model(m.inputs, m.get_layer("d2").output).predict(x, verbose=0)
    np.testing.assert_allclose(f.predict(x, verbose=0), want)
    assert transfer.feature_extractor(m, -2).output.shape[1:] == (4,)
    with pytest.raises(ValueError, match="no layer named 'nope'"):
        transfer.feature_extractor(m, "nope")
    with pytest.raises(ValueError, match="out of range"):
        transfer.feature_extractor(m, 9)


def test_with_new_head_trains_only_the_head_when_base_is_frozen():
    base = transfer.freeze(transfer.feature_extractor(tiny(), "d2"))
    m = transfer.with_new_head(base, 7, seed=1)
    assert m.output.shape[1:] == (7,)
    assert transfer.count_params(m).trainable == 4 * 7 + 7
    assert "new_head" in transfer.trainable_table(m)
    assert "frozen" in transfer.trainable_table(m)
    probs = m.predict(np.ones((3, 6), "float32"), verbose=0)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)


def test_with_new_head_rejects_spatial_output_and_bad_classes():
    cnn = plain_cnn(filters=2, features=4, classes=3)
    with pytest.raises(ValueError, match="Flatten or GlobalAveragePooling2D"):
        transfer.with_new_head(transfer.feature_extractor(cnn, "block2_pool"), 3)
    with pytest.raises(ValueError, match="positive integer"):
        transfer.with_new_head(transfer.feature_extractor(cnn, "flatten"), 0)


def test_plain_cnn_shapes_and_names():
    m = plain_cnn(filters=2, features=4, classes=3)
    assert m.outputs[0].shape[1:] == (3,)
    assert m.get_layer("flatten").output.shape[1:] == (7 * 7 * 4,)
    assert [layer.name for layer in transfer.layers_with_weights(m)] == [
        "block1_conv", "block2_conv", "features", "classifier"]
    with pytest.raises(ValueError, match="filters"):
        plain_cnn(filters=0)
