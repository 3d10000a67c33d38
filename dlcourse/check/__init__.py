"""Self-checks for the learners' exercises.

Each chapter has a module (``dlcourse.check.ch00``, ``ch01``, ...) of checker
functions made with :func:`exercise`. A checker runs the learner's code on
known inputs and returns a :class:`CheckResult` that prints as one clear line:
a pass, or what is wrong and a hint. Errors raised by the learner's code are
caught and summarised; a learner never gets a wall of traceback from a check.

Writing a checker::

    @exercise("sigmoid backward", hint="dσ/dx = y·(1 − y), with y the forward output")
    def sigmoid_backward(layer_cls):
        got = layer_cls().backward(...)
        expect_close(got, reference, what="dx")
"""

from __future__ import annotations

import functools
import html
import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["CheckResult", "Fail", "exercise", "expect", "expect_close", "expect_equal"]


class Fail(Exception):
    """Raised inside a checker when the learner's answer is wrong."""


# Dingbat check marks rather than emoji (✅/❌): DejaVu and the other common text fonts
# have them, so they never show as empty boxes on a machine without an emoji font.
PASS_MARK = "✓"
FAIL_MARK = "✗"

# Messages and hints mark code as `code`, as in markdown; the backticks are markup, so
# they are turned into quotes (plain text) or <code> (HTML) and never shown.
_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def _plain_code(text: str) -> str:
    """``text`` for a terminal or ``print``: code spans quoted, no backtick left."""
    return _CODE_SPAN.sub(r"'\1'", text).replace("`", "'")


def _html_code(text: str) -> str:
    """``text`` as escaped HTML, code spans as ``<code>``, no backtick left."""
    parts = _CODE_SPAN.split(text)  # odd indices are the insides of code spans
    return "".join(
        f"<code>{html.escape(part)}</code>" if i % 2 else html.escape(part.replace("`", "'"))
        for i, part in enumerate(parts)
    )


@dataclass(frozen=True)
class CheckResult:
    """The verdict of one exercise check."""

    exercise: str
    passed: bool
    message: str
    hint: str = ""

    def __bool__(self) -> bool:
        return self.passed

    def _source(self) -> str:
        """The verdict with messages and hints as written: `code` marked as in markdown."""
        if self.passed:
            return f"{PASS_MARK} {self.exercise}: correct. {self.message}".rstrip()
        text = f"{FAIL_MARK} {self.exercise}: not yet. {self.message}"
        return text + (f"\n   Hint: {self.hint}" if self.hint else "")

    def __str__(self) -> str:
        return _plain_code(self._source())

    __repr__ = __str__

    def _repr_html_(self) -> str:
        color = "#1b7f3b" if self.passed else "#b3261e"
        body = _html_code(self._source()).replace("\n", "<br>")
        return (
            f'<div class="dlcourse-check" style="border-left:4px solid {color};'
            f'padding:4px 8px;margin:4px 0">{body}</div>'
        )


def expect(condition: bool, message: str) -> None:
    """Fail the check with ``message`` unless ``condition`` holds."""
    if not condition:
        raise Fail(message)


def expect_equal(got: Any, want: Any, what: str = "the answer") -> None:
    """Fail unless ``got == want`` (for exact answers: shapes, classes, counts)."""
    if isinstance(got, np.ndarray) or isinstance(want, np.ndarray):
        same = np.array_equal(np.asarray(got), np.asarray(want))
    else:
        same = got == want
    if not same:
        raise Fail(f"{what} is {got!r}, expected {want!r}.")


def expect_close(got: Any, want: Any, what: str = "the result", rtol: float = 1e-6,
                 atol: float = 1e-8) -> None:
    """Fail unless ``got`` matches ``want`` in shape and within ``rtol``/``atol``."""
    if got is None:
        raise Fail(f"{what} is None: did you forget a `return`?")
    try:
        g = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        raise Fail(f"{what} should be numeric, got {type(got).__name__}.") from None
    w = np.asarray(want, dtype=float)
    if g.shape != w.shape:
        raise Fail(f"{what} has shape {g.shape}, expected {w.shape}.")
    if not np.all(np.isfinite(g)):
        raise Fail(f"{what} contains NaN or inf.")
    if not np.allclose(g, w, rtol=rtol, atol=atol):
        err = np.max(np.abs(g - w))
        raise Fail(f"{what} differs from the reference (largest absolute difference {err:.3g}).")


def _learner_error(err: BaseException) -> str:
    """One line naming the learner's error and where it happened."""
    if isinstance(err, NotImplementedError):
        return "the code is not written yet (it raises NotImplementedError)."
    frames = traceback.extract_tb(err.__traceback__)
    # The innermost frame outside dlcourse is the learner's own line.
    own = [f for f in frames if "dlcourse" not in f.filename]
    # The learner's text is not markup: a backtick in it must not open a code span.
    line = (own[-1].line or "").strip().replace("`", "'") if own else ""
    where = f" at line {own[-1].lineno}: `{line}`" if own else ""
    said = str(err).replace("`", "'")
    return f"your code raised {type(err).__name__}: {said}{where}"


def exercise(title: str, hint: str = "") -> Callable[[Callable[..., Any]], Callable[..., CheckResult]]:
    """Turn ``checker(answer, ...)`` into a function that returns a ``CheckResult``."""

    def wrap(checker: Callable[..., Any]) -> Callable[..., CheckResult]:
        @functools.wraps(checker)
        def run(*args: Any, **kwargs: Any) -> CheckResult:
            try:
                note = checker(*args, **kwargs)
            except Fail as fail:
                return CheckResult(title, False, str(fail), hint)
            except Exception as err:  # the learner's code failed: summarise, don't dump
                return CheckResult(title, False, _learner_error(err), hint)
            return CheckResult(title, True, note or "", hint)

        run.title = title  # type: ignore[attr-defined]
        return run

    return wrap
