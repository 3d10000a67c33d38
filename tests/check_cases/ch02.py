"""Accept/reject cases for dlcourse.check.ch02 (see check_cases/__init__.py)."""

from __future__ import annotations

import math

import numpy as np

from check_cases import Args, Case, Wrong  # noqa: F401


# --- Momentum: typical wrong classes -------------------------------------------------------------

class _Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr, self.momentum, self.velocity = lr, momentum, {}


class TextbookMomentum(_Momentum):
    def update(self, params, grads):
        for k, p in params.items():
            v = self.velocity.setdefault(k, np.zeros_like(p))
            v[...] = self.momentum * v + grads[k]
            p -= self.lr * v


class ForgetfulMomentum(_Momentum):
    def update(self, params, grads):
        for k, p in params.items():
            v = np.zeros_like(p)  # a new velocity at every call
            v = self.momentum * v - self.lr * grads[k]
            p += v


class UphillMomentum(_Momentum):
    def update(self, params, grads):
        for k, p in params.items():
            v = self.velocity.setdefault(k, np.zeros_like(p))
            v[...] = self.momentum * v - self.lr * grads[k]
            p -= v


class RebindingMomentum(_Momentum):
    def update(self, params, grads):
        for k, p in params.items():
            v = self.velocity.setdefault(k, np.zeros_like(p))
            v[...] = self.momentum * v - self.lr * grads[k]
            params[k] = p + v  # a new array: the network never sees it


class FixedRateMomentum(_Momentum):
    def __init__(self, lr=0.01, momentum=0.9):
        super().__init__(lr, momentum)
        self.rate = lr  # read once: a schedule's change of .lr is lost

    def update(self, params, grads):
        for k, p in params.items():
            v = self.velocity.setdefault(k, np.zeros_like(p))
            v[...] = self.momentum * v - self.rate * grads[k]
            p += v


class DefaultMuMomentum(_Momentum):
    def update(self, params, grads):
        for k, p in params.items():
            v = self.velocity.setdefault(k, np.zeros_like(p))
            v[...] = 0.9 * v - self.lr * grads[k]
            p += v


class GradMutatingMomentum(_Momentum):
    def update(self, params, grads):
        for k, p in params.items():
            v = self.velocity.setdefault(k, np.zeros_like(p))
            g = grads[k]
            g *= self.lr
            v[...] = self.momentum * v - g
            p += v


class TodoMomentum:
    def __init__(self, lr=0.01, momentum=0.9):
        raise NotImplementedError

    def update(self, params, grads):
        raise NotImplementedError


# --- Adam: typical wrong classes ------------------------------------------------------------------

class _Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, epsilon=1e-7):
        self.lr, self.beta1, self.beta2, self.epsilon = lr, beta1, beta2, epsilon
        self.t, self.m, self.v = 0, {}, {}

    def _moments(self, k, p, g):
        m = self.m.setdefault(k, np.zeros_like(p))
        v = self.v.setdefault(k, np.zeros_like(p))
        m[...] = self.beta1 * m + (1 - self.beta1) * g
        v[...] = self.beta2 * v + (1 - self.beta2) * g * g
        return m, v


class PaperAdam(_Adam):
    """Algorithm 1 of Kingma & Ba: ε added to √v̂. Right, within the check's tolerance."""

    def update(self, params, grads):
        self.t += 1
        for k, p in params.items():
            m, v = self._moments(k, p, grads[k])
            m_hat, v_hat = m / (1 - self.beta1 ** self.t), v / (1 - self.beta2 ** self.t)
            p -= self.lr * m_hat / (np.sqrt(v_hat) + self.epsilon)


class UncorrectedAdam(_Adam):
    def update(self, params, grads):
        for k, p in params.items():
            m, v = self._moments(k, p, grads[k])
            p -= self.lr * m / (np.sqrt(v) + self.epsilon)


class SwappedAdam(PaperAdam):
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, epsilon=1e-7):
        super().__init__(lr, beta2, beta1, epsilon)


class PerKeyStepAdam(_Adam):
    def update(self, params, grads):
        for k, p in params.items():
            self.t += 1  # counted once per parameter: the second key sees t = 2 at the first call
            m, v = self._moments(k, p, grads[k])
            m_hat, v_hat = m / (1 - self.beta1 ** self.t), v / (1 - self.beta2 ** self.t)
            p -= self.lr * m_hat / (np.sqrt(v_hat) + self.epsilon)


class ZeroStepAdam(_Adam):
    def update(self, params, grads):
        for k, p in params.items():
            m, v = self._moments(k, p, grads[k])
            m_hat, v_hat = m / (1 - self.beta1 ** self.t), v / (1 - self.beta2 ** self.t)
            p -= self.lr * m_hat / (np.sqrt(v_hat) + self.epsilon)
        self.t += 1  # too late: the first step divides by 1 − β⁰ = 0


