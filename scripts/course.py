"""Run the course's notebooks and build the book.

    python scripts/course.py publish [--recheck | --prose] [LESSON ...]
                                # full runs → published/ (bounds checked, provenance stored)
    python scripts/course.py book [--from DIR] [--out DIR]
                                # the HTML book from executed notebooks (default: published/)
    python scripts/course.py course [--from DIR] [--out DIR]
                                # both editions: the book above, then the Korean one in its ko/
    python scripts/course.py book-ko [--from DIR] [--out DIR]     # the Korean edition only
    python scripts/course.py messages [--from DIR]  # extract the text, update locales/ko/ catalogs
    python scripts/course.py ko-notebooks           # regenerate ko/lessons/ from the catalogs
    python scripts/course.py execute [--profile auto|smoke|full|gpu] [--out DIR] [LESSON ...]
    python scripts/course.py build [--profile ...]      # execute, then build the book from that run
    python scripts/course.py golden [LESSON ...]        # regenerate tests/golden (smoke)
    python scripts/course.py sync-setup                 # copy the setup cell into every lesson
    python scripts/course.py sync-solutions [LESSON ...] # rewrite each lesson's Solutions section

LESSON is a file name stem such as ``01_backprop``; none means all lessons.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "lessons"
GOLDEN = ROOT / "tests" / "golden"
PUBLISHED = ROOT / "published"
BUILD = ROOT / "_build"
BASELINES = ROOT / "tests" / "baselines"
PROFILE_CHOICES = ["auto", "smoke", "full", "gpu"]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
# Kernels must import this checkout's dlcourse, whatever is installed.
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))


def lesson_paths(names: list[str]) -> list[Path]:
    """Lesson notebooks by stem (all of them when ``names`` is empty)."""
    every = sorted(LESSONS.glob("[0-9][0-9]_*.ipynb"))
    if not names:
        return every
    paths = []
    for n in names:
        p = LESSONS / (Path(n).stem + ".ipynb")
        if not p.exists():
            raise SystemExit(f"no lesson {n!r}. The lessons are: "
                             + ", ".join(q.stem for q in every)
                             + " (for example: make lesson L=01_backprop).")
        paths.append(p)
    return paths


def auto_profile() -> str:
    """``full`` when TensorFlow sees a GPU, else ``smoke``."""
    from dlcourse._env import gpu_names

    return "full" if gpu_names() else "smoke"


def normalise(nb_path: Path) -> None:
    """Drop per-cell timestamps and absolute paths papermill writes, keep the total duration."""
    nb = json.loads(nb_path.read_text())
    meta = nb["metadata"].get("papermill", {})
    for key in ("input_path", "output_path"):
        if meta.get(key):
            meta[key] = Path(meta[key]).name
    meta.pop("environment_variables", None)
    for cell in nb["cells"]:
        cell["metadata"].pop("papermill", None)
        cell["metadata"].pop("execution", None)
    nb_path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")


def execute(paths: list[Path], out: Path, profile: str) -> list[tuple[str, float, str]]:
    """Execute each lesson with papermill into ``out``; return (name, seconds, error) rows."""
    rows = []
    for p in paths:
        name, secs, error, _ = execute_measured(p, out, profile)
        rows.append((name, secs, error))
    return rows


def execute_measured(path: Path, out: Path, profile: str) -> tuple[str, float, str, float]:
    """Execute one lesson in a child process; return (name, seconds, error, kernel peak MiB).

    The child runs papermill and, once the kernel has exited, reads the largest
    resident size any of its own children (the kernel) reached, so the figure is
    the kernel's true peak, not a sample.
    """
    out.mkdir(parents=True, exist_ok=True)
    print(f"[{profile}] {path.name} …", flush=True)
    start = time.time()
    result = subprocess.run([sys.executable, __file__, "_execute-one", "--profile", profile,
                             "--out", str(out), str(path)], capture_output=True, text=True)
    secs = time.time() - start
    report = {}
    for line in result.stdout.splitlines():
        if line.startswith("{"):
            report = json.loads(line)
    error = report.get("error", "") if report else (result.stderr.strip().splitlines() or ["failed"])[-1]
    print(f"    {'FAILED ' + error if error else 'ok'} ({secs:.1f} s)", flush=True)
    return path.name, secs, error, report.get("peak_mib", float("nan"))


def _execute_one(path: Path, out: Path, profile: str) -> None:
    """Child-process half of ``execute_measured``: run papermill, print a JSON report."""
    import resource

    import papermill as pm

    target = out / path.name
    error = ""
    try:
        pm.execute_notebook(str(path), str(target), parameters={"PROFILE": profile},
                            kernel_name="python3", cwd=str(path.parent),
                            progress_bar=False, log_output=False)
    except pm.PapermillExecutionError as err:
        error = f"cell {err.exec_count}: {err.ename}: {err.evalue}"
    normalise(target)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"error": error, "peak_mib": peak}), flush=True)


def refuse_failed_notebook(path: Path) -> None:
    """Stop the build if an executed notebook holds an error output (a cell raised)."""
    nb = json.loads(path.read_text())
    for i, cell in enumerate(nb["cells"]):
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error":
                raise SystemExit(
                    f"{path.name}: cell {i} raised {o.get('ename')}: {o.get('evalue')}. "
                    "Fix the lesson and execute it again; the book is not built from failed runs.")


def status_table(executed: Path) -> str:
    """Markdown: per notebook, its run's provenance; then every metric it recorded."""
    import publishing
    from dlcourse.glue import read_recorded

    summary = ["| notebook | profile | device | date | wall time | peak memory | metrics recorded |",
               "| --- | --- | --- | --- | ---: | ---: | ---: |"]
    metrics = ["| notebook | metric | value |", "| --- | --- | ---: |"]
    total, peak = 0.0, 0
    for nb_path in sorted(executed.glob("[0-9][0-9]_*.ipynb")):
        nb = json.loads(nb_path.read_text())
        values = read_recorded(nb)
        record = publishing.read_provenance(nb)
        shown = {k: v for k, v in values.items() if not k.startswith("profile_")}
        link = f"[{nb_path.stem}](../lessons/{nb_path.stem}.ipynb)"
        if record:
            device = record["device"] if record["device"] != "CPU" else f"CPU, {record['cores']} cores"
            summary.append(
                f"| {link} | {record['profile']} | {device} | {record['date']} | "
                f"{publishing.minutes(record['wall_time_s'])} | {record['peak_memory_mib']:,} MiB | "
                f"{len(shown)} |")
            total, peak = total + record["wall_time_s"], max(peak, record["peak_memory_mib"])
        else:
            duration = nb["metadata"].get("papermill", {}).get("duration")
            summary.append(
                f"| {link} | {values.get('profile_name', '?')} | {values.get('profile_device', '?')} | ? | "
                f"{publishing.minutes(duration) if duration else '?'} | ? | {len(shown)} |")
        metrics += [f"| {nb_path.stem} | `{k}` | {_fmt(v)} |" for k, v in shown.items()]
    if total:
        summary.append(f"| **all lessons** | | | | **{publishing.minutes(total)}** | {peak:,} MiB (largest) | |")
    return ("\n".join(summary) + "\n\nThe metrics those runs recorded (bounds in "
            "`tests/baselines/<profile>/`):\n\n" + "\n".join(metrics) + "\n")


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


