"""Structure of the lesson notebooks and their golden copies (no execution here).

The golden copies are executed by ``pytest --nbval-lax tests/golden``: cells
marked ``# NBVAL_CHECK_OUTPUT`` must reproduce their committed output and no
cell may raise; recorded metrics are checked against tests/baselines.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dlcourse.setup_cell import REPOSITORY, SETUP_CELL

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
GOLDEN = ROOT / "tests" / "golden"


def _nb(path: Path) -> dict:
    return json.loads(path.read_text())


def _src(cell: dict) -> str:
    s = cell["source"]
    return "".join(s) if isinstance(s, list) else s


def _lesson_cells(nb: dict) -> list[tuple[str, str]]:
    return [(c["cell_type"], _src(c)) for c in nb["cells"]
            if "injected-parameters" not in c["metadata"].get("tags", [])]


def test_there_are_lessons():
    assert LESSONS, "no lessons/NN_name.ipynb found"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_has_no_outputs(path):
    for i, c in enumerate(_nb(path)["cells"]):
        if c["cell_type"] == "code":
            assert not c.get("outputs") and c.get("execution_count") is None, (
                f"{path.name} cell {i} has outputs: lessons are committed clean "
                "(clear outputs before committing; the golden copy holds the outputs)")


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_first_code_cell_is_the_only_parameters_cell(path):
    code = [c for c in _nb(path)["cells"] if c["cell_type"] == "code"]
    tagged = [i for i, c in enumerate(code) if "parameters" in c["metadata"].get("tags", [])]
    assert tagged == [0], f"{path.name}: exactly the first code cell must be tagged 'parameters', got {tagged}"
    assert "PROFILE = None" in _src(code[0]), f"{path.name}: the parameters cell must set PROFILE = None"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_setup_cell_is_the_canonical_one(path):
    code = [c for c in _nb(path)["cells"] if c["cell_type"] == "code"]
    assert _src(code[1]) == SETUP_CELL, (
        f"{path.name}: the second code cell must be dlcourse.setup_cell.SETUP_CELL; "
        "run `python scripts/course.py sync-setup`")


def test_setup_cell_installs_from_the_configured_repository():
    config = (ROOT / "_config.yml").read_text()
    assert f"url: {REPOSITORY}" in config
    assert "--no-deps" in SETUP_CELL and "google.colab" in SETUP_CELL


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_golden_copy_matches_lesson(path):
    golden = GOLDEN / path.name
    assert golden.exists(), f"{golden} is missing: run `make golden`"
    assert _lesson_cells(_nb(golden)) == _lesson_cells(_nb(path)), (
        f"{golden.name} differs from its lesson: regenerate it with "
        f"`python scripts/course.py golden {path.stem}`")


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_golden_copy_ran_smoke_without_errors(path):
    nb = _nb(GOLDEN / path.name)
    injected = [c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert len(injected) == 1 and 'PROFILE = "smoke"' in _src(injected[0])
    for c in nb["cells"]:
        for o in c.get("outputs", []):
            assert o["output_type"] != "error", f"{path.name}: a cell raised {o.get('ename')}"
            assert not (o["output_type"] == "stream" and o["name"] == "stderr"), (
                f"{path.name}: stderr output would show on the book page: {''.join(o['text'])[:200]}")


def test_every_golden_copy_has_a_lesson():
    stems = {p.stem for p in LESSONS}
    orphans = [g.name for g in GOLDEN.glob("*.ipynb") if g.stem not in stems]
    assert not orphans, f"golden copies without a lesson: {orphans}"


def test_every_lesson_is_in_the_table_of_contents():
    toc = (ROOT / "_toc.yml").read_text()
    for p in LESSONS:
        assert f"lessons/{p.stem}" in toc, f"{p.stem} is not in _toc.yml"


# What a learner reads is what a learner would write: no test plumbing in lesson code.
PLUMBING = {
    "P.pick(": "a per-profile choice belongs in the parameters cell (SMOKE / GPU dicts)",
    "is_smoke": "a branch on the profile changes what a cell teaches; use the parameters cell",
    "gc.collect": "memory workarounds belong inside dlcourse, tested, not on the page",
    "quick_bn": "batch-norm momentum is a setting of the parameters cell (BN_MOMENTUM)",
}


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_code_has_no_test_plumbing(path):
    code = [c for c in _nb(path)["cells"] if c["cell_type"] == "code"]
    for i, cell in enumerate(code):
        for needle, why in PLUMBING.items():
            assert needle not in _src(cell), f"{path.name}, code cell {i}: `{needle}`: {why}"


def _assigned_names(source: str) -> set[str]:
    import ast

    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_profile_overrides_change_only_settings_of_the_parameters_cell(path):
    import ast

    params = _src([c for c in _nb(path)["cells"] if c["cell_type"] == "code"][0])
    names = _assigned_names(params)
    assert {"SMOKE", "GPU"} <= names, f"{path.name}: the parameters cell must define SMOKE and GPU"
    scope: dict = {}
    exec(compile(ast.parse(params), path.name, "exec"), scope)  # plain constants only
    for profile in ("SMOKE", "GPU"):
        unknown = set(scope[profile]) - names
        assert not unknown, (f"{path.name}: {profile} changes {sorted(unknown)}, which the parameters "
                             "cell does not set; add them there with their full-profile values")


def _bare_value_outputs(nb: dict) -> list[str]:
    """Cells whose last line left a value on the page (an execute_result of plain text only)."""
    found = []
    for i, cell in enumerate(nb["cells"]):
        for o in cell.get("outputs", []):
            if o["output_type"] == "execute_result" and set(o.get("data", {})) == {"text/plain"}:
                found.append(f"cell {i}: {_src({'source': o['data']['text/plain']})[:60]!r}")
    return found


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_golden_copy_leaves_no_stray_values_on_the_page(path):
    stray = _bare_value_outputs(_nb(GOLDEN / path.name))
    assert not stray, (f"{path.name}: a cell ends in an expression whose value lands on the page "
                       f"(assign it, or end the cell with a print): {stray}")


UNFINISHED = ("PLACEHOLDER", "TODO", "FIXME", "XXX")


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_prose_has_no_unfinished_text(path):
    left = [(i, word) for i, c in enumerate(_nb(path)["cells"]) if c["cell_type"] == "markdown"
            for word in UNFINISHED if word in _src(c)]
    assert not left, f"{path.name}: unfinished text in markdown cells (cell index, marker): {left}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_checked_cells_do_not_rely_on_a_trailing_semicolon(path):
    # nbval runs cells without storing them in IPython's history, and IPython decides
    # whether ';' hides a cell's last value from that history: under nbval the value shows.
    bad = [i for i, c in enumerate(_nb(path)["cells"]) if c["cell_type"] == "code"
           and "NBVAL_CHECK_OUTPUT" in _src(c) and _src(c).rstrip().endswith(";")]
    assert not bad, f"{path.name}: checked cells ending in ';' (cell indices {bad}): assign the value instead"
