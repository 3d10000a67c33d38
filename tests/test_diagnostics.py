"""Diagnostics on a deliberately diverging toy model and on a healthy one."""

from __future__ import annotations

import math

import keras
import numpy as np
import pytest
import tensorflow as tf

from dlcourse import diagnostics as dg


def toy_data(n: int = 256, seed: int = 0):
    """Three well-separated Gaussian blobs in 8-D."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    centres = rng.normal(0, 3, (3, 8))
    x = (centres[y] + rng.normal(0, 1, (n, 8))).astype("float32")
    return x, y.astype("int32")


def toy_model(seed: int = 0):
    keras.utils.set_random_seed(seed)
    return keras.Sequential([
        keras.Input((8,)),
        keras.layers.Dense(32, name="d1"), keras.layers.ReLU(name="r1"),
        keras.layers.Dense(32, activation="relu", name="d2"),
        keras.layers.Dense(3, activation="softmax", name="out"),
    ])


def fit(lr: float, epochs: int = 5):
    x, y = toy_data()
    model = toy_model()
    model.compile(keras.optimizers.SGD(lr, momentum=0.9), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    det = dg.DivergenceDetector(verbose=False)
    grads = dg.GradientNormLogger(x[:64], y[:64], every=2)
    acts = dg.ActivationMonitor(x[:64])
    mono = dg.OneClassMonitor(x, y)
    hist = model.fit(x, y, batch_size=32, epochs=epochs, verbose=0, shuffle=False,
                     callbacks=[det, grads, acts, mono])
    return model, hist, det, grads, acts, mono


def test_diverging_model_is_stopped_with_an_explanation():
    model, hist, det, grads, acts, mono = fit(lr=50.0)
    assert det.diverged and model.stop_training
    assert len(hist.history["loss"]) < 5  # stopped before the 5 epochs asked for
    epoch, batch = det.at
    assert det.explanation.startswith(f"Divergence at epoch {epoch}, batch {batch}")
    assert "learning rate" in det.explanation and "stopped" in det.explanation
    bad = det.batch_losses[-1]
    finite = [v for v in det.batch_losses[:-1] if math.isfinite(v)]
    assert (not math.isfinite(bad)) or bad > 10 * max(finite[0], np.median(finite[-20:]))
    # Gradient norms before training were finite and small; the logger kept one row per log.
    arr = grads.as_array()
    assert arr.shape == (len(grads.steps), 3) and grads.steps[0] == 0
    assert np.all(np.isfinite(arr[0])) and arr[0].max() < 10


def test_healthy_model_trains_without_alarms():
    model, hist, det, grads, acts, mono = fit(lr=0.01)
    assert not det.diverged and det.explanation == "" and not model.stop_training
    assert len(det.batch_losses) == 5 * 8
    assert hist.history["loss"][-1] < 0.5 * hist.history["loss"][0]
    assert hist.history["accuracy"][-1] > 0.9
    # The detector's per-batch losses average to what Keras reports per epoch.
    assert np.mean(det.batch_losses[-8:]) == pytest.approx(hist.history["loss"][-1], rel=1e-4)
    assert grads.steps == [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38, 40]
    assert len(acts.history) == 6 and [e for e, _ in acts.history] == list(range(6))
    assert set(acts.dead_fractions()) == {"r1", "d2"}
    assert len(mono.reports) == 6
    assert mono.reports[0].accuracy < 0.8 and not mono.reports[-1].collapsed
    assert mono.reports[-1].accuracy > 0.9


def test_detector_recovers_batch_losses_from_running_means():
    det = dg.DivergenceDetector(factor=10, window=3, stop=True, verbose=False)
    det.set_model(toy_model())
    det.on_epoch_begin(0)
    losses = [2.0, 1.5, 1.0, 0.9, 19.0, 0.5, 30.0, 1.0]
    running = np.cumsum(losses) / np.arange(1, len(losses) + 1)
    for b, m in enumerate(running):
        det.on_train_batch_end(b, {"loss": float(m)})
    np.testing.assert_allclose(det.batch_losses, losses, rtol=1e-9)
    # 19 is below 10 × 2.0 (the first loss); 30 is above 10 × max(2.0, median(0.9, 19, 0.5)).
    assert det.at == (1, 7) and det.model.stop_training
    assert "jumped to 30, 15 times its reference 2" in det.explanation


def test_detector_reports_nan_at_once():
    det = dg.DivergenceDetector(stop=False, verbose=False)
    det.set_model(toy_model())
    det.on_epoch_begin(2)
    det.on_train_batch_end(0, {"loss": 2.3})
    det.on_train_batch_end(1, {"loss": float("nan")})
    assert det.diverged and det.at == (3, 2) and not getattr(det.model, "stop_training", False)
    assert "nan (not a finite number)" in det.explanation
    with pytest.raises(ValueError, match="factor"):
        dg.DivergenceDetector(factor=1)


def test_gradient_norms_match_gradient_tape():
    x, y = toy_data(16)
    model = toy_model()
    got = dg.gradient_norms(model, x, y)
    with tf.GradientTape() as tape:
        loss = keras.losses.SparseCategoricalCrossentropy()(y, model(x))
    want = [float(tf.norm(g)) for g in tape.gradient(loss, [model.get_layer(n).kernel for n in ("d1", "d2", "out")])]
    assert list(got) == ["d1", "d2", "out"]
    np.testing.assert_allclose(list(got.values()), want, rtol=1e-6)


def test_per_entry_gradient_norms_are_norms_over_the_root_of_the_size():
    x, y = toy_data(16)
    model = toy_model()
    norms, rms = dg.gradient_norms(model, x, y), dg.gradient_norms(model, x, y, per_entry=True)
    for name in norms:
        size = int(np.prod(model.get_layer(name).kernel.shape))
        np.testing.assert_allclose(rms[name], norms[name] / np.sqrt(size), rtol=1e-5)
    logger = dg.GradientNormLogger(x, y, per_entry=True)
    logger.set_model(model)
    logger._log()
    np.testing.assert_allclose([logger.norms[n][-1] for n in rms], list(rms.values()), rtol=1e-5)


def test_step_recorder_sees_the_gradient_each_step_applied():
    x, y = toy_data(32)
    model = toy_model()
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy")
    with tf.GradientTape() as tape:
        loss = keras.losses.SparseCategoricalCrossentropy()(y[:16], model(x[:16], training=True))
    grads = tape.gradient(loss, model.trainable_weights)
    recorder = dg.StepGradientRecorder()
    model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0, callbacks=[recorder])
    assert len(recorder.global_norms) == 4 and list(recorder.kernel_rms) == ["d1", "d2", "out"]
    np.testing.assert_allclose(recorder.global_norms[0], float(tf.linalg.global_norm(grads)), rtol=1e-5)
    d1 = model.get_layer("d1").kernel
    want = float(tf.sqrt(tf.reduce_mean(tf.square(grads[[id(w) for w in model.trainable_weights].index(id(d1))]))))
    np.testing.assert_allclose(recorder.kernel_rms["d1"][0], want, rtol=1e-5)
    assert len(set(np.round(recorder.global_norms, 6))) > 1  # one value per step, not one stale value
    # Training is unchanged: the wrapper only looks.
    model2 = toy_model()
    model2.compile(optimizer=keras.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy")
    model2.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    for a, b in zip(model.get_weights(), model2.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_logger_probe_equals_eager_gradient_norms_and_follows_a_new_model():
    # The logger compiles its probe; it must measure exactly what gradient_norms does.
    x, y = toy_data(64)
    logger = dg.GradientNormLogger(x[:16], y[:16])
    for seed in (0, 1):  # a second model must get its own compiled probe, not the first one's
        model = toy_model(seed)
        logger.set_model(model)
        logger._log()
        want = dg.gradient_norms(model, x[:16], y[:16])
        got = [logger.norms[name][-1] for name in want]
        np.testing.assert_allclose(got, list(want.values()), rtol=1e-5)
    assert logger.norms["d1"][0] != logger.norms["d1"][1]


def test_dead_network_has_zero_gradients_below_the_dead_layer():
    x, y = toy_data(32)
    model = toy_model()
    d2 = model.get_layer("d2")
    d2.bias.assign(np.full(32, -1e4, "float32"))  # every unit of d2 is negative for every input
    norms = dg.gradient_norms(model, x, y)
    assert norms["d1"] == 0.0 and norms["d2"] == 0.0 and norms["out"] == 0.0
    stats = dg.activation_stats(model, x)
    assert stats["d2"].dead_fraction == 1.0 and stats["d2"].zero_fraction == 1.0
    assert stats["r1"].dead_fraction < 0.5
    # Only the output bias can still learn: every image gets the same probabilities.
    probs = model.predict(x, verbose=0)
    np.testing.assert_allclose(probs, np.broadcast_to(probs[0], probs.shape), rtol=1e-6)


def test_activation_stats_counts_dead_units():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(4, activation="relu", name="h")])
    model.get_layer("h").set_weights([np.array([[1, 1, 0, 0], [0, 1, 0, 0]], "float32"),
                                      np.array([0, 0, -1, 1], "float32")])
    x = np.array([[1, 2], [3, 4], [-5, 0]], "float32")
    s = dg.activation_stats(model, x)["h"]
    # Unit 2 is −1 everywhere (dead); unit 0 is 0 for the third input; units 1 and 3 live.
    assert s.dead_fraction == 0.25
    assert s.zero_fraction == pytest.approx(5 / 12)
    with pytest.raises(ValueError, match="no ReLU"):
        dg.activation_stats(keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)]), x)


def test_one_class_check():
    y = np.array([1] * 1135 + [0] * 980 + [7] * 7885)
    rep = dg.one_class_check(np.ones_like(y), y, classes=10)
    assert rep.collapsed and rep.dominant_class == 1 and rep.accuracy == pytest.approx(0.1135)
    assert rep.true_share == pytest.approx(0.1135) and rep.histogram.shape == (10,)
    assert "share of class 1 among the labels (0.1135)" in str(rep)
    probs = np.eye(10)[y]  # perfect, varied predictions
    ok = dg.one_class_check(probs, y)
    assert not ok.collapsed and ok.accuracy == 1.0 and str(ok).startswith("no collapse")
    with pytest.raises(ValueError, match="shape"):
        dg.one_class_check(np.ones(5), y)
