"""dlcourse.check.ch01 beyond its accept/reject table (tests/check_cases/ch01.py).

The package's own layers are correct answers too; an unrecognised mistake still gets
the numerical-gradient verdict; the suspect network really has one faulty layer; and an
unedited placeholder gets a message without code.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from dlcourse.check import ch01
from dlcourse.scratch import layers as L
from dlcourse.scratch.gradcheck import GRADCHECK_PASS, relative_error
from dlcourse.scratch.layercheck import layer_gradcheck


@pytest.mark.parametrize("check, cls", [
    (ch01.sigmoid_backward, L.Sigmoid), (ch01.tanh_backward, L.Tanh), (ch01.relu_backward, L.ReLU),
    (ch01.leaky_relu_backward, L.LeakyReLU), (ch01.elu_backward, L.ELU), (ch01.affine_backward, L.Affine),
    (ch01.softmax_with_loss_backward, L.SoftmaxWithLoss),
])
def test_the_package_s_layers_are_correct_answers(check, cls):
    result = check(cls)
    assert result.passed, str(result)


class OddSigmoid(L.Sigmoid):
    def backward(self, dout):
        return dout * np.sin(self.out)  # no mistake the checker knows by name


def test_an_unrecognised_mistake_gets_the_numerical_gradient_verdict():
    result = ch01.sigmoid_backward(OddSigmoid)
    assert not result.passed and "numerical gradient" in result.message


class Todo(L.Tanh):
    def backward(self, dout):
        raise NotImplementedError  # your code here


@pytest.mark.parametrize("check, answer", [
    (ch01.tanh_backward, Todo), (ch01.find_the_bug, None), (ch01.sigmoid_depth, None),
    (ch01.gradient_check, lambda f, x, analytic, h=1e-5, threshold=1e-7: (_ for _ in ()).throw(NotImplementedError)),
])
def test_an_unedited_placeholder_gets_a_message_without_code(check, answer):
    result = check(answer)
    assert not result.passed and "Hint:" in str(result)
    assert not any(sign in result.message for sign in ("np.", "@", " = ", "return ", ".T"))


def test_the_suspect_net_has_exactly_one_faulty_layer_and_a_wrong_gradient():
    suspect = ch01.suspect_net()
    rng = np.random.default_rng(4)
    x, t = rng.standard_normal((8, 6)), rng.integers(0, 3, 8)
    backprop, numeric = suspect.gradient(x, t), suspect.numerical_gradient(x, t)
    wrong = {k for k in backprop if relative_error(backprop[k], numeric[k]) > GRADCHECK_PASS}
    assert wrong == {"W1", "b1", "W2", "b2"}  # everything below the faulty layer, nothing above
    failing = []
    for i, layer in enumerate(suspect.layers):
        if max(layer_gradcheck(layer, x).values()) > GRADCHECK_PASS:
            failing.append(i)
        x = layer.forward(x)
    assert failing == [ch01.reference("find_the_bug")]
    assert "Slip" not in repr(suspect.layers)  # a printout does not give the bug away


def test_the_numpy_checks_are_quick():
    for key in ("gradient_check", "two_layer_gradient", "affine_backward", "find_the_bug"):
        start = time.perf_counter()
        assert getattr(ch01, key)(ch01.reference(key)).passed
        assert time.perf_counter() - start < 2.0, key
