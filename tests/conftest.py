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


# ----- the HTML book and a headless browser, shared by test_book.py and test_korean.py -----

import shutil  # noqa: E402
import subprocess  # noqa: E402

BOOK_OUT = ROOT / "_build" / "test-book"
PUBLISHED = ROOT / "published"
SHOTS = ROOT / "_build" / "screenshots"


@pytest.fixture(scope="session")
def book() -> Path:
    """The English book built from the published runs (HTML folder)."""
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "course.py"), "book",
                             "--from", str(PUBLISHED), "--out", str(BOOK_OUT)],
                            capture_output=True, text=True)
    assert result.returncode == 0, "book build failed:\n" + (result.stdout + result.stderr)[-4000:]
    return BOOK_OUT / "_build" / "html"


@pytest.fixture(scope="session")
def driver(book):
    """Headless Chromium without a network (a CDN copy of MathJax cannot stand in for ours)."""
    chromium, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and chromedriver):
        pytest.fail("headless Chromium is needed: apt-get install chromium chromium-driver "
                    "(make setup does it when run as root)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--window-size=1280,2000",
                 "--host-resolver-rules=MAP * ~NOTFOUND"):
        opts.add_argument(flag)
    d = webdriver.Chrome(service=Service(chromedriver), options=opts)
    d.set_page_load_timeout(60)
    d.set_script_timeout(30)
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield d
    d.quit()
