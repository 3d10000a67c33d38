"""The lesson 04 exercise checkers: what the accept/reject cases (check_cases/ch04.py) do not cover.

The references' claims are checked against the package and Keras: the predicted growth
factors against a long run of the lesson's network, the experiment's reading against
the same network with a smaller ε, the step counts against the powers, the parameter
counts against a Keras model.
"""

from __future__ import annotations

import math

import numpy as np

from dlcourse.check import ch04
from dlcourse.scratch import init
from tf_lazy import keras


def test_the_predicted_growth_factors_hold_on_average_over_many_nets():
    # One 100-unit net drifts by ±20 % per layer; the factor is the average over nets.
    x = np.random.default_rng(0).normal(size=(500, 100))
    std1, xavier, he = ch04.reference("relu_std_ratios")
    for want, scheme in ((std1, dict(scheme="normal", std=1.0)), (xavier, dict(scheme="xavier")),
                         (he, dict(scheme="he"))):
        ratios = []
        for seed in range(40):
            rng = np.random.default_rng(seed)
            h1 = np.maximum(x @ init.initialize(fan_in=100, fan_out=100, seed=rng, **scheme), 0)
            h2 = np.maximum(h1 @ init.initialize(fan_in=100, fan_out=100, seed=rng, **scheme), 0)
            ratios.append(np.log(np.std(h2) / np.std(h1)))
        assert math.isclose(math.exp(np.mean(ratios)), want, rel_tol=0.05)


def test_the_bad_init_experiment_is_about_eps():
    with_bn, cause = ch04.reference("bn_bad_init")
    assert cause == "b"
    without = ch04._bn_net_layer5_std(ch04.BAD_STD, batchnorm=False)
    healthy = ch04._bn_net_layer5_std(init.he_std(100), batchnorm=True)
    tiny_eps = ch04._bn_net_layer5_std(ch04.BAD_STD, batchnorm=True, eps=1e-9)
    assert without < 1e-6 * with_bn and with_bn < 1e-2 * healthy  # slowed, not stopped
    assert math.isclose(tiny_eps, healthy, rel_tol=0.05)  # with ε out of the way, batch norm restores it


def test_steps_to_forget_are_the_first_powers_below_one_percent():
    for momentum, steps in zip((0.99, 0.9), ch04.reference("steps_to_forget")):
        assert momentum ** steps < 0.01 <= momentum ** (steps - 1)


def test_the_parameter_counts_are_keras_counts():
    model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Flatten(),
                              keras.layers.Dense(100, use_bias=False), keras.layers.BatchNormalization()])
    trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    assert (trainable, model.count_params() - trainable) == ch04.reference("bn_parameter_counts")


def test_steps_to_forget_accepts_whole_numbers_given_as_floats():
    # np.ceil returns a float: 459.0 is a whole number of steps.
    assert ch04.steps_to_forget((np.float64(459.0), 44.0))
    assert ch04.steps_to_forget((np.int64(459), np.int64(44)))
    assert not ch04.steps_to_forget((459.5, 44))


def test_a_backward_pass_off_by_more_than_the_threshold_fails_the_gradient_check():
    # Off by a relative 1e-6: close to BatchNorm.backward's at loose tolerances, yet far above
    # the gradient check's 1e-7, which the lesson states as the pass threshold.
    def slightly_off(dout, x, gamma, eps=1e-3):
        dx, dgamma, dbeta = ch04.reference("batchnorm_backward")(dout, x, gamma, eps)
        return dx * (1 + 1e-6), dgamma, dbeta

    result = ch04.batchnorm_backward(slightly_off)
    assert not result and "relative error against the numerical gradient" in result.message


def test_the_backward_reference_is_the_lessons_closed_formula():
    rng = np.random.default_rng(3)
    x, dout, gamma, eps = rng.normal(2.0, 3.0, (7, 4)), rng.normal(size=(7, 4)), rng.normal(1.0, 0.3, 4), 1e-3
    dx, _, _ = ch04.reference("batchnorm_backward")(dout, x, gamma, eps)
    sigma = np.sqrt(x.var(0) + eps)
    x_hat, g = (x - x.mean(0)) / sigma, gamma * dout
    assert np.allclose(dx, (g - g.mean(0) - x_hat * (g * x_hat).mean(0)) / sigma)


def test_an_unedited_exercise_fails_without_a_traceback():
    def todo(*args):
        raise NotImplementedError

    for checker in (ch04.initialize, ch04.batchnorm_forward, ch04.batchnorm_backward):
        result = checker(todo)
        assert not result and "not written yet" in result.message
    for checker in (ch04.relu_std_ratios, ch04.bn_bad_init, ch04.steps_to_forget, ch04.bn_parameter_counts):
        result = checker(None)
        assert not result and "replace" in result.message