MATHJAX_VERSION = "3.2.2"  # keep in step with the Makefile's npm install
MATHJAX_ENTRY = "tex-svg.js"  # SVG output: no web fonts, so file:// works in every browser


def stage_mathjax(src: Path) -> None:
    """Copy the npm MathJax 3 that ``make setup`` installed into the staged book.

    It lands in ``_build/html/_static/mathjax/`` through ``html_static_path: [_mathjax]``
    and ``mathjax_path: mathjax/tex-svg.js`` in _config.yml, so math renders offline.
    (Not under ``_static/`` in the source: Jupyter Book would add every .js file found
    there to every page.)
    """
    pkg = Path(os.environ.get("DLCOURSE_MATHJAX") or Path(sys.prefix) / "mathjax" / "node_modules" / "mathjax")
    meta = pkg / "package.json"
    version = json.loads(meta.read_text())["version"] if meta.exists() else None
    if version != MATHJAX_VERSION:
        raise SystemExit(f"MathJax {MATHJAX_VERSION} is not installed at {pkg} (found {version}): "
                         "run `make setup`.")
    es5, dest = pkg / "es5", src / "_mathjax" / "mathjax"
    dest.mkdir(parents=True)
    shutil.copy(es5 / MATHJAX_ENTRY, dest)
    # \cancel, \color, \boldsymbol, ... are loaded from here when a page needs them.
    shutil.copytree(es5 / "input" / "tex" / "extensions", dest / "input" / "tex" / "extensions")


