"""The first cell after ``parameters`` in every lesson: the one place the Colab pin is set.

A lesson cannot import dlcourse before it is installed, so the cell's text is
copied into each lesson by ``python scripts/course.py sync-setup``, and a test
checks every lesson carries exactly this text.
"""

REPOSITORY = "https://github.com/dlcourse/dlcourse"
COLAB_REF = "v0.1.0"  # tag or commit that Colab installs; bump it when releasing

SETUP_CELL = f'''\
# Setup. On Colab: install the course package at a pinned version. Locally: nothing to do.
import subprocess
import sys

if "google.colab" in sys.modules:
    # --no-deps keeps Colab's own TensorFlow, Keras and numpy.
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                    "dlcourse @ git+{REPOSITORY}@{COLAB_REF}"], check=True)

import dlcourse

P = dlcourse.profile(PROFILE)
globals().update(P.overrides(smoke=SMOKE, gpu=GPU))  # the full profile changes nothing'''
