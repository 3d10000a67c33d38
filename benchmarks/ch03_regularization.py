"""Benchmark lesson 03: the wall time of one run and the tables it records.

    python benchmarks/ch03_regularization.py [--profile smoke|full] [--out DIR]

Executes ``lessons/03_regularization.ipynb`` with papermill (the full profile
wants a GPU: on a CPU it takes far longer than a lesson should), then prints the
wall time, the remedies table of the small-data task (gap and test accuracy per
remedy) and the Dropout(0.3) table of the notes' Fashion-MNIST DNN, read from the
metrics the lesson recorded.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LESSON = ROOT / "lessons" / "03_regularization.ipynb"
REMEDIES = {"none": "none", "early_stopping": "early stopping", "l2": "L2", "l1": "L1",
            "dropout": "dropout", "augmentation": "augmentation"}


def recorded_metrics(nb_path: Path) -> dict[str, float | str]:
    """The values a notebook recorded with ``dlcourse.record``, by name."""
    from dlcourse.glue import read_recorded

    return read_recorded(json.loads(nb_path.read_text()))


def tables(m: dict[str, float | str]) -> str:
    """Markdown tables of the remedies and of the dropout DNN."""
    rows = ["| remedy | gap (train − val acc) | test acc |", "| --- | ---: | ---: |"]
    for key, name in REMEDIES.items():
        rows.append(f"| {name} | {m[f'ch03_{key}_gap']:+.3f} | {m[f'ch03_{key}_test_acc']:.3f} |")
    rows += ["", f"early stopping: trained {m['ch03_es_stopped_epoch']:.0f} epochs, "
                 f"restored epoch {m['ch03_es_restored_epoch']:.0f}", "",
             "| DNN 4×512 | train acc | val acc | gap |", "| --- | ---: | ---: | ---: |"]
    for key, name in (("plain", "no dropout"), ("dropout", "Dropout(0.3)")):
        rows.append(f"| {name} | {m[f'ch03_dnn_{key}_train_acc']:.4f} | "
                    f"{m[f'ch03_dnn_{key}_val_acc']:.4f} | {m[f'ch03_dnn_{key}_gap']:+.4f} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--profile", default="smoke", choices=["smoke", "full"])
    ap.add_argument("--out", type=Path, default=None, help="keep the executed notebook here")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import papermill as pm

    out_dir = args.out or Path(tempfile.mkdtemp(prefix="ch03_bench_"))
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / LESSON.name
    start = time.perf_counter()
    pm.execute_notebook(str(LESSON), str(target), parameters={"PROFILE": args.profile},
                        kernel_name="python3", cwd=str(LESSON.parent), progress_bar=False)
    wall = time.perf_counter() - start
    m = recorded_metrics(target)
    print(f"lesson 03, profile {args.profile} on {m.get('profile_device', '?')}: {wall:.1f} s wall "
          "(kernel start included)")
    print(tables(m))


if __name__ == "__main__":
    main()
