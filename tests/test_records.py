"""dlcourse.record: name rules, glue-compatible output, baseline bounds."""

import json

import pytest

import dlcourse
from dlcourse.records import MetricOutOfBounds, MissingBaseline, load_baselines


@pytest.fixture
def baselines(tmp_path, monkeypatch):
    (tmp_path / "smoke").mkdir()
    (tmp_path / "smoke" / "99_demo.json").write_text(
        json.dumps({"demo_accuracy": {"min": 0.6, "max": 1.0}}))
    monkeypatch.setenv("DLCOURSE_BASELINES", str(tmp_path))
    dlcourse.profile("smoke", announce=False)
    return tmp_path


def test_value_within_bounds_is_recorded_and_returned(baselines):
    assert dlcourse.record("demo_accuracy", 0.8) == 0.8
    assert dlcourse.recorded()["demo_accuracy"] == 0.8


def test_value_below_bound_fails_with_file_and_advice(baselines):
    with pytest.raises(MetricOutOfBounds, match=r"below its lower bound 0.6.*99_demo.json.*no longer learns"):
        dlcourse.record("demo_accuracy", 0.42)


def test_non_finite_value_fails(baselines):
    with pytest.raises(MetricOutOfBounds, match="not finite"):
        dlcourse.record("demo_accuracy", float("nan"))


def test_metric_without_bounds_fails_under_ci(baselines):
    with pytest.raises(MissingBaseline, match=r"tests/baselines/smoke/"):
        dlcourse.record("unknown_metric", 1.0)


def test_no_checks_without_baselines_variable(monkeypatch):
    monkeypatch.delenv("DLCOURSE_BASELINES", raising=False)
    assert dlcourse.record("anything_goes", -5.0) == -5.0


def test_numpy_scalars_become_python_numbers(monkeypatch):
    np = pytest.importorskip("numpy")
    monkeypatch.delenv("DLCOURSE_BASELINES", raising=False)
    assert type(dlcourse.record("np_value", np.float32(0.5))) is float


@pytest.mark.parametrize("bad", ["Test Accuracy", "1st", "a-b", ""])
def test_bad_names_are_rejected(bad):
    with pytest.raises(ValueError, match="lower-case letters"):
        dlcourse.record(bad, 1.0)


def test_duplicate_metric_across_files_is_an_error(tmp_path):
    (tmp_path / "smoke").mkdir()
    for f in ("a.json", "b.json"):
        (tmp_path / "smoke" / f).write_text(json.dumps({"x": {"min": 0}}))
    with pytest.raises(ValueError, match="unique across lessons"):
        load_baselines(tmp_path, "smoke")


def test_project_baselines_are_valid_and_cover_both_profiles():
    from pathlib import Path

    root = Path(__file__).parent / "baselines"
    smoke, full = load_baselines(root, "smoke"), load_baselines(root, "full")
    assert set(smoke) == set(full), "every metric needs bounds in both profiles"
    for name, spec in {**smoke, **full}.items():
        assert spec.get("min", -1e300) <= spec.get("max", 1e300), name


def test_glue_output_matches_myst_nb_format(monkeypatch):
    """In a kernel, record() displays a hidden bundle that myst-nb's glue reader understands."""
    monkeypatch.delenv("DLCOURSE_BASELINES", raising=False)
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shown = []
    shell.display_pub.publish = lambda data, metadata=None, **kw: shown.append((data, metadata))
    try:
        dlcourse.record("glued_value", 0.25)
    finally:
        InteractiveShell.clear_instance()
    data, meta = shown[-1]
    assert meta["scrapbook"] == {"name": "glued_value", "mime_prefix": "application/papermill.record/"}
    assert data["application/papermill.record/text/plain"] == "0.25"


def test_read_recorded_reads_back_what_an_executed_notebook_glued():
    from dlcourse.glue import GLUE_PREFIX, read_recorded

    def glued(name, text):
        return {"output_type": "display_data", "metadata": {"scrapbook": {"name": name, "mime_prefix": GLUE_PREFIX}},
                "data": {GLUE_PREFIX + "text/plain": text}}

    nb = {"cells": [
        {"cell_type": "code", "outputs": [glued("acc", "0.8731"), glued("count", ["62383", "848"])]},
        {"cell_type": "markdown", "source": "text"},
        {"cell_type": "code", "outputs": [{"output_type": "stream", "name": "stdout", "text": "0.5"},
                                          glued("best", "'Adam'"), glued("shape", "array([1, 2])")]},
    ]}
    assert read_recorded(nb) == {"acc": 0.8731, "count": 62383848, "best": "Adam", "shape": "array([1, 2])"}
    assert read_recorded({"cells": []}) == {}
