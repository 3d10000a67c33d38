"""AlexNet and VGG builders: exact parameter counts, adapted variants, errors; the resize pipeline."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from dlcourse import data
from dlcourse.models import VGG_CONFIGS, alexnet, vgg
from dlcourse.models.alexnet import alexnet_feature_side

ROOT = Path(__file__).resolve().parents[1]


def conv(k: int, c_in: int, c_out: int, bias: bool = True) -> int:
    return k * k * c_in * c_out + (c_out if bias else 0)


def dense(n_in: int, n_out: int) -> int:
    return n_in * n_out + n_out


def test_alexnet_exact_layout_count_and_shapes():
    # Counting only: zero initial weights build fast, and the count does not depend on them.
    model = alexnet(kernel_initializer="zeros")
    bn = lambda c: 4 * c  # noqa: E731  (γ, β, moving mean, moving variance)
    expected = (conv(11, 3, 96) + bn(96) + conv(5, 96, 256) + bn(256) + conv(3, 256, 384) + bn(384)
                + conv(3, 384, 384) + bn(384) + conv(3, 384, 256) + bn(256)
                + dense(6 * 6 * 256, 4096) + dense(4096, 4096) + dense(4096, 1000))
    assert expected == 62_383_848
    assert model.count_params() == expected
    shapes = {layer.name: tuple(layer.output.shape[1:]) for layer in model.layers}
    assert shapes["conv1"] == (55, 55, 96)
    assert shapes["pool1"] == (27, 27, 96)  # overlapping 3×3/2 pooling
    assert shapes["pool2"] == (13, 13, 256)
    assert shapes["pool5"] == (6, 6, 256)
    assert shapes["predictions"] == (1000,)
    assert model.get_layer("conv1").kernel_regularizer is not None
    assert [layer.rate for layer in model.layers if layer.name.startswith("dropout")] == [0.5, 0.5]


def test_vgg16_exact_count_and_shapes():
    model = vgg("D", kernel_initializer="zeros")
    assert model.name == "vgg16"
    assert model.count_params() == 138_357_544  # Simonyan & Zisserman's VGG-16 (138 M)
    convs = [layer for layer in model.layers if layer.name.endswith(tuple(f"conv{i}" for i in range(1, 5)))]
    assert len(convs) == 13 and all(layer.kernel_size == (3, 3) for layer in convs)
    assert tuple(model.get_layer("block5_pool").output.shape[1:]) == (7, 7, 512)
    assert tuple(model.get_layer("predictions").output.shape[1:]) == (1000,)


@pytest.mark.parametrize("config, total, depth", [
    ("A", 132_863_336, 11), ("B", 133_047_848, 13), ("E", 143_667_240, 19)])
def test_other_vgg_configs(config, total, depth):
    # Conv weights do not depend on the input size; only fc1 does (7·7·512 inputs at 224 px,
    # 1·1·512 at 32 px). Building at 32 px keeps the test fast.
    small = vgg(config, input_shape=(32, 32, 3), kernel_initializer="zeros")
    assert small.count_params() + (7 * 7 * 512 - 512) * 4096 == total
    weighted = [layer for layer in small.layers if getattr(layer, "kernel", None) is not None]
    assert len(weighted) == depth
    assert small.name == f"vgg{depth}"


def test_adapted_vgg_count_with_batch_norm_and_width():
    model = vgg("D", input_shape=(32, 32, 1), classes=10, width=0.25, batch_norm=True, dense_units=512)
    widths = [16, 16, "M", 32, 32, "M", 64, 64, 64, "M", 128, 128, 128, "M", 128, 128, 128, "M"]
    expected, c_in = 0, 1
    for w in widths:
        if w == "M":
            continue
        expected += conv(3, c_in, w, bias=False) + 4 * w  # BN replaces the conv bias
        c_in = w
    expected += dense(128, 128) + dense(128, 128) + dense(128, 10)
    assert model.count_params() == expected
    out = model.predict(np.zeros((3, 32, 32, 1), np.float32), verbose=0)
    assert out.shape == (3, 10)
    np.testing.assert_allclose(out.sum(axis=1), 1.0, rtol=1e-5)


def test_adapted_alexnet_small_stem_shapes():
    model = alexnet(input_shape=(32, 32, 1), classes=10, width=0.125, stem_kernel=3, stem_stride=1)
    assert tuple(model.get_layer("conv1").output.shape[1:]) == (30, 30, 12)
    assert tuple(model.get_layer("pool5").output.shape[1:]) == (2, 2, 32)
    assert tuple(model.get_layer("fc6").output.shape[1:]) == (512,)
    out = model.predict(np.random.default_rng(0).random((2, 32, 32, 1), np.float32), verbose=0)
    assert out.shape == (2, 10)
    no_bn = alexnet(input_shape=(32, 32, 1), classes=10, width=0.125, stem_kernel=3, stem_stride=1,
                    batch_norm=False)
    assert not any("bn" in layer.name for layer in no_bn.layers)


def test_feature_side_arithmetic():
    assert alexnet_feature_side(227) == 6
    assert alexnet_feature_side(67) == 1
    assert alexnet_feature_side(66) == 0
    assert alexnet_feature_side(32, 3, 1) == 2


def test_builders_reject_bad_settings():
    with pytest.raises(ValueError, match="at least 67 px"):
        alexnet(input_shape=(32, 32, 1))
    with pytest.raises(ValueError, match="config must be one of A, B, D, E"):
        vgg("C")
    with pytest.raises(ValueError, match="at least 32×32"):
        vgg("A", input_shape=(28, 28, 1))
    with pytest.raises(ValueError, match="width"):
        vgg("A", input_shape=(32, 32, 1), width=0)
    with pytest.raises(ValueError, match="dropout"):
        alexnet(dropout=1.0)
    with pytest.raises(ValueError, match="bn_momentum"):
        vgg("A", input_shape=(32, 32, 1), batch_norm=True, bn_momentum=1.0)
    with pytest.raises(ValueError, match="bn_momentum"):
        alexnet(bn_momentum=-0.1)
    assert set(VGG_CONFIGS) == {"A", "B", "D", "E"}


def test_batch_norm_momentum_reaches_every_bn_layer():
    a = alexnet(input_shape=(32, 32, 1), classes=10, width=0.125, stem_kernel=3, stem_stride=1,
                bn_momentum=0.9)
    v = vgg("A", input_shape=(32, 32, 1), classes=10, width=0.125, batch_norm=True, bn_momentum=0.5)
    default = vgg("A", input_shape=(32, 32, 1), classes=10, width=0.125, batch_norm=True)
    for model, expected in [(a, 0.9), (v, 0.5), (default, 0.99)]:
        momenta = [layer.momentum for layer in model.layers
                   if layer.__class__.__name__ == "BatchNormalization"]
        assert momenta and all(m == expected for m in momenta), (model.name, momenta)


def test_same_seed_same_weights():
    a = vgg("A", input_shape=(32, 32, 1), classes=10, width=0.125, seed=3)
    b = vgg("A", input_shape=(32, 32, 1), classes=10, width=0.125, seed=3)
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_array_equal(wa, wb)


def test_per_batch_resize_pipeline_shapes_and_dtype():
    x = np.random.default_rng(0).integers(0, 256, (10, 28, 28), dtype=np.uint8)
    y = np.arange(10, dtype=np.uint8)
    batches = list(data.make_dataset(x, y, batch_size=4, image_size=224, rgb=True))
    assert [tuple(b[0].shape) for b in batches] == [(4, 224, 224, 3), (4, 224, 224, 3), (2, 224, 224, 3)]
    images, labels = batches[0]
    assert images.dtype.name == "float32" and labels.dtype.name == "uint8"
    assert 0.0 <= float(np.min(images)) and float(np.max(images)) <= 1.0
    np.testing.assert_array_equal(labels.numpy(), [0, 1, 2, 3])  # no shuffle: order kept
    # Resizing keeps a constant image constant: the values survive the pipeline.
    flat = data.make_dataset(np.full((2, 28, 28), 51, np.uint8), batch_size=2, image_size=32)
    np.testing.assert_allclose(next(iter(flat)).numpy(), 0.2, atol=1e-6)
    plain = next(iter(data.make_dataset(x, y, batch_size=4)))[0]
    assert tuple(plain.shape) == (4, 28, 28, 1)
    assert data.upfront_resize_bytes(60_000, 224) == 60_000 * 224 * 224 * 4 == 12_042_240_000


def test_two_logical_cpus_after_dlcourse_import():
    """The CPU split works after `import dlcourse` (which lists devices), not after a first op."""
    script = textwrap.dedent("""
        import dlcourse
        import numpy as np
        from dlcourse.devices import mirrored_strategy, split_cpu
        from dlcourse.models import alexnet
        names = split_cpu(2)
        strategy = mirrored_strategy()
        with strategy.scope():
            model = alexnet(input_shape=(32, 32, 1), classes=10, width=0.0625, stem_kernel=3,
                            stem_stride=1)
            model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(np.zeros((16, 32, 32, 1), "float32"), np.zeros(16, "int32"), batch_size=8,
                  epochs=1, verbose=0)
        print(len(names), strategy.num_replicas_in_sync)
        split_cpu(2)  # same configuration again: harmless
        try:
            split_cpu(3)
        except RuntimeError as err:
            print("refused:", "before anything else runs" in str(err))
    """)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "2"}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split("\n")[:2] == ["2 2", "refused: True"]