def stage_book(executed: Path, src: Path, edition: str = "en") -> None:
    """Stage config, pages and executed notebooks into ``src`` for one edition.

    ``edition`` is ``en`` (the English book), ``ko`` (the Korean book: Korean notes,
    table of contents and settings, the catalogs) or ``gettext`` (message extraction:
    no per-run text, since that would put every run's numbers into the catalogs).
    """
    import i18n
    import publishing

    if src.exists():
        shutil.rmtree(src)
    src.mkdir(parents=True)
    for name in ("_config.yml", "_toc.yml"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "book", src / "book",
                    ignore=shutil.ignore_patterns("status_table.md", "benchmark_results.md", "_build"))
    (src / "lessons").mkdir()
    for lesson in lesson_paths([]):
        done = executed / lesson.name
        if not done.exists():
            raise SystemExit(f"{done} is missing: run `make publish L={lesson.stem}` "
                             "(or execute the lessons into that folder first).")
        refuse_failed_notebook(done)
        nb = json.loads(done.read_text())
        record = publishing.read_provenance(nb)
        if edition == "ko":
            nb = i18n.korean_notes(nb, f"lessons/{lesson.stem}", record)
        elif record and edition == "en":
            nb = publishing.with_banner(nb)
        for cell in nb["cells"]:  # papermill's cell: the note above says which profile ran
            tags = cell.setdefault("metadata", {}).setdefault("tags", [])
            if "injected-parameters" in tags:
                tags.append("remove-cell")
        (src / "lessons" / lesson.name).write_text(json.dumps(nb, indent=1, ensure_ascii=False))
    (src / "book" / "status_table.md").write_text(status_table(executed))
    shutil.copy(ROOT / "benchmarks" / "RESULTS.md", src / "book" / "benchmark_results.md")
    # The language switch and glue in translated text (loaded by _config.yml).
    (src / "_ext").mkdir()
    shutil.copy(ROOT / "scripts" / "book_i18n.py", src / "_ext")
    stage_mathjax(src)
    if edition != "en":
        i18n.stage_edition(src, edition)


def build_book(executed: Path, out: Path | None = None) -> Path:
    """Stage config, pages and executed notebooks, then build HTML into ``out`` (warnings are errors)."""
    out = out or BUILD / "book"
    src = out.parent / (out.name + "-src")
    stage_book(executed, src)
    cmd = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(src),
           "--path-output", str(out), "-n", "-W", "--keep-going"]
    print(" ".join(cmd), flush=True)
    result = subprocess.run(cmd)
    if result.returncode != 0:
        raise SystemExit("the book build failed (warnings are errors); see the messages above.")
    html = out / "_build" / "html"
    print(f"\nThe book is at {html / 'index.html'}")
    return html


