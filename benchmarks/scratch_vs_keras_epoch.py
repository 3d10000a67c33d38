"""Time one epoch of the numpy scratch net vs the same Keras model on full Fashion-MNIST.

    PYTHONPATH=. python benchmarks/scratch_vs_keras_epoch.py [--epochs 2] [--hidden 100] [--batch 100]

Both train 784 → hidden (ReLU) → 10 with plain SGD (learning rate 0.1) over
the 60,000 training images. Each runs ``--epochs`` epochs; the last epoch's
time is reported (Keras' first epoch includes tracing its graph). Goal: the
numpy net within 2× of Keras' time per epoch.

numpy's BLAS threads spin badly on a busy shared machine; set
OPENBLAS_NUM_THREADS=1 there (the script prints what it found).
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np


def time_scratch(x, y, hidden: int, batch: int, epochs: int, dtype) -> tuple[list[float], float]:
    """Seconds per epoch of the scratch net, and its test-set-free training accuracy."""
    from dlcourse.scratch.net import MultiLayerNet, sgd_epoch

    net = MultiLayerNet(x.shape[1], [hidden], 10, activation="relu", seed=0, dtype=dtype)
    rng = np.random.default_rng(0)
    xs = x.astype(dtype)
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        sgd_epoch(net, xs, y, learning_rate=0.1, batch_size=batch, rng=rng)
        times.append(time.perf_counter() - start)
    return times, net.accuracy(xs, y)


def time_keras(x, y, hidden: int, batch: int, epochs: int) -> tuple[list[float], float]:
    """Seconds per epoch of the same model in Keras (float32, SGD, no momentum)."""
    import keras

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((x.shape[1],)), keras.layers.Dense(hidden, activation="relu"),
                              keras.layers.Dense(10)])
    model.compile(optimizer=keras.optimizers.SGD(0.1),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])

    class EpochTimer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            times.append(time.perf_counter() - self.start)

    times: list[float] = []
    hist = model.fit(x.astype("float32"), y, batch_size=batch, epochs=epochs, shuffle=True, verbose=0,
                     callbacks=[EpochTimer()])
    return times, float(hist.history["accuracy"][-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--hidden", type=int, default=100)
    ap.add_argument("--batch", type=int, default=100)
    args = ap.parse_args()

    import dlcourse
    from dlcourse import data

    (x_train, y_train), _ = data.load_fashion_mnist()
    x = x_train.reshape(len(x_train), -1) / 255.0
    print(f"Fashion-MNIST train {x.shape}, 784 → {args.hidden} (ReLU) → 10, SGD lr 0.1, "
          f"batch {args.batch}, {args.epochs} epochs each; last epoch timed")
    print(f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', '(unset)')}, "
          f"CPUs visible: {os.cpu_count()}, load average {os.getloadavg()[0]:.1f}")
    print(f"dlcourse {dlcourse.__version__}, numpy {np.__version__}")

    rows = []
    for name, dtype in [("scratch numpy float64", np.float64), ("scratch numpy float32", np.float32)]:
        times, acc = time_scratch(x, y_train, args.hidden, args.batch, args.epochs, dtype)
        rows.append((name, times, acc))
    times, acc = time_keras(x, y_train, args.hidden, args.batch, args.epochs)
    rows.append(("Keras float32 (model.fit)", times, acc))

    keras_time = rows[-1][1][-1]
    print(f"\n{'model':28s} {'epoch times (s)':>22s} {'train acc':>9s} {'÷ Keras':>8s}")
    for name, ts, acc in rows:
        print(f"{name:28s} {' '.join(f'{t:6.2f}' for t in ts):>22s} {acc:9.3f} {ts[-1] / keras_time:8.2f}")
    ratio = rows[0][1][-1] / keras_time
    print(f"\nscratch (float64) / Keras time per epoch: {ratio:.2f}× "
          f"({'within' if ratio <= 2 else 'NOT within'} the 2× goal)")


if __name__ == "__main__":
    main()
