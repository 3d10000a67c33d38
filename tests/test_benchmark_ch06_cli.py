"""benchmarks/ch06_full_models.py refuses bad arguments before it starts any (slow) training."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import load_script

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "ch06_full_models.py"


def _load():
    return load_script(SCRIPT)


@pytest.mark.parametrize("argv, message", [
    (["resnet"], "unknown model 'resnet'"),
    (["alexnet", "--batches", "0"], "must be at least 1"),
    (["vgg16", "--batch-size", "-8"], "must be at least 1"),
])
def test_bad_arguments_exit_with_a_message(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        _load().main(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_the_models_are_the_lessons():
    bench = _load()
    assert bench.MODELS == ("alexnet", "vgg16", "small_cnn")
    assert bench.BATCH == 128
    with pytest.raises(ValueError, match="unknown model"):
        bench.build("lenet")
    # The script measures the lesson's paper-scale (gpu profile) models: the lesson's
    # parameters cell with its GPU changes applied must give the script's settings.
    nb = json.loads((SCRIPT.parents[1] / "lessons" / "06_alexnet_vgg.ipynb").read_text())
    params = "".join(next(c for c in nb["cells"] if c["cell_type"] == "code")["source"])
    settings: dict = {}
    exec(params, settings)
    settings.update(settings["GPU"])
    assert settings["BATCH_SIZE"] == bench.BATCH
    assert settings["WIDTH"] == 1.0 and settings["TRAIN_IMAGES"] is None
    assert (settings["ALEXNET_SIDE"], settings["VGG_SIDE"], settings["VGG_CONFIG"]) == (227, 32, "D")
    assert settings["SMALL_CNN_FILTERS"] == 32
