"""The Korean edition (한국어판): message catalogs, the Korean HTML book, Korean Colab notebooks.

    python scripts/course.py messages        # extract the English text, update locales/ko/ catalogs
    python scripts/course.py book-ko [--from DIR] [--out DIR]
                                             # Korean HTML into <out>/_build/html/ko/
    python scripts/course.py ko-notebooks    # regenerate ko/lessons/*.ipynb from the catalogs

The Korean book is built from the same executed notebooks as the English one: Sphinx's
gettext catalogs replace the prose, code and outputs stay identical. The catalogs live in
``locales/ko/LC_MESSAGES/<page>.po``, one per page; ``TRANSLATED_PAGES`` lists the pages
whose catalogs are complete (the tests hold those to completeness).
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
LANGUAGE = "ko"
LOCALES = ROOT / "locales"
CATALOGS = LOCALES / LANGUAGE / "LC_MESSAGES"
OVERLAY = LOCALES / LANGUAGE / "book.yml"
KO_LESSONS = ROOT / LANGUAGE / "lessons"
BUILD = ROOT / "_build"

# Pages whose Korean catalogs are complete: the completeness tests cover exactly these.
# Add a page here when its catalog is fully translated; the edition is finished when the
# list holds every page of _toc.yml (tests/test_korean.py reports the ones still missing).
TRANSLATED_PAGES = [
    "book/intro",
    "book/setup",
    "book/testing",
    "book/glossary",
    "book/references",
    "lessons/00_first_network",
    "lessons/01_backprop",
    "lessons/02_optimizers",
    "lessons/03_regularization",
    "lessons/04_init_batchnorm",
    "lessons/05_cnn",
    "lessons/06_alexnet_vgg",
    "lessons/07_transfer_and_checklist",
]

# Generated on every run from the published runs and the benchmarks: they stay English
# and are left out of the catalogs (book/testing.md says so).
REGENERATED = ("status_table.md", "benchmark_results.md")

# For the gettext builder only: a displayed output's LaTeX or Markdown form (the source
# that dlcourse.show prints, tables of results) is output, not prose. With these removed
# the builder falls back to text/plain, which becomes a literal block and is not extracted.
GETTEXT_MIME_OVERRIDES = [["gettext", "text/latex", None], ["gettext", "text/markdown", None]]


def _merge(base: dict, over: dict) -> dict:
    """``base`` with ``over`` laid on top, nested dicts merged."""
    out = copy.deepcopy(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def overlay() -> dict[str, Any]:
    """The Korean edition's settings (locales/ko/book.yml)."""
    return yaml.safe_load(OVERLAY.read_text(encoding="utf-8"))


def korean_toc(toc: dict, captions: dict[str, str]) -> dict:
    """``toc`` with each part caption replaced by its Korean caption."""
    toc = copy.deepcopy(toc)
    for part in toc.get("parts", []):
        if part["caption"] not in captions:
            raise SystemExit(f"_toc.yml's part {part['caption']!r} has no Korean caption: "
                             f"add it under toc_captions in {OVERLAY.relative_to(ROOT)}.")
        part["caption"] = captions[part["caption"]]
    return toc


