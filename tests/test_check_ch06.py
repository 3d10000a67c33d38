"""Lesson 06's exercise checkers accept the right answers and explain wrong ones."""

from __future__ import annotations

import numpy as np

from dlcourse.check import ch06


def test_vgg16_fc1_params():
    assert ch06.vgg16_fc1_params(102_764_544)
    missing_bias = ch06.vgg16_fc1_params(7 * 7 * 512 * 4096)
    assert not missing_bias and "biases" in missing_bias.message
    wrong = ch06.vgg16_fc1_params(25088)
    assert not wrong and "expected 102764544" in wrong.message and "Hint" in str(wrong)
    assert not ch06.vgg16_fc1_params(None) and "whole number" in ch06.vgg16_fc1_params(None).message


def test_constant_accuracy():
    assert ch06.constant_accuracy(lambda y: np.bincount(y).max() / len(y))
    count = ch06.constant_accuracy(lambda y: np.bincount(y).max())
    assert not count and "count" in count.message
    tenth = ch06.constant_accuracy(lambda y: 0.1)
    assert not tenth and "differs" in tenth.message

    def todo(y):
        raise NotImplementedError

    assert "not written yet" in ch06.constant_accuracy(todo).message


def test_dead_fraction():
    def right(a):
        return float(np.mean(a.reshape(-1, a.shape[-1]).max(axis=0) <= 0))

    assert ch06.dead_fraction(right)
    zeros = ch06.dead_fraction(lambda a: float(np.mean(a <= 0)))
    assert not zeros and "zero *values*" in zeros.message
    per_image = ch06.dead_fraction(lambda a: float(np.mean(a[0].reshape(-1, a.shape[-1]).max(axis=0) <= 0)))
    assert not per_image
    assert not ch06.dead_fraction(lambda a: None)
