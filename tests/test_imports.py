"""The numpy parts of dlcourse import without TensorFlow; the TensorFlow parts import it quietly."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NUMPY_PARTS = [
    "dlcourse", "dlcourse.scratch", "dlcourse.scratch.layers", "dlcourse.scratch.net",
    "dlcourse.scratch.optim", "dlcourse.scratch.init", "dlcourse.scratch.layercheck",
    "dlcourse.profiles", "dlcourse.records", "dlcourse.glue", "dlcourse.source",
    "dlcourse.history", "dlcourse.widths", "dlcourse.regularization",
    "dlcourse.check", "dlcourse.check.ch01", "dlcourse.check.ch02", "dlcourse.check.ch04",
]


def _run(code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=300)


def test_numpy_parts_import_without_tensorflow():
    code = ("import sys\n" + "".join(f"import {m}\n" for m in NUMPY_PARTS)
            + "loaded = sorted(m for m in ('tensorflow', 'keras') if m in sys.modules)\n"
            + "print(loaded)")
    out = _run(code)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[]", f"the numpy parts loaded {out.stdout.strip()}"


def test_the_check_can_fail():
    out = _run("import sys, dlcourse, tensorflow\nprint('tensorflow' in sys.modules)")
    if out.returncode != 0:
        pytest.skip("TensorFlow is not installed")
    assert out.stdout.strip() == "True"


def test_profile_then_tensorflow_prints_nothing_on_stderr():
    """A lesson's setup cell calls dlcourse.profile() before the lesson imports TensorFlow."""
    pytest.importorskip("tensorflow")
    out = _run("import dlcourse\ndlcourse.profile('smoke', announce=False)\n"
               "import sys\nprint('tensorflow' in sys.modules)\n"
               "import tensorflow as tf, keras\nprint(float(tf.reduce_sum(tf.ones(3))))\n"
               "from dlcourse.models import compiling\nprint(compiling._installed)")
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["True", "3.0", "True"]
    assert out.stderr == "", out.stderr


def test_a_tensorflow_module_imports_it_quietly_with_the_patch():
    pytest.importorskip("tensorflow")
    out = _run("import sys\nfrom dlcourse import models\nfrom dlcourse.models import compiling\n"
               "print('tensorflow' in sys.modules, compiling._installed)")
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["True", "True"] and out.stderr == "", out.stderr


def test_profiles_and_records_do_not_import_each_other():
    def imported(module: str) -> set[str]:
        tree = ast.parse((ROOT / "dlcourse" / f"{module}.py").read_text())
        names = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
                names.update(f"{node.module}.{a.name}" for a in node.names)
            elif isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
        return names

    assert "dlcourse.records" not in imported("profiles")
    assert "dlcourse.profiles" in imported("records")  # one direction only