def _write_yaml(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def stage_edition(src: Path, edition: str) -> None:
    """Turn a staged English book in ``src`` into the ``gettext`` or ``ko`` source tree."""
    config = yaml.safe_load((src / "_config.yml").read_text(encoding="utf-8"))
    if edition == "gettext":
        config = _merge(config, {"sphinx": {"config": {
            "gettext_compact": False, "gettext_location": False,
            "nb_mime_priority_overrides": GETTEXT_MIME_OVERRIDES}}})
        for name in REGENERATED:  # exempt: regenerated on every run, stays English
            (src / "book" / name).write_text(
                "<!-- regenerated on every run: stays English -->\n" * 3, encoding="utf-8")
    elif edition == LANGUAGE:
        over = overlay()
        captions = over.pop("toc_captions")
        config = _merge(config, over)
        toc = yaml.safe_load((src / "_toc.yml").read_text(encoding="utf-8"))
        _write_yaml(src / "_toc.yml", korean_toc(toc, captions))
        shutil.copytree(LOCALES, src / "locales", ignore=shutil.ignore_patterns("*.mo", "*.yml"))
    else:
        raise ValueError(f"unknown edition {edition!r}: use 'gettext' or {LANGUAGE!r}")
    _write_yaml(src / "_config.yml", config)


def korean_banner(record: dict[str, Any]) -> str:
    """The Korean note at the top of a lesson page: which run produced its outputs."""
    secs = record["wall_time_s"]
    took = f"{secs:.0f}초" if secs < 60 else f"{secs / 60:.1f}분"
    device = record["device"] if record["device"] != "CPU" else \
        f"CPU({record['cpu_model']}, {record['cores']}코어)"
    return (
        ":::{note}\n"
        f"이 페이지의 출력은 **{record['profile']}** 프로필(profile)로 {record['date']}에 "
        f"{device}에서 실행한 결과입니다. 실행 시간은 {took}, 최대 메모리는 "
        f"{record['peak_memory_mib']:,} MiB였고, Python {record['python']}, "
        f"TensorFlow {record['tensorflow']}, Keras {record['keras']}, numpy {record['numpy']}을 "
        "썼습니다. 노트북을 직접 실행하면 기기에 따른 작은 차이를 빼고 같은 숫자를 얻습니다. "
        "강좌가 이 숫자를 어떻게 검증하는지는 {doc}`../book/testing`에 있습니다.\n"
        ":::\n"
    )


UNTRANSLATED_NOTE = (
    ":::{note}\n"
    "이 장은 아직 한국어로 번역되지 않아 영어 원문을 보여 줍니다. 코드와 출력은 두 판이 같습니다.\n"
    ":::\n"
)


def korean_notes(nb: dict, docname: str, record: dict[str, Any]) -> dict:
    """A copy of ``nb`` with the Korean provenance note (and, if untranslated, a note saying so)."""
    nb = json.loads(json.dumps(nb))
    notes = ([korean_banner(record)] if record else []) + \
        ([] if docname in TRANSLATED_PAGES else [UNTRANSLATED_NOTE])
    for i, text in enumerate(notes):
        nb["cells"].insert(1 + i, {"cell_type": "markdown", "id": f"ko-note-{i}", "metadata": {},
                                   "source": text.splitlines(keepends=True)})
    return nb


def _tool(name: str) -> str:
    """An executable of this environment (jupyter-book, sphinx-intl)."""
    path = Path(sys.executable).with_name(name)
    if not path.exists():
        raise SystemExit(f"{name} is not installed in {Path(sys.executable).parent}: run `make setup`.")
    return str(path)


def _jupyter_book(src: Path, out: Path, extra: list[str]) -> float:
    """Build ``src`` into ``out`` with warnings as errors; return the seconds it took."""
    cmd = [_tool("jupyter-book"), "build", str(src), "--path-output", str(out), *extra,
           "-n", "-W", "--keep-going"]
    print(" ".join(cmd), flush=True)
    start = time.time()
    result = subprocess.run(cmd)
    if result.returncode != 0:
        raise SystemExit("the build failed (warnings are errors); see the messages above.")
    return time.time() - start


def extract(executed: Path, out: Path | None = None) -> Path:
    """Extract the book's messages (the staged English book) into .pot files; return their folder."""
    from course import stage_book

    out = out or BUILD / "gettext"
    src = out.parent / (out.name + "-src")
    stage_book(executed, src, edition="gettext")
    # Its own output folder: sharing the HTML build's fails ("This environment is
    # incompatible with the selected builder").
    secs = _jupyter_book(src, out, ["--builder", "custom", "--custom-builder", "gettext"])
    pot = out / "_build" / "gettext"
    print(f"extracted {len(list(pot.rglob('*.pot')))} catalogs in {secs:.0f} s into {pot}")
    return pot


def update_catalogs(pot: Path) -> None:
    """Merge the extracted messages into locales/ko/ (new ones empty, changed ones fuzzy)."""
    cmd = [_tool("sphinx-intl"), "update", "-p", str(pot), "-d", str(LOCALES), "-l", LANGUAGE]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit("sphinx-intl update failed:\n" + result.stdout + result.stderr)
    for mo in CATALOGS.rglob("*.mo"):  # sphinx-intl may compile some; Sphinx compiles its own
        mo.unlink()
    for po in CATALOGS.rglob("*.po"):
        drop_format_flags(po)


FORMAT_FLAGS = {"python-format", "no-python-format", "python-brace-format", "no-python-brace-format"}


def drop_format_flags(path: Path) -> bool:
    """Remove the Python format flags Babel guesses from prose; True if the file changed.

    Babel flags a message ``python-format`` when its text merely looks like a format
    string ("20 % of the images" reads as ``% o``), and ``msgfmt --check`` then rejects
    every natural translation. The book's messages are prose, never format strings.
    """
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    out = []
    for line in lines:
        if line.startswith("#,"):
            flags = [f.strip() for f in line[2:].split(",") if f.strip()]
            kept = [f for f in flags if f not in FORMAT_FLAGS]
            if kept != flags:
                if kept:
                    out.append("#, " + ", ".join(kept) + "\n")
                continue
        out.append(line)
    if out != lines:
        path.write_text("".join(out), encoding="utf-8")
        return True
    return False


def build_korean(executed: Path, out: Path | None = None) -> Path:
    """Build the Korean HTML book from ``executed`` into ``<out>/_build/html/ko/``.

    Run after the English build into the same ``out``: the Korean site is a folder of it.
    """
    from course import stage_book

    out = out or BUILD / "book"
    src, work = out.parent / (out.name + "-ko-src"), out.parent / (out.name + "-ko")
    stage_book(executed, src, edition=LANGUAGE)
    secs = _jupyter_book(src, work, [])
    site = out / "_build" / "html"
    if not (site / "index.html").exists():
        raise SystemExit(f"no English book in {site}: build it first (`course.py book --out {out}`), "
                         "the Korean edition is served from its ko/ folder.")
    target = site / LANGUAGE
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(work / "_build" / "html", target)
    print(f"\nThe Korean book is at {target / 'index.html'} (built in {secs:.0f} s)")
    return target


# ----- catalogs ---------------------------------------------------------------------------

def catalog_path(docname: str) -> Path:
    """The Korean catalog of a page (``lessons/00_first_network`` → .../lessons/00_first_network.po)."""
    return CATALOGS / f"{docname}.po"


@dataclass
class Entry:
    """One message of a catalog."""

    msgid: str
    msgstr: str
    fuzzy: bool
    line: int


def read_catalog(path: Path) -> list[Entry]:
    """The live entries of a .po or .pot file (the header and obsolete ``#~`` entries left out)."""
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        cat = read_po(f, abort_invalid=True)
    return [Entry(m.id, m.string or "", m.fuzzy, m.lineno or 0) for m in cat if m.id]


def translations(docname: str) -> dict[str, str]:
    """msgid → msgstr of a page's catalog, translated and not fuzzy entries only."""
    path = catalog_path(docname)
    if not path.exists():
        return {}
    return {e.msgid: e.msgstr for e in read_catalog(path) if e.msgstr.strip() and not e.fuzzy}


# ----- Korean notebooks for Colab -----------------------------------------------------------

def _md_parser():
    """markdown-it as MyST configures it for the book (same blocks, same inline source)."""
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    exts = yaml.safe_load((ROOT / "_config.yml").read_text())["parse"]["myst_enable_extensions"]
    return create_md_parser(MdParserConfig(enable_extensions=set(exts)), RendererHTML)


def markdown_messages(text: str, parser: Any = None) -> list[str]:
    """The messages Sphinx extracts from markdown ``text``: each block's inline source, one line."""
    parser = parser or _md_parser()
    return [t.content.replace("\n", " ").strip() for t in parser.parse(text)
            if t.type == "inline" and t.map and t.content]


def translate_markdown(text: str, table: dict[str, str], parser: Any = None) -> tuple[str, int]:
    """``text`` with each paragraph, heading or table cell found in ``table`` replaced.

    A message is what Sphinx extracts: the block's inline source with line breaks turned
    into spaces. The translation takes the place of the source lines it came from (one
    line, after the same list marker or heading marks). Returns the text and how many
    blocks were replaced.
    """
    parser = parser or _md_parser()
    lines = text.split("\n")
    edits = []  # (first line, first column, last line, end column, new text)
    for tok in parser.parse(text):
        if tok.type != "inline" or not tok.map or not tok.content:
            continue
        msgid = tok.content.replace("\n", " ").strip()
        if msgid not in table:
            continue
        first, last = tok.map[0], tok.map[0] + len(tok.content.split("\n")) - 1
        head, tail = tok.content.split("\n")[0], tok.content.split("\n")[-1]
        col = lines[first].find(head)
        end = lines[last].rfind(tail) + len(tail)
        if col < 0 or end < len(tail):
            raise ValueError(f"cannot locate {msgid[:60]!r} in its markdown source")
        edits.append((first, col, last, end, table[msgid]))
    for first, col, last, end, new in sorted(edits, reverse=True):
        lines[first:last + 1] = [lines[first][:col] + new + lines[last][end:]]
    return "\n".join(lines), len(edits)


def korean_notebook(lesson: dict, table: dict[str, str]) -> dict:
    """``lesson`` with its markdown cells translated from ``table``; everything else untouched."""
    nb = copy.deepcopy(lesson)
    parser = _md_parser()
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        src = cell["source"]
        text = "".join(src) if isinstance(src, list) else src
        new, _ = translate_markdown(text, table, parser)
        if new != text:
            cell["source"] = new.splitlines(keepends=True) if isinstance(src, list) else new
    return nb


def _dump(nb: dict) -> str:
    """The lessons' own JSON layout (scripts/course.py writes them so)."""
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def korean_notebooks(write: bool = True) -> list[str]:
    """Generate ko/lessons/*.ipynb from the lessons and the catalogs; return the stale ones.

    With ``write`` false nothing is written: the return value names the Korean notebooks
    that differ from what the catalogs give (the test of "up to date").
    """
    stale = []
    for lesson in sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb")):
        docname = f"lessons/{lesson.stem}"
        text = _dump(korean_notebook(json.loads(lesson.read_text(encoding="utf-8")), translations(docname)))
        target = KO_LESSONS / lesson.name
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            stale.append(str(target.relative_to(ROOT)))
            if write:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
    return stale


# ----- checks shared by the tests -----------------------------------------------------------

# What a translation must carry over unchanged: roles with their target, inline code,
# math, links (their targets) and MyST targets.
_ROLE = r"\{[a-z:]+\}`[^`]*`"
_CODE = r"(?<!\})(`+)(?:(?!\1).)+\1"
_MATH = r"(?<![\\$])\$\$?(?:[^$\\]|\\.)+?\$\$?"
_LINK_TARGET = r"\]\(([^)\s]+)\)"
_NUMBERED = re.compile(r"^\s*(\d+[.)]|[-+*]|#{1,6}|>)\s")


def protected(text: str) -> dict[str, list[str]]:
    """The parts of a message a translation must keep exactly, by kind (each sorted)."""
    # A role with an explicit title ({ref}`title <target>`) keeps its target; the title
    # is prose and is translated.
    roles = [re.sub(r"`[^`<]*<([^>]+)>`$", r"`<\1>`", r) for r in re.findall(_ROLE, text)]
    rest = re.sub(_ROLE, " ", text)
    code = [m.group(0) for m in re.finditer(_CODE, rest)]
    rest = re.sub(_CODE, " ", rest)
    return {"roles": sorted(roles), "code": sorted(code), "math": sorted(re.findall(_MATH, rest)),
            "links": sorted(re.findall(_LINK_TARGET, rest))}


def translation_problems(msgid: str, msgstr: str) -> list[str]:
    """How ``msgstr`` fails to carry ``msgid``'s roles, code, math and links (empty: it does)."""
    found = []
    src, dst = protected(msgid), protected(msgstr)
    for kind in src:
        if src[kind] != dst[kind]:
            found.append(f"{kind} differ: source {src[kind]} vs translation {dst[kind]}")
    if msgstr != msgid and _NUMBERED.match(msgstr):  # an identical message is not re-parsed
        found.append("the translation starts like a list item or heading and would be dropped: "
                     "escape it (for example `1\\. ` instead of `1. `)")
    return found
