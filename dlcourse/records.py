"""Record a lesson's key metrics, quotable from the prose and checked in CI.

``record(name, value)`` writes the value into the notebook the way myst-nb's
``glue`` does (:mod:`dlcourse.glue`), so a page can say ``{glue:text}`test_accuracy:.3f``` instead of a number typed by
hand. When ``$DLCOURSE_BASELINES`` points at a baselines directory (CI and the
GPU workflow set it; a learner does not), the value is also compared with the
bounds for the current profile, and a value outside them raises.
"""

from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path
from typing import Any

from dlcourse.glue import GLUE_PREFIX, read_recorded  # noqa: F401  (their old home)
from dlcourse.glue import write as _glue
from dlcourse.profiles import current_profile

ENV_VAR = "DLCOURSE_BASELINES"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")

_recorded: dict[str, Any] = {}


class MetricOutOfBounds(AssertionError):
    """A recorded metric fell outside the bounds its baseline file allows."""


class MissingBaseline(LookupError):
    """A metric was recorded under CI but has no bounds in the baselines directory."""


def load_baselines(directory: str | os.PathLike, profile_name: str) -> dict[str, dict]:
    """Read every ``<directory>/<profile_name>/*.json`` into one ``{metric: bounds}`` dict."""
    root = Path(directory) / profile_name
    if not root.is_dir():
        raise FileNotFoundError(
            f"no baselines for profile {profile_name!r}: {root} does not exist. "
            f"Create it, or unset ${ENV_VAR} to record without checks."
        )
    bounds: dict[str, dict] = {}
    for path in sorted(root.glob("*.json")):
        try:
            data = json.loads(path.read_text())
        except json.JSONDecodeError as err:
            raise ValueError(f"{path} is not valid JSON ({err}); fix the file.") from err
        for name, spec in data.items():
            if name in bounds:
                raise ValueError(
                    f"metric {name!r} has bounds in two files ({bounds[name]['file']} and "
                    f"{path.name}); metric names must be unique across lessons."
                )
            if not isinstance(spec, dict) or not ({"min", "max"} & spec.keys()):
                raise ValueError(f"{path}: bounds for {name!r} need 'min' and/or 'max'.")
            bounds[name] = {**spec, "file": path.name}
    return bounds


def check_bounds(name: str, value: float, bounds: dict[str, dict], profile_name: str) -> None:
    """Raise ``MetricOutOfBounds`` or ``MissingBaseline`` unless ``value`` is within its bounds."""
    if name not in bounds:
        raise MissingBaseline(
            f"metric {name!r} has no bounds for the {profile_name} profile: add "
            f'"{name}": {{"min": ..., "max": ...}} to the lesson\'s file in '
            f"tests/baselines/{profile_name}/."
        )
    spec = bounds[name]
    where = f"tests/baselines/{profile_name}/{spec['file']}"
    if not math.isfinite(value):
        raise MetricOutOfBounds(f"{name} = {value} is not finite: training diverged ({where}).")
    low, high = spec.get("min", -math.inf), spec.get("max", math.inf)
    if not low <= value <= high:
        side = f"below its lower bound {low}" if value < low else f"above its upper bound {high}"
        raise MetricOutOfBounds(
            f"{name} = {value:.6g} is {side} for the {profile_name} profile ({where}). "
            "The lesson's model no longer learns as it did: look at the last change to the "
            "lesson or to dlcourse. If the change is intended, update the bound and say why."
        )


def record(name: str, value: Any) -> Any:
    """Record a lesson metric under ``name`` (quotable with ``{glue:text}``); return ``value``."""
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(
            f"metric name {name!r} must be lower-case letters, digits and underscores, "
            "starting with a letter (e.g. 'ch01_test_accuracy')."
        )
    if hasattr(value, "numpy"):  # a TensorFlow scalar
        value = value.numpy()
    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:  # a numpy scalar
        value = value.item()
    _recorded[name] = value
    _glue(name, value)
    directory = os.environ.get(ENV_VAR)
    if directory and isinstance(value, (int, float)) and not isinstance(value, bool):
        prof = current_profile().name
        check_bounds(name, float(value), load_baselines(directory, prof), prof)
    return value


def recorded() -> dict[str, Any]:
    """All metrics recorded in this process so far, by name."""
    return dict(_recorded)
