"""Accept/reject cases for every exercise checker, one module per chapter.

Each chapter module here (``ch00`` … ``ch07``) defines ``CASES``: for every exercise
key of ``dlcourse.check.chNN``, a :class:`Case` with the answer the checker must accept
and at least three typical wrong answers it must reject, each with a fragment of the
message the learner would see. ``tests/test_check_cases.py`` runs them all and fails
when a registered exercise has no case or fewer than three wrong answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Args:
    """Several positional (and keyword) arguments for one checker call."""

    args: tuple[Any, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Wrong:
    """A typical wrong answer and a fragment of the message the learner must see for it."""

    answer: Any
    says: str  # must appear in the failure message or its first hint (case-sensitive)
    mistake: str  # what the learner got wrong, for the test's id


@dataclass(frozen=True)
class Case:
    """The checker of ``key`` must accept ``right`` (None: its registered reference) and reject each ``wrong``."""

    wrong: tuple[Wrong, ...]
    right: Any = None
    extra: dict[str, Any] = field(default_factory=dict)  # keyword arguments every call gets


def call(checker: Any, answer: Any, extra: dict[str, Any]) -> Any:
    if isinstance(answer, Args):
        return checker(*answer.args, **{**extra, **answer.kwargs})
    return checker(answer, **extra)
