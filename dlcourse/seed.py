"""Seeding, so that a learner's numbers match the book's."""

from __future__ import annotations

import os
import random

import numpy as np

from dlcourse._env import tensorflow_available


def set_seed(seed: int = 0, deterministic: bool = False) -> np.random.Generator:
    """Seed Python, numpy and (if present) TensorFlow/Keras; return a numpy Generator.

    ``deterministic=True`` also asks TensorFlow for deterministic kernels
    (slower on GPU; some ops then raise instead of running nondeterministically).
    """
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed)
    os.environ["PYTHONHASHSEED"] = str(seed)
    if tensorflow_available():
        from dlcourse._tf import keras, tf  # here, not at the top: dlcourse imports without TensorFlow

        keras.utils.set_random_seed(seed)
        if deterministic:
            tf.config.experimental.enable_op_determinism()
    return np.random.default_rng(seed)
