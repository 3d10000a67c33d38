"""Lesson 06's exercise checkers: what tests/check_cases/ch06.py cannot say with one answer each."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dlcourse.check import ch06


def test_vgg16_fc1_params():
    assert ch06.vgg16_fc1_params(102_764_544)
    wrong = ch06.vgg16_fc1_params(25088)
    assert not wrong and "Hint" in str(wrong) and "102764544" not in str(wrong) and "102,764,544" not in str(wrong)


def test_an_unedited_code_exercise_says_so_without_a_traceback():
    def todo(*args, **kwargs):
        raise NotImplementedError

    for check in (ch06.residual_block, ch06.first_divergence, ch06.dead_fraction, ch06.collapse_accuracy):
        result = check(todo)
        assert not result and "not written yet" in result.message and "Traceback" not in str(result)


def _package_detector_step(losses, factor=10.0, window=20):
    """The step at which the chapter's DivergenceDetector fires, fed the running means Keras logs."""
    pytest.importorskip("tensorflow")
    from dlcourse.diagnostics import DivergenceDetector

    detector = DivergenceDetector(factor=factor, window=window, stop=False, verbose=False)
    detector.on_epoch_begin(0)
    total = 0.0
    for batch, loss in enumerate(losses):
        total += loss
        detector.on_train_batch_end(batch, {"loss": total / (batch + 1)})
    return detector.step


def test_the_divergence_reference_agrees_with_the_package_detector():
    cases = ch06._divergence_cases()
    assert any(ch06._first_divergence_solution(losses, **kw) is None for _, losses, kw in cases)
    assert any(ch06._first_divergence_solution(losses, **kw) is not None for _, losses, kw in cases)
    for what, losses, kwargs in cases:
        assert ch06._first_divergence_solution(losses, **kwargs) == _package_detector_step(losses, **kwargs), what


def test_every_divergence_mistake_is_told_apart_from_the_others():
    cases = ch06._divergence_cases()
    results = {rule: tuple(ch06._divergence_variant(rule)(losses, **kw) for _, losses, kw in cases)
               for rule in ch06._DIVERGENCE_MISTAKES}
    right = tuple(ch06._first_divergence_solution(losses, **kw) for _, losses, kw in cases)
    assert right not in results.values()
    assert len(set(results.values())) == len(results)


def test_the_logs_show_the_four_failures_and_are_copies():
    logs = ch06.training_logs()
    assert set(logs) == {"A", "B", "C", "D"}
    for log in logs.values():
        steps = len(log.loss)
        assert log.grad_rms.shape == (8, steps) and log.dead_fraction.shape == (7, steps)
        assert np.all(np.isfinite(log.loss))
    b, c, d = logs["B"], logs["C"], logs["D"]
    assert b.loss.max() > 100 * b.loss[0] and b.dead_fraction[:, 0].max() < 1 and b.dead_fraction[:, -1].max() == 1
    assert not c.grad_rms[:, 0].any() and c.dead_fraction[:, 0].max() == 1
    assert d.grad_rms[0, 0] < 1e-3 * d.grad_rms[-1, 0] and not d.dead_fraction.any()
    logs["A"].loss[:] = math.nan  # a learner's change must not reach the checker's copy
    assert np.all(np.isfinite(ch06.training_logs()["A"].loss))
    assert ch06.reference("diagnose_runs") == {"A": ("rate_too_low", "raise_rate"), "B": ("exploding", "lower_rate"),
                                               "C": ("dead_relus", "alive_init"), "D": ("vanishing", "relu_he")}


def test_the_diagnosis_verdict_quotes_the_run_s_own_numbers():
    right = ch06.reference("diagnose_runs")
    verdict = ch06.diagnose_runs({**right, "B": ("vanishing", "relu_he")})
    assert not verdict and "at step 2" in verdict.message
    passed = ch06.diagnose_runs(right)
    assert passed and "Adam at 0.5" in passed.message


def test_dead_fraction_accepts_a_mean_based_answer_for_relu_outputs():
    # For outputs ≥ 0 a unit whose mean is 0 is zero everywhere: another correct answer.
    assert ch06.dead_fraction(lambda a: float(np.mean(a.reshape(-1, a.shape[-1]).mean(axis=0) <= 0)))


def test_collapse_accuracy_accepts_numpy_scalars():
    assert ch06.collapse_accuracy(lambda tr, te: np.mean(te == np.bincount(tr).argmax()))
