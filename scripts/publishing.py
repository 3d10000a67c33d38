"""Published runs: the full-profile notebooks the book is built from.

A published run is a lesson executed in the ``full`` profile, stored with its
outputs in ``published/`` and with a provenance record in the notebook's
metadata (``metadata.dlcourse.provenance``). This module holds what the
``publish`` command, the book build and the tests share:

- ``code_hash``: which code produced a run (code cells only, in order);
- ``problems``: why a run may not be published (errors, stderr, metrics out of
  bounds or missing);
- ``provenance``: where, when and with what a run was made;
- ``banner``: the note each book page shows about its run.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from dlcourse.glue import read_recorded
from dlcourse.records import MetricOutOfBounds, MissingBaseline, check_bounds, load_baselines

PROFILE = "full"
PROVENANCE_KEYS = ("profile", "device", "cpu_model", "cores", "python", "tensorflow", "keras",
                   "numpy", "dlcourse", "wall_time_s", "peak_memory_mib", "date", "code_sha256")


def _src(cell: dict) -> str:
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


def _lesson_cells(nb: dict) -> list[dict]:
    """The cells a lesson has (papermill's injected-parameters cell left out)."""
    return [c for c in nb["cells"] if "injected-parameters" not in c.get("metadata", {}).get("tags", [])]


def code_hash(nb: dict) -> str:
    """SHA-256 of the notebook's code cells, in order: equal hashes mean the same code ran."""
    h = hashlib.sha256()
    for cell in _lesson_cells(nb):
        if cell["cell_type"] == "code":
            h.update(_src(cell).encode())
            h.update(b"\0")
    return h.hexdigest()


def prose(nb: dict) -> list[str]:
    """The notebook's markdown cells, in order."""
    return [_src(c) for c in _lesson_cells(nb) if c["cell_type"] == "markdown"]


def output_problems(nb: dict) -> list[str]:
    """Cells that raised or wrote to stderr."""
    found = []
    for i, cell in enumerate(nb["cells"]):
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error":
                found.append(f"cell {i} raised {o.get('ename')}: {o.get('evalue')}")
            elif o.get("output_type") == "stream" and o.get("name") == "stderr":
                text = _src({"source": o.get("text", "")}).strip().splitlines()
                found.append(f"cell {i} wrote to stderr: {text[0][:200] if text else ''!r}")
    return found


def metric_problems(nb: dict, stem: str, baselines: Path, profile: str = PROFILE) -> list[str]:
    """Recorded metrics outside their bounds, and bounded metrics of this lesson never recorded."""
    bounds = load_baselines(baselines, profile)
    values = read_recorded(nb)
    found = []
    for name, value in values.items():
        if name.startswith("profile_") or isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        try:
            check_bounds(name, float(value), bounds, profile)
        except (MetricOutOfBounds, MissingBaseline) as err:
            found.append(str(err))
    expected = [n for n, spec in bounds.items() if spec["file"] == f"{stem}.json"]
    missing = sorted(set(expected) - set(values))
    if missing:
        found.append(f"metrics with bounds in tests/baselines/{profile}/{stem}.json were not recorded: "
                     + ", ".join(missing))
    return found


def problems(nb: dict, stem: str, baselines: Path) -> list[str]:
    """Every reason the executed notebook ``nb`` may not be published (empty: it may)."""
    found = output_problems(nb)
    profile = str(read_recorded(nb).get("profile_name", "?"))
    if profile != PROFILE:
        found.append(f"it ran in the {profile!r} profile, not {PROFILE!r}")
    return found + metric_problems(nb, stem, baselines)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def provenance(nb: dict, wall_time_s: float, peak_memory_mib: float) -> dict[str, Any]:
    """Where, when and with what ``nb`` was executed (this machine, this environment, now)."""
    from dlcourse import __version__

    return {
        "profile": str(read_recorded(nb).get("profile_name", "?")),
        "device": str(read_recorded(nb).get("profile_device", "?")),
        "cpu_model": _cpu_model(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "tensorflow": _version("tensorflow"),
        "keras": _version("keras"),
        "numpy": _version("numpy"),
        "dlcourse": __version__,
        "wall_time_s": round(wall_time_s, 1),
        "peak_memory_mib": round(peak_memory_mib),
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d"),
        "code_sha256": code_hash(nb),
    }


def read_provenance(nb: dict) -> dict[str, Any]:
    """The provenance stored in a published notebook (empty dict when there is none)."""
    return nb.get("metadata", {}).get("dlcourse", {}).get("provenance", {})


def store_provenance(nb: dict, record: dict[str, Any]) -> None:
    """Put ``record`` into the notebook's metadata."""
    nb.setdefault("metadata", {}).setdefault("dlcourse", {})["provenance"] = record


def minutes(seconds: float) -> str:
    """``734.2`` → ``'12.2 min'``; under a minute in seconds."""
    return f"{seconds:.0f} s" if seconds < 60 else f"{seconds / 60:.1f} min"


def banner(record: dict[str, Any]) -> str:
    """The note at the top of a book page: which run produced its outputs."""
    device = record["device"] if record["device"] != "CPU" else f"CPU ({record['cpu_model']}, {record['cores']} cores)"
    return (
        ":::{note}\n"
        f"The outputs on this page come from the **{record['profile']}** profile, executed on "
        f"{record['date']} on {device} in {minutes(record['wall_time_s'])} "
        f"(peak memory {record['peak_memory_mib']:,} MiB), with Python {record['python']}, "
        f"TensorFlow {record['tensorflow']}, Keras {record['keras']} and numpy {record['numpy']}. "
        "Run the notebook yourself and you get the same numbers, up to small differences "
        "between machines; {doc}`../book/testing` says how the course checks them.\n"
        ":::\n"
    )


def with_banner(nb: dict) -> dict:
    """A copy of ``nb`` with the provenance note after its title cell."""
    record = read_provenance(nb)
    copy = json.loads(json.dumps(nb))
    cell = {"cell_type": "markdown", "id": "provenance-note", "metadata": {},
            "source": banner(record).splitlines(keepends=True)}
    copy["cells"].insert(1, cell)
    return copy
