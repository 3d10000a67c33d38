"""Keras model builders. Each takes ``seed=`` so comparisons start from the same weights."""

from dlcourse.models.cnn import mnist_cnn, small_cnn
from dlcourse.models.mlp import build_mlp

__all__ = ["build_mlp", "mnist_cnn", "small_cnn"]
from dlcourse.models.alexnet import alexnet  # noqa: E402
from dlcourse.models.vgg import VGG_CONFIGS, vgg  # noqa: E402
from dlcourse.models.distribute import mirrored_strategy, split_cpu  # noqa: E402
