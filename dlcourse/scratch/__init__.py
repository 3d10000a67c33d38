"""Deep learning from scratch in numpy: layers with forward/backward, checks, optimizers."""

from dlcourse.scratch import init  # noqa: E402,F401
from dlcourse.scratch.batchnorm import BatchNorm  # noqa: E402,F401
