"""Stored results that lessons read: present, well formed, and in step with the script that made them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import load_script
from dlcourse import results

ROOT = Path(__file__).resolve().parents[1]


def test_an_unknown_result_names_the_stored_ones():
    with pytest.raises(KeyError, match="ch06_collapse_search"):
        results.load("ch06_colapse")


def test_the_collapse_search_summary_is_what_its_script_makes_of_the_epoch_log():
    script = load_script(ROOT / "benchmarks" / "ch06_collapse_search.py")
    stored = results.load("ch06_collapse_search")
    remade = script.summarize(stored["date"], [str(ROOT / "benchmarks" / "ch06_collapse_search_epochs.jsonl")])
    assert remade == stored


def test_the_summary_flags_a_collapse_only_after_training(tmp_path):
    script = load_script(ROOT / "benchmarks" / "ch06_collapse_search.py")
    cfg = ["0.25", "32", "0.001", "1e-7", "3", "4000", "32", "255"]
    log = tmp_path / "log.jsonl"

    def write(accs, shares):
        log.write_text("\n".join(json.dumps(dict(config=cfg, epoch=i + 1, test_accuracy=a, top_class_share=s,
                                                 seconds=i)) for i, (a, s) in enumerate(zip(accs, shares))))
        return script.summarize("d", [str(log)])["rows"][0]

    assert write([0.9, 0.97, 0.1], [0.11, 0.1, 1.0])["collapsed"] is True
    assert write([0.1, 0.1, 0.1], [1.0, 1.0, 1.0])["collapsed"] is False  # never trained: not the report's pattern
    row = write([0.9, 0.97, 0.96], [0.11, 0.1, 0.1])
    assert row["collapsed"] is False and row["best_epoch"] == 2 and row["steps"] == 3 * 125
