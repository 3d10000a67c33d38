"""AlexNet (Krizhevsky, Sutskever & Hinton, 2012) as a Keras model.

The default layout is the single-tower Keras version from Elgendy's *Deep
Learning for Vision Systems*: 227×227×3 input, five convolutions with batch
norm in place of the paper's local response normalisation, three dense layers.
"""

from __future__ import annotations

from dlcourse._tf import keras, layers
from dlcourse.models._checks import check_builder_args
from dlcourse.widths import scale_width

# (filters, kernel, stride, padding, pool after?) of the five convolutions.
ALEXNET_CONVS = (
    (96, 11, 4, "valid", True),
    (256, 5, 1, "same", True),
    (384, 3, 1, "same", False),
    (384, 3, 1, "same", False),
    (256, 3, 1, "same", True),
)


def alexnet_feature_side(side: int, stem_kernel: int = 11, stem_stride: int = 4) -> int:
    """Side of AlexNet's last feature map for a ``side``×``side`` input (0 = vanished)."""
    s = (side - stem_kernel) // stem_stride + 1 if side >= stem_kernel else 0
    for _ in range(3):  # three overlapping 3×3, stride-2 max-pools
        s = (s - 3) // 2 + 1 if s >= 3 else 0
    return s


def alexnet(*, input_shape: tuple[int, int, int] = (227, 227, 3), classes: int = 1000,
            width: float = 1.0, batch_norm: bool = True, bn_momentum: float = 0.99,
            dropout: float = 0.5,
            dense_units: int = 4096, stem_kernel: int = 11, stem_stride: int = 4,
            weight_decay: float = 5e-4, kernel_initializer: str = "glorot_uniform",
            seed: int | None = 0, name: str = "alexnet") -> keras.Model:
    """AlexNet: (N, H, W, C) images → (N, classes) softmax probabilities.

    Defaults give the exact layout (227×227×3, 1,000 classes, 62,383,848
    parameters). ``width`` scales every conv and dense width; ``stem_kernel``
    and ``stem_stride`` replace the 11×11 stride-4 first convolution, which
    would shrink a small image to nothing. ``bn_momentum`` is batch norm's
    running-average momentum.
    """
    check_builder_args(input_shape, width, dropout, classes, bn_momentum)
    side = min(input_shape[:2])
    if alexnet_feature_side(side, stem_kernel, stem_stride) < 1:
        raise ValueError(
            f"a {input_shape[0]}×{input_shape[1]} input shrinks to nothing before the dense layers "
            f"with a {stem_kernel}×{stem_kernel} stride-{stem_stride} first convolution and three "
            "3×3/2 max-pools: use images of at least 67 px for the paper's stem, or a smaller "
            "stem (e.g. stem_kernel=3, stem_stride=1 for 32 px)."
        )
    if seed is not None:
        keras.utils.set_random_seed(seed)
    reg = keras.regularizers.L2(weight_decay) if weight_decay else None
    stack: list = [keras.Input(shape=input_shape, name="image")]
    for i, (filters, kernel, stride, padding, pool) in enumerate(ALEXNET_CONVS, start=1):
        if i == 1:
            kernel, stride = stem_kernel, stem_stride
        stack.append(layers.Conv2D(
            scale_width(filters, width), kernel, strides=stride, padding=padding,
            kernel_initializer=kernel_initializer,
            # As in the Keras version the layout follows: an L2 penalty on the first kernel.
            kernel_regularizer=reg if i == 1 else None, name=f"conv{i}"))
        stack.append(layers.ReLU(name=f"relu{i}"))
        # Overlapping pooling: 3×3 windows that move by 2, so windows share a row/column.
        # Layers 1–2 pool before batch norm, layer 5 after it (the book's order).
        if pool and i < 5:
            stack.append(layers.MaxPooling2D(3, strides=2, name=f"pool{i}"))
        if batch_norm:
            stack.append(layers.BatchNormalization(momentum=bn_momentum, name=f"bn{i}"))
        if pool and i == 5:
            stack.append(layers.MaxPooling2D(3, strides=2, name=f"pool{i}"))
    stack.append(layers.Flatten(name="flatten"))
    for j in (6, 7):
        stack += [layers.Dense(scale_width(dense_units, width), kernel_initializer=kernel_initializer,
                               name=f"fc{j}"),
                  layers.ReLU(name=f"relu{j}")]
        if dropout:
            stack.append(layers.Dropout(dropout, name=f"dropout{j}"))
    stack.append(layers.Dense(classes, activation="softmax", name="predictions"))
    return keras.Sequential(stack, name=name)
