"""``tf`` and ``keras`` for test files that also hold numpy tests.

A module-level ``pytest.importorskip("tensorflow")`` skips every test of its
file, numpy ones included, when TensorFlow is missing. These stand-ins import
TensorFlow (quietly, through dlcourse) the first time a test touches them, and
skip just that test when it is not installed.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

import pytest


class LazyModule:
    """A module imported on first attribute access; the test using it is skipped if it is missing."""

    def __init__(self, name: str) -> None:
        self._name = name

    def _load(self) -> ModuleType:
        pytest.importorskip("tensorflow")
        importlib.import_module("dlcourse._tf")  # quietly, with the course's Keras patch
        return importlib.import_module(self._name)

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("_"):
            # pytest's collection probes module globals for dunders and markers; answer
            # those without importing, so collecting never loads (or skips on) TensorFlow.
            raise AttributeError(attr)
        return getattr(self._load(), attr)


tf = LazyModule("tensorflow")
keras = LazyModule("keras")
