"""dlcourse.models.resnet: the residual and the plain deep CNN differ by the shortcuts only."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("tensorflow")

from dlcourse._tf import keras  # noqa: E402
from dlcourse.models.resnet import deep_cnn, residual_block  # noqa: E402


def test_the_two_networks_have_the_same_weight_layers_but_the_projections():
    plain, res = deep_cnn(residual=False), deep_cnn(residual=True)
    conv = lambda m: [l.name for l in m.layers if isinstance(l, keras.layers.Conv2D)]
    assert set(conv(res)) - set(conv(plain)) == {"stage2_block1_projection", "stage3_block1_projection"}
    assert len(conv(plain)) == 1 + 2 * 3 * 3
    extra = sum(res.get_layer(n).count_params() for n in set(conv(res)) - set(conv(plain)))
    assert res.count_params() - plain.count_params() == extra
    # Same seed: the shared layers start from the same weights.
    for name in conv(plain):
        for a, b in zip(plain.get_layer(name).get_weights(), res.get_layer(name).get_weights()):
            np.testing.assert_array_equal(a, b)


def test_shapes_and_probabilities():
    model = deep_cnn(residual=True, blocks_per_stage=1, widths=(4, 8))
    out = model(np.random.default_rng(0).random((3, 28, 28, 1)).astype("float32"))
    assert out.shape == (3, 10)
    np.testing.assert_allclose(np.asarray(out).sum(axis=1), 1.0, rtol=1e-5)
    assert model.get_layer("stage2_block1_relu").output.shape[1:] == (14, 14, 8)


def test_a_residual_block_with_zero_branch_is_relu_of_its_input():
    x_in = keras.Input((6, 6, 3))
    model = keras.Model(x_in, residual_block(x_in, 3, name="b", kernel_initializer="zeros"))
    x = np.random.default_rng(1).normal(size=(2, 6, 6, 3)).astype("float32")
    np.testing.assert_allclose(np.asarray(model(x)), np.maximum(x, 0), atol=1e-7)
    plain_in = keras.Input((6, 6, 3))
    plain = keras.Model(plain_in, residual_block(plain_in, 3, residual=False, name="p", kernel_initializer="zeros"))
    assert np.all(np.asarray(plain(x)) == 0)  # without the shortcut nothing gets through


@pytest.mark.parametrize("kwargs, match", [(dict(blocks_per_stage=0), "blocks_per_stage"),
                                           (dict(widths=()), "widths"), (dict(widths=(8, -1)), "widths")])
def test_bad_arguments_say_what_is_allowed(kwargs, match):
    with pytest.raises(ValueError, match=match):
        deep_cnn(residual=True, **kwargs)


def test_batch_norm_follows_every_convolution_in_both_networks_and_keeps_the_weights_shared():
    plain = deep_cnn(residual=False, blocks_per_stage=1, widths=(4, 8), batch_norm=True)
    res = deep_cnn(residual=True, blocks_per_stage=1, widths=(4, 8), batch_norm=True, bn_momentum=0.9)
    for model in (plain, res):
        convs = [l.name for l in model.layers if isinstance(l, keras.layers.Conv2D)]
        bns = {l.name for l in model.layers if isinstance(l, keras.layers.BatchNormalization)}
        assert {("stem_bn" if c == "stem" else f"{c}_bn") for c in convs} == bns
    assert res.get_layer("stage2_block1_projection_bn").momentum == 0.9
    for name in ("stem", "stage1_block1_conv1", "stage2_block1_conv2"):
        for a, b in zip(plain.get_layer(name).get_weights(), res.get_layer(name).get_weights()):
            np.testing.assert_array_equal(a, b)
    # In training mode each normalised feature has mean 0 before γ and β (γ = 1, β = 0 at the start).
    x = np.random.default_rng(2).random((8, 28, 28, 1)).astype("float32")
    probe = keras.Model(res.input, res.get_layer("stem_bn").output)
    np.testing.assert_allclose(np.asarray(probe(x, training=True)).mean(axis=(0, 1, 2)), 0.0, atol=1e-4)
    assert not any(isinstance(l, keras.layers.BatchNormalization) for l in deep_cnn(residual=True).layers)
