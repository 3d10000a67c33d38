"""A broken lesson fails every path: nbval, papermill, the book build, metric bounds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import course  # noqa: E402

pytestmark = pytest.mark.slow


def _notebook(path: Path, *cells: str, tags0=("parameters",)) -> Path:
    nb = new_notebook(cells=[new_code_cell(c) for c in cells])
    nb.cells[0].metadata["tags"] = list(tags0)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def test_nbval_fails_on_a_raising_cell_and_on_a_metric_below_its_bound(tmp_path):
    _notebook(tmp_path / "raises.ipynb", 'PROFILE = "smoke"', "1 / 0")
    _notebook(tmp_path / "weak.ipynb", 'PROFILE = "smoke"',
              "import dlcourse\nP = dlcourse.profile(PROFILE)\n"
              "dlcourse.record('ch00_test_accuracy', 0.11)")
    _notebook(tmp_path / "fine.ipynb", 'PROFILE = "smoke"',
              "import dlcourse\nP = dlcourse.profile(PROFILE)\n"
              "dlcourse.record('ch00_test_accuracy', 0.9)")
    env = {**os.environ, "DLCOURSE_BASELINES": str(ROOT / "tests" / "baselines")}
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                        "--nbval-lax", "-rf", str(tmp_path)],
                       capture_output=True, text=True, cwd=tmp_path, env=env)
    out = r.stdout + r.stderr
    assert r.returncode == 1, out[-3000:]
    assert "2 failed, 4 passed" in out, out[-3000:]
    assert "ZeroDivisionError" in out
    assert "MetricOutOfBounds" in out and "below its lower bound" in out


def test_papermill_run_reports_the_failing_cell(tmp_path):
    nb = _notebook(tmp_path / "raises.ipynb", "PROFILE = None", "raise RuntimeError('broken cell')")
    rows = course.execute([nb], tmp_path / "out", "smoke")
    assert rows[0][2].startswith("cell") and "RuntimeError: broken cell" in rows[0][2]


def test_book_build_refuses_notebooks_with_error_outputs(tmp_path):
    nb = new_notebook(cells=[new_code_cell("1/0")])
    nb.cells[0].outputs = [nbformat.v4.new_output("error", ename="ZeroDivisionError",
                                                  evalue="division by zero", traceback=[])]
    path = tmp_path / "00_x.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(SystemExit, match="cell 0 raised ZeroDivisionError"):
        course.refuse_failed_notebook(path)


def test_status_table_reads_profile_device_duration_and_metrics(tmp_path):
    golden = ROOT / "tests" / "golden"
    table = course.status_table(golden)
    row = next(line for line in table.splitlines() if "00_first_network" in line)
    # Golden copies carry no provenance: profile and device from the run, no date or memory.
    from dlcourse.glue import read_recorded

    recorded = read_recorded(json.loads((golden / "00_first_network.ipynb").read_text()))
    metrics = [k for k in recorded if not k.startswith("profile_")]
    assert len(metrics) >= 1
    assert "| smoke | CPU | ? |" in row and f" s | ? | {len(metrics)} |" in row
    assert any(line.startswith("| 00_first_network | `ch00_test_accuracy` | 0.")
               for line in table.splitlines())
    meta = json.loads((golden / "00_first_network.ipynb").read_text())["metadata"]["papermill"]
    assert meta["parameters"] == {"PROFILE": "smoke"}
