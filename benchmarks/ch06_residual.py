"""Lesson 06 residual section, measured outside the lesson: plain vs residual deep CNN at one budget.

    PYTHONPATH=. python benchmarks/ch06_residual.py IMAGES EPOCHS BLOCKS_PER_STAGE [bn|nobn] [LEARNING_RATE]

Prints, for the plain and the residual network, the loss and the per-entry gradient RMS
of the first and the last convolution on 256 training images at initialisation (in
training mode, so batch norm uses batch statistics), then the training curve and the
test accuracy (Fashion-MNIST, Adam, batch 128, He init; batch norm after every
convolution with ``bn``).

Measured on the 2-core CPU (sharing it with another job, so the times are upper figures):
- session 5, ``10000 3 3 nobn`` (20 layers): plain 0.805, residual 0.805; the residual
  network's gradients about 250x the plain one's at initialisation;
- session 6, ``10000 3 9 nobn`` (56 layers): plain never trains (loss 2.303, test 0.100);
  residual starts at loss 17,499 (each block adds its branch's variance to the identity's)
  and reaches 0.504 (about 4 min each);
- session 6, ``10000 3 9 bn``: plain 0.416, residual 0.731; first/last gradient RMS at
  initialisation 2,129 (plain) and 20 (residual) (7-8 min each). Lesson 06 uses this
  setting, for 2 epochs.
"""
import sys
import time

import numpy as np

import dlcourse
from dlcourse import data
from dlcourse._tf import keras, tf
from dlcourse.models import deep_cnn

N, EPOCHS, BPS = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
BN = len(sys.argv) > 4 and sys.argv[4] == "bn"
LR = float(sys.argv[5]) if len(sys.argv) > 5 else 1e-3
(xtr, ytr), (xte, yte) = data.load_fashion_mnist()
x, y = data.stratified_subset(xtr, ytr, N, seed=0)
x = x[..., None].astype("float32") / 255
xt = xte[..., None].astype("float32") / 255
for residual in (False, True):
    m = deep_cnn(residual=residual, blocks_per_stage=BPS, seed=0, batch_norm=BN)
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(y[:256], m(x[:256], training=True)))
    g = tape.gradient(loss, m.trainable_weights)
    rms = [float(np.sqrt(np.mean(np.square(gi)))) for w, gi in zip(m.trainable_weights, g)
           if "kernel" in w.path and "projection" not in w.path]
    name = "residual" if residual else "plain"
    print(name, "loss at init", float(loss), "grad rms first/last conv:", rms[0], rms[-2], "ratio", rms[0] / rms[-2],
          flush=True)
    dlcourse.set_seed(0)
    m.compile(optimizer=keras.optimizers.Adam(LR), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    t = time.time()
    h = m.fit(x, y, epochs=EPOCHS, batch_size=128, verbose=0)
    print("  train loss", [round(a, 3) for a in h.history["loss"]], "acc", [round(a, 3) for a in h.history["accuracy"]],
          "test", round(m.evaluate(xt, yte, verbose=0)[1], 4), f"{time.time() - t:.0f}s", flush=True)
