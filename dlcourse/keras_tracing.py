"""One trace of each training step: Keras' state built before TensorFlow traces the step.

Outside a distribution strategy, Keras 3 (3.10 to 3.15 at least) creates the
optimizer's slot variables and the compiled metrics' counters *inside* the first
traced training step. A ``tf.function`` that creates variables on its first trace
is traced a second time, which costs 1.5–3 s per model on a CPU. Inside a
strategy Keras builds that state beforehand, symbolically, from one batch of the
data (``Trainer._symbolic_build``). ``build_state_before_tracing()`` makes Keras
take that path always, so a lesson's plain ``model.compile(...)`` and
``model.fit(...)`` trace once. :mod:`dlcourse._tf` installs it when it imports
TensorFlow. The numbers do not change: the slots and counters start at zero either
way, and the build reads only the shapes of the data, so a shuffled or randomly
augmented ``tf.data`` pipeline yields the same batches as without the patch
(``tests/test_keras_tracing.py`` checks these claims).
"""

from __future__ import annotations

from typing import Any

_installed = False


def build_state_before_tracing() -> bool:
    """Patch Keras' TensorFlow trainer to build optimizer and metric state before tracing.

    Returns True when the patch is in place (now or already), False when this
    Keras has no such hook (then nothing changes and training is only slower).
    """
    global _installed
    if _installed:
        return True
    try:
        # Called by dlcourse._tf once TensorFlow is loaded, so this import is quiet.
        from keras.src.backend.tensorflow.trainer import TensorFlowTrainer
    except ImportError:  # another backend, or a Keras whose internals moved
        return False
    original = getattr(TensorFlowTrainer, "_maybe_symbolic_build", None)
    if original is None or not hasattr(TensorFlowTrainer, "_symbolic_build"):
        return False

    def _maybe_symbolic_build(self: Any, iterator: Any = None, data_batch: Any = None) -> None:
        if self._distribute_strategy is not None:
            return original(self, iterator=iterator, data_batch=data_batch)
        if iterator is not None:
            # The build needs only the shapes and dtypes of a batch, which the dataset
            # describes without being iterated. (Under a strategy Keras draws a real
            # batch; drawing one, or even opening an iterator, advances a pipeline's
            # shuffling and random augmentation and so changes the batches training sees.)
            data_batch = iterator.data_adapter.get_tf_dataset().element_spec
        self._symbolic_build(data_batch=data_batch)

    TensorFlowTrainer._maybe_symbolic_build = _maybe_symbolic_build
    _installed = True
    return True
