"""The exercises as the lessons present them: counts, order, hidden solutions, and no answer given away.

Conventions a lesson follows (book/testing.md, "Exercises"):

- an exercise is a code cell tagged ``exercise`` that calls exactly one checker,
  ``chNN.key(...)``, on the learner's placeholder;
- the chapter ends with a ``## Solutions`` section, collapsed on Colab and in Jupyter,
  whose code cells are tagged ``solution`` and ``hide-cell`` (the book collapses their
  input and output) and each print ``chNN.solution("key")`` and run the checker on
  ``chNN.reference("key")``;
- a ``dlcourse.show`` that displays an exercise's answer comes after the exercise.

The golden copies hold the outputs: an unedited exercise prints a first hint and
neither code nor the answer; every solution passes its checker.
"""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import pytest

from dlcourse.check import _plain_code, registered
from dlcourse.source import code_text

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
MIN_EXERCISES, MIN_CODE, MIN_EXPERIMENTS, MIN_CODE_LINES = 5, 2, 1, 6
CALL = re.compile(r"\b(ch0\d)\.(\w+)\(")


def _nb(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _src(cell: dict) -> str:
    return "".join(cell["source"])


def _tags(cell: dict) -> list[str]:
    return cell["metadata"].get("tags", [])


def _chapter(path: Path) -> str:
    return f"ch{path.name[:2]}"


def _exercises(path: Path) -> dict:
    module = f"dlcourse.check.{_chapter(path)}"
    importlib.import_module(module)
    return {ex.key: ex for ex in registered(module)}


def _exercise_cells(nb: dict, chapter: str) -> list[tuple[int, str]]:
    """(cell index, exercise key) of every cell tagged `exercise`."""
    found = []
    for i, cell in enumerate(nb["cells"]):
        if "exercise" in _tags(cell):
            keys = [key for ch, key in CALL.findall(_src(cell)) if ch == chapter
                    and key not in ("hint", "solution", "reference")]
            assert len(keys) == 1, f"cell {i} tagged exercise should call one {chapter} checker, calls {keys}"
            found.append((i, keys[0]))
    return found


def _code_lines(obj) -> int:
    lines = [ln for ln in code_text(obj).splitlines() if ln.strip() and not ln.strip().startswith(("#", '"""'))]
    return len(lines)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_counts(path):
    exercises = _exercises(path)
    cells = _exercise_cells(_nb(path), _chapter(path))
    keys = [key for _, key in cells]
    assert len(keys) == len(set(keys)), f"an exercise appears twice: {keys}"
    assert set(keys) == set(exercises), f"registered but not in the lesson: {set(exercises) - set(keys)}; " \
                                        f"in the lesson but not registered: {set(keys) - set(exercises)}"
    assert len(keys) >= MIN_EXERCISES, f"{len(keys)} exercises, want {MIN_EXERCISES} or more"
    code = [k for k in keys if exercises[k].kind == "code" and exercises[k].solution is not None
            and _code_lines(exercises[k].solution) >= MIN_CODE_LINES]
    assert len(code) >= MIN_CODE, f"exercises asking for {MIN_CODE_LINES}+ lines of code: {code}"
    experiments = [k for k in keys if exercises[k].kind == "experiment"]
    assert len(experiments) >= MIN_EXPERIMENTS, "no experiment exercise"
    missing = [k for k in keys if exercises[k].solution is None]
    assert not missing, f"exercises without a reference solution: {missing}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_the_code_asked_for_is_shown_only_after_its_exercise(path):
    nb, exercises = _nb(path), _exercises(path)
    where = dict((key, i) for i, key in _exercise_cells(nb, _chapter(path)))
    for i, cell in enumerate(nb["cells"]):
        src = _src(cell)
        if cell["cell_type"] != "code" or "dlcourse.show(" not in src:
            continue
        for key, ex in exercises.items():
            for shown in ex.shows:
                if f"dlcourse.show({shown})" in src or f"dlcourse.show({shown}." in src:
                    assert i > where[key], f"cell {i} shows {shown} before exercise {key} (cell {where[key]})"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_solutions_sit_collapsed_at_the_end_and_hidden_in_the_book(path):
    nb, chapter = _nb(path), _chapter(path)
    cells = nb["cells"]
    heads = [i for i, c in enumerate(cells) if c["cell_type"] == "markdown" and _src(c).startswith("## Solutions")]
    assert len(heads) == 1, "one '## Solutions' section"
    head = cells[heads[0]]
    assert head["metadata"].get("jp-MarkdownHeadingCollapsed") is True
    assert head["id"] in nb["metadata"].get("colab", {}).get("collapsed_sections", []), \
        "list the Solutions heading's id in metadata.colab.collapsed_sections"
    after = cells[heads[0] + 1:]
    assert not any(c["cell_type"] == "markdown" and _src(c).lstrip().startswith("## ") for c in after), \
        "Solutions is the last section"
    solved = set()
    for c in after:
        if c["cell_type"] != "code":
            continue
        assert {"solution", "hide-cell"} <= set(_tags(c)), f"tag solution cells 'solution' and 'hide-cell': {c['id']}"
        keys = {key for ch, key in CALL.findall(_src(c)) if ch == chapter and key not in ("solution", "reference")}
        solved |= keys
        for key in keys:
            assert f'{chapter}.solution("{key}")' in _src(c) and f'{chapter}.reference("{key}")' in _src(c)
    assert solved == set(_exercises(path)), f"exercises without a solution cell: {set(_exercises(path)) - solved}"
    before = [c for c in cells[:heads[0]] if "solution" in _tags(c) or "hide-input" in _tags(c)
              and CALL.search(_src(c))]
    assert not before, "solution cells belong in the Solutions section"


def _text(cell: dict) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if "text" in out:
            parts.append("".join(out["text"]))
        for mime in ("text/plain", "text/html"):
            if mime in out.get("data", {}):
                parts.append("".join(out["data"][mime]))
    return "\n".join(parts)


def _answer_forms(value) -> list[str]:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return []
    if float(value).is_integer() and abs(value) >= 10:
        return [f"{int(value)}", f"{int(value):,}"]
    return []


GOLDEN = [ROOT / "tests" / "golden" / p.name for p in LESSONS]


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_an_unedited_exercise_prints_a_first_hint_and_no_code_or_answer(path):
    nb, chapter = _nb(path), _chapter(path)
    module = importlib.import_module(f"dlcourse.check.{chapter}")
    exercises = _exercises(path)
    for i, key in _exercise_cells(nb, chapter):
        ex, text = exercises[key], _text(nb["cells"][i])
        assert "✗" in text and "not yet" in text, f"{key}: the unedited cell should fail its check: {text[:200]!r}"
        assert _plain_code(ex.hints[0])[:40] in text, f"{key}: the first hint is not shown"
        for later in ex.hints[1:]:
            assert _plain_code(later)[:40] not in text, f"{key}: a later hint is shown unasked"
        for line in code_text(ex.solution).splitlines()[1:]:
            line = line.strip()
            if len(line) >= 12 and not line.startswith(("#", '"""')):
                assert line not in text, f"{key}: the unedited cell shows solution code {line!r}"
        if ex.kind != "code":
            for form in _answer_forms(module.reference(key)):
                assert form not in text, f"{key}: the unedited cell shows the answer {form}"


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_every_solution_passes_its_checker(path):
    nb = _nb(path)
    for cell in nb["cells"]:
        if "solution" in _tags(cell):
            text = _text(cell)
            assert "✓" in text and "✗" not in text, f"{cell['id']}: {text[:300]!r}"
