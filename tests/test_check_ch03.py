"""The lesson 03 exercise checks beyond the case table: the facts they rely on, and answers they must accept."""

from __future__ import annotations

import math

import numpy as np

from dlcourse.check import ch03
from dlcourse.regularization import sgd_step_decoupled, sgd_step_l2
from dlcourse.scratch import Dropout


def test_the_package_s_own_functions_and_layer_pass():
    assert ch03.decayed_sgd_step(sgd_step_decoupled)
    assert ch03.decayed_sgd_step(sgd_step_l2)  # for SGD the same update, written the other way round
    assert ch03.dropout_layer(Dropout)


def test_the_early_stopping_solution_is_keras_rule_on_random_curves():
    rng = np.random.default_rng(0)
    solve = ch03.reference("early_stopping")
    for _ in range(300):
        n = int(rng.integers(1, 25))
        losses = np.round(rng.random(n), 1).tolist()  # coarse values: many ties
        patience = int(rng.integers(1, 6))
        assert solve(losses, patience) == ch03._reference_early_stopping(losses, patience)


def test_the_histories_show_what_their_verdicts_say():
    h = {k: {m: np.array(v) for m, v in d.items()} for k, d in ch03.HISTORIES.items()}
    assert h["B"]["val_loss"][-1] > 1.5 * h["B"]["val_loss"].min() and h["B"]["loss"][-1] < 0.05
    assert h["C"]["loss"][-5] - h["C"]["loss"][-1] > 0.05  # still falling at the end
    assert h["D"]["accuracy"][-1] < h["D"]["val_accuracy"][-1]  # dropout: the training curve lies below
    assert h["A"]["val_accuracy"][-1] < 0.7 < h["E"]["val_accuracy"][-1]
    assert abs(h["E"]["loss"][-1] - h["E"]["val_loss"][-1]) < 0.1
    for d in h.values():
        assert all(((0 <= v) & (v <= 1)).all() for m, v in d.items() if "acc" in m)
        assert all((v > 0).all() for m, v in d.items() if "loss" in m)


def _search(seed: int, log: bool) -> float:
    X, y, Xv, yv = ch03.ridge_data()
    n, d = X.shape
    rng = np.random.default_rng(seed)
    lams = 10 ** rng.uniform(-4, 2, 30) if log else rng.uniform(1e-4, 100, 30)

    def val_mse(lam):
        w = np.linalg.solve(X.T @ X / n + lam * np.eye(d), X.T @ y / n)
        return np.mean((Xv @ w - yv) ** 2)

    return float(min(lams, key=val_mse))


def test_ridge_val_mse_is_the_checkers_validation_mse_and_the_reference_searches_with_it():
    for lam in (1e-4, 0.03, 100.0):
        assert ch03.ridge_val_mse(lam) == ch03._ridge_mse(lam)[1]
    assert math.isclose(ch03.reference("lambda_search"), _search(ch03.SEARCH_SEED, log=True), rel_tol=1e-12)


def test_a_log_scale_search_passes_for_nearly_every_seed_and_a_linear_one_rarely():
    log_passes = sum(ch03.lambda_search(_search(s, log=True)).passed for s in range(40))
    linear_passes = sum(ch03.lambda_search(_search(s, log=False)).passed for s in range(40))
    assert log_passes >= 38 and linear_passes <= 8, (log_passes, linear_passes)


def test_the_best_lambda_is_inside_the_range_with_both_ends_much_worse():
    lam, best = ch03._best_in_range()
    assert 1e-3 < lam < 1
    assert ch03._ridge_mse(1e-4)[1] > 1.5 * best and ch03._ridge_mse(100)[1] > 1.5 * best


def test_unedited_value_exercises_give_no_answer():
    for key in ("fit_diagnosis", "sign_augmentations", "lambda_search"):
        text = str(getattr(ch03, key)(None))
        assert "not yet" in text
        assert "underfitting\"" not in text and "rotate ±10°'" not in text.split("choose from")[0]
