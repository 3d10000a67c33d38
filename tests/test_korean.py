"""The Korean edition: catalogs complete and current, Korean notebooks, the Korean build in a browser.

Completeness is required of the pages in ``i18n.TRANSLATED_PAGES``; the list grows as
pages are translated, and ``test_every_page_is_translated`` fails until it holds them all.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import i18n  # noqa: E402
from book_i18n import switch_link  # noqa: E402

LESSONS = sorted(p.stem for p in (ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
RAW_ROLE = re.compile(r"\{(glue|cite|ref)(:[a-z]+)?\}`")
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _toc_pages() -> list[str]:
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]


# ----- the checks themselves -------------------------------------------------------------

def test_translation_check_catches_changed_roles_code_math_links_and_numbering():
    src = ("See {glue:text}`ch00_acc:.3f` in `model.fit` with $x_i$, {cite:p}`a2020` "
           "and [the setup](setup.md), {ref}`close <how-close>`.")
    good = ("{glue:text}`ch00_acc:.3f`, `model.fit`, $x_i$, {cite:p}`a2020`, "
            "[설치](setup.md), {ref}`얼마나 <how-close>`를 보세요.")
    assert i18n.translation_problems(src, good) == []
    for broken, kind in [(good.replace("ch00_acc:.3f", "ch00_acc"), "roles"),
                         (good.replace("`model.fit`", "model.fit"), "code"),
                         (good.replace("$x_i$", "x_i"), "math"),
                         (good.replace("(setup.md)", "(intro.md)"), "links"),
                         (good.replace("<how-close>", "<elsewhere>"), "roles")]:
        problems = i18n.translation_problems(src, broken)
        assert problems and problems[0].startswith(kind), (kind, problems)
    assert i18n.translation_problems("0. A first network", "0\\. 첫 신경망") == []
    assert "escape it" in i18n.translation_problems("0. A first network", "0. 첫 신경망")[0]


def test_markdown_translation_replaces_headings_paragraphs_list_items_and_cells():
    md = ("# 0. A title\n\nA paragraph over\ntwo lines with `code`.\n\n"
          "- **Read** an item\n  that wraps.\n\n| a | b |\n| --- | --- |\n| left | right |\n")
    table = {"0. A title": "0\\. 제목", "A paragraph over two lines with `code`.": "두 줄 문단 `code`.",
             "**Read** an item that wraps.": "**읽기** 항목.", "right": "오른쪽"}
    out, n = i18n.translate_markdown(md, table)
    assert n == 4
    assert out == ("# 0\\. 제목\n\n두 줄 문단 `code`.\n\n- **읽기** 항목.\n\n"
                   "| a | b |\n| --- | --- |\n| left | 오른쪽 |\n")


def test_language_switch_links_to_the_same_page_in_the_other_edition():
    ko = {"root": "ko/", "lang": "ko", "label": "한국어"}
    en = {"root": "../", "lang": "en", "label": "English"}
    assert 'href="../ko/lessons/00_first_network.html"' in switch_link("lessons/00_first_network", ko)
    assert 'href="../../lessons/00_first_network.html"' in switch_link("lessons/00_first_network", en)
    assert 'href="ko/index.html"' in switch_link("index", ko)


# ----- catalogs ----------------------------------------------------------------------------

def test_every_toc_page_has_a_catalog_and_the_translated_list_names_real_pages():
    pages = _toc_pages()
    assert set(i18n.TRANSLATED_PAGES) <= set(pages), set(i18n.TRANSLATED_PAGES) - set(pages)
    missing = [p for p in pages if not i18n.catalog_path(p).exists()]
    assert not missing, f"no Korean catalog for {missing}: run `make messages`"


@pytest.mark.parametrize("page", i18n.TRANSLATED_PAGES)
def test_translated_page_has_no_empty_or_fuzzy_entry(page):
    entries = i18n.read_catalog(i18n.catalog_path(page))
    assert entries, f"{page}: empty catalog"
    empty = [e.msgid[:70] for e in entries if not e.msgstr.strip()]
    fuzzy = [e.msgid[:70] for e in entries if e.fuzzy]
    assert not empty and not fuzzy, (
        f"{i18n.catalog_path(page).relative_to(ROOT)}: translate these entries "
        f"(and drop the fuzzy flag once a changed one is re-checked): empty {empty}, fuzzy {fuzzy}")


def test_translations_keep_roles_code_math_and_links():
    found = []
    for path in sorted(i18n.CATALOGS.rglob("*.po")):
        for e in i18n.read_catalog(path):
            if e.msgstr.strip():
                found += [f"{path.relative_to(ROOT)}:{e.line}: {p}"
                          for p in i18n.translation_problems(e.msgid, e.msgstr)]
    assert not found, "\n".join(found)


def test_korean_toc_captions_are_the_catalogs_translations():
    """The sidebar's captions (locales/ko/book.yml) read as the root page's catalog says."""
    import yaml

    captions = i18n.overlay()["toc_captions"]
    toc = i18n.korean_toc(yaml.safe_load((ROOT / "_toc.yml").read_text()), captions)
    assert all(HANGUL.search(part["caption"]) for part in toc["parts"])
    root = {e.msgid: e.msgstr for e in i18n.read_catalog(i18n.catalog_path("book/intro"))}
    for en, ko in captions.items():
        assert root.get(en) == ko, f"caption {en!r}: book.yml says {ko!r}, the catalog {root.get(en)!r}"


@pytest.mark.slow
def test_catalogs_hold_exactly_the_current_english_messages(tmp_path):
    """Extract the messages again from the published runs; each catalog must match them."""
    pot = i18n.extract(ROOT / "published", tmp_path / "gettext")
    behind = []
    for template in sorted(pot.rglob("*.pot")):
        page = str(template.relative_to(pot).with_suffix(""))
        want = {e.msgid for e in i18n.read_catalog(template)}
        path = i18n.catalog_path(page)
        have = {e.msgid for e in i18n.read_catalog(path)} if path.exists() else set()
        if want != have:
            behind.append(f"{page}: {len(want - have)} new or changed, {len(have - want)} gone")
    assert not behind, "catalogs behind the English text; run `make messages`, then translate: " + "; ".join(behind)


# ----- Korean notebooks --------------------------------------------------------------------

def test_korean_notebooks_are_up_to_date():
    stale = i18n.korean_notebooks(write=False)
    assert not stale, f"stale Korean notebooks {stale}: run `python scripts/course.py ko-notebooks`"


@pytest.mark.parametrize("stem", LESSONS)
def test_korean_notebook_differs_from_its_lesson_only_in_markdown(stem):
    lesson = json.loads((ROOT / "lessons" / f"{stem}.ipynb").read_text())
    ko = json.loads((i18n.KO_LESSONS / f"{stem}.ipynb").read_text())
    assert ko["metadata"] == lesson["metadata"] and len(ko["cells"]) == len(lesson["cells"])
    for a, b in zip(lesson["cells"], ko["cells"]):
        if a["cell_type"] == "code":
            assert json.dumps(a) == json.dumps(b), f"{stem}: code cell {a.get('id')} differs"
        else:
            assert {k: v for k, v in a.items() if k != "source"} == {k: v for k, v in b.items() if k != "source"}
    if f"lessons/{stem}" in i18n.TRANSLATED_PAGES:
        untranslated = [c["id"] for c in ko["cells"] if c["cell_type"] == "markdown"
                        and not HANGUL.search("".join(c["source"]))]
        assert not untranslated, f"{stem}: markdown cells without Korean: {untranslated}"


@pytest.mark.parametrize("stem", LESSONS)
def test_every_message_of_a_lesson_is_found_in_its_markdown(stem):
    """The notebook generator sees every block Sphinx extracted, so none stays English silently."""
    lesson = json.loads((ROOT / "lessons" / f"{stem}.ipynb").read_text())
    located = {m for c in lesson["cells"] if c["cell_type"] == "markdown"
               for m in i18n.markdown_messages("".join(c["source"]))}
    extracted = {e.msgid for e in i18n.read_catalog(i18n.catalog_path(f"lessons/{stem}"))}
    assert extracted <= located, f"{stem}: not located in the markdown: {sorted(extracted - located)[:3]}"


# ----- the Korean HTML book ----------------------------------------------------------------

@pytest.fixture(scope="session")
def ko_book(book) -> Path:
    """The Korean edition, built into the English book's ko/ folder (warnings are errors)."""
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "course.py"), "book-ko",
                             "--from", str(ROOT / "published"), "--out", str(book.parents[1])],
                            capture_output=True, text=True)
    assert result.returncode == 0, "Korean build failed or warned:\n" + (result.stdout + result.stderr)[-4000:]
    return book / "ko"


