"""Deep learning from scratch in numpy: layers with forward/backward, checks, optimizers.

Every layer follows one protocol, described in :mod:`dlcourse.scratch.base`.
Nothing here imports TensorFlow.
"""

from dlcourse.scratch import base, gradcheck, init, layercheck, layers, net, optim, surface  # noqa: F401
from dlcourse.scratch.base import Layer  # noqa: F401
from dlcourse.scratch.batchnorm import BatchNorm  # noqa: F401
from dlcourse.scratch.conv import Conv2D, MaxPool2D, col2im, conv_output_shape, im2col  # noqa: F401
from dlcourse.scratch.dropout import Dropout  # noqa: F401
