"""L2 penalty versus weight decay, one optimizer step at a time (numpy, float64).

For plain SGD, adding (λ/2)‖w‖² to the loss and decaying the weights are the
same update: w − η(∇L + λw) = (1 − ηλ)w − η∇L. For Adam they differ: an L2
term enters the gradient and is divided by Adam's per-weight scale √v̂, so
weights with large gradients are barely regularized; decoupled weight decay
(AdamW, Loshchilov & Hutter 2019) shrinks every weight by the same factor.

The steps are one-step, functional views of the optimizers in
:mod:`dlcourse.scratch.optim`, which hold the formulas: the Adam step follows
Keras 3 exactly (bias correction folded into the step size, ε added to √v), and
the decoupled decay is applied the way Keras applies ``weight_decay``:
w ← w − η·λ·w, before the Adam update.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from dlcourse.history import history_dict
from dlcourse.scratch import optim

if TYPE_CHECKING:
    from dlcourse._tf import keras


def _check_hyper(lr: float, lam: float) -> None:
    if not lr > 0:
        raise ValueError(f"learning rate must be positive, got {lr}")
    if not lam >= 0:
        raise ValueError(f"the regularization strength must be ≥ 0, got {lam}")


def _same_shape(w: np.ndarray, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    w, grad = np.asarray(w, dtype=np.float64), np.asarray(grad, dtype=np.float64)
    if w.shape != grad.shape:
        raise ValueError(f"grad must have the shape of w {w.shape}, got {grad.shape}")
    return w, grad


def l2_penalty(w: np.ndarray, lam: float) -> float:
    """(λ/2)·‖w‖², whose gradient is λ·w. (Keras' ``L2(c)`` adds c·‖w‖²: use c = λ/2.)"""
    return 0.5 * lam * float(np.sum(np.square(w)))


def l1_penalty(w: np.ndarray, lam: float) -> float:
    """λ·Σ|w|, whose (sub)gradient is λ·sign(w): it pushes small weights to exactly 0."""
    return lam * float(np.sum(np.abs(w)))


def sgd_step_l2(w: np.ndarray, grad: np.ndarray, lr: float, lam: float) -> np.ndarray:
    """One SGD step on loss + (λ/2)‖w‖²: w − η(∇L + λw). w, grad: same shape → new w."""
    _check_hyper(lr, lam)
    w, grad = _same_shape(w, grad)
    params = {"w": w.copy()}
    optim.SGD(lr).update(params, {"w": grad + lam * w})  # the penalty's gradient λw joins ∇L
    return params["w"]


def sgd_step_decoupled(w: np.ndarray, grad: np.ndarray, lr: float, lam: float) -> np.ndarray:
    """One SGD step with decoupled weight decay: (1 − ηλ)w − η∇L. Same shapes as ``sgd_step_l2``."""
    _check_hyper(lr, lam)
    w, grad = _same_shape(w, grad)
    return (1.0 - lr * lam) * w - lr * grad


def adam_step(w: np.ndarray, grad: np.ndarray, m: np.ndarray, v: np.ndarray, t: int, *,
              lr: float = 0.001, beta1: float = 0.9, beta2: float = 0.999,
              epsilon: float = 1e-7, l2: float = 0.0, weight_decay: float = 0.0
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Adam step ``t`` (from 1) → (w, m, v). ``l2``: λ of an L2 loss term; ``weight_decay``: decoupled.

    w, grad, m, v: same shape; ``grad`` is the gradient of the data loss only.
    ``l2=λ`` is Adam on loss + (λ/2)‖w‖²; ``weight_decay=λ`` is AdamW. The step
    itself is ``optim.Adam`` (or ``optim.AdamW``) resumed at step t with state (m, v).
    """
    _check_hyper(lr, l2)
    _check_hyper(lr, weight_decay)
    if not isinstance(t, (int, np.integer)) or t < 1:
        raise ValueError(f"t is the 1-based step number, got {t!r}")
    w, grad = _same_shape(w, grad)
    m, v = np.asarray(m, dtype=np.float64), np.asarray(v, dtype=np.float64)
    if m.shape != w.shape or v.shape != w.shape:
        raise ValueError(f"m and v must have the shape of w {w.shape}, got {m.shape} and {v.shape}")
    adam = (optim.AdamW(lr, beta1, beta2, epsilon, weight_decay=weight_decay) if weight_decay
            else optim.Adam(lr, beta1, beta2, epsilon))
    adam.resume(int(t) - 1, m={"w": m}, v={"w": v})
    params = {"w": w.copy()}
    adam.update(params, {"w": grad + l2 * w})  # coupled: the penalty's gradient goes through Adam's scaling
    return params["w"], adam.state("m")["w"], adam.state("v")["w"]


def early_stopping_epochs(callback: keras.callbacks.EarlyStopping,
                          history: keras.callbacks.History | dict[str, Any]) -> tuple[int, int]:
    """(last epoch trained, epoch whose weights were restored), both 1-based, after ``fit``.

    ``callback``: the ``keras.callbacks.EarlyStopping`` passed to ``fit``;
    ``history``: what ``fit`` returned (or its ``.history`` dict).
    """
    h = history_dict(history, needs=("loss",))
    if not hasattr(callback, "best_epoch"):
        raise ValueError(f"callback must be a keras.callbacks.EarlyStopping, got {type(callback).__name__}")
    # Keras counts epochs from 0; people (and plot_history) count from 1.
    return len(h["loss"]), int(callback.best_epoch) + 1
