"""The published full runs the book is built from (stored outputs only; nothing executes here).

A lesson change is finished when its published run is regenerated: these tests
fail, naming the command, when a lesson's code or prose moved on without it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from dlcourse import glue

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import course  # noqa: E402
import publishing  # noqa: E402

LESSONS = sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
PUBLISHED = ROOT / "published"
BASELINES = ROOT / "tests" / "baselines"


def _nb(path: Path) -> dict:
    return json.loads(path.read_text())


def _published(path: Path) -> dict:
    run = PUBLISHED / path.name
    assert run.exists(), f"{path.stem} has no published run: run `make publish L={path.stem}`"
    return _nb(run)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_published_code_is_the_lessons(path):
    assert publishing.code_hash(_published(path)) == publishing.code_hash(_nb(path)), (
        f"{path.stem}: the lesson's code changed after its published run; run "
        f"`make publish L={path.stem}` (about {_minutes(path)} on the course's CPU machine) and "
        "commit published/ with the lesson")


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_published_prose_is_the_lessons(path):
    assert publishing.prose(_published(path)) == publishing.prose(_nb(path)), (
        f"{path.stem}: the lesson's text changed after its published run; if only prose changed, "
        f"run `make publish L={path.stem} PROSE=1` and re-read it against the outputs")


def _minutes(path: Path) -> str:
    run = PUBLISHED / path.name
    record = publishing.read_provenance(_nb(run)) if run.exists() else {}
    return publishing.minutes(record["wall_time_s"]) if record else "up to 30 min"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_published_run_has_no_error_or_stderr(path):
    assert not publishing.output_problems(_published(path))


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_published_metrics_are_inside_the_full_bounds(path):
    assert not publishing.metric_problems(_published(path), path.stem, BASELINES)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_published_run_has_full_provenance(path):
    nb = _published(path)
    record = publishing.read_provenance(nb)
    missing = [k for k in publishing.PROVENANCE_KEYS if k not in record]
    assert not missing, f"{path.stem}: provenance lacks {missing}; republish with `make publish L={path.stem}`"
    assert record["profile"] == "full"
    assert record["code_sha256"] == publishing.code_hash(nb)
    assert 0 < record["wall_time_s"] <= 30 * 60, f"{path.stem}: over the full profile's 30-minute budget"
    assert record["peak_memory_mib"] > 0 and record["cores"] >= 1
    injected = [c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert len(injected) == 1 and 'PROFILE = "full"' in "".join(injected[0]["source"])


def test_every_published_run_has_a_lesson():
    stems = {p.stem for p in LESSONS}
    orphans = [p.name for p in PUBLISHED.glob("*.ipynb") if p.stem not in stems]
    assert not orphans, f"published runs without a lesson: {orphans}; delete them"


def test_status_table_is_built_from_the_provenance():
    table = course.status_table(PUBLISHED)
    for path in LESSONS:
        record = publishing.read_provenance(_published(path))
        row = next(line for line in table.splitlines() if f"[{path.stem}]" in line)
        assert f"| {record['profile']} |" in row and record["date"] in row
        assert publishing.minutes(record["wall_time_s"]) in row and f"{record['peak_memory_mib']:,} MiB" in row


# The checks above must be able to fail: each one, on a doctored copy of a real run.
def _doctored(edit) -> tuple[dict, dict]:
    lesson = _nb(LESSONS[0])
    run = json.loads(json.dumps(_published(LESSONS[0])))
    edit(lesson, run)
    return lesson, run


def test_an_edited_code_cell_changes_the_hash():
    def edit(lesson, run):
        cell = next(c for c in lesson["cells"] if c["cell_type"] == "code")
        cell["source"] = "".join(cell["source"]) + "\nEXTRA = 1"
    lesson, run = _doctored(edit)
    assert publishing.code_hash(lesson) != publishing.code_hash(run)


def test_an_edited_markdown_cell_leaves_the_hash_but_changes_the_prose():
    def edit(lesson, run):
        cell = next(c for c in lesson["cells"] if c["cell_type"] == "markdown")
        cell["source"] = "".join(cell["source"]) + " More."
    lesson, run = _doctored(edit)
    assert publishing.code_hash(lesson) == publishing.code_hash(run)
    assert publishing.prose(lesson) != publishing.prose(run)


def test_stderr_errors_and_bad_metrics_are_found():
    def edit(lesson, run):
        code = [c for c in run["cells"] if c["cell_type"] == "code"]
        code[-1]["outputs"] = [{"output_type": "stream", "name": "stderr", "text": ["W0000 oops\n"]},
                               {"output_type": "error", "ename": "ValueError", "evalue": "bad", "traceback": []}]
        for name, o in glue.glued_outputs(run):
            if name == "ch00_test_accuracy":
                glue.set_text(o, "0.05")
    _, run = _doctored(edit)
    found = publishing.output_problems(run)
    assert any("stderr" in f for f in found) and any("raised ValueError" in f for f in found)
    bad = publishing.metric_problems(run, LESSONS[0].stem, BASELINES)
    assert any("ch00_test_accuracy" in b and "below its lower bound" in b for b in bad)


def test_a_metric_left_out_is_found():
    def edit(lesson, run):
        dropped = [id(o) for name, o in glue.glued_outputs(run) if name == "ch00_test_accuracy"]
        for cell in run["cells"]:
            cell["outputs"] = [o for o in cell.get("outputs", []) if id(o) not in dropped]
    _, run = _doctored(edit)
    assert any("were not recorded: ch00_test_accuracy" in b
               for b in publishing.metric_problems(run, LESSONS[0].stem, BASELINES))


def test_banner_names_profile_device_and_date():
    record = publishing.read_provenance(_published(LESSONS[0]))
    text = publishing.banner(record)
    assert f"**{record['profile']}** profile" in text and record["date"] in text
    assert record["cpu_model"] in text or record["device"] in text


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_value_the_prose_quotes_was_recorded_by_the_run(path):
    import re

    from dlcourse.records import read_recorded

    prose = "\n".join(publishing.prose(_nb(path)))
    quoted = set(re.findall(r"\{glue:[a-z]+\}`([A-Za-z0-9_]+)", prose))
    missing = sorted(quoted - set(read_recorded(_published(path))))
    assert not missing, (f"{path.stem}: the prose quotes values its published run never recorded: {missing}; "
                         f"record them in the lesson and run `make publish L={path.stem}`")
