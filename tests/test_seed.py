"""set_seed makes numpy, Python and Keras reproducible."""

import random

import numpy as np
import pytest

import dlcourse
from dlcourse.models import build_mlp


def test_same_seed_same_numbers_everywhere():
    rng = dlcourse.set_seed(3)
    a = (np.random.rand(3), random.random(), rng.normal(size=2))
    rng = dlcourse.set_seed(3)
    b = (np.random.rand(3), random.random(), rng.normal(size=2))
    assert np.array_equal(a[0], b[0]) and a[1] == b[1] and np.array_equal(a[2], b[2])


def test_models_built_with_the_same_seed_start_identical():
    w1 = build_mlp((8,), seed=5).get_weights()
    w2 = build_mlp((8,), seed=5).get_weights()
    w3 = build_mlp((8,), seed=6).get_weights()
    assert all(np.array_equal(x, y) for x, y in zip(w1, w2))
    assert not np.array_equal(w1[0], w3[0])


@pytest.mark.parametrize("bad", [-1, 1.5, "0"])
def test_bad_seed_is_rejected(bad):
    with pytest.raises(ValueError, match="non-negative integer"):
        dlcourse.set_seed(bad)


def test_build_mlp_rejects_bad_layout():
    with pytest.raises(ValueError, match="hidden"):
        build_mlp(())
    with pytest.raises(ValueError, match="dropout"):
        build_mlp((4,), dropout=1.0)
