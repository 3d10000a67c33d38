"""Every exercise checker accepts its reference and rejects typical mistakes with the message a learner sees."""

from __future__ import annotations

import importlib

import pytest

from check_cases import call
from dlcourse.check import registered

CHAPTERS = [f"ch0{i}" for i in range(8)]


def _cases(chapter: str) -> dict:
    return importlib.import_module(f"check_cases.{chapter}").CASES


def _all():
    for chapter in CHAPTERS:
        module = importlib.import_module(f"dlcourse.check.{chapter}")
        for key, case in _cases(chapter).items():
            yield chapter, module, key, case


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_exercise_has_a_case_with_three_wrong_answers(chapter):
    importlib.import_module(f"dlcourse.check.{chapter}")
    keys = {ex.key for ex in registered(f"dlcourse.check.{chapter}")}
    cases = _cases(chapter)
    assert set(cases) == keys, f"{chapter}: cases missing for {keys - set(cases)}, unknown {set(cases) - keys}"
    for key, case in cases.items():
        assert len(case.wrong) >= 3, f"{chapter}.{key}: give at least three typical wrong answers"


@pytest.mark.parametrize("chapter,module,key,case", [pytest.param(*c, id=f"{c[0]}.{c[2]}") for c in _all()])
def test_the_reference_passes(chapter, module, key, case):
    right = module.reference(key) if case.right is None else case.right
    result = call(getattr(module, key), right, case.extra)
    assert result.passed, str(result)


@pytest.mark.parametrize("chapter,module,key,wrong,extra", [
    pytest.param(c[0], c[1], c[2], w, c[3].extra, id=f"{c[0]}.{c[2]}:{w.mistake}") for c in _all() for w in c[3].wrong])
def test_a_typical_mistake_fails_with_its_message(chapter, module, key, wrong, extra):
    result = call(getattr(module, key), wrong.answer, extra)
    text = str(result)
    assert not result.passed, f"{chapter}.{key} accepted a wrong answer ({wrong.mistake})"
    assert "Traceback" not in text
    assert wrong.says in result.message + " " + result.hint, f"{wrong.mistake}: the learner saw {text!r}"
