"""Lesson 06 residual section, measured outside the lesson: plain vs residual deep CNN at one budget.

    PYTHONPATH=. python benchmarks/ch06_residual.py IMAGES EPOCHS BLOCKS_PER_STAGE

Prints per-entry gradient RMS of the first and last convolution at initialisation and
the test accuracy after training (Fashion-MNIST, Adam 1e-3, batch 64, He init, no BN).
Session 5: `10000 3 3` gave plain 0.805, residual 0.805; residual gradients ~250x larger.
"""
import sys, time, numpy as np
import dlcourse
from dlcourse._tf import keras, tf
from dlcourse import data
from dlcourse.models import deep_cnn
N, EPOCHS, BPS = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
(xtr, ytr), (xte, yte) = data.load_fashion_mnist()
x, y = data.stratified_subset(xtr, ytr, N, seed=0); x = x[..., None].astype("float32") / 255
xt = xte[..., None].astype("float32") / 255
for residual in (False, True):
    m = deep_cnn(residual=residual, blocks_per_stage=BPS, seed=0)
    with tf.GradientTape() as tape:
        loss = keras.losses.sparse_categorical_crossentropy(y[:256], m(x[:256], training=True))
        loss = tf.reduce_mean(loss)
    g = tape.gradient(loss, m.trainable_weights)
    rms = [(w.path, float(np.sqrt(np.mean(np.square(gi))))) for w, gi in zip(m.trainable_weights, g) if "kernel" in w.path]
    print("residual" if residual else "plain", "grad rms first/last conv:", rms[0][1], rms[-2][1], "ratio", rms[0][1]/rms[-2][1])
    m.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    t = time.time(); h = m.fit(x, y, epochs=EPOCHS, batch_size=64, verbose=0)
    print("  train acc", [round(a, 3) for a in h.history["accuracy"]], "test", m.evaluate(xt, yte, verbose=0)[1], f"{time.time()-t:.0f}s", flush=True)
