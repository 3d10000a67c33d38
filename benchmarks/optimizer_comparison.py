"""Wall time of lesson 02's optimizer comparison on full Fashion-MNIST.

Trains the lesson's MLP (784 → 128 sigmoid → 10 softmax, same initial weights)
once per optimizer, with the lesson's learning rates, and prints seconds per
run, seconds per epoch and test accuracy.

    python benchmarks/optimizer_comparison.py [--epochs 10] [--batch-size 64] [--train N]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def optimizers():
    """The lesson's seven optimizers: name → (learning rate, factory)."""
    import keras

    return {
        "SGD": (0.1, lambda: keras.optimizers.SGD(0.1)),
        "Momentum": (0.01, lambda: keras.optimizers.SGD(0.01, momentum=0.9)),
        "Nesterov": (0.01, lambda: keras.optimizers.SGD(0.01, momentum=0.9, nesterov=True)),
        "AdaGrad": (0.01, lambda: keras.optimizers.Adagrad(0.01)),
        "RMSProp": (0.001, lambda: keras.optimizers.RMSprop(0.001)),
        "Adam": (0.001, lambda: keras.optimizers.Adam(0.001)),
        "AdamW": (0.001, lambda: keras.optimizers.AdamW(0.001, weight_decay=0.004)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--train", type=int, default=None, help="training images (default: all 60,000)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    import dlcourse
    from dlcourse import data
    from dlcourse._env import device_description
    from dlcourse.models import build_mlp

    (x_all, y_all), (x_test, y_test) = data.load_fashion_mnist()
    x_sub, y_sub = data.stratified_subset(x_all, y_all, args.train, seed=args.seed)
    (x_train, y_train), (x_val, y_val) = data.train_val_split(x_sub, y_sub, 0.1, seed=args.seed)
    x_train, x_val, x_test = (a.astype("float32") / 255.0 for a in (x_train, x_val, x_test))
    print(f"device: {device_description()} · {os.cpu_count()} CPU threads · {platform.processor() or platform.machine()}")
    print(f"dlcourse {dlcourse.__version__}; train {len(x_train):,} · val {len(x_val):,} · test {len(x_test):,}; "
          f"{args.epochs} epochs, batch {args.batch_size}")
    try:
        print(f"load average at start: {os.getloadavg()[0]:.1f}")
    except OSError:
        pass
    print(f"{'optimizer':10s} {'lr':>6s} {'seconds':>8s} {'s/epoch':>8s} {'test acc':>9s}")
    total = 0.0
    for name, (lr, make) in optimizers().items():
        model = build_mlp((128,), activation="sigmoid", seed=args.seed)
        model.compile(optimizer=make(), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        start = time.perf_counter()
        model.fit(x_train, y_train, epochs=args.epochs, batch_size=args.batch_size,
                  validation_data=(x_val, y_val), verbose=0)
        seconds = time.perf_counter() - start
        total += seconds
        acc = model.evaluate(x_test, y_test, verbose=0)[1]
        print(f"{name:10s} {lr:6g} {seconds:8.1f} {seconds / args.epochs:8.2f} {acc:9.4f}", flush=True)
    print(f"total training wall time: {total:.1f} s for {len(optimizers())} optimizers")


if __name__ == "__main__":
    main()