def build_course(executed: Path, out: Path | None = None) -> Path:
    """Both editions: the English book, then the Korean one into its ``ko/`` folder."""
    import i18n

    out = out or BUILD / "book"
    html = build_book(executed, out)
    i18n.build_korean(executed, out)
    return html


def publish(paths: list[Path], recheck: bool = False) -> None:
    """Execute lessons in the full profile and publish the runs that pass every check.

    Each run goes to ``_build/publish/`` first; only a run with no error, no
    stderr and every metric inside ``tests/baselines/full/`` is copied, with its
    provenance, to ``published/``. ``recheck`` re-checks the runs already in
    ``_build/publish/`` (after a bound was corrected) instead of executing again.
    """
    import publishing

    staging = BUILD / "publish"
    refused = []
    for path in paths:
        lesson = json.loads(path.read_text())
        run = staging / path.name
        meta = staging / (path.stem + ".run.json")
        if recheck:
            if not (run.exists() and meta.exists()):
                raise SystemExit(f"no earlier run of {path.stem} in {staging}: "
                                 f"run `make publish L={path.stem}` without RECHECK.")
            measured = json.loads(meta.read_text())
            secs, peak = measured["wall_time_s"], measured["peak_mib"]
            error = ""
        else:
            _, secs, error, peak = execute_measured(path, staging, "full")
            meta.write_text(json.dumps({"wall_time_s": secs, "peak_mib": peak}))
        if not run.exists():
            refused.append(path.stem)
            print(f"NOT published: {path.stem}: the run wrote no notebook ({error})", flush=True)
            continue
        nb = json.loads(run.read_text())
        why = ([error] if error else []) + publishing.problems(nb, path.stem, BASELINES)
        if publishing.code_hash(nb) != publishing.code_hash(lesson):
            why.append(f"the lesson's code changed since this run; run `make publish L={path.stem}`")
        if why:
            refused.append(path.stem)
            print(f"NOT published: {path.stem} (the run is kept in {run} for inspection):", flush=True)
            for w in why:
                print(f"  - {w}", flush=True)
            continue
        record = publishing.provenance(nb, secs, peak)
        publishing.store_provenance(nb, record)
        PUBLISHED.mkdir(exist_ok=True)
        (PUBLISHED / path.name).write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
        print(f"published {path.stem}: {publishing.minutes(secs)}, peak {peak:,.0f} MiB → "
              f"{_shown(PUBLISHED / path.name)}", flush=True)
    if refused:
        raise SystemExit(f"{len(refused)} run(s) not published: {', '.join(refused)}")


def _shown(path: Path) -> str:
    """``path`` relative to the checkout when it is inside it."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def publish_prose(paths: list[Path], folder: Path | None = None, command: str = "make publish") -> None:
    """Copy the lessons' markdown into their executed copies in ``folder`` when only the prose changed.

    ``folder`` is ``published/`` by default (``make publish PROSE=1``) or the golden
    copies (``make golden PROSE=1``); ``command`` is what re-executes them.
    """
    import publishing

    folder = folder or PUBLISHED
    for path in paths:
        target = folder / path.name
        if not target.exists():
            raise SystemExit(f"{path.stem} has no executed copy in {_shown(folder)}: run `{command} L={path.stem}`.")
        lesson, run = json.loads(path.read_text()), json.loads(target.read_text())
        if publishing.code_hash(lesson) != publishing.code_hash(run):
            raise SystemExit(f"{path.stem}: the code changed too, so its outputs are stale; "
                             f"run `{command} L={path.stem}`.")
        outputs = iter(c for c in run["cells"] if c["cell_type"] == "code"
                       and "injected-parameters" not in c["metadata"].get("tags", []))
        injected = [c for c in run["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
        cells = []
        for cell in lesson["cells"]:
            cells.append(next(outputs) if cell["cell_type"] == "code" else cell)
            if injected and "parameters" in cell["metadata"].get("tags", []):
                cells += injected
        run["cells"] = cells
        target.write_text(json.dumps(run, indent=1, ensure_ascii=False) + "\n")
        print(f"prose of {path.stem} copied into {_shown(target)}; re-read it against the outputs.")


def sync_setup() -> None:
    """Write ``dlcourse.setup_cell.SETUP_CELL`` into the cell after ``parameters`` of each lesson."""
    from dlcourse.setup_cell import SETUP_CELL

    for p in lesson_paths([]):
        nb = json.loads(p.read_text())
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        if len(code) < 2:
            raise SystemExit(f"{p.name}: needs a parameters cell and a setup cell")
        code[1]["source"] = SETUP_CELL.splitlines(keepends=True)
        p.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
        print(f"synced {p.name}")


SOLUTIONS_HEADING = """## Solutions

