"""Training speed on this CPU of the Keras models the lessons train, at the full profile's sizes.

    python benchmarks/cpu_training_speed.py [--steps N]

What sized the full profile for a 2-core CPU: images per second of one `fit` over
random images of each model's input size (after one warm-up `fit`, so graph
tracing is not counted), at the batch size the lesson uses. The numbers do not
depend on the data, only on the model, the input size and the batch.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def cases() -> list[tuple[str, object, int, int]]:
    """(name, builder, image side, batch) for every model a full-profile lesson trains with a CNN."""
    from dlcourse.models import alexnet, mnist_cnn, small_cnn, vgg

    return [
        ("lab CNN (ch. 2, 5), batch 32", lambda: mnist_cnn(), 28, 32),
        ("small CNN (ch. 5, 6), width 32, batch 128", lambda: small_cnn(width=32), 28, 128),
        ("AlexNet 67 px, 11×11/4 stem, width 0.25 (ch. 6)",
         lambda: alexnet(input_shape=(67, 67, 1), classes=10, width=0.25), 67, 128),
        ("VGG-16 32 px, BN, width 0.25 (ch. 6)",
         lambda: vgg("D", input_shape=(32, 32, 1), classes=10, width=0.25, batch_norm=True,
                     dense_units=512, kernel_initializer="he_normal"), 32, 128),
        ("collapse VGG-16 32 px, no BN, width 0.5 (ch. 6), batch 32",
         lambda: vgg("D", input_shape=(32, 32, 1), classes=10, width=0.5, dense_units=512, dropout=0.0), 32, 32),
    ]


def images_per_second(build, side: int, batch: int, steps: int) -> tuple[int, float]:
    import keras
    import numpy as np

    model = build()
    model.compile(keras.optimizers.Adam(1e-3), "sparse_categorical_crossentropy", metrics=["accuracy"])
    rng = np.random.default_rng(0)
    x = rng.random((batch * steps, side, side, 1), dtype=np.float32)
    y = rng.integers(0, 10, batch * steps)
    model.fit(x[:2 * batch], y[:2 * batch], batch_size=batch, epochs=1, verbose=0)
    start = time.perf_counter()
    model.fit(x, y, batch_size=batch, epochs=1, verbose=0)
    return model.count_params(), batch * steps / (time.perf_counter() - start)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps", type=int, default=12, help="timed training steps per model (default 12)")
    args = ap.parse_args(argv)
    if args.steps < 1:
        ap.error(f"--steps must be at least 1, got {args.steps}")
    import dlcourse

    dlcourse.profile("full", announce=False)
    print("| model | parameters | images/s |\n| --- | ---: | ---: |")
    for name, build, side, batch in cases():
        params, speed = images_per_second(build, side, batch, args.steps)
        print(f"| {name} | {params:,} | {speed:,.0f} |", flush=True)


if __name__ == "__main__":
    main()
