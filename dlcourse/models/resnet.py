"""A deep CNN with or without identity shortcuts: what residual connections change at equal depth.

``deep_cnn(residual=False)`` is a plain stack of 3×3 convolutions; ``residual=True``
wraps every pair of them in a residual block, ``y = relu(x + F(x))``
(He et al. 2016). Same layers, same initial weights for ``F``, same parameter count
except the 1×1 projections where a stage changes width. ``batch_norm=True`` puts batch
norm after every convolution, as the paper's plain and residual networks both have;
either way the shortcut is the only difference between the two.
"""

from __future__ import annotations

from collections.abc import Sequence

from dlcourse._tf import keras, layers


def _own_seed(kernel_initializer: str, name: str) -> keras.initializers.Initializer:
    """The initializer with a seed of its own, taken from ``name``.

    An unseeded Keras initializer draws its seed from the global generator when the
    layer is created, so one extra layer would shift the weights of every later one.
    With its own seed the projection leaves the other layers' draws alone, and the plain
    and the residual network start from the same weights.
    """
    config = {"class_name": kernel_initializer, "config": {"seed": sum(map(ord, name)) + 10_000}}
    return keras.initializers.get(config)


def residual_block(x: keras.KerasTensor, filters: int, *, residual: bool = True, downsample: bool = False,
                   name: str = "block", kernel_initializer: str = "he_normal", batch_norm: bool = False,
                   bn_momentum: float = 0.99) -> keras.KerasTensor:
    """conv3×3-ReLU-conv3×3, plus the block's input when ``residual``; then ReLU.

    With ``batch_norm``, each convolution (the projection too) is followed by batch norm
    before its ReLU or the sum, as in He et al. (2016).

    x: (N, H, W, C) → (N, H', W', filters), with H' = H/2 when ``downsample`` (the
    first convolution then has stride 2). Where the shape changes, the shortcut is a
    1×1 convolution with the same stride (a *projection*); elsewhere it is the identity.
    """
    stride = 2 if downsample else 1

    def norm(t: keras.KerasTensor, part: str) -> keras.KerasTensor:
        return layers.BatchNormalization(momentum=bn_momentum, name=f"{name}_{part}_bn")(t) if batch_norm else t

    f = layers.Conv2D(filters, 3, strides=stride, padding="same", kernel_initializer=kernel_initializer,
                      name=f"{name}_conv1")(x)
    f = layers.ReLU(name=f"{name}_conv1_relu")(norm(f, "conv1"))
    f = layers.Conv2D(filters, 3, padding="same", kernel_initializer=kernel_initializer,
                      name=f"{name}_conv2")(f)
    f = norm(f, "conv2")
    if residual:
        shortcut = x
        if downsample or x.shape[-1] != filters:
            shortcut = layers.Conv2D(filters, 1, strides=stride, name=f"{name}_projection",
                                     kernel_initializer=_own_seed(kernel_initializer, name))(x)
            shortcut = norm(shortcut, "projection")
        f = layers.Add(name=f"{name}_add")([shortcut, f])
    return layers.ReLU(name=f"{name}_relu")(f)


def deep_cnn(*, residual: bool, blocks_per_stage: int = 3, widths: Sequence[int] = (16, 32, 64),
             input_shape: tuple[int, int, int] = (28, 28, 1), classes: int = 10,
             kernel_initializer: str = "he_normal", batch_norm: bool = False, bn_momentum: float = 0.99,
             seed: int | None = 0) -> keras.Model:
    """Stem conv → stages of ``blocks_per_stage`` blocks (width doubling, size halving) → GAP → softmax.

    (N, H, W, C) → (N, classes). Depth in weight layers: 1 + 2·stages·blocks_per_stage + 1
    (20 with the defaults, like the paper's ResNet-20; its batch norm with ``batch_norm``).
    """
    if not isinstance(blocks_per_stage, int) or blocks_per_stage < 1:
        raise ValueError(f"blocks_per_stage must be a positive integer, got {blocks_per_stage!r}")
    if not widths or any(not isinstance(w, int) or w < 1 for w in widths):
        raise ValueError(f"widths must be positive integers, one per stage, got {widths!r}")
    if seed is not None:
        keras.utils.set_random_seed(seed)
    inputs = keras.Input(shape=input_shape, name="image")
    x = layers.Conv2D(widths[0], 3, padding="same", kernel_initializer=kernel_initializer, name="stem")(inputs)
    if batch_norm:
        x = layers.BatchNormalization(momentum=bn_momentum, name="stem_bn")(x)
    x = layers.ReLU(name="stem_relu")(x)
    for s, width in enumerate(widths, start=1):
        for b in range(1, blocks_per_stage + 1):
            x = residual_block(x, width, residual=residual, downsample=(s > 1 and b == 1),
                               name=f"stage{s}_block{b}", kernel_initializer=kernel_initializer,
                               batch_norm=batch_norm, bn_momentum=bn_momentum)
    x = layers.GlobalAveragePooling2D(name="gap")(x)
    outputs = layers.Dense(classes, activation="softmax", name="classifier")(x)
    return keras.Model(inputs, outputs, name="resnet" if residual else "plain_deep_cnn")
