"""Lesson 06's collapse experiment and its fixes at full-profile settings, without the probes.

    PYTHONPATH=. python benchmarks/collapse_fixes.py [RUN ...] [--epochs 5] [--width 0.5]
                                                      [--train N] [--config D]

Trains the lesson's narrow VGG (configuration D at half width, no dropout, 32×32 grey
MNIST, batch 32, 5 epochs: the full profile's settings) once per recipe and prints the
loss per epoch, test accuracy, the share of the most frequent answer and whether the
divergence detector fired. Without a GPU this is how the full profile's claims about
the fixes (each trains; the broken run and SGD without clipping collapse) were checked.
Runs: broken, lower, glorot, batch_norm, warmup, sgd_no_clip, clipping, and adam_clip
(not in the lesson: clipping with Adam, which the lesson explains does little)
(default: all).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def recipes(steps_per_epoch: int) -> dict:
    """name → (VGG keyword arguments, optimizer factory): the lesson's fixes table plus adam_clip."""
    import keras

    warmup = keras.optimizers.schedules.CosineDecay(0.0, decay_steps=1, alpha=1.0, warmup_target=3e-3,
                                                     warmup_steps=steps_per_epoch)
    he = {"kernel_initializer": "he_normal"}
    return {
        "broken": ({}, lambda: keras.optimizers.Adam(3e-2)),
        "lower": (he, lambda: keras.optimizers.Adam(1e-3)),
        "glorot": ({}, lambda: keras.optimizers.Adam(1e-3)),
        "batch_norm": ({**he, "batch_norm": True}, lambda: keras.optimizers.Adam(3e-3)),
        "warmup": (he, lambda: keras.optimizers.Adam(warmup)),
        "sgd_no_clip": (he, lambda: keras.optimizers.SGD(0.05, momentum=0.9)),
        "clipping": (he, lambda: keras.optimizers.SGD(0.05, momentum=0.9, global_clipnorm=1.0)),
        "adam_clip": (he, lambda: keras.optimizers.Adam(3e-3, clipnorm=1.0)),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("runs", nargs="*")
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--width", type=float, default=0.5, help="VGG width multiplier (lesson: 0.5 full, 0.125 smoke)")
    ap.add_argument("--train", type=int, default=None, help="training images (default: all of MNIST that is available)")
    ap.add_argument("--config", default="D", choices=["A", "B", "D", "E"])
    ap.add_argument("--batch-size", type=int, default=32)
    args = ap.parse_args(argv)

    import numpy as np

    import dlcourse
    from dlcourse import data
    from dlcourse import diagnostics as dg
    from dlcourse._env import device_description
    from dlcourse.models import vgg

    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    x_train, y_train = data.stratified_subset(x_train, y_train, args.train, seed=0)
    x_eval = data.preprocess(x_test, 32).numpy()
    steps = int(np.ceil(len(x_train) / args.batch_size))
    table = recipes(steps)
    runs = args.runs or list(table)
    unknown = [r for r in runs if r not in table]
    if unknown:
        ap.error(f"unknown run(s) {unknown}; choose from {', '.join(table)}")
    print(f"device: {device_description()} · VGG {args.config} width {args.width} · train {len(x_train):,} · "
          f"test {len(x_test):,} · {args.epochs} epochs of {steps} steps")
    for name in runs:
        kwargs, optimizer = table[name]
        dlcourse.set_seed(0)
        model = vgg(args.config, input_shape=(32, 32, 1), classes=10, width=args.width, dense_units=512,
                    dropout=0.0, seed=0, **kwargs)
        model.compile(optimizer=optimizer(), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        detector = dg.DivergenceDetector(stop=False, verbose=False)
        train = data.make_dataset(x_train, y_train, batch_size=args.batch_size, shuffle=True, seed=0,
                                  image_size=32)
        start = time.perf_counter()
        history = model.fit(train, epochs=args.epochs, shuffle=False, verbose=0, callbacks=[detector])
        report = dg.one_class_check(model.predict(x_eval, verbose=0), y_test)
        losses = " ".join(f"{v:.3g}" for v in history.history["loss"])
        print(f"{name:12s} loss per epoch [{losses}] · test accuracy {report.accuracy:.4f} · most frequent "
              f"answer {report.dominant_share:.0%} · {'DIVERGED' if detector.diverged else 'no divergence'} · "
              f"{time.perf_counter() - start:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
