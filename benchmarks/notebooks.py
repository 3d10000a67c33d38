"""Benchmark: smoke execution time and peak memory of every lesson notebook.

    python benchmarks/notebooks.py [LESSON ...] [--profile smoke] [--repeat N] [--test-suite]

Each lesson is executed with papermill (as CI does) plus one extra cell at the
end that reports the kernel's peak resident memory. With ``--repeat N`` every
lesson runs N times and the table gives the best and the median time: on a
shared machine the best run is the one least disturbed by other jobs (as
``timeit`` reports), and the median says what to expect. ``--test-suite`` also
times the README's whole test command (``pytest --nbval-lax tests``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import course  # noqa: E402

PEAK_CELL = ("import resource as _r\n"
             "print('PEAK_RSS_MIB', _r.getrusage(_r.RUSAGE_SELF).ru_maxrss / 1024)")


def run(stems: list[str], profile: str, repeat: int = 1) -> None:
    import statistics

    import nbformat

    if repeat < 1:
        raise SystemExit(f"--repeat must be at least 1, got {repeat}")
    tmp = Path(tempfile.mkdtemp())
    header = f"{profile} time (s)" if repeat == 1 else f"{profile} time, best of {repeat} (s) | median (s)"
    print(f"| notebook | {header} | peak kernel memory (MiB) |\n| --- | --- |{' --- |' * (repeat > 1)} --- |")
    total = 0.0
    for path in course.lesson_paths(stems):
        nb = nbformat.read(path, as_version=4)
        nb.cells.append(nbformat.v4.new_code_cell(PEAK_CELL))
        probe = tmp / path.name
        nbformat.write(nb, probe)
        # Run the probe copy from the lessons folder, as a lesson would run.
        target = tmp / "out" / path.name
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            rows = course.execute([probe], target.parent, profile)
            times.append(time.perf_counter() - start)
            if rows[0][2]:
                break
        secs = min(times)
        total += secs
        peak = "?"
        for o in json.loads(target.read_text())["cells"][-1].get("outputs", []):
            text = "".join(o.get("text", ""))
            if "PEAK_RSS_MIB" in text:
                peak = f"{float(text.split()[-1]):,.0f}"
        status = f" (FAILED: {rows[0][2]})" if rows[0][2] else ""
        median = f" | {statistics.median(times):.1f}" if repeat > 1 else ""
        print(f"| {path.stem} | {secs:.1f}{status}{median} | {peak} |", flush=True)
    print(f"| **total** | {total:.1f} |{' |' * (repeat > 1)} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("lessons", nargs="*")
    ap.add_argument("--profile", default="smoke", choices=["smoke", "full"])
    ap.add_argument("--repeat", type=int, default=1, help="runs per lesson; report the best and the median")
    ap.add_argument("--test-suite", action="store_true")
    args = ap.parse_args()
    run(args.lessons, args.profile, args.repeat)
    if args.test_suite:
        start = time.perf_counter()
        r = subprocess.run([sys.executable, "-m", "pytest", "-q", "--nbval-lax", "tests"], cwd=ROOT,
                           capture_output=True, text=True)
        last = (r.stdout.strip().splitlines() or ["?"])[-1]
        print(f"\nREADME test command (pytest --nbval-lax tests): {time.perf_counter() - start:.0f} s — {last}")


if __name__ == "__main__":
    main()
