"""Test-wide settings: quiet TensorFlow, this checkout's dlcourse, metric bounds on."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Kernels started by nbval inherit this environment.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ["DLCOURSE_BASELINES"] = str(ROOT / "tests" / "baselines")
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
os.environ.setdefault("MPLBACKEND", "Agg")
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def load_script(path: Path):
    """Import a script (a benchmark, say) as a module without running its main()."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _no_profile_chosen(monkeypatch):
    """Every test starts as a fresh process would: no ``dlcourse.profile()`` call yet.

    A test that calls ``profile("smoke")`` would otherwise leave it in force for
    ``current_profile()`` and ``record()`` in every later test.
    """
    from dlcourse import profiles

    monkeypatch.setattr(profiles, "_current", None)
