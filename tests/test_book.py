"""The HTML book: built from the golden copies, then opened in headless Chromium.

The build uses the same command as `make book` (warnings are errors, stderr in a
notebook counts as a warning). Screenshots land in _build/screenshots as CI artefacts.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "book" / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
LESSONS = sorted(p.stem for p in (ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def book() -> Path:
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "course.py"), "book",
                             "--from", str(ROOT / "tests" / "golden")],
                            capture_output=True, text=True)
    assert result.returncode == 0, "book build failed:\n" + (result.stdout + result.stderr)[-4000:]
    return HTML


def test_every_page_was_built(book):
    for page in ["index.html", "book/intro.html", "book/testing.html", "book/glossary.html",
                 "book/setup.html", "book/references.html"]:
        assert (book / page).exists() or page == "index.html", page
    for stem in LESSONS:
        assert (book / "lessons" / f"{stem}.html").exists(), stem


def test_status_table_lists_every_lesson_with_profile_and_metrics(book):
    html = (book / "book" / "testing.html").read_text()
    for stem in LESSONS:
        assert stem in html, f"{stem} missing from the execution status table"
    assert "smoke" in html and "CPU" in html and "ch00_test_accuracy" in html


def test_prose_quotes_recorded_values_not_typed_numbers(book):
    nb = json.loads((ROOT / "tests" / "golden" / "00_first_network.ipynb").read_text())
    glued = {}
    for c in nb["cells"]:
        for o in c.get("outputs", []):
            sb = o.get("metadata", {}).get("scrapbook")
            if sb:
                glued[sb["name"]] = o["data"]["application/papermill.record/text/plain"]
    value = f"{float(glued['ch00_test_accuracy']):.3f}"
    html = (book / "lessons" / "00_first_network.html").read_text()
    assert f'<span class="pasted-text">{value}</span>' in html


@pytest.fixture(scope="module")
def driver(book):
    if not (CHROMIUM and DRIVER):
        pytest.fail("headless Chromium is needed: apt-get install chromium chromium-driver "
                    "(make setup does it when run as root)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--window-size=1280,2000"):
        opts.add_argument(flag)
    d = webdriver.Chrome(service=Service(DRIVER), options=opts)
    d.set_page_load_timeout(60)
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield d
    d.quit()


def _open(driver, path: Path, shot: str):
    driver.get(path.as_uri())
    driver.save_screenshot(str(SHOTS / f"{shot}.png"))
    return driver


def test_intro_renders(driver, book):
    from selenium.webdriver.common.by import By

    d = _open(driver, book / "book" / "intro.html", "intro")
    assert "Deep Learning, Tested" in d.title
    assert d.find_element(By.CSS_SELECTOR, "article h1").text.startswith("Deep Learning, Tested")
    toc_links = [a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, "nav a")]
    for stem in LESSONS:
        assert any(h and h.endswith(f"lessons/{stem}.html") for h in toc_links), f"{stem} not in navigation"


@pytest.mark.parametrize("stem", LESSONS)
def test_lesson_page_renders_with_figures_and_colab_link(driver, book, stem):
    from selenium.webdriver.common.by import By

    d = _open(driver, book / "lessons" / f"{stem}.html", stem)
    h1 = d.find_element(By.CSS_SELECTOR, "article h1").text
    assert h1 and h1 in d.title
    images = d.find_elements(By.CSS_SELECTOR, "div.cell_output img")
    loaded = [im for im in images if d.execute_script(
        "return arguments[0].complete && arguments[0].naturalWidth > 0", im)]
    assert loaded, f"{stem}: no figure rendered"
    assert len(loaded) == len(images), f"{stem}: {len(images) - len(loaded)} broken image(s)"
    assert not d.find_elements(By.CSS_SELECTOR, ".output.stderr, .stderr"), f"{stem}: stderr block on page"
    assert not d.find_elements(By.CSS_SELECTOR, ".output.traceback"), f"{stem}: traceback on page"
    assert "Profile: smoke" in d.page_source, f"{stem}: page does not say which profile produced it"
    colab = [a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, "a")
             if "colab.research.google.com" in (a.get_attribute("href") or "")]
    assert colab, f"{stem}: no Colab launch link"
    assert all(h.endswith(f"/lessons/{stem}.ipynb") for h in colab), colab