class StatelessAdam(_Adam):
    def update(self, params, grads):
        self.t += 1
        self.m, self.v = {}, {}  # the averages restart at every call
        for k, p in params.items():
            m, v = self._moments(k, p, grads[k])
            m_hat, v_hat = m / (1 - self.beta1 ** self.t), v / (1 - self.beta2 ** self.t)
            p -= self.lr * m_hat / (np.sqrt(v_hat) + self.epsilon)


class DefaultBetasAdam(_Adam):
    def update(self, params, grads):
        self.t += 1
        for k, p in params.items():
            self.beta1, self.beta2 = 0.9, 0.999
            m, v = self._moments(k, p, grads[k])
            m_hat, v_hat = m / (1 - 0.9 ** self.t), v / (1 - 0.999 ** self.t)
            p -= self.lr * m_hat / (np.sqrt(v_hat) + self.epsilon)


class SgdAdam(_Adam):
    def update(self, params, grads):
        for k, p in params.items():
            p -= self.lr * grads[k]


# --- the largest stable rate: H = [[6, 4], [4, 10]], λ = 8 ± √20 --------------------------------

LAM_MIN, LAM_MAX = 8 - math.sqrt(20), 8 + math.sqrt(20)


CASES: dict[str, Case] = {
    "momentum_class": Case(wrong=(
        Wrong(TextbookMomentum, "textbook form", "textbook-form"),
        Wrong(ForgetfulMomentum, "plain SGD steps", "no-memory"),
        Wrong(UphillMomentum, "goes uphill", "sign"),
        Wrong(RebindingMomentum, "new array", "not-in-place"),
        Wrong(FixedRateMomentum, "ignore a change of", "lr-copied"),
        Wrong(DefaultMuMomentum, "momentum 0.9, the default", "default-mu"),
        Wrong(GradMutatingMomentum, "changed grads", "mutates-grads"),
        Wrong(TodoMomentum, "not written yet", "placeholder"),
        Wrong(lambda lr, mu: None, "pass your class itself", "a-function"),
    )),
    "adam_class": Case(wrong=(
        Wrong(UncorrectedAdam, "without the bias corrections", "no-bias-correction"),
        Wrong(SwappedAdam, "swapped", "betas-swapped"),
        Wrong(PerKeyStepAdam, "once per update call", "t-per-key"),
        Wrong(ZeroStepAdam, "Is t still 0", "t-from-0"),
        Wrong(StatelessAdam, "carry over", "state-lost"),
        Wrong(DefaultBetasAdam, "default betas", "default-betas"),
        Wrong(SgdAdam, "an SGD step", "sgd"),
    )),
    "largest_stable_lr": Case(wrong=(
        Wrong(0.2, "largest diagonal entry", "diagonal"),
        Wrong(1 / LAM_MAX, "twice that", "1-over-lambda"),
        Wrong(2 / LAM_MIN, "flattest direction", "lambda-min"),
        Wrong(4 / LAM_MAX, "second derivatives", "coefficient-matrix"),
        Wrong(0.125, "equally fast", "optimal-rate"),
        Wrong(0.5, "is not the limit", "far-off"),
        Wrong(None, "replace None", "placeholder"),
        Wrong(-0.16, "positive", "negative"),
    )),
    "race_winner": Case(wrong=(
        Wrong("RMSProp", "end lower", "rmsprop-wins-at-100"),
        Wrong("SGD", "end lower", "sgd"),
        Wrong("Momentum", "end lower", "momentum"),
        Wrong("adam", "one of", "not-in-the-race"),
        Wrong(None, "one of", "placeholder"),
    )),
    "turned_valley": Case(wrong=(
        Wrong({"SGD", "Momentum", "Nesterov", "AdamW"}, "the Adam step inside it", "adamw-included"),
        Wrong({"SGD", "Momentum"}, "Nesterov ends at the same f", "nesterov-missing"),
        Wrong({"SGD", "Momentum", "Nesterov", "AdaGrad", "RMSProp", "Adam", "AdamW"},
              "its own history", "all-of-them"),
        Wrong(set(), "SGD ends at the same f", "none-of-them"),
        Wrong("SGD", "give a set", "a-string"),
        Wrong(None, "give a set", "placeholder"),
        Wrong({"sgd"}, "unknown name", "wrong-spelling"),
    )),
    "adam_first_step": Case(wrong=(
        Wrong(0.003 * 0.01, "the SGD step", "sgd-step"),
        Wrong(0.01 * 0.1 / math.sqrt(0.001), "without the bias corrections", "no-correction"),
        Wrong(0.005, "not the distance", "guess"),
        Wrong(None, "replace None", "placeholder"),
        Wrong("0.01", "give a number", "a-string"),
        Wrong(float("nan"), "finite", "nan"),
    )),
}
