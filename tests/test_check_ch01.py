"""dlcourse.check.ch01: correct answers pass, wrong ones fail with a useful message."""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse.check import ch01
from dlcourse.scratch import layers as L


class GoodSigmoid(L.Sigmoid):
    def backward(self, dout):
        return dout * self.out * (1 - self.out)


class WrongSigmoid(L.Sigmoid):
    def backward(self, dout):
        return dout * self.out  # forgot (1 − y)


class MutatingSigmoid(L.Sigmoid):
    def backward(self, dout):
        dout *= self.out * (1 - self.out)
        return dout


class NoReturnSigmoid(L.Sigmoid):
    def backward(self, dout):
        dout * self.out * (1 - self.out)


class TodoSigmoid(L.Sigmoid):
    def backward(self, dout):
        raise NotImplementedError


class GoodAffine(L.Affine):
    def backward(self, dout):
        self.dW = self.x.T @ dout
        self.db = dout.sum(axis=0)
        return dout @ self.W.T


class AffineWithoutDb(L.Affine):
    def backward(self, dout):
        self.dW = self.x.T @ dout
        return dout @ self.W.T


class AffineMeanDb(GoodAffine):
    def backward(self, dout):
        dx = super().backward(dout)
        self.db = dout.mean(axis=0)
        return dx


class AffineTransposedW(L.Affine):
    def backward(self, dout):
        self.dW = (self.x.T @ dout).T
        self.db = dout.sum(axis=0)
        return dout @ self.W.T


class GoodTanh(L.Tanh):
    def backward(self, dout):
        return dout * (1 - self.out ** 2)


class GoodELU(L.ELU):
    def backward(self, dout):
        return np.where(self.mask, dout, dout * (self.out + self.alpha))


class ELUWithAlphaOne(L.ELU):
    def backward(self, dout):
        return np.where(self.mask, dout, dout * (self.out + 1.0))


class GoodLeaky(L.LeakyReLU):
    def backward(self, dout):
        return np.where(self.mask, dout, self.alpha * dout)


class LeakyAsReLU(L.LeakyReLU):
    def backward(self, dout):
        return np.where(self.mask, dout, 0.0)


class GoodReLU(L.ReLU):
    def backward(self, dout):
        return dout * self.mask


class GoodSoftmax(L.SoftmaxWithLoss):
    def backward(self, dout=1.0):
        return dout * (self.y - self.t) / len(self.t)


class SoftmaxWithoutN(L.SoftmaxWithLoss):
    def backward(self, dout=1.0):
        return dout * (self.y - self.t)


@pytest.mark.parametrize("check, cls", [
    (ch01.sigmoid_backward, GoodSigmoid), (ch01.affine_backward, GoodAffine),
    (ch01.tanh_backward, GoodTanh), (ch01.elu_backward, GoodELU),
    (ch01.leaky_relu_backward, GoodLeaky), (ch01.relu_backward, GoodReLU),
    (ch01.softmax_with_loss_backward, GoodSoftmax),
    # the package's own layers are correct answers too
    (ch01.sigmoid_backward, L.Sigmoid), (ch01.affine_backward, L.Affine),
    (ch01.softmax_with_loss_backward, L.SoftmaxWithLoss),
])
def test_correct_answers_pass(check, cls):
    result = check(cls)
    assert result.passed, str(result)
    assert "correct" in str(result)


@pytest.mark.parametrize("check, cls, message", [
    (ch01.sigmoid_backward, WrongSigmoid, "numerical gradient"),
    (ch01.sigmoid_backward, MutatingSigmoid, "changed dout in place"),
    (ch01.sigmoid_backward, NoReturnSigmoid, "returned None"),
    (ch01.sigmoid_backward, TodoSigmoid, "not written yet"),
    (ch01.sigmoid_backward, GoodSigmoid(), "pass your class itself"),
    (ch01.affine_backward, AffineWithoutDb, "self.db is not set"),
    (ch01.affine_backward, AffineMeanDb, "self.db"),
    (ch01.affine_backward, AffineTransposedW, "shape"),
    (ch01.elu_backward, ELUWithAlphaOne, "numerical gradient"),
    (ch01.leaky_relu_backward, LeakyAsReLU, "numerical gradient"),
    (ch01.softmax_with_loss_backward, SoftmaxWithoutN, "differs"),
])
def test_wrong_answers_fail_with_a_message_and_hint(check, cls, message):
    result = check(cls)
    assert not result.passed
    assert message in str(result), str(result)
    assert "Hint:" in str(result)
