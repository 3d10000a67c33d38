"""Run-profile resolution and scaling rules."""

import pytest

import dlcourse
from dlcourse.profiles import PROFILES, resolve_profile_name


def test_explicit_value_wins_over_environment(monkeypatch):
    monkeypatch.setenv("DLCOURSE_PROFILE", "full")
    assert resolve_profile_name("smoke") == "smoke"


def test_environment_used_when_no_explicit_value(monkeypatch):
    monkeypatch.setenv("DLCOURSE_PROFILE", "smoke")
    assert resolve_profile_name(None) == "smoke"


def test_default_is_full(monkeypatch):
    monkeypatch.delenv("DLCOURSE_PROFILE", raising=False)
    assert resolve_profile_name(None) == "full"


@pytest.mark.parametrize("bad", ["fast", "SMOKE", "", 3])
def test_unknown_profile_lists_valid_ones(bad):
    with pytest.raises(ValueError, match="valid profiles: full, smoke"):
        resolve_profile_name(bad)


def test_unknown_profile_from_environment_names_the_variable(monkeypatch):
    monkeypatch.setenv("DLCOURSE_PROFILE", "quick")
    with pytest.raises(ValueError, match=r"\$DLCOURSE_PROFILE"):
        dlcourse.profile(None, announce=False)


def test_smoke_scales_down_and_full_keeps_values():
    smoke, full = PROFILES["smoke"], PROFILES["full"]
    assert (smoke.epochs(20), full.epochs(20)) == (2, 20)
    assert (smoke.epochs(1), full.epochs(1)) == (1, 1)
    assert (smoke.train(), full.train()) == (2000, None)
    assert (smoke.train(500), full.train(500)) == (500, 500)
    assert (smoke.test(), full.test(5000)) == (1000, 5000)
    assert (smoke.units(512), full.units(512)) == (128, 512)
    assert smoke.units(8) == 4  # never below the minimum width
    assert (smoke.image(224), full.image(224), smoke.image(28)) == (32, 224, 28)
    assert smoke.pick(full="a", smoke="b") == "b" and full.pick(full="a", smoke="b") == "a"


@pytest.mark.parametrize("bad", [0, -1, 2.5, None])
def test_scaling_rejects_non_positive_integers(bad):
    with pytest.raises(ValueError, match="positive integer"):
        PROFILES["smoke"].epochs(bad)


def test_profile_announces_itself_and_becomes_current(capsys):
    p = dlcourse.profile("smoke")
    out = capsys.readouterr().out
    assert "Profile: smoke on" in out and "TensorFlow" in out
    assert dlcourse.current_profile() is p
    assert p.device == "CPU" or p.device.startswith("GPU ×")
