"""Graded hints and reference solutions: a failed check gives the first hint only; more on request."""

from __future__ import annotations

import pytest

from dlcourse.check import exercise, expect, help_for, registered


def _reference(x):
    return 2 * x


@exercise("double(x)", hints=["what does doubling do to every entry?", "multiply by a number",
                              "`return 2 * x`"], solution=_reference)
def double(fn):
    expect(fn(3) == 6, "double(3) should be 6.")
    return "doubles."


@exercise("bare", hint="only one hint")
def bare(answer):
    expect(answer == 1, "the answer is a small whole number.")


hint, solution, reference = help_for(__name__)


def test_a_failed_check_shows_the_first_hint_only_and_says_how_to_get_more():
    text = str(double(lambda x: x))
    assert "what does doubling do" in text
    assert "multiply by a number" not in text and "2 * x" not in text
    assert 'More help: \'test_check_help.hint("double")\' (hint 2 of 3)' in text


def test_a_passing_check_shows_no_hint():
    text = str(double(_reference))
    assert text.startswith("✓") and "Hint" not in text and "More help" not in text


def test_hints_come_one_level_at_a_time_then_point_to_the_solution():
    second, third, again = hint("double"), hint("double"), hint("double")
    assert str(second).startswith("Hint 2 of 3 for double(x): multiply by a number")
    assert "'return 2 * x'" in str(third) and "last hint" in str(third) and "solution(" in str(third)
    assert str(again) == str(third)
    assert str(hint("double", 1)).startswith("Hint 1 of 3")


@pytest.mark.parametrize("level", [0, 4, 1.5])
def test_a_level_out_of_range_names_the_range(level):
    with pytest.raises(ValueError, match="from 1 to 3"):
        hint("double", level)


def test_an_unknown_exercise_lists_the_chapter_s_exercises():
    with pytest.raises(KeyError, match='"double", "bare", "count"'):
        hint("tripple")


def test_solution_shows_the_reference_code_and_says_so_when_there_is_none():
    shown = str(solution("double"))
    assert "def _reference(x):" in shown and "return 2 * x" in shown
    assert "no code answer" in str(solution("bare"))
    assert "More help" not in str(bare(2))  # one hint and no solution: nothing more to ask for


def _count():
    return 6


@exercise("count", hints=["count them", "six"], solution=_count, kind="value")
def count(answer):
    expect(answer == 6, "not that many.")


def test_reference_is_the_answer_for_code_and_what_the_solution_computes_otherwise():
    assert reference("double") is _reference
    assert reference("count") == 6 and count(reference("count")).passed
    with pytest.raises(LookupError, match="no reference answer"):
        reference("bare")


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="kind must be one of"):
        exercise("x", hints=["a", "b"], kind="essay")


def test_html_has_no_markup_left():
    for shown in (hint("double", 3), solution("double"), double(lambda x: x)):
        assert "`" not in shown._repr_html_()


def test_the_registry_knows_each_checker_once():
    keys = [ex.key for ex in registered(__name__)]
    assert keys == ["double", "bare", "count"]


CODE_SIGNS = ("np.", "@", " = ", "return ", ".T", "axis=", "self.", "·", "√", "**")


def test_every_chapter_s_first_hints_teach_without_giving_the_answer():
    import importlib

    for chapter in range(8):
        module = f"dlcourse.check.ch0{chapter}"
        importlib.import_module(module)
        exercises = registered(module)
        assert exercises, f"{module} registers no exercise"
        for ex in exercises:
            assert len(ex.hints) >= 2, f"{module}.{ex.key}: give graded hints, at least two"
            first = ex.hints[0]
            found = [sign for sign in CODE_SIGNS if sign in first]
            assert not found, f"{module}.{ex.key}: the first hint shows code or a formula ({found}): {first!r}"


def test_the_check_for_a_forbidden_sign_can_fail():
    assert [s for s in CODE_SIGNS if s in "use np.argmax(x, axis=1)"]


@pytest.mark.parametrize("answer, says", [(None, "replace None"), ("0.1", "give a number"), (True, "give a number"),
                                          (float("nan"), "finite"), (float("inf"), "finite")])
def test_expect_number_names_the_fix(answer, says):
    from dlcourse.check import Fail, expect_number

    with pytest.raises(Fail, match=says):
        expect_number(answer)


def test_expect_number_takes_numpy_and_python_numbers():
    import numpy as np

    from dlcourse.check import expect_number, is_number

    assert expect_number(np.float32(0.5)) == 0.5 and expect_number(np.int64(3)) == 3.0 and expect_number(2) == 2.0
    assert is_number(np.float64(1)) and not is_number(True) and not is_number("1")
