"""Keras model builders. Each takes ``seed=`` so comparisons start from the same weights."""

from dlcourse.models.alexnet import alexnet
from dlcourse.models.cnn import mnist_cnn, small_cnn
from dlcourse.models.mlp import build_mlp
from dlcourse.models.plain_cnn import plain_cnn
from dlcourse.models.resnet import deep_cnn, residual_block
from dlcourse.models.vgg import VGG_CONFIGS, vgg

__all__ = ["VGG_CONFIGS", "alexnet", "build_mlp", "deep_cnn", "mnist_cnn", "plain_cnn", "residual_block",
           "small_cnn", "vgg"]
