"""Every scratch layer passes the same protocol test (dlcourse.scratch.base)."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

from dlcourse.scratch import layers as L
from dlcourse.scratch.base import Layer
from dlcourse.scratch.batchnorm import BatchNorm
from dlcourse.scratch.conv import Conv2D, MaxPool2D
from dlcourse.scratch.dropout import Dropout
from dlcourse.scratch.gradcheck import GRADCHECK_PASS, GRADCHECK_PASS_KINKED
from dlcourse.scratch.layercheck import layer_gradcheck, threshold_for
from dlcourse.scratch.optim import SGD

RNG = np.random.default_rng(0)


def _away_from_kink(shape):
    x = 2 * RNG.standard_normal(shape)
    x[np.abs(x) < 1e-2] = 0.5
    return x


def _distinct(shape):
    # Max-pooling is kinked at ties: all values distinct and at least 0.01 apart.
    return RNG.permutation(np.arange(int(np.prod(shape))) * 0.01).reshape(shape)


# name → (a function making the layer, its input); each call builds fresh arrays.
CASES = {
    "Affine": (lambda: L.Affine(RNG.standard_normal((5, 3)), RNG.standard_normal(3)),
               lambda: RNG.standard_normal((4, 5))),
    "ReLU": (L.ReLU, lambda: _away_from_kink((4, 6))),
    "Sigmoid": (L.Sigmoid, lambda: _away_from_kink((4, 6))),
    "Tanh": (L.Tanh, lambda: _away_from_kink((4, 6))),
    "LeakyReLU": (lambda: L.LeakyReLU(0.1), lambda: _away_from_kink((4, 6))),
    "ELU": (lambda: L.ELU(0.7), lambda: _away_from_kink((4, 6))),
    "SoftmaxWithLoss": (L.SoftmaxWithLoss, lambda: 3 * RNG.standard_normal((6, 4))),
    "BatchNorm (N, C)": (lambda: BatchNorm(RNG.normal(1.0, 0.2, 3), RNG.normal(0.0, 0.2, 3)),
                         lambda: RNG.normal(3.0, 2.0, (6, 3))),
    "BatchNorm (N, H, W, C)": (lambda: BatchNorm(RNG.normal(1.0, 0.2, 2), RNG.normal(0.0, 0.2, 2)),
                               lambda: RNG.normal(3.0, 2.0, (2, 3, 3, 2))),
    "Dropout": (lambda: Dropout(0.4, seed=1), lambda: RNG.standard_normal((5, 4))),
    "Conv2D": (lambda: Conv2D(RNG.standard_normal((3, 3, 2, 3)), RNG.standard_normal(3),
                              stride=2, padding="same"),
               lambda: RNG.standard_normal((2, 5, 5, 2))),
    "MaxPool2D": (lambda: MaxPool2D(2), lambda: _distinct((2, 4, 4, 2))),
}
LABELS = np.array([0, 3, 1, 2, 2, 0])


def _forward(layer, x, **kw):
    return layer.forward(x, LABELS, **kw) if layer.loss else layer.forward(x, **kw)


def _dout(layer, out):
    return 1.0 if layer.loss else RNG.standard_normal(np.shape(out))


@pytest.mark.parametrize("name", CASES)
def test_layer_follows_the_protocol(name):
    make, make_x = CASES[name]
    layer, x = make(), make_x()
    assert isinstance(layer, Layer)
    train = inspect.signature(type(layer).forward).parameters["train"]
    assert train.default is True

    # params and grads: same keys, same shapes, zeros before the first backward
    assert set(layer.params) == set(layer.grads)
    for key, p in layer.params.items():
        assert layer.grads[key].shape == p.shape and not np.any(layer.grads[key])

    # shapes, and no mutation of x or dout
    x0 = x.copy()
    out = _forward(layer, x)
    dout = _dout(layer, out)
    dout0 = np.copy(dout)
    dx = layer.backward(dout)
    assert dx.shape == x.shape
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(dout, dout0)
    if layer.loss:
        assert isinstance(out, float)
    for key, p in layer.params.items():
        assert layer.grads[key].shape == p.shape

    # inference mode runs and keeps the shape
    assert np.shape(_forward(layer, x, train=False)) == np.shape(out)


@pytest.mark.parametrize("name", CASES)
def test_gradcheck_within_the_layers_threshold(name):
    make, make_x = CASES[name]
    layer, x = make(), make_x()
    limit = threshold_for(layer)
    assert limit == (GRADCHECK_PASS_KINKED if layer.kinked else GRADCHECK_PASS)
    t = LABELS if layer.loss else None
    if layer.random:
        with pytest.raises(ValueError, match="random numbers at every training forward"):
            layer_gradcheck(layer, x, t)
        errors = layer_gradcheck(layer, x, t, train=False)  # inference is deterministic
    else:
        errors = layer_gradcheck(layer, x, t, seed=1)
    assert set(errors) == {"dx"} | {"d" + key for key in layer.params}
    assert max(errors.values()) < limit, errors


@pytest.mark.parametrize("name", [n for n in CASES if CASES[n][0]().params])
def test_layer_owns_its_params_and_an_optimizer_trains_them(name):
    make, make_x = CASES[name]
    layer, x = make(), make_x()
    given = {k: v.copy() for k, v in layer.params.items()}
    # The constructor copies: changing the arrays it was given changes nothing in the layer.
    args = [given[k] for k in layer.params]
    if isinstance(layer, Conv2D):
        rebuilt = Conv2D(*args, stride=layer.stride, padding=layer.padding)
    else:
        rebuilt = type(layer)(*args)
    for v in args:
        v += 1.0
    for key in layer.params:
        np.testing.assert_array_equal(rebuilt.params[key], layer.params[key])

    out = rebuilt.forward(x)
    rebuilt.backward(np.ones_like(out))
    before = {k: v.copy() for k, v in rebuilt.params.items()}
    SGD(0.1).update(rebuilt.params, rebuilt.grads)
    for key in rebuilt.params:
        np.testing.assert_allclose(rebuilt.params[key], before[key] - 0.1 * rebuilt.grads[key])
        assert getattr(rebuilt, key) is rebuilt.params[key]  # attribute views see the update
    assert not np.allclose(rebuilt.forward(x), out)


def test_dropout_backward_uses_the_mask_of_its_forward():
    layer, x = CASES["Dropout"][0](), CASES["Dropout"][1]()
    layer.forward(x)
    dout = RNG.standard_normal(x.shape)
    np.testing.assert_array_equal(layer.backward(dout), dout * layer.mask)


def test_flags_are_declared_on_the_classes():
    kinked = {n for n, (make, _) in CASES.items() if make().kinked}
    assert kinked == {"ReLU", "LeakyReLU", "ELU", "MaxPool2D"}
    assert {n for n, (make, _) in CASES.items() if make().random} == {"Dropout"}
    assert threshold_for(MaxPool2D(2)) == GRADCHECK_PASS_KINKED > GRADCHECK_PASS


def test_a_wrong_param_gradient_fails_the_check():
    class WrongAffine(L.Affine):
        def backward(self, dout):
            dx = super().backward(dout)
            self.db = 2 * self.db  # wrong bias gradient, right dx and dW
            return dx

    errors = layer_gradcheck(WrongAffine(np.ones((3, 2)), np.zeros(2)), RNG.standard_normal((4, 3)))
    assert errors["dx"] < GRADCHECK_PASS and errors["dW"] < GRADCHECK_PASS
    assert errors["db"] > 0.1
