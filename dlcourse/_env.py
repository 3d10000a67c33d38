"""Runtime environment: TensorFlow's log level and backend, Colab and GPU detection.

TensorFlow itself is imported by :mod:`dlcourse._tf`.
"""

from __future__ import annotations

import importlib.util
import os
import sys

# Must be set before TensorFlow is imported anywhere in the process.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")


def tensorflow_available() -> bool:
    """Return True when TensorFlow can be imported in this environment."""
    return importlib.util.find_spec("tensorflow") is not None


def in_colab() -> bool:
    """Return True when running inside Google Colab."""
    return "google.colab" in sys.modules


def gpu_names() -> list[str]:
    """Names of the GPUs TensorFlow can see (empty list on CPU or without TF)."""
    if not tensorflow_available():
        return []
    from dlcourse._tf import tf  # here, not at the top: dlcourse imports without TensorFlow

    return [d.name for d in tf.config.list_physical_devices("GPU")]


def device_description() -> str:
    """A one-line description of where the code runs, e.g. 'GPU ×1' or 'CPU'."""
    gpus = gpu_names()
    return f"GPU ×{len(gpus)}" if gpus else "CPU"
