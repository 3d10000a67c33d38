"""dlcourse: the companion package of the deep-learning course book.

The top level holds what every lesson uses: ``profile``, ``record``, ``show``
and ``set_seed``. Concepts live in submodules: ``data``, ``scratch``,
``models``, ``diagnostics``, ``plots`` and ``check``.
"""

from dlcourse import _env  # noqa: F401  (sets TF log level before TensorFlow loads)

__version__ = "0.1.0"

from dlcourse.profiles import PROFILES, Profile, current_profile, profile  # noqa: E402
from dlcourse.records import record, recorded  # noqa: E402
from dlcourse.seed import set_seed  # noqa: E402
from dlcourse.source import show  # noqa: E402

in_colab = _env.in_colab

if _env.tensorflow_available():
    # Import TensorFlow now, quietly, so a lesson's own `import tensorflow`
    # finds it loaded and its start-up log lines never reach the page.
    _env.import_tensorflow()

__all__ = [
    "PROFILES", "Profile", "__version__", "current_profile", "in_colab", "profile", "record",
    "recorded", "set_seed", "show",
]
