"""compile_classifier: one trace of the training step, and the same training as model.compile."""

from __future__ import annotations

import numpy as np
import pytest

keras = pytest.importorskip("keras")
tf = pytest.importorskip("tensorflow")

from dlcourse.models import compile_classifier, small_cnn  # noqa: E402


def _data(n=32, seed=0):
    rng = np.random.default_rng(seed)
    return rng.random((n, 28, 28, 1), dtype=np.float32), rng.integers(0, 10, n)


def _variables_made_in_graph(model, x, y):
    """Names of the variables created while TensorFlow traced `fit` (each forces a second trace)."""
    made = []

    def creator(next_creator, **kwargs):
        if not tf.executing_eagerly():
            made.append(kwargs.get("name"))
        return next_creator(**kwargs)

    with tf.variable_creator_scope(creator):
        model.fit(x, y, batch_size=8, epochs=1, verbose=0, shuffle=False)
    return made


def test_no_variable_is_made_while_tracing():
    x, y = _data()
    model = compile_classifier(small_cnn(width=8, seed=0), keras.optimizers.Adam(1e-3))
    assert _variables_made_in_graph(model, x, y) == []
    # The control: plain compile with the string metric makes them inside the trace
    # (Keras 3.15). If a Keras release stops doing so, this helper is no longer needed.
    plain = small_cnn(width=8, seed=0)
    plain.compile(keras.optimizers.Adam(1e-3), "sparse_categorical_crossentropy", metrics=["accuracy"])
    assert len(_variables_made_in_graph(plain, x, y)) > 0


def test_trains_exactly_like_model_compile():
    x, y = _data()
    ours = compile_classifier(small_cnn(width=8, seed=1), keras.optimizers.Adam(1e-2))
    plain = small_cnn(width=8, seed=1)
    plain.compile(keras.optimizers.Adam(1e-2), "sparse_categorical_crossentropy", metrics=["accuracy"])
    h_ours = ours.fit(x, y, batch_size=8, epochs=2, verbose=0, shuffle=False).history
    h_plain = plain.fit(x, y, batch_size=8, epochs=2, verbose=0, shuffle=False).history
    assert sorted(h_ours) == sorted(h_plain) == ["accuracy", "loss"]
    np.testing.assert_allclose(h_ours["loss"], h_plain["loss"], rtol=1e-6)
    np.testing.assert_allclose(h_ours["accuracy"], h_plain["accuracy"])
    for a, b in zip(ours.get_weights(), plain.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)
    assert ours.optimizer.iterations.numpy() == 8


def test_bad_input_says_what_to_do():
    unbuilt = keras.Sequential([keras.layers.Dense(3)])
    with pytest.raises(ValueError, match="keras.Input"):
        compile_classifier(unbuilt, keras.optimizers.Adam())
    with pytest.raises(TypeError, match="keras.Model"):
        compile_classifier("model", keras.optimizers.Adam())
    with pytest.raises(TypeError, match="sets 'loss' itself"):
        compile_classifier(small_cnn(width=8), keras.optimizers.Adam(), loss="mse")
