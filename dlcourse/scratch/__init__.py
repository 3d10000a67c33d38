"""Deep learning from scratch in numpy: layers with forward/backward, checks, optimizers."""
from dlcourse.scratch.conv import Conv2D, MaxPool2D, col2im, conv_output_shape, im2col  # noqa: E402,F401
