"""A plain CNN (no batch norm) whose penultimate layer is a named feature vector, for transfer."""

from __future__ import annotations

from dlcourse._tf import keras, layers


def plain_cnn(*, input_shape: tuple[int, int, int] = (28, 28, 1), classes: int = 10,
              filters: int = 32, features: int = 128, seed: int | None = 0,
              name: str = "plain_cnn") -> keras.Model:
    """Conv(filters)-Pool-Conv(2·filters)-Pool-Flatten-Dense(features, name="features")-Dense(classes, softmax).

    x: (N, 28, 28, 1) → (N, classes). Layer names say what each part is
    (``block1_conv``, ``block2_conv``, ``features``, ``classifier``), so a
    transfer-learning cut can name the layer it keeps up to.
    """
    for arg, value in (("classes", classes), ("filters", filters), ("features", features)):
        if not isinstance(value, int) or value < 1:
            raise ValueError(f"{arg} must be a positive integer, got {value!r}")
    if seed is not None:
        keras.utils.set_random_seed(seed)
    return keras.Sequential([
        keras.Input(shape=input_shape),
        layers.Conv2D(filters, 3, padding="same", activation="relu", name="block1_conv"),
        layers.MaxPooling2D(2, name="block1_pool"),
        layers.Conv2D(2 * filters, 3, padding="same", activation="relu", name="block2_conv"),
        layers.MaxPooling2D(2, name="block2_pool"),
        layers.Flatten(name="flatten"),
        layers.Dense(features, activation="relu", name="features"),
        layers.Dense(classes, activation="softmax", name="classifier"),
    ], name=name)
