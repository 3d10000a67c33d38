"""Accept/reject cases for dlcourse.check.ch06 (see check_cases/__init__.py)."""

from __future__ import annotations

from check_cases import Args, Case, Wrong  # noqa: F401

CASES: dict[str, Case] = {}