Reference answers, one per exercise, each checked by its checker. Try the exercise and
its hints (`{chapter}.hint("name")`) first. On Colab and in Jupyter this section starts
collapsed; in the book each answer is behind a "Show" button."""


def sync_solutions(paths: list[Path]) -> None:
    """Rewrite the closing Solutions section of each lesson from its cells tagged ``exercise``.

    One hidden cell per exercise, in the order the exercises appear, each printing the
    reference code and running the checker on it; the heading is collapsed on Colab
    (``metadata.colab.collapsed_sections``) and in Jupyter.
    """
    import re

    call = re.compile(r"\b(ch0\d)\.(\w+)\(")
    for p in paths:
        nb = json.loads(p.read_text())
        cells = nb["cells"]
        chapter = f"ch{p.name[:2]}"
        head = next((i for i, c in enumerate(cells)
                     if c["cell_type"] == "markdown" and "".join(c["source"]).startswith("## Solutions")), None)
        if head is not None:
            stray = [c["id"] for c in cells[head + 1:] if "solution" not in c["metadata"].get("tags", [])]
            if stray:
                raise SystemExit(f"{p.name}: cells after '## Solutions' that are not solution cells: {stray}; "
                                 "move them above the section first (nothing was changed)")
            cells = cells[:head]
        keys = []
        for c in cells:
            if "exercise" in c["metadata"].get("tags", []):
                found = [k for ch, k in call.findall("".join(c["source"])) if ch == chapter
                         and k not in ("hint", "solution", "reference")]
                if len(found) != 1:
                    raise SystemExit(f"{p.name}: exercise cell {c['id']} must call one {chapter} checker, "
                                     f"calls {found} (nothing was changed)")
                keys.append(found[0])
        section = [{"cell_type": "markdown", "id": "solutions",
                    "metadata": {"jp-MarkdownHeadingCollapsed": True, "id": "solutions"},
                    "source": SOLUTIONS_HEADING.format(chapter=chapter).splitlines(keepends=True)}]
        for key in keys:
            src = f'print({chapter}.solution("{key}"))\n{chapter}.{key}({chapter}.reference("{key}"))'
            section.append({"cell_type": "code", "execution_count": None, "id": f"solution-{key}"[:64],
                            "metadata": {"tags": ["solution", "hide-cell"]}, "outputs": [],
                            "source": src.splitlines(keepends=True)})
        nb["cells"] = cells + section
        nb["metadata"].setdefault("colab", {})["collapsed_sections"] = ["solutions"]
        p.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
        print(f"{p.name}: Solutions section with {len(keys)} exercises")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    ex = sub.add_parser("execute")
    ex.add_argument("--profile", default="auto", choices=PROFILE_CHOICES)
    ex.add_argument("--out", type=Path, default=BUILD / "executed")
    ex.add_argument("lessons", nargs="*")
    one = sub.add_parser("_execute-one")  # internal: one lesson, in a child process
    one.add_argument("--profile", required=True)
    one.add_argument("--out", type=Path, required=True)
    one.add_argument("notebook", type=Path)
    pu = sub.add_parser("publish")
    mode = pu.add_mutually_exclusive_group()
    mode.add_argument("--recheck", action="store_true",
                      help="check the last runs in _build/publish again instead of executing")
    mode.add_argument("--prose", action="store_true",
                      help="copy changed markdown into the published runs (code unchanged)")
    pu.add_argument("lessons", nargs="*")
    go = sub.add_parser("golden")
    go.add_argument("--prose", action="store_true",
                    help="copy changed markdown into the golden copies (code unchanged)")
    go.add_argument("lessons", nargs="*")
    bk = sub.add_parser("book")
    bk.add_argument("--from", dest="src", type=Path, default=PUBLISHED)
    bk.add_argument("--out", type=Path, default=BUILD / "book")
    for name in ("course", "book-ko"):
        both = sub.add_parser(name)
        both.add_argument("--from", dest="src", type=Path, default=PUBLISHED)
        both.add_argument("--out", type=Path, default=BUILD / "book")
    ms = sub.add_parser("messages")
    ms.add_argument("--from", dest="src", type=Path, default=PUBLISHED)
    sub.add_parser("ko-notebooks")
    bu = sub.add_parser("build")
    bu.add_argument("--profile", default="auto", choices=PROFILE_CHOICES)
    bu.add_argument("lessons", nargs="*")
    sub.add_parser("sync-setup")
    so = sub.add_parser("sync-solutions", help="rewrite each lesson's Solutions section from its exercise cells")
    so.add_argument("lessons", nargs="*")
    ck = sub.add_parser("check-lessons", help="exit 0 if every named lesson exists, else list them")
    ck.add_argument("lessons", nargs="+")
    args = ap.parse_args(argv)

    if args.cmd == "check-lessons":
        lesson_paths(args.lessons)
    elif args.cmd == "_execute-one":
        notebook = args.notebook if args.notebook.suffix == ".ipynb" else lesson_paths([str(args.notebook)])[0]
        _execute_one(notebook.resolve(), args.out, args.profile)
    elif args.cmd in ("execute", "build"):
        paths = lesson_paths(args.lessons)  # before the profile: `auto` imports TensorFlow
        prof = auto_profile() if args.profile == "auto" else args.profile
        out = getattr(args, "out", BUILD / "executed")
        rows = execute(paths, out, prof)
        failed = [r for r in rows if r[2]]
        if failed:
            raise SystemExit(f"{len(failed)} notebook(s) failed: " + "; ".join(f"{n}: {e}" for n, _, e in failed))
        if args.cmd == "build":
            build_book(out)
    elif args.cmd == "publish":
        paths = lesson_paths(args.lessons)
        publish_prose(paths) if args.prose else publish(paths, recheck=args.recheck)
    elif args.cmd == "golden" and args.prose:
        publish_prose(lesson_paths(args.lessons), GOLDEN, "make golden")
    elif args.cmd == "golden":
        rows = execute(lesson_paths(args.lessons), GOLDEN, "smoke")
        failed = [r for r in rows if r[2]]
        if failed:
            raise SystemExit("golden copies with errors were written; fix the lessons: "
                             + "; ".join(f"{n}: {e}" for n, _, e in failed))
    elif args.cmd == "book":
        build_book(args.src, args.out)
    elif args.cmd == "course":
        build_course(args.src, args.out)
    elif args.cmd == "book-ko":
        import i18n
        i18n.build_korean(args.src, args.out)
    elif args.cmd == "messages":
        import i18n
        i18n.update_catalogs(i18n.extract(args.src))
        i18n.korean_notebooks()
    elif args.cmd == "ko-notebooks":
        import i18n
        stale = i18n.korean_notebooks()
        print("regenerated: " + ", ".join(stale) if stale else "the Korean notebooks are up to date")
    elif args.cmd == "sync-setup":
        sync_setup()
    elif args.cmd == "sync-solutions":
        sync_solutions(lesson_paths(args.lessons))


if __name__ == "__main__":
    main()
