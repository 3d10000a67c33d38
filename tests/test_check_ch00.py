"""Lesson 00's checkers accept the other correct answers; the wrong ones are in tests/check_cases/ch00.py."""

from __future__ import annotations

import numpy as np

from dlcourse.check import ch00


def test_accuracy_and_se_accepts_float32_arithmetic():
    # A mean taken in float32 (as Keras' outputs are) is off by about 1e-7 relative: still right.
    def in_float32(probs, labels):
        correct = (np.argmax(probs, axis=1) == labels).astype(np.float32)
        p = correct.mean()
        return p, np.sqrt(p * (np.float32(1) - p) / np.float32(len(correct)))

    result = ch00.accuracy_and_se(in_float32)
    assert result, result.message


def test_accuracy_and_se_prints_enough_digits_to_tell_the_numbers_apart():
    def slightly_off(probs, labels):
        p, se = ch00.reference("accuracy_and_se")(probs, labels)
        return p * (1 + 1e-5), se

    result = ch00.accuracy_and_se(slightly_off)
    assert not result and "is 0.700007, expected 0.7:" in result.message  # not "0.7, expected 0.7"
