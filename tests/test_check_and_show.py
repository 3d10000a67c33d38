"""The exercise-check framework, lesson 00's checks, and dlcourse.show."""

import numpy as np
import pytest

import dlcourse
from dlcourse.check import CheckResult, exercise, expect_close, expect_equal, ch00
from dlcourse.source import source_of


@exercise("double it", hint="multiply by two")
def _double(fn):
    expect_close(fn(np.arange(3.0)), [0.0, 2.0, 4.0], what="double([0, 1, 2])")


def test_correct_answer_passes():
    r = _double(lambda x: 2 * x)
    assert isinstance(r, CheckResult) and r.passed and bool(r)
    assert str(r).startswith("✅ double it: correct")


def test_wrong_answer_fails_with_explanation_and_hint():
    r = _double(lambda x: x + 1)
    assert not r.passed
    assert "differs from the reference" in r.message and "Hint: multiply by two" in str(r)


def test_learner_exception_is_summarised_not_raised():
    def broken(x):
        return x.nonexistent

    r = _double(broken)
    assert not r.passed and "AttributeError" in r.message and "x.nonexistent" in r.message


def test_not_implemented_is_reported_as_not_written_yet():
    def todo(x):
        raise NotImplementedError

    assert "not written yet" in _double(todo).message


def test_missing_return_and_wrong_shape_are_explained():
    assert "forget a `return`" in _double(lambda x: None).message
    assert "has shape (2,), expected (3,)" in _double(lambda x: x[:2]).message


def test_html_rendering_escapes_and_colours():
    html = _double(lambda x: x)._repr_html_()
    assert "#b3261e" in html and "<br>" in html


def test_expect_equal_arrays_and_scalars():
    from dlcourse.check import Fail

    expect_equal(np.array([1, 2]), np.array([1, 2]))
    with pytest.raises(Fail, match="expected 3"):
        expect_equal(2, 3, what="count")


def test_ch00_checks():
    assert ch00.parameter_count(101_770).passed
    assert not ch00.parameter_count(101_632).passed
    assert "whole number" in ch00.parameter_count(None).message
    assert ch00.predicted_class(lambda p: p.argmax(axis=1)).passed
    assert not ch00.predicted_class(lambda p: p.argmax(axis=0)).passed
    assert not ch00.predicted_class(lambda p: p.max(axis=1)).passed


def test_show_returns_the_real_source():
    code = source_of(dlcourse.set_seed)
    assert code.startswith("# dlcourse.seed\ndef set_seed(")
    assert "keras.utils.set_random_seed(seed)" in code


def test_show_rejects_objects_without_source():
    with pytest.raises(TypeError, match="cannot show"):
        source_of(3)


def test_show_prints_outside_jupyter(capsys):
    dlcourse.show(dlcourse.profiles.Profile.epochs)
    assert "def epochs(self, n: int) -> int:" in capsys.readouterr().out
