"""Run profiles: how much data and how many epochs a lesson uses.

Three profiles:

- ``full``, the default: the run the book shows. Real data and enough training to
  show each lesson's phenomenon, sized to finish in at most 30 minutes on a
  2-core CPU (a GPU makes it a few minutes).
- ``smoke``: CI's miniature, well under a minute per lesson. It proves every cell
  runs and that the models still learn; its outputs are never published.
- ``gpu``: paper-scale settings (AlexNet at 227 px, VGG-16 for 15 epochs, ...),
  for readers with a GPU. The book never quotes its numbers.

A lesson's ``parameters`` cell holds ``PROFILE = None``, the full profile's
values as plain constants, and two dicts, ``SMOKE`` and ``GPU``, with what the
other profiles change. The setup cell resolves the profile and applies its
dict::

    P = dlcourse.profile(PROFILE)
    globals().update(P.overrides(smoke=SMOKE, gpu=GPU))

On top of that the smoke profile caps data, epochs and widths with general
rules (``P.train()``, ``P.epochs(n)``, ``P.units(n)``, ``P.image(side)``),
which leave every value unchanged in ``full`` and ``gpu``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dlcourse import glue
from dlcourse.widths import scale_width

ENV_VAR = "DLCOURSE_PROFILE"
_SETTING = re.compile(r"^[A-Z][A-Z0-9_]*$")


@dataclass(frozen=True)
class Profile:
    """The settings of one run profile."""

    name: str
    description: str
    train_size: int | None  # cap on training examples; None = all of them
    test_size: int | None  # cap on test examples; None = all of them
    max_epochs: int | None  # cap on epochs; None = as many as the lesson asks
    width: float  # multiplier for layer widths of the bigger models
    image_size: int | None  # cap on upsampled image side (AlexNet/VGG); None = paper size
    device: str = field(default="", compare=False)

    def epochs(self, n: int) -> int:
        """Epochs to run for a lesson that asks for ``n`` in the full profile."""
        _positive_int("n", n)
        return n if self.max_epochs is None else min(n, self.max_epochs)

    def train(self, n: int | None = None) -> int | None:
        """Number of training examples for a lesson that wants ``n`` (None = all)."""
        return _cap(n, self.train_size)

    def test(self, n: int | None = None) -> int | None:
        """Number of test examples for a lesson that wants ``n`` (None = all)."""
        return _cap(n, self.test_size)

    def units(self, n: int, minimum: int = 4) -> int:
        """Layer width ``n`` scaled by the profile's width multiplier."""
        _positive_int("n", n)
        return scale_width(n, self.width, minimum)

    def image(self, side: int) -> int:
        """Image side ``side`` capped by the profile's largest image size."""
        _positive_int("side", side)
        return side if self.image_size is None else min(side, self.image_size)

    def overrides(self, *, smoke: Mapping[str, Any], gpu: Mapping[str, Any]) -> dict[str, Any]:
        """The settings this profile changes: ``smoke`` or ``gpu`` (validated), nothing for ``full``.

        A lesson applies them with ``globals().update(P.overrides(smoke=SMOKE, gpu=GPU))``.
        """
        chosen: dict[str, Any] = {}
        for profile_name, settings in (("smoke", smoke), ("gpu", gpu)):
            if not isinstance(settings, Mapping):
                raise TypeError(
                    f"{profile_name}= must be a dict of settings such as {{'EPOCHS': 2}}, "
                    f"got {type(settings).__name__}; define {profile_name.upper()} in the "
                    "parameters cell.")
            bad = [k for k in settings if not (isinstance(k, str) and _SETTING.match(k))]
            if bad:
                raise ValueError(
                    f"{profile_name.upper()} may only change settings of the parameters cell, "
                    f"written in capitals (e.g. 'EPOCHS'); not {bad!r}.")
            if profile_name == self.name:
                chosen = dict(settings)
        if chosen:
            listed = ", ".join(f"{k} = {v!r}" for k, v in chosen.items())
            print(f"The {self.name} profile changes: {listed}.")
        return chosen