@pytest.mark.browser
def test_every_english_page_has_a_korean_page(book, ko_book):
    for page in ["index.html", *[f"{p}.html" for p in _toc_pages()]]:
        assert (ko_book / page).exists(), page


def test_every_page_is_translated():
    """Fails until the Korean edition is complete: the branch lands when this passes."""
    missing = [p for p in _toc_pages() if p not in i18n.TRANSLATED_PAGES]
    assert not missing, ("pages not yet translated (translate locales/ko/LC_MESSAGES/<page>.po, "
                         f"then add the page to TRANSLATED_PAGES in scripts/i18n.py): {missing}")


def _open(driver, path: Path, shot: str):
    from conftest import SHOTS

    driver.get(path.as_uri())
    driver.save_screenshot(str(SHOTS / f"ko_{shot}.png"))
    return driver


def _article(driver) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, "article.bd-article").text


@pytest.mark.browser
@pytest.mark.parametrize("page", i18n.TRANSLATED_PAGES)
def test_translated_korean_page_renders_in_korean(driver, ko_book, page):
    from selenium.webdriver.common.by import By

    d = _open(driver, ko_book / f"{page}.html", page.replace("/", "_"))
    h1 = d.find_element(By.CSS_SELECTOR, "article h1").text
    assert HANGUL.search(h1) and h1 in d.title, (h1, d.title)
    assert d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ko"
    text = _article(d)
    # As much Korean as the catalog holds, up to 50 syllables (references: just its title).
    expected = min(50, sum(len(HANGUL.findall(e.msgstr)) for e in i18n.read_catalog(i18n.catalog_path(page))))
    assert len(HANGUL.findall(text)) >= expected, f"{page}: hardly any Hangul on the page"
    # A role left unrendered reads {name}`...`; code on the page may hold "{reference:.4g}".
    assert not RAW_ROLE.search(text), f"{page}: a raw role: {RAW_ROLE.search(text).group(0)}"
    assert not d.find_elements(By.CSS_SELECTOR, ".problematic, .system-message"), f"{page}: docutils error"
    search = d.find_element(By.CSS_SELECTOR, "input[name='q']").get_attribute("placeholder")
    assert HANGUL.search(search), f"search box says {search!r}"


