"""The lecture's surface J(x) = x1² + 4·x2² − x1·x2 and its gradient."""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse.scratch import surface
from dlcourse.scratch.gradcheck import numerical_gradient


def test_values_at_the_start_and_the_minimum():
    start = np.array(surface.START)
    assert surface.value(start) == 25 + 64 + 20  # x1² + 4·x2² − x1·x2 at (−5, 4)
    np.testing.assert_array_equal(surface.gradient(start), [-14.0, 37.0])
    assert surface.value(np.zeros(2)) == 0.0
    np.testing.assert_array_equal(surface.gradient(np.zeros(2)), [0.0, 0.0])


@pytest.mark.parametrize("x", [(-5.0, 4.0), (1.5, -0.25), (3.0, 2.0)])
def test_gradient_is_the_derivative_of_value(x):
    x = np.array(x)
    np.testing.assert_allclose(surface.gradient(x), numerical_gradient(surface.value, x), rtol=1e-7)
