"""Chapter 5 benchmark: CNN training speed and scratch convolution vs Keras.

    PYTHONPATH=. python benchmarks/cnn_speed.py [--batches 20] [--repeats 5]

1. Time per training epoch of ``mnist_cnn`` (the lab report's CNN, batch 32, 48,000
   training images = full MNIST minus the 20 % validation split) and ``small_cnn``
   (batch 128, 54,000 Fashion-MNIST images = 90 % of the training set). A full epoch
   on a CPU takes minutes, so the script times ``--batches`` training steps after
   one warm-up step (which pays for graph tracing) and extrapolates linearly:
   epoch time = time per step × steps per epoch. Validation passes are not included.
2. Forward pass of the numpy ``dlcourse.scratch.conv.Conv2D`` against Keras'
   ``Conv2D`` with the same weights, on the lab CNN's most expensive layer
   (64 → 64 channels, 3×3, 'same', 28×28) and on its first layer, batch 32. Keras is
   timed in float32 (what training uses) and float64 (what the scratch code uses).
   Median of ``--repeats`` runs after one warm-up.

Timings depend on the machine and on whatever else runs on it: on a shared CPU, say so
when you quote them.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np


def _median_time(fn, repeats: int) -> float:
    fn()  # warm-up: graph tracing, allocation, caches
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def epoch_time(name: str, build, batch_size: int, train_images: int, batches: int) -> dict:
    """Seconds per training step (measured) and per epoch (extrapolated) for one model."""
    import keras
    import tensorflow as tf

    model = build()
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    rng = np.random.default_rng(0)
    x = rng.random((batch_size * (batches + 1), 28, 28, 1), dtype=np.float32)
    y = rng.integers(0, 10, len(x))
    ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(batch_size).cache()
    model.fit(ds.take(1), epochs=1, shuffle=False, verbose=0)  # warm-up: traces the graph
    t0 = time.perf_counter()
    model.fit(ds.skip(1), epochs=1, shuffle=False, verbose=0)
    per_step = (time.perf_counter() - t0) / batches
    steps = int(np.ceil(train_images / batch_size))
    return {"model": name, "params": model.count_params(), "batch": batch_size,
            "step_ms": per_step * 1e3, "steps": steps, "epoch_s": per_step * steps}


def conv_forward(c_in: int, c_out: int, batch: int, side: int, repeats: int) -> dict:
    """Median forward time of scratch Conv2D vs Keras Conv2D (same weights)."""
    import keras

    from dlcourse.scratch.conv import Conv2D

    rng = np.random.default_rng(1)
    x64 = rng.normal(size=(batch, side, side, c_in))
    x32 = x64.astype(np.float32)
    k32 = keras.layers.Conv2D(c_out, 3, padding="same")
    k32.build((None, side, side, c_in))
    k64 = keras.layers.Conv2D(c_out, 3, padding="same", dtype="float64")
    k64.build((None, side, side, c_in))
    k64.set_weights([w.astype(np.float64) for w in k32.get_weights()])
    ours = Conv2D(*k64.get_weights(), padding="same")
    assert np.allclose(ours.forward(x64), k64(x64).numpy(), atol=1e-10)
    t_ours = _median_time(lambda: ours.forward(x64), repeats)
    t_k32 = _median_time(lambda: k32(x32).numpy(), repeats)
    t_k64 = _median_time(lambda: k64(x64).numpy(), repeats)
    return {"layer": f"{side}×{side}×{c_in} → {c_out}, 3×3 same, batch {batch}",
            "ours_ms": t_ours * 1e3, "keras32_ms": t_k32 * 1e3, "keras64_ms": t_k64 * 1e3}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batches", type=int, default=20, help="training steps timed per model")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per convolution")
    args = parser.parse_args()

    import dlcourse
    from dlcourse._env import device_description
    from dlcourse.models import mnist_cnn, small_cnn

    print(f"device: {device_description()}; CPU cores visible: {os.cpu_count()}; "
          f"load average: {os.getloadavg()[0]:.1f} (anything above 0 slows these numbers)")
    print(f"dlcourse {dlcourse.__version__}\n")

    print(f"Training speed ({args.batches} steps timed after one warm-up step; "
          "epoch = time per step × steps, extrapolated, no validation pass)")
    print("| model | parameters | batch | ms / step | steps / epoch | s / epoch (extrapolated) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for row in (epoch_time("mnist_cnn (lab report)", lambda: mnist_cnn(seed=0), 32, 48_000, args.batches),
                epoch_time("small_cnn", lambda: small_cnn(seed=0), 128, 54_000, args.batches)):
        print(f"| {row['model']} | {row['params']:,d} | {row['batch']} | {row['step_ms']:.1f} | "
              f"{row['steps']:,d} | {row['epoch_s']:.0f} |")

    print(f"\nConvolution forward pass (median of {args.repeats} after a warm-up)")
    print("| layer | scratch numpy (float64) ms | Keras float32 ms | Keras float64 ms | "
          "scratch / Keras32 | scratch / Keras64 |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for c_in, c_out in ((1, 64), (64, 64)):
        r = conv_forward(c_in, c_out, 32, 28, args.repeats)
        print(f"| {r['layer']} | {r['ours_ms']:.1f} | {r['keras32_ms']:.1f} | {r['keras64_ms']:.1f} | "
              f"{r['ours_ms'] / r['keras32_ms']:.1f}× | {r['ours_ms'] / r['keras64_ms']:.1f}× |")


if __name__ == "__main__":
    main()
