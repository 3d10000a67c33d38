"""The exercise-check framework, lesson 00's checks, and dlcourse.show."""

import numpy as np
import pytest

import dlcourse
from dlcourse.check import CheckResult, exercise, expect_close, expect_equal, ch00
from dlcourse.source import code_text


@exercise("double it", hint="multiply by two")
def _double(fn):
    expect_close(fn(np.arange(3.0)), [0.0, 2.0, 4.0], what="double([0, 1, 2])")


def test_correct_answer_passes():
    r = _double(lambda x: 2 * x)
    assert isinstance(r, CheckResult) and r.passed and bool(r)
    assert str(r).startswith("✓ double it: correct")


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


def test_verdicts_use_text_font_marks_not_emoji():
    # ✅/❌ are emoji: empty boxes without an emoji font. ✓/✗ are in DejaVu.
    ok, bad = _double(lambda x: 2 * x), _double(lambda x: x)
    for shown in (str(ok), str(bad), ok._repr_html_(), bad._repr_html_()):
        assert "✅" not in shown and "❌" not in shown
    assert str(ok).startswith("✓ ") and str(bad).startswith("✗ ")
    assert "✓ double it" in ok._repr_html_() and "✗ double it" in bad._repr_html_()


@exercise("quote it", hint="stop when `count` reaches `patience`; <b> is not a tag")
def _code_in_messages(fn):
    expect_equal(fn(), 1, what="`f()`")


def test_code_spans_render_without_backticks():
    r = _code_in_messages(lambda: 2)
    assert "`" in r.message and "`" in r.hint  # the source keeps its markup ...
    text, page = str(r), r._repr_html_()
    assert "`" not in text and "`" not in page  # ... the reader never sees it
    assert "'f()' is 2, expected 1." in text
    assert "Hint: stop when 'count' reaches 'patience'; <b> is not a tag" in text
    assert "<code>f()</code> is 2, expected 1." in page
    assert "<code>count</code> reaches <code>patience</code>; &lt;b&gt; is not a tag" in page


def test_learner_error_with_backticks_is_not_read_as_markup():
    def broken(x):
        raise ValueError("odd ` tick")

    r = _double(broken)
    text, page = str(r), r._repr_html_()
    assert "`" not in text and "`" not in page
    # The learner's message stays whole, and their failing line is one code span.
    assert "ValueError: odd ' tick at line" in text
    assert "'raise ValueError(\"odd ' tick\")'" in text
    assert "ValueError: odd &#x27; tick at line" in page
    assert "<code>raise ValueError(&quot;odd &#x27; tick&quot;)</code>" in page


def test_expect_equal_arrays_and_scalars():
    from dlcourse.check import Fail

    expect_equal(np.array([1, 2]), np.array([1, 2]))
    with pytest.raises(Fail, match="expected 3"):
        expect_equal(2, 3, what="count")


def test_ch00_checks():
    # The full accept/reject tables are in tests/check_cases/ch00.py; these are spot checks.
    assert ch00.parameter_count(247_766).passed
    assert not ch00.parameter_count(101_770).passed  # the lesson's own network, not the one asked for
    assert "whole number" in ch00.parameter_count(None).message
    assert ch00.images_needed(33_180).passed
    assert not ch00.images_needed(10_000).passed


def test_show_returns_the_real_source():
    code = code_text(dlcourse.set_seed)
    assert code.startswith("# dlcourse.seed\ndef set_seed(")
    assert "keras.utils.set_random_seed(seed)" in code


def test_show_rejects_objects_without_source():
    with pytest.raises(TypeError, match="cannot show"):
        code_text(3)


def test_show_prints_outside_jupyter(capsys):
    dlcourse.show(dlcourse.profiles.Profile.epochs)
    assert "def epochs(self, n: int) -> int:" in capsys.readouterr().out


def _all_course_checkers():
    import importlib
    import inspect

    for chapter in ["ch00", "ch01", "ch02", "ch03", "ch04", "ch05", "ch06", "ch07"]:
        module = importlib.import_module(f"dlcourse.check.{chapter}")
        for name, fn in vars(module).items():
            if hasattr(fn, "title") and getattr(fn, "__module__", "") == module.__name__:
                params = inspect.signature(fn).parameters.values()
                yield f"{chapter}.{name}", fn, sum(p.default is p.empty for p in params)


def test_every_course_check_renders_without_backticks():
    # Wrong answers of two kinds: nothing at all, and a function that forgets to return.
    results = [
        (name, fn(*[answer] * n_args))
        for name, fn, n_args in _all_course_checkers()
        for answer in (None, lambda *args, **kwargs: None)
    ]
    assert len(results) >= 2 * 25
    with_markup = [name for name, r in results if "`" in r.message + r.hint]
    assert len(with_markup) >= 5, "the hints and messages use `code` spans; this test needs some"
    for name, r in results:
        assert not r.passed, name
        assert "`" not in str(r) and "`" not in r._repr_html_(), name
        assert str(r).startswith("✗ "), name
