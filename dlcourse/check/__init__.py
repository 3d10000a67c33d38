"""Self-checks for the learners' exercises.

Each chapter has a module (``dlcourse.check.ch00``, ``ch01``, ...) of checker
functions made with :func:`exercise`. A checker runs the learner's code on
known inputs and returns a :class:`CheckResult` that prints as one clear line:
a pass, or what is wrong and a hint. Errors raised by the learner's code are
caught and summarised; a learner never gets a wall of traceback from a check.

Hints are graded. A failed check shows only the first, which says what to think
about (a shape, an identity, what to compare), never the code. The learner asks for
more with the chapter module's ``hint``, one level at a time, and for the reference
answer with ``solution``::

    from dlcourse.check import ch01
    ch01.hint("affine_backward")      # the next hint
    ch01.hint("affine_backward", 3)   # a given level
    ch01.solution("affine_backward")  # the reference code
    ch01.affine_backward(ch01.reference("affine_backward"))  # the reference, checked

Every exercise has a ``kind``: ``"code"`` (the learner writes a function or a class),
``"value"`` (a number, a shape or a choice worked out by hand) or ``"experiment"``
(a number or a choice read off a small run the learner makes). For ``code`` the
registered solution is the answer itself; for the other two it is a function without
arguments that computes the answer, and ``reference`` returns what it computes.

Writing a checker::

    @exercise("Sigmoid.backward",
              hints=["the derivative of σ can be written with σ's own output, which forward saved",
                     "dσ/dx = y·(1 − y) with y = self.out; multiply dout by it"],
              solution=_sigmoid_backward_solution)
    def sigmoid_backward(layer_cls):
        got = layer_cls().backward(...)
        expect_close(got, reference, what="dx")

and, once per chapter module, ``hint, solution, reference = help_for(__name__)``.
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

__all__ = ["KINDS", "CheckResult", "Exercise", "Fail", "exercise", "expect_number", "is_number", "expect", "expect_close", "expect_equal", "help_for",
           "registered"]


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
    more: str = ""  # how to ask for the next hint, when there is one

    def __bool__(self) -> bool:
        return self.passed

    def _source(self) -> str:
        """The verdict with messages and hints as written: `code` marked as in markdown."""
        if self.passed:
            return f"{PASS_MARK} {self.exercise}: correct. {self.message}".rstrip()
        text = f"{FAIL_MARK} {self.exercise}: not yet. {self.message}"
        text += f"\n   Hint: {self.hint}" if self.hint else ""
        return text + (f"\n   {self.more}" if self.more else "")

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


def is_number(value: Any) -> bool:
    """True for an int or float (numpy's too), False for a bool, a string or None."""
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def expect_number(answer: Any) -> float:
    """``answer`` as a float; fail with a message that names the fix unless it is a finite number."""
    expect(answer is not None, "replace None by a number.")
    expect(is_number(answer), f"give a number, got {answer!r}.")
    value = float(answer)
    expect(bool(np.isfinite(value)), f"give a finite number, got {answer!r}.")
    return value


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


KINDS = ("code", "value", "experiment")


@dataclass(frozen=True)
class Exercise:
    """What the help functions know about one checker: its graded hints and its reference solution."""

    key: str  # the checker's function name, what the learner passes to hint() and solution()
    title: str
    hints: tuple[str, ...]
    solution: Callable[..., Any] | None = None
    kind: str = "code"
    shows: tuple[str, ...] = ()  # what `dlcourse.show(...)` displays the answer; the lesson shows it only later


_REGISTRY: dict[str, dict[str, Exercise]] = {}  # chapter module → key → exercise


def registered(module: str | None = None) -> list[Exercise]:
    """Every registered exercise (of one chapter module, e.g. ``"dlcourse.check.ch01"``)."""
    return [ex for mod, exs in _REGISTRY.items() if module in (None, mod) for ex in exs.values()]


def _module_alias(module: str) -> str:
    return module.rsplit(".", 1)[-1]  # dlcourse.check.ch01 → ch01


def exercise(title: str, hint: str = "", *, hints: tuple[str, ...] | list[str] = (),
             solution: Callable[..., Any] | None = None, kind: str = "code", shows: tuple[str, ...] = (),
             ) -> Callable[[Callable[..., Any]], Callable[..., CheckResult]]:
    """Turn ``checker(answer, ...)`` into a function that returns a ``CheckResult``.

    ``hints`` are graded, first to last; a failed check shows the first only. ``hint``
    is a single first hint (the older form). ``solution`` is the reference answer (for
    ``kind="code"``) or a function without arguments that computes it (``"value"``,
    ``"experiment"``), shown by the chapter's ``solution(key)``. ``shows`` names the
    arguments of any ``dlcourse.show(...)`` in the lesson that displays the answer
    (``"layers.Affine"``); the lesson may show those only after the exercise.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    graded = ((hint,) if hint else ()) + tuple(hints)

    def wrap(checker: Callable[..., Any]) -> Callable[..., CheckResult]:
        key, module = checker.__name__, checker.__module__
        _REGISTRY.setdefault(module, {})[key] = Exercise(key, title, graded, solution, kind, tuple(shows))
        alias = _module_alias(module)
        if len(graded) > 1:
            more = f"More help: `{alias}.hint(\"{key}\")` (hint 2 of {len(graded)})."
        elif solution is not None:
            more = f"Stuck? `{alias}.solution(\"{key}\")` shows a reference answer."
        else:
            more = ""
        first = graded[0] if graded else ""

        @functools.wraps(checker)
        def run(*args: Any, **kwargs: Any) -> CheckResult:
            try:
                note = checker(*args, **kwargs)
            except Fail as fail:
                return CheckResult(title, False, str(fail), first, more)
            except Exception as err:  # the learner's code failed: summarise, don't dump
                return CheckResult(title, False, _learner_error(err), first, more)
            return CheckResult(title, True, note or "")

        run.title = title  # type: ignore[attr-defined]
        run.key = key  # type: ignore[attr-defined]
        return run

    return wrap


@dataclass(frozen=True)
class Help:
    """A hint or a reference solution, shown as text (plain or HTML)."""

    heading: str
    body: str
    is_code: bool = False

    def __str__(self) -> str:
        body = self.body if self.is_code else _plain_code(self.body)
        return f"{self.heading}\n{body}" if self.is_code else f"{self.heading}: {body}"

    __repr__ = __str__

    def _repr_html_(self) -> str:
        if self.is_code:
            body = f"<pre>{html.escape(self.body)}</pre>"
        else:
            body = _html_code(self.body)
        return (f'<div class="dlcourse-help" style="border-left:4px solid #8a6d00;padding:4px 8px;'
                f'margin:4px 0"><b>{html.escape(self.heading)}</b> {body}</div>')


def help_for(module: str) -> tuple[Callable[..., Help], Callable[[str], Help], Callable[[str], Any]]:
    """The ``hint(key, level=None)``, ``solution(key)`` and ``reference(key)`` functions of a chapter module."""
    shown: dict[str, int] = {}  # key → the highest level shown so far (the check showed 1)

    def _find(key: str) -> Exercise:
        exercises = _REGISTRY.get(module, {})
        if key not in exercises:
            names = ", ".join(f'"{k}"' for k in exercises) or "none"
            raise KeyError(f"no exercise {key!r} in {_module_alias(module)}; its exercises are: {names}")
        return exercises[key]

    def hint(key: str, level: int | None = None) -> Help:
        """The next hint for exercise ``key`` (or hint number ``level``, from 1)."""
        ex = _find(key)
        if not ex.hints:
            return Help(f"{ex.title}", "this exercise has no hints; try `solution` if you are stuck.")
        if level is None:
            level = min(shown.get(key, 1) + 1, len(ex.hints))
        if not isinstance(level, int) or not 1 <= level <= len(ex.hints):
            raise ValueError(f"level must be a whole number from 1 to {len(ex.hints)} for {key!r}, got {level!r}")
        shown[key] = max(shown.get(key, 1), level)
        last = "" if level < len(ex.hints) else (
            " That was the last hint." + (f" `{_module_alias(module)}.solution(\"{key}\")` shows an answer."
                                          if ex.solution is not None else ""))
        return Help(f"Hint {level} of {len(ex.hints)} for {ex.title}", ex.hints[level - 1] + last)

    def solution(key: str) -> Help:
        """A reference answer for exercise ``key``, as code."""
        from dlcourse.source import code_text

        ex = _find(key)
        if ex.solution is None:
            return Help(f"{ex.title}", "this exercise has no code answer; its hints say what to compute.")
        return Help(f"A reference answer for {ex.title} (one of many correct ones):", code_text(ex.solution),
                    is_code=True)

    def reference(key: str) -> Any:
        """The reference answer for exercise ``key``, ready to pass to its checker."""
        ex = _find(key)
        if ex.solution is None:
            raise LookupError(f"{key!r} has no reference answer; its hints say what to compute.")
        return ex.solution if ex.kind == "code" else ex.solution()

    return hint, solution, reference
