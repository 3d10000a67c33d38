"""The HTML book: built from the published full runs, then opened in headless Chromium.

The build uses the same code as `make course` (warnings are errors, stderr in a
notebook counts as a warning), into its own folder so that it never overwrites the
book `make course` built. Screenshots land in _build/screenshots as CI artefacts.
The `book` and `driver` fixtures live in conftest.py: tests/test_korean.py builds the
Korean edition into the same site and uses the same browser.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "published"
SHOTS = ROOT / "_build" / "screenshots"
LESSONS = sorted(p.stem for p in (ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))

pytestmark = pytest.mark.browser


def test_every_page_was_built(book):
    for page in ["index.html", "book/intro.html", "book/testing.html", "book/glossary.html",
                 "book/setup.html", "book/references.html"]:
        assert (book / page).exists(), page
    for stem in LESSONS:
        assert (book / "lessons" / f"{stem}.html").exists(), stem


def test_status_table_lists_every_lesson_with_profile_and_metrics(book):
    html = (book / "book" / "testing.html").read_text()
    for stem in LESSONS:
        assert stem in html, f"{stem} missing from the execution status table"
    cells = re.findall(r"<td><p>(.*?)</p></td>", html)
    assert "smoke" not in cells, "a run in the status table is a smoke run"
    assert cells.count("full") == len(LESSONS), "every lesson's run must be a full one"
    assert any(c.startswith(("CPU, ", "GPU")) for c in cells), "the status table names no device"
    assert "ch00_test_accuracy" in html


def test_prose_quotes_recorded_values_not_typed_numbers(book):
    from dlcourse.glue import read_recorded

    glued = read_recorded(json.loads((PUBLISHED / "00_first_network.ipynb").read_text()))
    value = f"{float(glued['ch00_test_accuracy']):.3f}"
    html = (book / "lessons" / "00_first_network.html").read_text()
    assert f'<span class="pasted-text">{value}</span>' in html


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
    assert "Profile: full" in d.page_source, f"{stem}: page does not say which profile produced it"
    note = d.find_element(By.CSS_SELECTOR, "article div.admonition.note").text
    assert "full profile, executed on" in note and "CPU" in note, f"{stem}: no provenance note: {note!r}"
    assert "Profile: smoke" not in d.page_source and "smoke profile changes" not in d.page_source
    article = d.find_element(By.CSS_SELECTOR, "article.bd-article").text
    assert 'PROFILE = "full"' not in article, f"{stem}: papermill's injected cell is shown"
    colab = [a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, "a")
             if "colab.research.google.com" in (a.get_attribute("href") or "")]
    assert colab, f"{stem}: no Colab launch link"
    assert all(h.endswith(f"/lessons/{stem}.ipynb") for h in colab), colab


@pytest.mark.parametrize("page", ["book/setup.html", "book/testing.html", "book/glossary.html",
                                  "book/references.html"])
def test_other_pages_render(driver, book, page):
    from selenium.webdriver.common.by import By

    d = _open(driver, book / page, page.replace("/", "_").removesuffix(".html"))
    h1 = d.find_element(By.CSS_SELECTOR, "article h1").text
    assert h1 and h1 in d.title, page
    text = d.find_element(By.CSS_SELECTOR, "article.bd-article").text
    assert len(text) > 500, f"{page}: almost empty"
    assert "Traceback" not in text and "WARNING" not in text, page
    assert not d.find_elements(By.CSS_SELECTOR, ".problematic, .system-message"), f"{page}: docutils error on page"


def test_glossary_table_rows_are_whole(driver, book):
    from selenium.webdriver.common.by import By

    d = _open(driver, book / "book" / "glossary.html", "glossary_table")
    for table in d.find_elements(By.CSS_SELECTOR, "article table"):
        widths = {len(row.find_elements(By.CSS_SELECTOR, "td")) for row in table.find_elements(By.CSS_SELECTOR, "tbody tr")}
        assert len(widths) == 1, f"a glossary row has a different number of cells: {widths}"
    assert "L1 / L2" in d.page_source


def test_result_tables_render_as_tables(driver, book):
    """Tables a lesson displays (markdown output) are HTML tables, not pipe text."""
    from selenium.webdriver.common.by import By

    d = _open(driver, book / "lessons" / "03_regularization.html", "03_tables")
    outputs = d.find_elements(By.CSS_SELECTOR, "div.cell_output")
    assert any(o.find_elements(By.CSS_SELECTOR, "table") for o in outputs), "no rendered result table"
    assert not any("| --- |" in o.text or "| ---: |" in o.text for o in outputs), "raw pipe table on the page"


# Resolves when MathJax has typeset the page; reports what is left raw.
WAIT_FOR_MATHJAX = r"""
const done = arguments[arguments.length - 1];
const art = () => document.querySelector('article.bd-article');
function report(state) {
  const math = [...art().querySelectorAll('.math')];
  done({state: state,
        version: (window.MathJax && window.MathJax.version) || null,
        n_math: math.length,
        n_rendered: art().querySelectorAll('mjx-container').length,
        n_errors: art().querySelectorAll('mjx-merror').length,
        raw: math.filter(e => !e.querySelector('mjx-container')).map(e => e.textContent.slice(0, 80))});
}
(function poll(n) {   // window.MathJax is only the config object until the deferred script has run
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    MathJax.startup.promise.then(() => report('ok'), e => report('failed: ' + e));
  } else if (n > 300) { report('MathJax never started: its script did not load'); }
  else { setTimeout(() => poll(n + 1), 50); }
})(0);
"""


@pytest.mark.parametrize("page", ["book/glossary.html", "lessons/01_backprop.html", "lessons/02_optimizers.html",
                                  "lessons/04_init_batchnorm.html"])
def test_math_is_typeset_offline_by_the_local_mathjax(driver, book, page):
    from selenium.webdriver.common.by import By

    html = (book / page).read_text()
    srcs = re.findall(r'<script[^>]*src="([^"]*mathjax[^"]*)"', html, flags=re.I)
    assert len(srcs) == 1 and "://" not in srcs[0], f"{page}: MathJax must be one local script, got {srcs}"
    _open(driver, book / page, "math_" + page.replace("/", "_").removesuffix(".html"))
    res = driver.execute_async_script(WAIT_FOR_MATHJAX)
    assert res["state"] == "ok", f"{page}: {res}"
    assert res["n_math"] > 0 and res["n_rendered"] >= res["n_math"], f"{page}: {res}"
    assert not res["raw"] and not res["n_errors"], f"{page}: {res}"
    text = driver.find_element(By.CSS_SELECTOR, "article.bd-article").text
    assert not [m for m in ("\\(", "\\)", "\\[", "\\]", "$$") if m in text], f"{page}: raw TeX on the page"
