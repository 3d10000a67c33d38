"""The numpy parts of dlcourse import without TensorFlow; the TensorFlow parts import it quietly."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "dlcourse"
# The modules that use TensorFlow when they run; they import it at their top.
TENSORFLOW_PARTS = {"dlcourse._tf", "dlcourse.devices", "dlcourse.saving", "dlcourse.transfer",
                    "dlcourse.models", "dlcourse.diagnostics"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_tensorflow_part(module: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in TENSORFLOW_PARTS)


ALL_MODULES = sorted(_module_name(p) for p in PACKAGE.rglob("*.py"))
NUMPY_PARTS = [m for m in ALL_MODULES if not _is_tensorflow_part(m)]


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
               "from dlcourse import keras_tracing\nprint(keras_tracing._installed)")
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["True", "3.0", "True"]
    assert out.stderr == "", out.stderr


@pytest.mark.parametrize("module", sorted(TENSORFLOW_PARTS - {"dlcourse._tf"}))
def test_a_tensorflow_module_imports_it_quietly_with_the_patch(module):
    pytest.importorskip("tensorflow")
    out = _run(f"import sys\nimport {module}\nfrom dlcourse import keras_tracing\n"
               "print('tensorflow' in sys.modules, keras_tracing._installed)")
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["True", "True"] and out.stderr == "", out.stderr


def _imports(tree: ast.AST) -> list[tuple[ast.stmt, str]]:
    """Every import statement of a module with the module it imports."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.append((node, node.module))
        elif isinstance(node, ast.Import):
            found += [(node, a.name) for a in node.names]
    return found


def test_only_dlcourse_tf_imports_tensorflow_or_keras():
    """The one import style: ``from dlcourse._tf import ...``, never tensorflow or keras directly."""
    # keras_tracing reaches into Keras inside the function dlcourse._tf calls once TF is loaded.
    allowed = {"dlcourse._tf", "dlcourse.keras_tracing"}
    direct = [f"{m}: {name}" for m in ALL_MODULES if m not in allowed
              for _, name in _imports(ast.parse(_source(m)))
              if name.split(".")[0] in ("tensorflow", "keras")]
    assert direct == []


def _source(module: str) -> str:
    path = ROOT.joinpath(*module.split("."))
    return (path / "__init__.py" if path.is_dir() else path.with_suffix(".py")).read_text()


def test_numpy_parts_import_tensorflow_only_inside_functions():
    """At the top of a numpy part, dlcourse._tf (or a TensorFlow part) appears only under TYPE_CHECKING."""
    at_top = []
    for m in NUMPY_PARTS:
        tree = ast.parse(_source(m))
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue  # runs when called, not when imported
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            at_top += [f"{m}: {name}" for _, name in _imports(node) if _is_tensorflow_part(name)]
    assert at_top == []


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
