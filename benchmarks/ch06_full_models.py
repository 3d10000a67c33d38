"""Chapter 6: speed and peak memory of the three models of its gpu (paper-scale) profile.

    PYTHONPATH=. python benchmarks/ch06_full_models.py [--batches 5] [--epochs 15]
                                                        [MODEL ...]

MODEL is any of ``alexnet``, ``vgg16``, ``small_cnn`` (default: all three). Each model
is built exactly as lesson 06 builds it in the gpu profile (adapted AlexNet at 227 px
with the paper's 11×11/4 stem, VGG-16 with batch norm and He init at 32 px, the small
CNN of chapter 5; width 1.0, 10 classes, Adam 1e-3, batch 128) and trained for
``--batches`` batches of the full Fashion-MNIST training set, streamed through
``dlcourse.data.make_dataset`` with the per-batch resize, after one warm-up batch that
pays for graph tracing, then validated on two batches of 256 as the lesson validates.
Each model runs in its own process, so the peak resident memory (``ru_maxrss``)
printed is that model's alone. Printed: images/second, the time one
epoch of 54,000 images and the lesson's ``--epochs`` would take at that speed
(extrapolated, no validation pass), and the peak memory against the 3 GB limit.

On a GPU this is the images/second figure the issue asks for; on a CPU it shows how far
the gpu profile is from fitting there.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LIMIT_GB = 3.0
BATCH = 128  # lesson 06: BATCH_SIZE
EVAL_BATCH = 256  # lesson 06: the validation and test batches
TRAIN_IMAGES = 54_000  # 90 % of Fashion-MNIST's 60,000, as in the lesson's gpu profile
MODELS = ("alexnet", "vgg16", "small_cnn")


def build(name: str):
    """(model, image side) as lesson 06 builds them in the gpu profile."""
    from dlcourse.models import alexnet, small_cnn, vgg

    if name == "alexnet":
        return alexnet(input_shape=(227, 227, 1), classes=10, width=1.0, stem_kernel=11, stem_stride=4), 227
    if name == "vgg16":
        return vgg("D", input_shape=(32, 32, 1), classes=10, width=1.0, batch_norm=True, dense_units=512,
                   kernel_initializer="he_normal"), 32
    if name == "small_cnn":
        return small_cnn(filters=32), None
    raise ValueError(f"unknown model {name!r}: choose from {', '.join(MODELS)}")


def measure(name: str, batches: int, batch_size: int = BATCH) -> dict:
    """Train one model for `batches` batches after a warm-up one; return its figures."""
    import dlcourse
    from dlcourse import data
    from dlcourse._env import device_description

    import keras

    (x, y), _ = data.load_fashion_mnist()
    dlcourse.set_seed(0)
    model, side = build(name)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.optimizer.build(model.trainable_variables)  # its state counts in "built" memory
    ds = data.make_dataset(x, y, batch_size=batch_size, shuffle=True, seed=0, image_size=side, repeat=True)
    built_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6

    class BatchClock(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            ends.append(time.perf_counter())

    # One `fit` with a validation pass, as in the lesson (images/s counts training batches
    # only); the first batch pays for graph tracing and is timed apart.
    val = data.make_dataset(x[:2 * EVAL_BATCH], y[:2 * EVAL_BATCH], batch_size=EVAL_BATCH, image_size=side)
    ends: list[float] = []
    t0 = time.perf_counter()
    model.fit(ds, steps_per_epoch=batches + 1, epochs=1, verbose=0, shuffle=False, callbacks=[BatchClock()],
              validation_data=val)
    warmup, seconds = ends[0] - t0, ends[-1] - ends[0]
    return {"model": name, "params": model.count_params(), "side": side or 28, "device": device_description(),
            "warmup_s": warmup, "images_per_s": batches * batch_size / seconds, "built_gb": built_gb,
            "peak_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("models", nargs="*", default=list(MODELS), help=f"any of {', '.join(MODELS)}")
    ap.add_argument("--batches", type=int, default=5, help="training batches timed per model, after one warm-up")
    ap.add_argument("--batch-size", type=int, default=BATCH, help="images per batch (the lesson: 128)")
    ap.add_argument("--epochs", type=int, default=15, help="epochs of the full run, for the time estimate")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if min(args.batches, args.epochs, args.batch_size) < 1:
        ap.error("--batches, --batch-size and --epochs must be at least 1")
    for name in args.models:
        if name not in MODELS:
            ap.error(f"unknown model {name!r}: choose from {', '.join(MODELS)}")
    if args.child:
        print(json.dumps(measure(args.models[0], args.batches, args.batch_size)))
        return 0

    print(f"batch {args.batch_size}, {args.batches} timed batches per model after one warm-up; "
          f"epoch = {TRAIN_IMAGES:,} images; load average {os.getloadavg()[0]:.1f}")
    print("| model | parameters | input | device | warm-up batch (s) | images/s | one epoch | "
          f"{args.epochs} epochs | memory when built (GB) | peak memory (GB) |")
    print("| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    worst = 0.0
    for name in args.models:
        out = subprocess.run([sys.executable, __file__, name, "--child", "--batches", str(args.batches),
                              "--batch-size", str(args.batch_size)],
                             capture_output=True, text=True, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"})
        if out.returncode:
            print(out.stderr[-2000:], file=sys.stderr)
            return out.returncode
        r = json.loads(out.stdout.strip().splitlines()[-1])
        epoch_s = TRAIN_IMAGES / r["images_per_s"]
        worst = max(worst, r["peak_gb"])
        print(f"| {name} | {r['params']:,d} | {r['side']} px | {r['device']} | {r['warmup_s']:.1f} | "
              f"{r['images_per_s']:,.1f} | {epoch_s / 60:,.1f} min | {args.epochs * epoch_s / 3600:,.1f} h | "
              f"{r['built_gb']:.2f} | {r['peak_gb']:.2f} |")
    print(f"largest peak memory {worst:.2f} GB (limit {LIMIT_GB:.0f} GB: {'OK' if worst <= LIMIT_GB else 'EXCEEDED'})")
    return 0 if worst <= LIMIT_GB else 1


if __name__ == "__main__":
    raise SystemExit(main())
