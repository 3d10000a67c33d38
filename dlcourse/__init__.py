"""dlcourse: the companion package of the deep-learning course book.

The top level holds what every lesson uses: ``profile``, ``record``, ``show``
and ``set_seed``. Concepts live in submodules: ``data``, ``scratch``,
``models``, ``diagnostics``, ``plots`` and ``check``.

Importing dlcourse does not import TensorFlow: the numpy parts (``scratch``,
``profiles``, ``records``, ``source``, the numpy exercise checks) work without
it. TensorFlow is imported quietly (no start-up log lines on the page) by
``dlcourse.profile()``, which every lesson's setup cell calls before the lesson
imports TensorFlow itself, and by every dlcourse module that uses it, through
``dlcourse._env.import_tensorflow``.
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
