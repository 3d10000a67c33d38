"""Convolutional networks for 28×28 grey images."""

from __future__ import annotations

from dlcourse._tf import keras, layers


def mnist_cnn(*, input_shape: tuple[int, int, int] = (28, 28, 1), classes: int = 10,
              seed: int | None = 0) -> keras.Model:
    """The lab report's MNIST CNN, layer for layer.

    Conv(64,3,same)-ReLU-Conv(64,3,same)-ReLU-MaxPool(2)-Conv(32,3,same,relu)-
    Conv(32,3,same,relu)-MaxPool(2)-Flatten-Dense(512,relu)-Dense(classes,softmax).
    """
    if seed is not None:
        keras.utils.set_random_seed(seed)
    return keras.Sequential([
        keras.Input(shape=input_shape),
        layers.Conv2D(64, 3, padding="same"), layers.ReLU(),
        layers.Conv2D(64, 3, padding="same"), layers.ReLU(),
        layers.MaxPooling2D(2),
        layers.Conv2D(32, 3, padding="same", activation="relu"),
        layers.Conv2D(32, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dense(512, activation="relu"),
        layers.Dense(classes, activation="softmax"),
    ], name="mnist_cnn")


def small_cnn(*, input_shape: tuple[int, int, int] = (28, 28, 1), classes: int = 10,
              filters: int = 32, seed: int | None = 0, bn_momentum: float = 0.99) -> keras.Model:
    """A small Fashion-MNIST CNN (66,218 parameters at ``filters=32``, under 100 K).

    Two blocks of [Conv-BN-ReLU ×2, MaxPool], global average pooling, softmax;
    the first block's convolutions have ``filters`` channels, the second's twice as many.
    ``bn_momentum`` is batch norm's running-average momentum: Keras' 0.99 needs a
    few hundred steps before the statistics used at test time settle; a short run
    needs a smaller value (0.9 settles in a few dozen).
    """
    if not isinstance(filters, int) or filters < 1:
        raise ValueError(f"filters (channels of the first block) must be a positive integer, got {filters!r}")
    if not 0.0 <= bn_momentum < 1.0:
        raise ValueError(f"bn_momentum must be in [0, 1), got {bn_momentum}")
    if seed is not None:
        keras.utils.set_random_seed(seed)

    def block(channels: int) -> list:
        out = []
        for _ in range(2):
            # No conv bias: batch norm's beta plays that role.
            out += [layers.Conv2D(channels, 3, padding="same", use_bias=False),
                    layers.BatchNormalization(momentum=bn_momentum), layers.ReLU()]
        return out + [layers.MaxPooling2D(2)]

    return keras.Sequential([
        keras.Input(shape=input_shape),
        *block(filters), *block(2 * filters),
        layers.GlobalAveragePooling2D(),
        layers.Dense(classes, activation="softmax"),
    ], name="small_cnn")
