"""benchmarks/cpu_training_speed.py: bad arguments are refused before any model is built."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import load_script

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "cpu_training_speed.py"


def _load():
    return load_script(SCRIPT)


@pytest.mark.parametrize("steps", ["0", "-2"])
def test_steps_must_be_positive(steps, capsys):
    with pytest.raises(SystemExit) as exit_info:
        _load().main(["--steps", steps])
    assert exit_info.value.code == 2 and "--steps must be at least 1" in capsys.readouterr().err


def test_it_times_lesson_06s_full_profile_models():
    import json

    nb = json.loads((SCRIPT.parents[1] / "lessons" / "06_alexnet_vgg.ipynb").read_text())
    settings: dict = {}
    exec("".join(next(c for c in nb["cells"] if c["cell_type"] == "code")["source"]), settings)
    cases = {name.split(" ")[0] + (" collapse" if "collapse" in name else ""): (build, side, batch)
             for name, build, side, batch in _load().cases()}
    build, side, batch = cases["AlexNet"]
    assert (side, batch) == (settings["ALEXNET_SIDE"], settings["BATCH_SIZE"])
    assert build().input_shape[1:3] == (side, side)
    _, side, batch = cases["VGG-16"]
    assert (side, batch) == (settings["VGG_SIDE"], settings["BATCH_SIZE"])
    _, side, batch = cases["collapse collapse"]
    assert (side, batch) == (settings["VGG_SIDE"], settings["COLLAPSE_BATCH"])
    assert settings["WIDTH"] == 0.25 and settings["COLLAPSE_WIDTH"] == 0.5  # the widths the script builds
