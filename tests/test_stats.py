"""dlcourse.stats: the noise bars behind every 'better' and 'no difference' in the lessons."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dlcourse import stats


def test_binomial_se_matches_the_simulated_spread_of_an_accuracy():
    rng = np.random.default_rng(0)
    accuracies = rng.binomial(1000, 0.87, size=20000) / 1000
    assert stats.binomial_se(0.87, 1000) == pytest.approx(accuracies.std(), rel=0.03)


def test_binomial_se_of_a_certain_answer_is_zero_and_shrinks_with_n():
    assert stats.binomial_se(1.0, 50) == 0.0
    assert stats.binomial_se(0.5, 400) == pytest.approx(0.025)
    assert stats.binomial_se(0.5, 1600) == pytest.approx(stats.binomial_se(0.5, 400) / 2)


@pytest.mark.parametrize("accuracy, n", [(1.2, 10), (-0.1, 10), (0.5, 0)])
def test_binomial_se_refuses_impossible_input(accuracy, n):
    with pytest.raises(ValueError, match="accuracy must|n must"):
        stats.binomial_se(accuracy, n)


def test_mean_and_se_uses_the_sample_standard_deviation():
    mean, se = stats.mean_and_se([0.80, 0.82, 0.84])
    assert mean == pytest.approx(0.82)
    assert se == pytest.approx(0.02 / math.sqrt(3))


def test_mean_and_se_of_one_run_has_unknown_noise():
    mean, se = stats.mean_and_se([0.9])
    assert mean == 0.9 and math.isnan(se)
    with pytest.raises(ValueError, match="at least one"):
        stats.mean_and_se([])


def test_verdict_says_no_difference_inside_two_standard_errors_and_can_go_either_way():
    assert stats.verdict(0.019, 0.01, "A", "B") == "no difference"
    assert stats.verdict(0.021, 0.01, "A", "B") == "A better"
    assert stats.verdict(-0.021, 0.01, "A", "B") == "B better"
    assert stats.verdict(0.5, float("nan"), "A", "B").startswith("no verdict")


def test_difference_se_matches_the_simulated_spread_of_a_difference():
    rng = np.random.default_rng(3)
    a = rng.binomial(2000, 0.9, size=20_000) / 2000
    b = rng.binomial(500, 0.8, size=20_000) / 500
    assert stats.difference_se(0.9, 2000, 0.8, 500) == pytest.approx((a - b).std(), rel=0.03)


def test_difference_se_is_not_the_sum_of_the_errors():
    se_a, se_b = stats.binomial_se(0.5, 400), stats.binomial_se(0.5, 400)
    assert stats.difference_se(0.5, 400, 0.5, 400) == pytest.approx(np.sqrt(2) * se_a)
    assert stats.difference_se(0.5, 400, 0.5, 400) < se_a + se_b
    with pytest.raises(ValueError, match="n must be"):
        stats.difference_se(0.5, 0, 0.5, 400)
