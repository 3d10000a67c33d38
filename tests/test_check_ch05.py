"""The lesson 05 exercise checkers accept the right answers and explain wrong ones."""

from __future__ import annotations

import numpy as np

from dlcourse.check import ch05


def _reference_pool(x, k):
    n, h, w, c = x.shape
    x = x[:, : h // k * k, : w // k * k, :]
    return x.reshape(n, h // k, k, w // k, k, c).max(axis=(2, 4))


def test_output_sizes():
    assert ch05.output_sizes([24, 14, 55, 3, 32])
    wrong = ch05.output_sizes([24, 13, 55, 3, 32])
    assert not wrong and "b)" in wrong.message and "a)" not in wrong.message
    assert "5 numbers" in ch05.output_sizes([24, 14]).message
    assert not ch05.output_sizes(None)
    assert not ch05.output_sizes([24.5, 14, 55, 3, 32])


def test_dense_parameters():
    assert ch05.dense_parameters(7 * 7 * 32 * 512 + 512)
    assert "biases" in ch05.dense_parameters(7 * 7 * 32 * 512).message
    assert "32 channels" in ch05.dense_parameters(7 * 7 * 64 * 512 + 512).message
    assert not ch05.dense_parameters(28 * 28 * 512 + 512)
    assert not ch05.dense_parameters("803328")


def test_max_pool_forward():
    assert ch05.max_pool_forward(_reference_pool)
    assert not ch05.max_pool_forward(lambda x, k: None)
    res = ch05.max_pool_forward(lambda x, k: (_ for _ in ()).throw(NotImplementedError))
    assert not res and "not written yet" in res.message
    # Average pooling has the right shape but the wrong values.
    avg = ch05.max_pool_forward(
        lambda x, k: x[:, : x.shape[1] // k * k, : x.shape[2] // k * k].reshape(
            x.shape[0], x.shape[1] // k, k, x.shape[2] // k, k, x.shape[3]).mean(axis=(2, 4)))
    assert not avg and "differs" in avg.message
    # Forgetting to drop the odd last row fails on the 7×7 case with a shape message.
    ceil = ch05.max_pool_forward(lambda x, k: np.pad(_reference_pool(x, k), ((0, 0), (0, x.shape[1] % k), (0, x.shape[2] % k), (0, 0))))
    assert not ceil and "shape" in ceil.message

    def mutating(x, k):
        out = _reference_pool(x, k)
        x[...] = 0
        return out

    assert "changed its input" in ch05.max_pool_forward(mutating).message
