"""Keras model builders. Each takes ``seed=`` so comparisons start from the same weights."""

from dlcourse.models.cnn import mnist_cnn, small_cnn
from dlcourse.models.mlp import build_mlp
from dlcourse.models.plain_cnn import plain_cnn

__all__ = ["build_mlp", "mnist_cnn", "plain_cnn", "small_cnn"]
