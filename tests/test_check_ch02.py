"""The lesson 02 exercise checks: the reference answers pass, typical mistakes fail helpfully."""

from __future__ import annotations

import numpy as np

from dlcourse.check import ch02


def good_momentum(x, v, grad, lr, momentum):
    v_new = momentum * v - lr * grad
    return x + v_new, v_new


def test_momentum_update_accepts_the_keras_form():
    result = ch02.momentum_update(good_momentum)
    assert result.passed, str(result)


def test_momentum_update_names_the_textbook_form():
    def textbook(x, v, grad, lr, momentum):
        v_new = momentum * v + grad
        return x - lr * v_new, v_new

    result = ch02.momentum_update(textbook)
    assert not result.passed and "textbook form" in result.message


def test_momentum_update_catches_sign_and_in_place_mistakes():
    def subtracts(x, v, grad, lr, momentum):
        v_new = momentum * v - lr * grad
        return x - v_new, v_new

    def in_place(x, v, grad, lr, momentum):
        v *= momentum
        v -= lr * grad
        return x + v, v

    assert "add it" in ch02.momentum_update(subtracts).message
    assert "in place" in ch02.momentum_update(in_place).message


def test_momentum_update_placeholder_and_none():
    def todo(x, v, grad, lr, momentum):
        raise NotImplementedError

    assert "not written yet" in ch02.momentum_update(todo).message
    assert "None" in ch02.momentum_update(lambda *a: None).message


def test_race_winner():
    results = ch02.race(20)
    winner = min(results, key=results.get)
    assert winner == "Nesterov"
    assert ch02.race_winner("Nesterov").passed
    wrong = ch02.race_winner("RMSProp")
    assert not wrong.passed and "the lowest is Nesterov" in wrong.message
    assert "one of" in ch02.race_winner("adam").message
    # After 100 steps the order changes: RMSProp ends lowest (the lesson's experiment).
    late = ch02.race(100)
    assert min(late, key=late.get) == "RMSProp"


def test_adam_first_step():
    assert ch02.adam_first_step(0.01).passed
    assert ch02.adam_first_step(-0.00999).passed
    assert "SGD step" in ch02.adam_first_step(0.003 * 0.01).message
    assert not ch02.adam_first_step(0.005).passed
    assert "give a number" in ch02.adam_first_step("0.01").message
    assert not ch02.adam_first_step(np.nan).passed
