"""The lesson 03 exercise checkers accept the right answers and explain wrong ones."""

from __future__ import annotations

import numpy as np

from dlcourse.check import ch03
from dlcourse.regularization import sgd_step_decoupled


def _early_stopping(losses, patience):
    best, best_i, since = float("inf"), 0, 0
    for i, v in enumerate(losses):
        if v < best:
            best, best_i, since = v, i, 0
        else:
            since += 1
            if since >= patience:
                return i + 1, best_i + 1
    return len(losses), best_i + 1


def test_correct_answers_pass():
    assert ch03.inverted_dropout(lambda x, keep, rate: x * keep / (1 - rate))
    assert ch03.decayed_sgd_step(sgd_step_decoupled)
    assert ch03.decayed_sgd_step(lambda w, g, lr, lam: (1 - lr * lam) * w - lr * g)
    assert ch03.early_stopping(_early_stopping)
    assert ch03.digit_augmentations({"rotate ±10°", "shift ±2 pixels", "zoom ±10%"})


def test_placeholders_say_not_yet():
    def todo(*args):
        raise NotImplementedError

    for check in (ch03.inverted_dropout, ch03.decayed_sgd_step, ch03.early_stopping):
        r = check(todo)
        assert not r and "not written yet" in str(r) and "Hint:" in str(r)
    r = ch03.digit_augmentations(None)
    assert not r and "choose from" in str(r)


def test_dropout_mistakes_get_specific_messages():
    r = ch03.inverted_dropout(lambda x, keep, rate: x * keep)
    assert not r and "1/(1 − rate)" in str(r)
    r = ch03.inverted_dropout(lambda x, keep, rate: x * keep * (1 - rate))
    assert not r and "divides" in str(r)
    r = ch03.inverted_dropout(lambda x, keep, rate: x / (1 - rate))
    assert not r and "exactly 0" in str(r)

    def in_place(x, keep, rate):
        x *= keep / (1 - rate)
        return x

    r = ch03.inverted_dropout(in_place)
    assert not r and "in place" in str(r)
    r = ch03.inverted_dropout(lambda x, keep, rate: None)
    assert not r and "return" in str(r)


def test_decay_mistakes_get_specific_messages():
    r = ch03.decayed_sgd_step(lambda w, g, lr, lam: (1 - lam) * w - lr * g)
    assert not r and "(1 − lr·lam)" in str(r)
    r = ch03.decayed_sgd_step(lambda w, g, lr, lam: w - lr * g)
    assert not r and "differs from the reference" in str(r)


def test_early_stopping_mistakes_get_specific_messages():
    r = ch03.early_stopping(lambda losses, p: tuple(v - 1 for v in _early_stopping(losses, p)))
    assert not r and "count epochs from 1" in str(r)
    r = ch03.early_stopping(lambda losses, p: (len(losses), int(np.argmin(losses)) + 1))
    assert not r and "patience=" in str(r)
    r = ch03.early_stopping(lambda losses, p: 3)
    assert not r and "pair" in str(r)

    def ties_improve(losses, patience):  # <= instead of <
        best, best_i, since = float("inf"), 0, 0
        for i, v in enumerate(losses):
            if v <= best:
                best, best_i, since = v, i, 0
            else:
                since += 1
                if since >= patience:
                    return i + 1, best_i + 1
        return len(losses), best_i + 1

    assert not ch03.early_stopping(ties_improve)


def test_augmentation_mistakes_get_specific_messages():
    r = ch03.digit_augmentations({"horizontal flip", "rotate ±10°", "shift ±2 pixels", "zoom ±10%"})
    assert not r and "horizontal flip" in str(r) and "change which digit" in str(r)
    r = ch03.digit_augmentations({"rotate ±10°"})
    assert not r and "also keep the label" in str(r)
    r = ch03.digit_augmentations({"mixup"})
    assert not r and "unknown" in str(r)
    assert not ch03.digit_augmentations("rotate ±10°")