@pytest.mark.browser
@pytest.mark.parametrize("stem", LESSONS)
def test_korean_lesson_page_has_figures_note_and_korean_colab_link(driver, ko_book, stem):
    from selenium.webdriver.common.by import By

    d = _open(driver, ko_book / "lessons" / f"{stem}.html", stem)
    images = d.find_elements(By.CSS_SELECTOR, "div.cell_output img")
    loaded = [im for im in images if d.execute_script(
        "return arguments[0].complete && arguments[0].naturalWidth > 0", im)]
    assert images and len(loaded) == len(images), f"{stem}: {len(images) - len(loaded)} of {len(images)} figures broken"
    note = d.find_element(By.CSS_SELECTOR, "article div.admonition.note").text
    assert "full" in note and "프로필" in note and "CPU" in note, f"{stem}: no Korean provenance note: {note!r}"
    assert "{glue" not in _article(d), f"{stem}: raw glue role on the page"
    colab = [a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, "a")
             if "colab.research.google.com" in (a.get_attribute("href") or "")]
    assert colab and all(h.endswith(f"/ko/lessons/{stem}.ipynb") for h in colab), colab


@pytest.mark.browser
def test_glued_numbers_survive_translation(driver, ko_book):
    """A glue role inside a translated paragraph shows the recorded number, as in English."""
    from dlcourse.records import read_recorded

    glued = read_recorded(json.loads((ROOT / "published" / "00_first_network.ipynb").read_text()))
    value = f"{float(glued['ch00_test_accuracy']):.3f}"
    d = _open(driver, ko_book / "lessons" / "00_first_network.html", "glue")
    sentence = [p for p in _article(d).split("\n") if "올바르게 분류합니다" in p]
    assert sentence and value in sentence[0], sentence


