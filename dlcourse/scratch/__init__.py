"""Deep learning from scratch in numpy: layers with forward/backward, checks, optimizers."""
