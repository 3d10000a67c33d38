"""Measurements made outside the lessons, by the scripts in ``benchmarks/``, that a lesson reports.

A lesson computes its own numbers; when it must also say what a longer search found
(lesson 06's attempts to reproduce the lab report's collapse take hours, more than a
page's run), the search's output is committed here as JSON and the lesson reads it, so
that no number from it is typed into prose. Each file says which script made it, with
which arguments, on which machine and date.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent


def available() -> list[str]:
    """The names of the stored results (file stems)."""
    return sorted(p.stem for p in _HERE.glob("*.json"))


def load(name: str) -> dict[str, Any]:
    """The stored result ``name``: a dict with ``script``, ``machine``, ``date``, ``note`` and ``rows``."""
    path = _HERE / f"{name}.json"
    if not path.is_file():
        raise KeyError(f"no stored result {name!r}; the stored results are: {', '.join(available()) or 'none'}")
    return json.loads(path.read_text(encoding="utf-8"))
