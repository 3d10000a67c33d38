"""dlcourse: the companion package of the deep-learning course book.

The top level holds what every lesson uses: ``profile``, ``record``, ``show``
and ``set_seed``. Concepts live in submodules: ``data``, ``scratch``,
``models``, ``diagnostics``, ``plots`` and ``check``.

TensorFlow is imported one way throughout: ``from dlcourse._tf import tf, keras``.
The first such import loads TensorFlow quietly (its start-up log lines would
otherwise land on the book's pages) and installs the course's Keras patch
(``dlcourse.keras_tracing``: one trace per training step). No other dlcourse
module imports ``tensorflow`` or ``keras`` itself, so the package can never load
them loudly or unpatched (an import sorter would also move such an import above
dlcourse's own). ``tests/test_imports.py`` enforces the rule.

Where that import goes follows from what the module is:

- A module that uses TensorFlow when it runs (``models``, ``devices``,
  ``transfer``, ``saving``, ``diagnostics``) imports it at its top: its classes
  subclass Keras types and its signatures name ``keras.Model``, and only lessons
  that train Keras models import these modules.
- A module that must import without TensorFlow (``scratch``, ``check``,
  ``profiles``, ``records``, ``source``, ``seed``, ``capping``, ``data``,
  ``plots``, ``checklist``, ``regularization``) imports it inside the
  functions that need it, and names Keras types only under ``TYPE_CHECKING``.
  So ``import dlcourse`` and every numpy part stay fast and work where
  TensorFlow is missing.

A lesson's setup cell calls ``dlcourse.profile()``, which imports TensorFlow
this way before the lesson's own ``import keras``.
"""

from dlcourse import _env  # noqa: F401  (sets TF log level before TensorFlow loads)

__version__ = "0.1.0"

from dlcourse.profiles import PROFILES, Profile, current_profile, profile  # noqa: E402
from dlcourse.records import record, recorded  # noqa: E402
from dlcourse.seed import set_seed  # noqa: E402
from dlcourse.source import show  # noqa: E402

in_colab = _env.in_colab

__all__ = [
    "PROFILES", "Profile", "__version__", "current_profile", "in_colab", "profile", "record",
    "recorded", "set_seed", "show",
]
