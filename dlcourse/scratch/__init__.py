"""Deep learning from scratch in numpy: layers with forward/backward, checks, optimizers."""
from dlcourse.scratch import optim  # noqa: F401,E402
