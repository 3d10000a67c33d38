"""Weight initializers: scales, seeding, errors; the activation-histogram figure."""

from __future__ import annotations

import math

import matplotlib
import numpy as np
import pytest

from dlcourse.scratch import init

matplotlib.use("Agg")


def test_stds_follow_the_formulas():
    assert init.xavier_std(100, 100) == pytest.approx(0.1)
    assert init.xavier_std(784, 100) == pytest.approx(math.sqrt(2 / 884))
    assert init.lecun_std(784) == pytest.approx(1 / 28)
    assert init.lecun_std(100) == init.xavier_std(100, 100)  # LeCun is Xavier for square layers
    assert init.he_std(100) == pytest.approx(math.sqrt(0.02))
    assert init.he_std(50) == pytest.approx(0.2)


# A (400, 500) draw has 200,000 values: the sample std is within 0.5 % of the
# target with overwhelming probability (its relative s.e. is 1/√(2·200000) ≈ 0.16 %).
@pytest.mark.parametrize("make, std", [
    (lambda: init.normal(400, 500, 1.0, seed=1), 1.0),
    (lambda: init.normal(400, 500, 0.01, seed=1), 0.01),
    (lambda: init.xavier_normal(400, 500, seed=1), math.sqrt(2 / 900)),
    (lambda: init.normal(400, 500, init.lecun_std(400), seed=1), 1 / 20),
    (lambda: init.he_normal(400, 500, seed=1), math.sqrt(2 / 400)),
    (lambda: init.initialize("he", 400, 500, seed=1), math.sqrt(2 / 400)),
    (lambda: init.initialize("normal", 400, 500, seed=1, std=0.05), 0.05),
])
def test_sample_std_and_mean_within_tolerance(make, std):
    w = make()
    assert w.shape == (400, 500) and w.dtype == np.float64
    assert abs(w.std() / std - 1) < 0.005
    assert abs(w.mean()) < 0.01 * std  # mean's s.e. is std/447 ≈ 0.0022·std


def test_he_matches_keras_variance_scaling():
    """Keras' HeNormal (truncated, rescaled) has the same std as ours: √(2/fan_in)."""
    import keras

    w = keras.initializers.HeNormal(seed=0)((400, 500)).numpy()
    assert abs(w.std() / init.he_std(400) - 1) < 0.01
    g = keras.initializers.GlorotNormal(seed=0)((400, 500)).numpy()
    assert abs(g.std() / init.xavier_std(400, 500) - 1) < 0.01


def test_zeros():
    w = init.zeros(3, 4)
    assert w.shape == (3, 4) and not w.any()
    np.testing.assert_array_equal(init.initialize("zeros", 3, 4), w)


def test_seeding_is_reproducible_and_distinguishes_seeds():
    np.testing.assert_array_equal(init.he_normal(20, 30, seed=5), init.he_normal(20, 30, seed=5))
    assert not np.array_equal(init.he_normal(20, 30, seed=5), init.he_normal(20, 30, seed=6))
    # A shared Generator gives successive layers different weights, reproducibly.
    rng_a, rng_b = np.random.default_rng(3), np.random.default_rng(3)
    a1, a2 = init.xavier_normal(10, 10, seed=rng_a), init.xavier_normal(10, 10, seed=rng_a)
    b1 = init.xavier_normal(10, 10, seed=rng_b)
    assert not np.array_equal(a1, a2)
    np.testing.assert_array_equal(a1, b1)
    # Same seed, different scheme: the same draw scaled (the schemes differ only in scale).
    np.testing.assert_allclose(init.he_normal(10, 10, seed=2) / init.he_std(10),
                               init.normal(10, 10, 1.0, seed=2))


@pytest.mark.parametrize("call, match", [
    (lambda: init.zeros(0, 3), "fan_in"),
    (lambda: init.normal(3, -1, 1.0), "fan_out"),
    (lambda: init.normal(3.5, 2, 1.0), "fan_in"),
    (lambda: init.normal(3, 2, 0.0), "std"),
    (lambda: init.normal(3, 2, float("nan")), "std"),
    (lambda: init.normal(3, 2, 1.0, seed=-1), "seed"),
    (lambda: init.normal(3, 2, 1.0, seed="x"), "seed"),
    (lambda: init.lecun_std(0), "fan_in"),
    (lambda: init.initialize("normal", 3, 2), "needs std"),
    (lambda: init.initialize("he", 3, 2, std=0.1), "only used"),
    (lambda: init.initialize("lecun", 3, 2), "unknown scheme"),
    (lambda: init.he_std(True), "fan_in"),
])
def test_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# ---------------------------------------------------------------- plots


def test_activation_histograms_grid_shape_and_titles():
    from dlcourse.plots import activation_histograms

    rng = np.random.default_rng(0)
    acts = {"a": [rng.normal(size=100) * s for s in (1, 2, 3)],
            "b": [np.zeros(100), np.ones(100), rng.normal(size=(10, 10))]}
    fig = activation_histograms(acts, bins=10, ranges={"a": (-5, 5)})
    axes = np.array(fig.axes).reshape(2, 3)
    assert axes[0, 0].get_xlim()[0] <= -5 and axes[0, 0].get_xlim()[1] >= 5
    assert axes[0, 2].get_title() == f"σ = {np.std(acts['a'][2]):.2g}"
    assert axes[1, 0].get_ylabel() == "b"
    # Each panel's bars are fractions of its values: they add up to 1.
    (stairs,) = axes[0, 0].patches
    assert stairs.get_data().values.sum() == pytest.approx(1.0)
    import matplotlib.pyplot as plt

    plt.close(fig)


@pytest.mark.parametrize("acts, kwargs, match", [
    ({}, {}, "empty"),
    ({"a": [np.ones(3)], "b": [np.ones(3), np.ones(3)]}, {}, "same"),
    ({"a": [np.ones(3)]}, {"bins": 0}, "bins"),
    ({"a": [np.ones(3)]}, {"ranges": {"c": (0, 1)}}, "not in activations"),
])
def test_activation_histograms_errors(acts, kwargs, match):
    from dlcourse.plots import activation_histograms

    with pytest.raises(ValueError, match=match):
        activation_histograms(acts, **kwargs)
