"""The lesson 02 exercise checks beyond the case table: the facts they rely on, and forms they must accept."""

from __future__ import annotations

import math

import numpy as np
import pytest
from check_cases.ch02 import PaperAdam

from dlcourse.check import ch02
from dlcourse.scratch import optim


@pytest.mark.parametrize("key,ref", [("momentum_class", optim.Momentum), ("adam_class", optim.Adam)])
def test_the_reference_classes_follow_the_package_for_many_steps(key, ref):
    # The learner reads these solutions; they must be the package's rule, not just pass six steps.
    rng = np.random.default_rng(7)
    ours, theirs = ch02.reference(key)(0.03), ref(0.03)
    a = {"w": rng.normal(size=(3, 2)), "b": rng.normal(size=2)}
    b = {k: v.copy() for k, v in a.items()}
    for _ in range(200):
        g = {k: rng.normal(size=v.shape) for k, v in a.items()}
        ours.update(a, g)
        theirs.update(b, g)
    for k in a:
        np.testing.assert_allclose(a[k], b[k], rtol=1e-12, atol=1e-12)


def test_adam_in_the_paper_s_form_passes():
    assert ch02.adam_class(PaperAdam).passed


def test_a_subclass_of_the_package_optimizer_passes():
    class Mine(optim.Momentum):
        pass

    assert ch02.momentum_class(Mine).passed


def test_the_race_facts_the_lesson_states():
    results = ch02.race(20)
    assert min(results, key=results.get) == "Nesterov" == ch02.reference("race_winner")
    late = ch02.race(100)  # the lesson's experiment: after 100 steps RMSProp ends lowest
    assert min(late, key=late.get) == "RMSProp"


def test_the_turned_valley_separates_the_rules_by_kind():
    assert ch02.reference("turned_valley") == {"SGD", "Momentum", "Nesterov"}
    plain, turned = ch02.valley_ends(False), ch02.valley_ends(True)
    for name in ("AdaGrad", "RMSProp", "Adam", "AdamW"):  # far from the six-digit agreement
        assert not math.isclose(plain[name], turned[name], rel_tol=1e-2)


def test_the_stable_rate_is_the_limit_of_a_run():
    limit = ch02.reference("largest_stable_lr")
    assert limit == pytest.approx(2 / (8 + math.sqrt(20)))
    ends = [np.linalg.norm(optim.optimize_path(optim.SGD(s * limit), ch02.new_bowl_gradient, [1.0, 1.0], 300)[-1])
            for s in (0.99, 1.01)]
    assert ends[0] < 1e-2 and ends[1] > 1.0


def test_adam_s_first_step_is_lr_for_any_gradient():
    assert ch02.reference("adam_first_step") == pytest.approx(0.01, rel=2e-3)  # ε shaves off 0.1 %
    assert ch02.adam_first_step(-0.00999).passed  # the direction is not asked


def test_failures_for_an_unedited_value_give_no_answer():
    for key in ("largest_stable_lr", "adam_first_step"):
        text = str(getattr(ch02, key)(None))
        assert "not yet" in text and f"{ch02.reference(key):.3f}" not in text
