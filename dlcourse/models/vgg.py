"""VGG networks (Simonyan & Zisserman, 2015): stacks of 3×3 convolutions.

Configurations A, B, D and E of the paper's Table 1 (D is VGG-16, E is
VGG-19); numbers are conv widths, ``"M"`` a 2×2 max-pool. Configuration C
(with 1×1 convolutions) is left out.
"""

from __future__ import annotations

from dlcourse._tf import keras, layers
from dlcourse.models._checks import check_builder_args
from dlcourse.widths import scale_width

VGG_CONFIGS: dict[str, tuple] = {
    "A": (64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"),
    "B": (64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"),
    "D": (64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M",
          512, 512, 512, "M"),
    "E": (64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M",
          512, 512, 512, 512, "M"),
}
VGG_DEPTH = {"A": 11, "B": 13, "D": 16, "E": 19}  # weight layers: convs + 3 dense


def vgg(config: str = "D", *, input_shape: tuple[int, int, int] = (224, 224, 3),
        classes: int = 1000, width: float = 1.0, batch_norm: bool = False,
        bn_momentum: float = 0.99, dropout: float = 0.5, dense_units: int = 4096,
        kernel_initializer: str = "glorot_uniform", seed: int | None = 0, name: str | None = None) -> keras.Model:
    """VGG of configuration ``config``: (N, H, W, C) images → (N, classes) softmax probabilities.

    Defaults give the paper's network (configuration D = VGG-16: 224×224×3,
    1,000 classes, 138,357,544 parameters). ``width`` scales conv and dense
    widths; ``batch_norm=True`` puts batch norm between each conv and its ReLU, with
    running-average momentum ``bn_momentum`` (Keras' 0.99 needs a few hundred steps
    to settle; a short run needs less, e.g. 0.9).
    """
    if config not in VGG_CONFIGS:
        raise ValueError(f"config must be one of {', '.join(VGG_CONFIGS)}, got {config!r}")
    check_builder_args(input_shape, width, dropout, classes, bn_momentum)
    if min(input_shape[:2]) < 32:
        raise ValueError(
            f"VGG halves the image five times, so it needs at least 32×32 inputs, got "
            f"{input_shape[0]}×{input_shape[1]}: resize the images (e.g. make_dataset(image_size=32))."
        )
    if seed is not None:
        keras.utils.set_random_seed(seed)

    stack: list = [keras.Input(shape=input_shape, name="image")]
    block, conv = 1, 1
    for item in VGG_CONFIGS[config]:
        if item == "M":
            stack.append(layers.MaxPooling2D(2, name=f"block{block}_pool"))
            block, conv = block + 1, 1
            continue
        tag = f"block{block}_conv{conv}"
        # With batch norm the conv bias is redundant (BN's shift replaces it).
        stack.append(layers.Conv2D(scale_width(item, width), 3, padding="same",
                                   use_bias=not batch_norm,
                                   kernel_initializer=kernel_initializer, name=tag))
        if batch_norm:
            stack.append(layers.BatchNormalization(momentum=bn_momentum, name=f"{tag}_bn"))
        stack.append(layers.ReLU(name=f"{tag}_relu"))
        conv += 1
    stack.append(layers.Flatten(name="flatten"))
    for j in (1, 2):
        stack += [layers.Dense(scale_width(dense_units, width),
                               kernel_initializer=kernel_initializer, name=f"fc{j}"),
                  layers.ReLU(name=f"fc{j}_relu")]
        if dropout:
            stack.append(layers.Dropout(dropout, name=f"fc{j}_dropout"))
    stack.append(layers.Dense(classes, activation="softmax", name="predictions"))
    return keras.Sequential(stack, name=name or f"vgg{VGG_DEPTH[config]}")
