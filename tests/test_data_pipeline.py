"""Subsets, splits and the tf.data pipeline (per-batch preprocessing)."""

import numpy as np
import pytest

from dlcourse import data


@pytest.fixture
def toy():
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, (300, 28, 28), dtype=np.uint8)
    y = np.repeat(np.arange(3), [150, 100, 50]).astype(np.uint8)
    return x, y


def test_stratified_subset_keeps_proportions_and_is_seeded(toy):
    x, y = toy
    xs, ys = data.stratified_subset(x, y, 60, seed=1)
    assert len(xs) == 60 and np.bincount(ys).tolist() == [30, 20, 10]
    xs2, ys2 = data.stratified_subset(x, y, 60, seed=1)
    assert np.array_equal(xs, xs2) and np.array_equal(ys, ys2)
    assert not np.array_equal(data.stratified_subset(x, y, 60, seed=2)[1], ys)
    # each image stays with its own label
    idx = [int(np.flatnonzero((x == im).all(axis=(1, 2)))[0]) for im in xs[:10]]
    assert np.array_equal(y[idx], ys[:10])


def test_stratified_subset_exact_size_with_rounding(toy):
    x, y = toy
    for n in (1, 7, 101, 299):
        assert len(data.stratified_subset(x, y, n)[0]) == n


def test_subset_none_or_too_large_returns_everything_shuffled(toy):
    x, y = toy
    for n in (None, 10_000):
        xs, ys = data.stratified_subset(x, y, n)
        assert len(xs) == 300 and np.bincount(ys).tolist() == [150, 100, 50]
        assert not np.array_equal(ys, y)


def test_bad_input_is_rejected(toy):
    x, y = toy
    with pytest.raises(ValueError, match=r"y must have shape \(300,\)"):
        data.stratified_subset(x, y[:-1], 10)
    with pytest.raises(ValueError, match="positive integer"):
        data.stratified_subset(x, y, 0)
    with pytest.raises(ValueError, match=r"\(N, H, W\)"):
        data.stratified_subset(x.reshape(300, -1), y, 10)
    with pytest.raises(ValueError, match="val_fraction"):
        data.train_val_split(x, y, 1.5)


def test_train_val_split_is_disjoint_and_complete(toy):
    x, y = toy
    (xt, yt), (xv, yv) = data.train_val_split(x, y, 0.2, seed=3)
    assert (len(xt), len(xv)) == (240, 60)
    flat = {im.tobytes() for im in x}
    assert {im.tobytes() for im in xt} | {im.tobytes() for im in xv} == flat
    assert not ({im.tobytes() for im in xt} & {im.tobytes() for im in xv})


def test_pipeline_scales_adds_channel_resizes_per_batch(toy):
    x, y = toy
    ds = data.make_dataset(x, y, batch_size=32, image_size=64, rgb=True)
    xb, yb = next(iter(ds))
    assert tuple(xb.shape) == (32, 64, 64, 3) and xb.dtype.name == "float32"
    assert 0.0 <= float(xb.numpy().min()) and float(xb.numpy().max()) <= 1.0
    assert np.array_equal(yb.numpy(), y[:32])
    # the R, G and B planes of a grey image are identical
    assert np.array_equal(xb.numpy()[..., 0], xb.numpy()[..., 2])
    sizes = [int(b[0].shape[0]) for b in ds]
    assert sum(sizes) == 300 and sizes[-1] == 300 % 32


def test_pipeline_without_resize_keeps_pixels(toy):
    x, y = toy
    xb, _ = next(iter(data.make_dataset(x, y, batch_size=4)))
    assert tuple(xb.shape) == (4, 28, 28, 1)
    assert np.allclose(xb.numpy()[..., 0], x[:4] / 255.0)


def test_pipeline_shuffles_examples_not_batches(toy):
    x, y = toy
    ds = data.make_dataset(x, y, batch_size=50, shuffle=True, seed=0)
    first = next(iter(ds))[1].numpy()
    # a batch drawn from shuffled examples mixes classes; the unshuffled first batch is all class 0
    assert len(np.unique(first)) > 1
    epoch1 = np.concatenate([b[1].numpy() for b in ds])
    epoch2 = np.concatenate([b[1].numpy() for b in ds])
    assert sorted(epoch1) == sorted(y) and not np.array_equal(epoch1, epoch2)


def test_pipeline_images_only_and_errors(toy):
    x, _ = toy
    xb = next(iter(data.make_dataset(x, batch_size=8)))
    assert tuple(xb.shape) == (8, 28, 28, 1)
    with pytest.raises(ValueError, match="batch_size"):
        data.make_dataset(x, batch_size=0)
    with pytest.raises(ValueError, match="image_size"):
        data.make_dataset(x, image_size=-3)


def test_upfront_resize_arithmetic():
    # 60,000 MNIST images at 224×224, one float32 channel: about 12 GB
    assert data.upfront_resize_bytes(60_000, 224) == 60_000 * 224 * 224 * 4
    assert round(data.upfront_resize_bytes(60_000, 224) / 1e9, 1) == 12.0
