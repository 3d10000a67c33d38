"""Run profiles: how much data and how many epochs a lesson uses.

A lesson's ``parameters`` cell holds ``PROFILE = None`` plus the full-profile
values; ``P = dlcourse.profile(PROFILE)`` then scales those values down for
the CPU smoke run, e.g. ``P.epochs(20)`` is 20 in ``full`` and 2 in ``smoke``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

ENV_VAR = "DLCOURSE_PROFILE"


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
    repeats: int  # seeds per comparison, where a lesson repeats runs
    device: str = field(default="", compare=False)

    @property
    def is_smoke(self) -> bool:
        """True for the quick CPU profile."""
        return self.name == "smoke"

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
        return max(minimum, int(round(n * self.width)))

    def image(self, side: int) -> int:
        """Image side ``side`` capped by the profile's largest image size."""
        _positive_int("side", side)
        return side if self.image_size is None else min(side, self.image_size)

    def pick(self, *, full, smoke):
        """Return ``full`` or ``smoke`` for a setting with no general rule."""
        return smoke if self.is_smoke else full


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
            "quick CPU run: small data subsets and 1-2 epochs. It proves every cell runs "
            "and that the models still learn; accuracies are far below the full run's"
        ),
        train_size=2000,
        test_size=1000,
        max_epochs=2,
        width=0.25,
        image_size=32,
        repeats=1,
    ),
    "full": Profile(
        name="full",
        description="full data and real epoch counts, meant for a GPU (Colab or a GPU runner)",
        train_size=None,
        test_size=None,
        max_epochs=None,
        width=1.0,
        image_size=None,
        repeats=2,
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

    base = PROFILES[resolve_profile_name(name)]
    current = Profile(**{**base.__dict__, "device": device_description()})
    _current = current
    if announce:
        _announce(current)
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
    from dlcourse.records import _glue

    versions = [f"Python {platform.python_version()}", f"numpy {np.__version__}"]
    if tensorflow_available():
        from dlcourse._env import import_tensorflow

        tf = import_tensorflow()
        import keras

        versions += [f"TensorFlow {tf.__version__}", f"Keras {keras.__version__}"]
        if int(keras.__version__.split(".")[0]) < 3:
            print("WARNING: this course needs Keras 3 (TensorFlow 2.16 or newer).")
    where = "Colab" if in_colab() else "local"
    print(f"Profile: {p.name} on {p.device} ({where}): {p.description}.")
    print(f"dlcourse {__version__} · " + " · ".join(versions))
    _glue("profile_name", p.name)
    _glue("profile_device", p.device)