@pytest.mark.browser
@pytest.mark.parametrize("page", ["book/glossary.html", "lessons/01_backprop.html"])
def test_math_is_typeset_on_korean_pages(driver, ko_book, page):
    from test_book import WAIT_FOR_MATHJAX

    _open(driver, ko_book / page, "math_" + page.replace("/", "_").removesuffix(".html"))
    res = driver.execute_async_script(WAIT_FOR_MATHJAX)
    assert res["state"] == "ok" and res["n_math"] > 0 and res["n_rendered"] >= res["n_math"], f"{page}: {res}"
    assert not res["raw"] and not res["n_errors"], f"{page}: {res}"


@pytest.mark.browser
@pytest.mark.parametrize("page", ["lessons/00_first_network.html", "book/setup.html"])
def test_language_switch_works_both_ways(driver, book, ko_book, page):
    from selenium.webdriver.common.by import By

    d = _open(driver, book / page, "switch")
    d.find_element(By.CSS_SELECTOR, "a[hreflang='ko']").click()
    assert d.current_url == (ko_book / page).as_uri()
    assert HANGUL.search(d.find_element(By.CSS_SELECTOR, "article h1").text)
    d.find_element(By.CSS_SELECTOR, "a[hreflang='en']").click()
    assert d.current_url == (book / page).as_uri()
    assert not HANGUL.search(d.find_element(By.CSS_SELECTOR, "article h1").text)


def test_format_flags_babel_guesses_from_prose_are_dropped(tmp_path):
    po = tmp_path / "x.po"
    po.write_text('#: a.md:1\n#, fuzzy, python-format\nmsgid "20 % of all"\nmsgstr ""\n\n'
                  '#, python-format\nmsgid "1 % in"\nmsgstr ""\n', encoding="utf-8")
    assert i18n.drop_format_flags(po)
    assert po.read_text(encoding="utf-8") == ('#: a.md:1\n#, fuzzy\nmsgid "20 % of all"\nmsgstr ""\n\n'
                                              'msgid "1 % in"\nmsgstr ""\n')
    assert not i18n.drop_format_flags(po)  # nothing left to drop


def test_no_catalog_carries_a_format_flag():
    """msgfmt --check would reject a natural translation of "20 % of ..." under python-format."""
    flagged = [f"{p.relative_to(ROOT)}:{n}" for p in sorted(i18n.CATALOGS.rglob("*.po"))
               for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
               if line.startswith("#,") and any(f.strip() in i18n.FORMAT_FLAGS for f in line[2:].split(","))]
    assert not flagged, "run scripts/course.py messages (it drops them): " + ", ".join(flagged)


@pytest.mark.parametrize("text, want", [("ch07_ratio", "/lessons/x.ipynb::ch07_ratio:s"),
                                        ("ch07_ratio:.2f", "/lessons/x.ipynb::ch07_ratio:.2f"),
                                        ("/other.ipynb::k:.1f", "/other.ipynb::k:.1f")])
def test_a_translated_text_glue_role_names_its_notebook_and_keeps_its_format(text, want):
    """A bare key must not be split at the document's colons and read as a format."""
    from types import SimpleNamespace

    import book_i18n
    from myst_nb.ext.glue.roles import PasteTextRole

    class Doc(dict):
        settings = SimpleNamespace(env=SimpleNamespace(docname="lessons/x",
                                                       doc2path=lambda name, base=False: f"{name}.ipynb"))

    role = PasteTextRole.__new__(PasteTextRole)
    role.text, role.inliner = text, SimpleNamespace(document=Doc())
    book_i18n._this_notebook_key(role)
    assert role.text == want
    key_format = role.text.rsplit(":", 1)  # what myst-nb does with it
    assert key_format[0].split("::", 1)[1] == want.split("::", 1)[1].rsplit(":", 1)[0]


@pytest.mark.parametrize("stem", LESSONS)
def test_no_heading_holds_a_glue_role(stem):
    """A translated heading's glue role becomes a pending reference, which Sphinx's TOC cannot hold."""
    import json

    cells = json.loads((ROOT / "lessons" / f"{stem}.ipynb").read_text())["cells"]
    headings = [line for c in cells if c["cell_type"] == "markdown"
                for line in "".join(c["source"]).splitlines() if line.lstrip().startswith("#")]
    assert not [h for h in headings if "{glue" in h], "move the number out of the heading into the text"


def test_the_raw_role_check_tells_roles_from_format_fields():
    assert RAW_ROLE.search("loss {glue:text}`ch06_x:.3f` here") and RAW_ROLE.search("{cite:p}`he2016deep`")
    assert not RAW_ROLE.search('f"{reference:.4g} (the larger of ...)"')