def _positive_int(name: str, n: int) -> None:
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"{name} must be a positive integer, got {n!r}")


def _cap(n: int | None, cap: int | None) -> int | None:
    if n is not None:
        _positive_int("n", n)
    if cap is None:
        return n
    return cap if n is None else min(n, cap)


PROFILES: dict[str, Profile] = {
    "smoke": Profile(
        name="smoke",
        description=(
            "CI's miniature: small data subsets and 1-2 epochs. It proves every cell runs "
            "and that the models still learn; accuracies are far below the full run's, "
            "and the book never shows it"
        ),
        train_size=2000,
        test_size=1000,
        max_epochs=2,
        width=0.25,
        image_size=32,
    ),
    "full": Profile(
        name="full",
        description=(
            "the book's run: real data and enough training to show the lesson's point, "
            "sized for at most 30 minutes on a 2-core CPU"
        ),
        train_size=None,
        test_size=None,
        max_epochs=None,
        width=1.0,
        image_size=None,
    ),
    "gpu": Profile(
        name="gpu",
        description=(
            "paper-scale settings for a GPU; the book invites you to try them but never "
            "quotes their numbers"
        ),
        train_size=None,
        test_size=None,
        max_epochs=None,
        width=1.0,
        image_size=None,
    ),
}

_current: Profile | None = None


def resolve_profile_name(name: str | None = None) -> str:
    """The profile name in force: ``name``, else ``$DLCOURSE_PROFILE``, else ``"full"``."""
    chosen = name if name is not None else os.environ.get(ENV_VAR) or "full"
    if not isinstance(chosen, str) or chosen not in PROFILES:
        source = "PROFILE" if name is not None else f"${ENV_VAR}"
        raise ValueError(
            f"unknown profile {chosen!r} (from {source}); valid profiles: "
            f"{', '.join(sorted(PROFILES))}. Set PROFILE in the parameters cell or "
            f"{ENV_VAR} to one of them."
        )
    return chosen


def profile(name: str | None = None, *, announce: bool = True) -> Profile:
    """Resolve and return the run profile, and say on the page which one produced it."""
    global _current
    from dlcourse._env import device_description

    from dlcourse.capping import cap_training, max_steps_from_env

    base = PROFILES[resolve_profile_name(name)]
    cap = max_steps_from_env()
    current = Profile(**{**base.__dict__, "device": device_description()})
    _current = current
    if cap is not None:
        cap_training(cap)
    if announce:
        _announce(current)
        if cap is not None:
            print(f"Training is cut to {cap} steps per fit ($DLCOURSE_MAX_STEPS): this run proves "
                  "that every cell runs; its numbers mean nothing.")
    return current


def current_profile() -> Profile:
    """The profile chosen by the last ``profile()`` call (or resolved from the environment)."""
    if _current is not None:
        return _current
    return PROFILES[resolve_profile_name(None)]


def _announce(p: Profile) -> None:
    import platform

    import numpy as np

    from dlcourse import __version__
    from dlcourse._env import in_colab, tensorflow_available

    versions = [f"Python {platform.python_version()}", f"numpy {np.__version__}"]
    if tensorflow_available():
        from dlcourse._tf import keras, tf  # here, not at the top: profiles import without TensorFlow

        versions += [f"TensorFlow {tf.__version__}", f"Keras {keras.__version__}"]
        if int(keras.__version__.split(".")[0]) < 3:
            print("WARNING: this course needs Keras 3 (TensorFlow 2.16 or newer).")
    where = "Colab" if in_colab() else "local"
    print(f"Profile: {p.name} on {p.device} ({where}): {p.description}.")
    print(f"dlcourse {__version__} · " + " · ".join(versions))
    glue.write("profile_name", p.name)
    glue.write("profile_device", p.device)
