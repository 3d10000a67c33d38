"""Run the course's notebooks and build the book.

    python scripts/course.py execute [--profile auto|smoke|full] [--out DIR] [LESSON ...]
    python scripts/course.py golden [LESSON ...]        # regenerate tests/golden (smoke)
    python scripts/course.py book --from DIR            # build the HTML book from executed notebooks
    python scripts/course.py build [--profile ...]      # execute, then build the book
    python scripts/course.py sync-setup                 # copy the setup cell into every lesson

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
BUILD = ROOT / "_build"
sys.path.insert(0, str(ROOT))

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
# Kernels must import this checkout's dlcourse, whatever is installed.
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))


def lesson_paths(names: list[str]) -> list[Path]:
    """Lesson notebooks by stem (all of them when ``names`` is empty)."""
    if not names:
        return sorted(LESSONS.glob("[0-9][0-9]_*.ipynb"))
    paths = []
    for n in names:
        p = LESSONS / (Path(n).stem + ".ipynb")
        if not p.exists():
            raise SystemExit(f"no lesson {n!r}: expected {p}")
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
    import papermill as pm

    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for p in paths:
        target = out / p.name
        start = time.time()
        print(f"[{profile}] {p.name} …", flush=True)
        error = ""
        try:
            pm.execute_notebook(str(p), str(target), parameters={"PROFILE": profile},
                                kernel_name="python3", cwd=str(p.parent),
                                progress_bar=False, log_output=False)
        except pm.PapermillExecutionError as err:
            error = f"cell {err.exec_count}: {err.ename}: {err.evalue}"
        normalise(target)
        secs = time.time() - start
        print(f"    {'FAILED ' + error if error else 'ok'} ({secs:.1f} s)", flush=True)
        rows.append((p.name, secs, error))
    return rows


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
    """Markdown: per notebook, profile, device, duration; then every recorded metric."""
    from dlcourse.records import GLUE_PREFIX

    summary = ["| notebook | profile | device | duration | metrics recorded |",
               "| --- | --- | --- | --- | --- |"]
    metrics = ["| notebook | metric | value |", "| --- | --- | --- |"]
    for nb_path in sorted(executed.glob("[0-9][0-9]_*.ipynb")):
        nb = json.loads(nb_path.read_text())
        glued: dict[str, str] = {}
        for cell in nb["cells"]:
            for o in cell.get("outputs", []):
                sb = o.get("metadata", {}).get("scrapbook")
                if sb:
                    text = o.get("data", {}).get(GLUE_PREFIX + "text/plain", "")
                    glued[sb["name"]] = "".join(text) if isinstance(text, list) else text
        duration = nb["metadata"].get("papermill", {}).get("duration")
        link = f"[{nb_path.stem}](../lessons/{nb_path.stem}.ipynb)"
        recorded = {k: v for k, v in glued.items() if not k.startswith("profile_")}
        summary.append(
            f"| {link} | {glued.get('profile_name', '?').strip(chr(39))} | "
            f"{glued.get('profile_device', '?').strip(chr(39))} | "
            f"{f'{duration:.0f} s' if duration else '?'} | {len(recorded)} |")
        metrics += [f"| {nb_path.stem} | `{k}` | {_fmt(v)} |" for k, v in recorded.items()]
    return ("\n".join(summary) + "\n\nThe metrics those runs recorded (bounds in "
            "`tests/baselines/<profile>/`):\n\n" + "\n".join(metrics) + "\n")


def _fmt(text: str) -> str:
    try:
        return f"{float(text):.4g}"
    except ValueError:
        return text.strip("'")


def build_book(executed: Path) -> Path:
    """Stage config, pages and executed notebooks, then build HTML (warnings are errors)."""
    src = BUILD / "site-src"
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
            raise SystemExit(f"{done} is missing: execute the lessons first.")
        refuse_failed_notebook(done)
        shutil.copy(done, src / "lessons" / lesson.name)
    (src / "book" / "status_table.md").write_text(status_table(executed))
    shutil.copy(ROOT / "benchmarks" / "RESULTS.md", src / "book" / "benchmark_results.md")
    out = BUILD / "book"
    cmd = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(src),
           "--path-output", str(out), "-n", "-W", "--keep-going"]
    print(" ".join(cmd), flush=True)
    result = subprocess.run(cmd)
    if result.returncode != 0:
        raise SystemExit("the book build failed (warnings are errors); see the messages above.")
    html = out / "_build" / "html"
    print(f"\nThe book is at {html / 'index.html'}")
    return html


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


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    ex = sub.add_parser("execute")
    ex.add_argument("--profile", default="auto", choices=["auto", "smoke", "full"])
    ex.add_argument("--out", type=Path, default=BUILD / "executed")
    ex.add_argument("lessons", nargs="*")
    go = sub.add_parser("golden")
    go.add_argument("lessons", nargs="*")
    bk = sub.add_parser("book")
    bk.add_argument("--from", dest="src", type=Path, default=BUILD / "executed")
    bu = sub.add_parser("build")
    bu.add_argument("--profile", default="auto", choices=["auto", "smoke", "full"])
    sub.add_parser("sync-setup")
    args = ap.parse_args(argv)

    if args.cmd in ("execute", "build"):
        prof = auto_profile() if args.profile == "auto" else args.profile
        out = getattr(args, "out", BUILD / "executed")
        rows = execute(lesson_paths(getattr(args, "lessons", [])), out, prof)
        failed = [r for r in rows if r[2]]
        if failed:
            raise SystemExit(f"{len(failed)} notebook(s) failed: " + "; ".join(f"{n}: {e}" for n, _, e in failed))
        if args.cmd == "build":
            build_book(out)
    elif args.cmd == "golden":
        rows = execute(lesson_paths(args.lessons), GOLDEN, "smoke")
        failed = [r for r in rows if r[2]]
        if failed:
            raise SystemExit("golden copies with errors were written; fix the lessons: "
                             + "; ".join(f"{n}: {e}" for n, _, e in failed))
    elif args.cmd == "book":
        build_book(args.src)
    elif args.cmd == "sync-setup":
        sync_setup()


if __name__ == "__main__":
    main()
