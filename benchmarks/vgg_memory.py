"""Peak memory and speed of training at 224 px with the per-batch resize pipeline.

    PYTHONPATH=. python benchmarks/vgg_memory.py [--batches 20] [--batch-size 64] [--side 224]
                                                  [--width 0.0625] [--config A]

Trains a (small-width) VGG for a few batches on the full Fashion-MNIST training set,
resized per batch by ``dlcourse.data.make_dataset``, and prints the process's peak
resident memory (``ru_maxrss``), Python-level allocations (``tracemalloc``) and
images/second, next to what resizing the whole training set up front would need.
The issue's limit: peak memory ≤ 3 GB at full data and 224 px.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

LIMIT_GB = 3.0


def peak_rss_gb() -> float:
    """Peak resident set size of this process so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--batches", type=int, default=20, help="training batches to time (after one warm-up batch)")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--side", type=int, default=224, help="image side after the per-batch resize")
    ap.add_argument("--width", type=float, default=0.0625, help="VGG width multiplier (1.0 = paper)")
    ap.add_argument("--config", default="A", choices=["A", "B", "D", "E"])
    args = ap.parse_args(argv)

    import dlcourse
    from dlcourse import data
    from dlcourse.models import vgg

    import keras

    start_gb = peak_rss_gb()
    (x, y), _ = data.load_fashion_mnist()
    loaded_gb = peak_rss_gb()
    dlcourse.set_seed(0)
    model = vgg(args.config, input_shape=(args.side, args.side, 1), classes=10, width=args.width,
                batch_norm=True, dense_units=512, kernel_initializer="he_normal")
    model.compile(keras.optimizers.Adam(1e-3), "sparse_categorical_crossentropy", metrics=["accuracy"])
    ds = data.make_dataset(x, y, batch_size=args.batch_size, shuffle=True, image_size=args.side,
                           repeat=True)
    # One warm-up batch: builds the graph, so the timing below is steady-state training.
    model.fit(ds, steps_per_epoch=1, epochs=1, verbose=0, shuffle=False)
    tracemalloc.start()
    t0 = time.perf_counter()
    model.fit(ds, steps_per_epoch=args.batches, epochs=1, verbose=0, shuffle=False)
    seconds = time.perf_counter() - t0
    _, py_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    peak_gb = peak_rss_gb()

    n = args.batches * args.batch_size
    upfront = data.upfront_resize_bytes(len(x), args.side, 1) / 1e9
    upfront3 = data.upfront_resize_bytes(len(x), args.side, 3) / 1e9
    from dlcourse._env import device_description

    print(f"device: {device_description()}; "
          f"model: VGG config {args.config} ×{args.width} with BN, {model.count_params():,} parameters")
    print(f"training set in memory: {x.shape} {x.dtype} = {x.nbytes / 1e9:.3f} GB (uint8, never resized)")
    print(f"peak RSS before loading data: {start_gb:.2f} GB; after loading: {loaded_gb:.2f} GB")
    print(f"peak RSS while training {n:,} images at {args.side}×{args.side} per batch: {peak_gb:.2f} GB "
          f"(limit {LIMIT_GB:.0f} GB: {'OK' if peak_gb <= LIMIT_GB else 'EXCEEDED'})")
    print(f"Python-level allocations during training (tracemalloc peak): {py_peak / 1e6:.1f} MB")
    print(f"one resized batch: {args.batch_size * args.side ** 2 * 4 / 1e6:.1f} MB float32")
    print(f"up-front resize of all {len(x):,} images would need {upfront:.2f} GB (1 channel) / "
          f"{upfront3:.2f} GB (3 channels) for the images alone")
    print(f"speed: {n / seconds:,.1f} images/s ({seconds:.1f} s for {args.batches} batches)")
    return 0 if peak_gb <= LIMIT_GB else 1


if __name__ == "__main__":
    raise SystemExit(main())
