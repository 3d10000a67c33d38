"""DLCOURSE_MAX_STEPS: training cut to a few steps for the capped gpu-profile run."""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse import capping

pytestmark = pytest.mark.slow  # patches Keras training loops and trains


@pytest.fixture
def uncapped():
    """Undo the patch after the test, so other tests train in full."""
    import keras

    fit, evaluate = keras.Model.fit, keras.Model.evaluate
    yield
    # Plain assignment: monkeypatch.setattr here would, at its own undo, put the patch back.
    keras.Model.fit, keras.Model.evaluate = fit, evaluate
    capping._installed = None


class _Counter:
    def __new__(cls):
        import keras

        class Count(keras.callbacks.Callback):
            train = test = 0

            def on_train_batch_end(self, batch, logs=None):
                self.train += 1

            def on_test_batch_end(self, batch, logs=None):
                self.test += 1

        return Count()


def _model():
    import keras

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def _data(n=200):
    rng = np.random.default_rng(0)
    return rng.normal(size=(n, 4)).astype("float32"), rng.integers(0, 3, n)


def test_without_a_cap_fit_runs_every_batch(uncapped):
    x, y = _data()
    count = _Counter()
    _model().fit(x, y, batch_size=10, epochs=2, verbose=0, callbacks=[count])
    assert count.train == 40  # the control: 20 batches × 2 epochs


def test_cap_stops_fit_and_evaluate_but_not_predict(uncapped):
    x, y = _data()
    capping.cap_training(3)
    model, count = _model(), _Counter()
    history = model.fit(x, y, batch_size=10, epochs=5, verbose=0, callbacks=[count],
                        validation_data=(x, y))
    assert count.train == 3 and len(history.history["loss"]) == 1
    assert count.test == 3  # the validation pass is cut too
    evaluated = _Counter()
    model.evaluate(x, y, batch_size=10, verbose=0, callbacks=[evaluated])
    assert evaluated.test == 3
    assert model.predict(x, batch_size=10, verbose=0).shape == (200, 3)
    assert capping.training_cap() == 3


def test_installing_twice_keeps_one_wrapper(uncapped):
    import keras

    capping.cap_training(5)
    wrapped = keras.Model.fit
    capping.cap_training(2)
    assert keras.Model.fit is wrapped and capping.training_cap() == 2


@pytest.mark.parametrize("raw", ["0", "-3", "few"])
def test_bad_environment_value_says_what_to_do(monkeypatch, raw):
    monkeypatch.setenv("DLCOURSE_MAX_STEPS", raw)
    with pytest.raises(ValueError, match=r"positive number of training steps.*unset it"):
        capping.max_steps_from_env()


def test_profile_announces_the_cap(monkeypatch, capsys, uncapped):
    import dlcourse

    monkeypatch.setenv("DLCOURSE_MAX_STEPS", "2")
    dlcourse.profile("gpu")
    assert "Training is cut to 2 steps per fit" in capsys.readouterr().out
    assert capping.training_cap() == 2
