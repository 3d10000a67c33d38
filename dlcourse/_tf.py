"""TensorFlow and Keras as dlcourse uses them: ``from dlcourse._tf import tf, keras``.

The first import of this module imports TensorFlow with file descriptor 2
pointed at /dev/null: TensorFlow writes C++ log lines (CUDA probing, oneDNN
notices) straight to it while it loads, and Jupyter would forward them into
the cell output, onto the book's pages. It then installs the course's Keras
patch (:mod:`dlcourse.keras_tracing`), so every model trained in a process
that went through here traces each training step once.

Apart from the patch it installs, it is the only place in dlcourse that imports
``tensorflow`` or ``keras``: an ``import keras`` elsewhere would, if it ran first,
load TensorFlow loudly and unpatched (and an import sorter moves third-party
imports above dlcourse's).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from types import ModuleType

from dlcourse._env import tensorflow_available
from dlcourse.keras_tracing import build_state_before_tracing


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


def _import_quietly() -> ModuleType:
    """TensorFlow, imported without its start-up log lines (or as it is if already imported)."""
    if "tensorflow" in sys.modules:  # imported before dlcourse (e.g. by the learner): nothing to hide
        return sys.modules["tensorflow"]
    if not tensorflow_available():
        raise ImportError(
            "TensorFlow is not installed. Install the course environment with "
            "`make setup` (or `pip install 'dlcourse[tf]'`); on Colab it is already there."
        )
    with _stderr_fd_silenced():
        import tensorflow

        # absl would otherwise print a one-time warning on first use.
        tensorflow.get_logger().setLevel("ERROR")
        # Device discovery (cuInit) logs errors on machines without a GPU driver;
        # do it here, silenced, instead of at the first operation of a lesson.
        tensorflow.config.list_physical_devices()
    return tensorflow


tf = _import_quietly()

import keras  # noqa: E402  (after TensorFlow: Keras would otherwise import it unsilenced)

layers = keras.layers

build_state_before_tracing()

__all__ = ["keras", "layers", "tf"]
