"""The search for the lab report's collapse: healthy epochs, then a blow-up to one class.

    PYTHONPATH=. python benchmarks/ch06_collapse_search.py WIDTH SIDE LR EPSILON EPOCHS IMAGES BATCH [INPUT_SCALE]
    PYTHONPATH=. python benchmarks/ch06_collapse_search.py summarize DATE LOG.jsonl [...] > dlcourse/results/ch06_collapse_search.json

Every epoch line of the runs so far is in ``benchmarks/ch06_collapse_search_epochs.jsonl``;
lesson 06 reads the summary, one row per run, from ``dlcourse/results``.

Trains a plain VGG-16 (no batch norm, no dropout, Keras' default Glorot initialisation,
dense layers of 512) with Adam at ``LR`` and ``EPSILON`` on the first ``IMAGES`` MNIST
training images resized to ``SIDE`` px, in batches of ``BATCH``, for ``EPOCHS`` epochs.
``INPUT_SCALE`` multiplies the [0, 1] pixels (255: raw pixel values, as a lab script that
forgets to scale would feed them). After every epoch it prints one JSON line: the
epoch's mean training loss and accuracy, the test accuracy, and the share of the most
frequent prediction (1.0 = collapsed to one class).

What session 5 found (2-core CPU, the 5,000-image offline MNIST sample, 4,000 for
training, 32 px, batch 32: 125 steps an epoch):

- scaled pixels, width 0.5, lr 1e-3: never trains; loss 2.303 and one class for all
  40 epochs (5,000 steps);
- raw pixels (×255), width 0.5, lr 1e-3: trains (test 0.96 by epoch 9, like the report's
  0.965–0.98) with loss bumps, no collapse in 30 epochs;
- raw pixels, width 0.25, lr 1e-3: test 0.98, no collapse in 40 epochs; lr 2e-3: 0.96,
  bumpier, no collapse in 25 epochs; lr 3e-3: never trains.

Session 6 added: 1,000 images for 100 epochs (memorised, training loss 1e-6, no
collapse); lr 1.5e-3 for 60 epochs (7,500 steps); batch 16 for 40 epochs (10,000 steps):
no collapse.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def summarize(date: str, logs: list[str]) -> dict:
    """One row per configuration of the per-epoch JSON lines in ``logs`` (what lesson 06 shows)."""
    runs: dict[tuple, list[dict]] = {}
    for log in logs:
        for line in Path(log).read_text().splitlines():
            if line.startswith("{"):
                r = json.loads(line)
                runs.setdefault(tuple(r.get("config") or r["cfg"]), []).append(r)
    rows = []
    for cfg, epochs in runs.items():
        acc = [r.get("test_accuracy", r.get("test_acc")) for r in epochs]
        share = [r["top_class_share"] for r in epochs]
        best = max(range(len(acc)), key=acc.__getitem__)
        # The report's pattern: a trained network that later answers one class for (almost) every image.
        collapsed = acc[best] > 0.5 and any(s >= 0.9 for s in share[best + 1:])
        width, side, lr, eps, _, n, batch = cfg[:7]
        steps = len(epochs) * -(-int(n) // int(batch))
        rows.append(dict(width=float(width), side=int(side), learning_rate=float(lr), epsilon=float(eps),
                         images=int(n), batch=int(batch), pixel_scale=float(cfg[7]) if len(cfg) > 7 else 1.0,
                         epochs=len(epochs), steps=steps, best_test_accuracy=acc[best], best_epoch=best + 1,
                         final_test_accuracy=acc[-1], collapsed=collapsed,
                         seconds=epochs[-1].get("seconds", epochs[-1].get("t"))))
    return dict(script="benchmarks/ch06_collapse_search.py", machine="2-core AMD EPYC CPU, no GPU", date=date,
                note="Plain VGG-16 (no batch norm, no dropout, Glorot), Adam, on the offline MNIST sample: "
                     "4,000 training images at most, 1,000 test images.", rows=rows)


def main(argv: list[str]) -> None:
    if argv[:1] == ["summarize"] and len(argv) >= 3:
        print(json.dumps(summarize(argv[1], argv[2:]), indent=1))
        return
    if len(argv) not in (7, 8):
        raise SystemExit(__doc__.split("\n\n")[1])
    width, side, lr, eps, epochs, n, batch = (float(argv[0]), int(argv[1]), float(argv[2]), float(argv[3]),
                                              int(argv[4]), int(argv[5]), int(argv[6]))
    scale = float(argv[7]) if len(argv) == 8 else 1.0
    import numpy as np

    import dlcourse
    from dlcourse import data
    from dlcourse._tf import keras
    from dlcourse.models import vgg

    (xm_train, ym_train), (xm_test, ym_test) = data.load_mnist()
    xtr, ytr = data.stratified_subset(xm_train, ym_train, n, seed=0)
    x_eval = data.preprocess(xm_test, side).numpy() * scale
    dlcourse.set_seed(0)
    model = vgg("D", input_shape=(side, side, 1), classes=10, width=width, batch_norm=False, dense_units=512,
                dropout=0.0, kernel_initializer="glorot_uniform", seed=0)
    model.compile(optimizer=keras.optimizers.Adam(lr, epsilon=eps), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    ds = data.make_dataset(xtr, ytr, batch_size=batch, shuffle=True, seed=0, image_size=side)
    ds = ds.map(lambda images, labels: (images * scale, labels))
    start = time.time()
    for epoch in range(1, epochs + 1):
        h = model.fit(ds, epochs=1, shuffle=False, verbose=0)
        pred = model.predict(x_eval, verbose=0).argmax(1)
        print(json.dumps(dict(config=argv, epoch=epoch, loss=h.history["loss"][0],
                              train_accuracy=h.history["accuracy"][0], test_accuracy=float(np.mean(pred == ym_test)),
                              top_class_share=float(np.bincount(pred, minlength=10).max() / len(pred)),
                              seconds=round(time.time() - start))), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
