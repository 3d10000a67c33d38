"""Runtime environment: quiet TensorFlow start-up, Colab and GPU detection.

TensorFlow writes C++ log lines straight to file descriptor 2 while it is
imported (CUDA probing, oneDNN notices). Jupyter forwards that descriptor into
cell outputs, where the lines would land on book pages and break strict output
checks, so the import happens with descriptor 2 pointed at /dev/null.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import sys
from collections.abc import Iterator
from types import ModuleType

# Must be set before TensorFlow is imported anywhere in the process.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")


@contextlib.contextmanager
def _stderr_fd_silenced() -> Iterator[None]:
    """Point file descriptor 2 at /dev/null for the duration of the block."""
    try:
        saved = os.dup(2)
    except OSError:  # no real descriptor 2 (some embedded interpreters)
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        sys.stderr.flush()
        os.dup2(devnull, 2)
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def tensorflow_available() -> bool:
    """Return True when TensorFlow can be imported in this environment."""
    return importlib.util.find_spec("tensorflow") is not None


def import_tensorflow() -> ModuleType:
    """Import TensorFlow without its start-up log lines on stderr."""
    if "tensorflow" in sys.modules:
        _trace_once()
        return sys.modules["tensorflow"]
    if not tensorflow_available():
        raise ImportError(
            "TensorFlow is not installed. Install the course environment with "
            "`make setup` (or `pip install 'dlcourse[tf]'`); on Colab it is already there."
        )
    with _stderr_fd_silenced():
        import tensorflow as tf

        # absl would otherwise print a one-time warning on first use.
        tf.get_logger().setLevel("ERROR")
        # Device discovery (cuInit) logs errors on machines without a GPU driver;
        # do it here, silenced, instead of at the first operation of a lesson.
        tf.config.list_physical_devices()
    _trace_once()
    return tf


def _trace_once() -> None:
    """One trace per training step instead of two: a speed fix, invisible to lessons."""
    from dlcourse.models.compiling import build_state_before_tracing

    build_state_before_tracing()


def in_colab() -> bool:
    """Return True when running inside Google Colab."""
    return "google.colab" in sys.modules


def gpu_names() -> list[str]:
    """Names of the GPUs TensorFlow can see (empty list on CPU or without TF)."""
    if not tensorflow_available():
        return []
    tf = import_tensorflow()
    return [d.name for d in tf.config.list_physical_devices("GPU")]


def device_description() -> str:
    """A one-line description of where the code runs, e.g. 'GPU ×1' or 'CPU'."""
    gpus = gpu_names()
    return f"GPU ×{len(gpus)}" if gpus else "CPU"
