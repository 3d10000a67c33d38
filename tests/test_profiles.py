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
    with pytest.raises(ValueError, match="valid profiles: full, gpu, smoke"):
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


def test_gpu_profile_applies_no_general_caps():
    gpu = PROFILES["gpu"]
    assert (gpu.epochs(30), gpu.train(), gpu.test(), gpu.units(512), gpu.image(227)) == (
        30, None, None, 512, 227)


def test_overrides_return_the_profiles_own_settings(capsys):
    smoke, gpu = {"EPOCHS": 2, "TRAIN_IMAGES": 300}, {"EPOCHS": 15}
    assert PROFILES["smoke"].overrides(smoke=smoke, gpu=gpu) == smoke
    assert PROFILES["gpu"].overrides(smoke=smoke, gpu=gpu) == gpu
    out = capsys.readouterr().out
    assert "The smoke profile changes: EPOCHS = 2, TRAIN_IMAGES = 300." in out
    assert "The gpu profile changes: EPOCHS = 15." in out
    assert PROFILES["full"].overrides(smoke=smoke, gpu=gpu) == {}
    assert capsys.readouterr().out == ""  # the book's run says nothing about the others


def test_overrides_are_copies():
    smoke = {"EPOCHS": 2}
    PROFILES["smoke"].overrides(smoke=smoke, gpu={})["EPOCHS"] = 99
    assert smoke == {"EPOCHS": 2}


@pytest.mark.parametrize("bad", [{"epochs": 2}, {"2X": 1}, {3: 1}])
def test_overrides_refuse_names_that_are_not_settings(bad):
    with pytest.raises(ValueError, match="written in capitals"):
        PROFILES["full"].overrides(smoke=bad, gpu={})


def test_overrides_need_dicts():
    with pytest.raises(TypeError, match="define GPU in the parameters cell"):
        PROFILES["full"].overrides(smoke={}, gpu=None)


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


def test_a_profile_chosen_in_one_test_does_not_leak_into_the_next_part_1(monkeypatch):
    monkeypatch.delenv("DLCOURSE_PROFILE", raising=False)
    dlcourse.profile("smoke", announce=False)
    assert dlcourse.current_profile().name == "smoke"


def test_a_profile_chosen_in_one_test_does_not_leak_into_the_next_part_2(monkeypatch):
    monkeypatch.delenv("DLCOURSE_PROFILE", raising=False)
    assert dlcourse.current_profile().name == "full"  # conftest's fixture reset part 1's choice
