"""Deep learning from scratch in numpy: layers with forward/backward, checks, optimizers."""
from dlcourse.scratch import gradcheck, layercheck, layers, net  # noqa: E402,F401
