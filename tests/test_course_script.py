"""scripts/course.py: lesson names, publishing refusals and prose refresh (nothing executes)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import course  # noqa: E402
import publishing  # noqa: E402

STEMS = sorted(p.stem for p in (ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))


def test_unknown_lesson_lists_the_lessons_without_importing_tensorflow():
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-X", "importtime", str(ROOT / "scripts" / "course.py"),
                             "check-lessons", "01_backprop", "unknown"], capture_output=True, text=True)
    assert result.returncode == 1
    message = result.stderr.splitlines()[-1]
    assert "no lesson 'unknown'" in message and all(stem in message for stem in STEMS)
    assert "make lesson L=01_backprop" in message
    assert "tensorflow" not in result.stderr.replace(message, ""), "the name check imported TensorFlow"
    assert time.perf_counter() - start < 60  # generous; the point is the import check above


def test_known_lessons_pass_the_name_check():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "course.py"), "check-lessons", *STEMS],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """course.py pointed at a copy of lessons/ and published/, so nothing real is touched."""
    lessons, published, build = tmp_path / "lessons", tmp_path / "published", tmp_path / "_build"
    shutil.copytree(ROOT / "lessons", lessons)
    shutil.copytree(ROOT / "published", published)
    monkeypatch.setattr(course, "LESSONS", lessons)
    monkeypatch.setattr(course, "PUBLISHED", published)
    monkeypatch.setattr(course, "BUILD", build)
    return tmp_path


def _edit_first(path: Path, kind: str, extra: str) -> None:
    nb = json.loads(path.read_text())
    cell = next(c for c in nb["cells"] if c["cell_type"] == kind)
    cell["source"] = "".join(cell["source"]) + extra
    path.write_text(json.dumps(nb))


def test_recheck_without_an_earlier_run_says_what_to_run(sandbox):
    with pytest.raises(SystemExit, match=r"no earlier run of 00_first_network.*make publish L=00_first_network"):
        course.publish(course.lesson_paths(["00_first_network"]), recheck=True)


def test_recheck_refuses_a_run_of_older_code_and_publishes_nothing(sandbox, capsys):
    staging = sandbox / "_build" / "publish"
    staging.mkdir(parents=True)
    shutil.copy(sandbox / "published" / "00_first_network.ipynb", staging)
    (staging / "00_first_network.run.json").write_text(json.dumps({"wall_time_s": 50.0, "peak_mib": 1000.0}))
    before = (sandbox / "published" / "00_first_network.ipynb").read_bytes()
    _edit_first(sandbox / "lessons" / "00_first_network.ipynb", "code", "\nEXTRA = 1")
    with pytest.raises(SystemExit, match="1 run\\(s\\) not published: 00_first_network"):
        course.publish(course.lesson_paths(["00_first_network"]), recheck=True)
    assert "the lesson's code changed since this run" in capsys.readouterr().out
    assert (sandbox / "published" / "00_first_network.ipynb").read_bytes() == before


def test_recheck_of_a_good_run_publishes_it_with_provenance(sandbox):
    staging = sandbox / "_build" / "publish"
    staging.mkdir(parents=True)
    run = json.loads((sandbox / "published" / "00_first_network.ipynb").read_text())
    run["metadata"].pop("dlcourse")
    (staging / "00_first_network.ipynb").write_text(json.dumps(run))
    (staging / "00_first_network.run.json").write_text(json.dumps({"wall_time_s": 42.0, "peak_mib": 900.0}))
    course.publish(course.lesson_paths(["00_first_network"]), recheck=True)
    record = publishing.read_provenance(json.loads((sandbox / "published" / "00_first_network.ipynb").read_text()))
    assert record["wall_time_s"] == 42.0 and record["peak_memory_mib"] == 900
    assert set(publishing.PROVENANCE_KEYS) <= set(record) and record["profile"] == "full"


def test_prose_refresh_copies_markdown_and_keeps_outputs(sandbox):
    lesson = sandbox / "lessons" / "00_first_network.ipynb"
    _edit_first(lesson, "markdown", " A new sentence.")
    before = json.loads((sandbox / "published" / "00_first_network.ipynb").read_text())
    course.publish_prose(course.lesson_paths(["00_first_network"]))
    after = json.loads((sandbox / "published" / "00_first_network.ipynb").read_text())
    assert publishing.prose(after) == publishing.prose(json.loads(lesson.read_text()))
    outputs = lambda nb: [c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code"]  # noqa: E731
    assert outputs(after) == outputs(before) and publishing.read_provenance(after) == publishing.read_provenance(before)


def test_prose_refresh_of_golden_copies_names_the_golden_command(sandbox):
    golden = sandbox / "golden"
    golden.mkdir()
    _edit_first(sandbox / "lessons" / "00_first_network.ipynb", "code", "\nEXTRA = 1")
    shutil.copy(ROOT / "tests" / "golden" / "00_first_network.ipynb", golden)
    with pytest.raises(SystemExit, match="run `make golden L=00_first_network`"):
        course.publish_prose(course.lesson_paths(["00_first_network"]), golden, "make golden")
    with pytest.raises(SystemExit, match="no executed copy in .*make golden L=01_backprop"):
        course.publish_prose(course.lesson_paths(["01_backprop"]), golden, "make golden")


def test_prose_refresh_refuses_when_the_code_changed(sandbox):
    _edit_first(sandbox / "lessons" / "00_first_network.ipynb", "code", "\nEXTRA = 1")
    with pytest.raises(SystemExit, match="the code changed too.*make publish L=00_first_network"):
        course.publish_prose(course.lesson_paths(["00_first_network"]))


def test_book_build_names_the_command_for_a_missing_run(sandbox, tmp_path):
    (sandbox / "published" / "00_first_network.ipynb").unlink()
    with pytest.raises(SystemExit, match="make publish L=00_first_network"):
        course.build_book(sandbox / "published", tmp_path / "book")
