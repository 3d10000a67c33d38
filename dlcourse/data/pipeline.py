"""Input pipelines: seeded subsets and splits (numpy) and ``tf.data`` datasets.

Images are kept as uint8 until a batch is drawn; scaling, the channel axis,
grey→RGB and resizing happen per batch. Resizing 60,000 MNIST images to
224×224×3 float32 up front would need about 36 GB; per batch it needs a few MB.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from dlcourse._tf import tf


def _check_xy(x: np.ndarray, y: np.ndarray | None) -> None:
    if not isinstance(x, np.ndarray) or x.ndim not in (3, 4):
        raise ValueError(
            f"x must be a numpy array of shape (N, H, W) or (N, H, W, C), got "
            f"{getattr(x, 'shape', type(x).__name__)}"
        )
    if y is not None and (np.ndim(y) != 1 or len(y) != len(x)):
        raise ValueError(f"y must have shape ({len(x)},), got {np.shape(y)}")


def shuffled(x: np.ndarray, y: np.ndarray, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Return copies of ``x`` and ``y`` in the same seeded random order."""
    _check_xy(x, y)
    order = np.random.default_rng(seed).permutation(len(x))
    return x[order], y[order]


def stratified_subset(x: np.ndarray, y: np.ndarray, n: int | None, seed: int = 0
                      ) -> tuple[np.ndarray, np.ndarray]:
    """A seeded random subset of ``n`` examples with the class proportions of ``y``.

    ``n=None`` (or ``n >= len(x)``) returns the whole set, shuffled.
    """
    _check_xy(x, y)
    if n is None or n >= len(x):
        return shuffled(x, y, seed)
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer or None, got {n!r}")
    rng = np.random.default_rng(seed)
    classes, counts = np.unique(y, return_counts=True)
    # Largest-remainder allocation: per-class shares that add up to exactly n.
    exact = counts * n / len(y)
    take = np.floor(exact).astype(int)
    for i in np.argsort(-(exact - take))[: n - take.sum()]:
        take[i] += 1
    picked = [rng.choice(np.flatnonzero(y == c), size=k, replace=False)
              for c, k in zip(classes, take)]
    order = rng.permutation(np.concatenate(picked))
    return x[order], y[order]


def train_val_split(x: np.ndarray, y: np.ndarray, val_fraction: float = 0.2, seed: int = 0
                    ) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Shuffle (seeded) and split into ``(x_train, y_train), (x_val, y_val)``."""
    if not 0.0 < val_fraction < 1.0:
        raise ValueError(f"val_fraction must be between 0 and 1, got {val_fraction}")
    xs, ys = shuffled(x, y, seed)
    n_val = int(round(len(xs) * val_fraction))
    return (xs[n_val:], ys[n_val:]), (xs[:n_val], ys[:n_val])


def preprocess(images: np.ndarray | tf.Tensor, image_size: int | None = None,
               rgb: bool = False) -> tf.Tensor:
    """Scale a uint8 batch to float32 in [0, 1], add a channel axis, resize, grey→RGB."""
    from dlcourse._tf import tf  # here, not at the top: the numpy loaders import without TensorFlow

    x = tf.cast(images, tf.float32) / 255.0
    if x.shape.rank == 3:
        x = x[..., tf.newaxis]
    if image_size is not None:
        x = tf.image.resize(x, (image_size, image_size))
    if rgb:
        x = tf.image.grayscale_to_rgb(x)
    return x


def make_dataset(x: np.ndarray, y: np.ndarray | None = None, *, batch_size: int = 32,
                 shuffle: bool = False, seed: int = 0, image_size: int | None = None,
                 rgb: bool = False, repeat: bool = False) -> tf.data.Dataset:
    """A batched, prefetched ``tf.data.Dataset`` of ``(images, labels)`` (or images).

    ``x``: uint8 (N, H, W) or (N, H, W, C). Examples (not batches) are shuffled
    with ``seed``, reshuffled every epoch; each batch is scaled to [0, 1],
    given a channel axis, resized to ``image_size`` and made RGB if asked, so
    memory holds only the few resized batches being prepared or prefetched,
    never the resized dataset.
    """
    from dlcourse._tf import tf  # here, not at the top: the numpy loaders import without TensorFlow

    _check_xy(x, y)
    if not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    if image_size is not None and (not isinstance(image_size, int) or image_size < 1):
        raise ValueError(f"image_size must be a positive integer or None, got {image_size!r}")
    ds = tf.data.Dataset.from_tensor_slices(x if y is None else (x, y))
    if shuffle:
        ds = ds.shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    if repeat:
        ds = ds.repeat()
    ds = ds.batch(batch_size)
    if y is None:
        ds = ds.map(lambda im: preprocess(im, image_size, rgb), num_parallel_calls=tf.data.AUTOTUNE)
    else:
        ds = ds.map(lambda im, lab: (preprocess(im, image_size, rgb), lab),
                    num_parallel_calls=tf.data.AUTOTUNE)
    return ds.prefetch(tf.data.AUTOTUNE)


def upfront_resize_bytes(n: int, side: int, channels: int = 1, dtype_bytes: int = 4) -> int:
    """Bytes needed to hold ``n`` images resized to ``side``×``side``×``channels`` at once."""
    return int(n) * side * side * channels * dtype_bytes
