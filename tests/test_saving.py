"""Save → load round trips of dlcourse.saving, on a tiny model in pytest's tmp_path."""

from __future__ import annotations

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from dlcourse import saving  # noqa: E402


def build(seed: int = 0):
    keras.utils.set_random_seed(seed)
    return keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3, activation="relu"),
                             keras.layers.Dense(2, activation="softmax")])


X = np.random.default_rng(0).normal(size=(8, 4)).astype("float32")


def test_keras_round_trip_is_identical(tmp_path):
    r = saving.round_trip(build(), X, tmp_path / "m.keras")
    assert r.identical and r.max_abs_diff == 0.0 and r.size_bytes > 0
    assert str(r) == ("whole model (.keras): predictions identical after reloading: True "
                      "(max |difference| = 0.0e+00)")


def test_weights_only_round_trip_needs_build(tmp_path):
    r = saving.round_trip(build(0), X, tmp_path / "m.weights.h5", build=lambda: build(1))
    assert r.identical and r.kind.startswith("weights only")
    with pytest.raises(ValueError, match="pass build="):
        saving.save_and_load(build(), tmp_path / "n.weights.h5")


def test_a_different_model_is_detected():
    d = saving.max_prediction_difference(build(0), build(1), X)
    assert d > 0
    assert not saving.RoundTrip("x", "p", 1, d).identical


def test_bad_suffix_and_mismatched_outputs(tmp_path):
    with pytest.raises(ValueError, match=r"\.keras"):
        saving.save_and_load(build(), tmp_path / "m.h5")
    other = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3)])
    with pytest.raises(ValueError, match="different shapes"):
        saving.max_prediction_difference(build(), other, X)


def test_safe_mode_refuses_a_python_lambda(tmp_path):
    m = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Lambda(lambda t: 2.0 * t)])
    with pytest.raises(ValueError, match="safe_mode"):
        saving.save_and_load(m, tmp_path / "lam.keras")
    again = saving.save_and_load(m, tmp_path / "lam2.keras", safe_mode=False)
    np.testing.assert_array_equal(again.predict(X, verbose=0), 2.0 * X)
