"""Keras model builders. Each takes ``seed=`` so comparisons start from the same weights."""

from dlcourse._env import import_tensorflow

# The first import of a TensorFlow-using dlcourse module imports TensorFlow quietly
# (no start-up log lines on the page) and installs the course's Keras patch.
import_tensorflow()

from dlcourse.models.alexnet import alexnet  # noqa: E402
from dlcourse.models.cnn import mnist_cnn, small_cnn  # noqa: E402
from dlcourse.models.distribute import mirrored_strategy, split_cpu  # noqa: E402
from dlcourse.models.mlp import build_mlp  # noqa: E402
from dlcourse.models.plain_cnn import plain_cnn  # noqa: E402
from dlcourse.models.vgg import VGG_CONFIGS, vgg  # noqa: E402

__all__ = ["VGG_CONFIGS", "alexnet", "build_mlp", "mirrored_strategy", "mnist_cnn",
           "plain_cnn", "small_cnn", "split_cpu", "vgg"]
