"""Deep learning from scratch in numpy: layers with forward/backward, checks, optimizers."""

from dlcourse.scratch import gradcheck, init, layercheck, layers, net, optim  # noqa: F401
from dlcourse.scratch.batchnorm import BatchNorm  # noqa: F401
from dlcourse.scratch.conv import Conv2D, MaxPool2D, col2im, conv_output_shape, im2col  # noqa: F401
from dlcourse.scratch.dropout import Dropout  # noqa: F401
