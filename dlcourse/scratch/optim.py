"""Gradient-descent optimizers in numpy, each following its ``keras.optimizers`` rule.

Every optimizer has one method, ``update(params, grads)``: ``params`` and
``grads`` are dicts of numpy arrays with the same keys and shapes (e.g.
``{"W1": ..., "b1": ...}``); the arrays in ``params`` are changed in place and
``grads`` is left untouched. State (velocities, accumulators) is kept per key,
created on the first call.

Where Keras 3 writes an update differently from the textbook, we follow Keras
so that ours and ``keras.optimizers`` give the same numbers:

* Momentum/Nesterov keep a velocity that already contains the learning rate
  (``v ← μ·v − lr·g``), and Nesterov uses the look-ahead-free form
  ``θ ← θ + μ·v − lr·g`` (Bengio et al., 2013).
* AdaGrad starts its accumulator at 0.1, not 0, and RMSProp and AdaGrad add
  ε *inside* the square root.
* Adam folds both bias corrections into the step size and adds ε to √v, not
  to √v̂ (the "ε-hat" form of Kingma & Ba, 2015, §2).
* AdamW shrinks the weights by ``lr·weight_decay`` *before* the Adam step.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np

__all__ = ["SGD", "Momentum", "Nesterov", "AdaGrad", "RMSProp", "Adam", "AdamW",
           "OPTIMIZERS", "optimize_path"]


def _number(name: str, value: float, low: float, high: float = math.inf, *,
            low_open: bool = False, high_open: bool = True, allowed: str) -> float:
    """Return ``value`` as a float, or raise ValueError saying what ``name`` may be."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a number ({allowed}), got {value!r}")
    v = float(value)
    too_low = v <= low if low_open else v < low
    too_high = v >= high if high_open else v > high
    if not math.isfinite(v) or too_low or too_high:
        raise ValueError(f"{name} must be {allowed}, got {value!r}")
    return v


def _learning_rate(lr: float) -> float:
    return _number("lr", lr, 0.0, low_open=True, allowed="a positive finite number, e.g. 0.01")


def _decay_rate(name: str, value: float) -> float:
    return _number(name, value, 0.0, 1.0, allowed="in [0, 1), e.g. 0.9")


def _epsilon(value: float) -> float:
    return _number("epsilon", value, 0.0, allowed="a non-negative finite number, e.g. 1e-7")


class Optimizer:
    """Shared checks and per-parameter state; subclasses define ``update(params, grads)``."""

    def __init__(self, lr: float) -> None:
        self.lr = _learning_rate(lr)
        self.iterations = 0  # number of update() calls so far

    def __repr__(self) -> str:
        hyper = {k: v for k, v in vars(self).items() if not k.startswith("_") and k != "iterations"}
        return f"{type(self).__name__}(" + ", ".join(f"{k}={v!r}" for k, v in hyper.items()) + ")"

    def _pairs(self, params: Mapping[str, np.ndarray], grads: Mapping[str, np.ndarray]
               ) -> list[tuple[str, np.ndarray, np.ndarray]]:
        """``(key, param, grad)`` triples, all checked before any parameter changes."""
        if set(params) != set(grads):
            raise ValueError(
                f"params and grads must have the same keys; params has {sorted(params)}, "
                f"grads has {sorted(grads)}")
        triples = []
        for key, p in params.items():
            if not isinstance(p, np.ndarray) or not np.issubdtype(p.dtype, np.floating):
                raise ValueError(
                    f"params[{key!r}] must be a float numpy array (it is updated in place), "
                    f"got {type(p).__name__} {getattr(p, 'dtype', '')}")
            g = np.asarray(grads[key])
            if g.shape != p.shape:
                raise ValueError(
                    f"grads[{key!r}] must have the shape of params[{key!r}], {p.shape}; "
                    f"got {g.shape}")
            triples.append((key, p, g.astype(p.dtype, copy=False)))
        return triples

    def resume(self, iterations: int, **state: Mapping[str, np.ndarray]) -> None:
        """Continue from a saved state: ``iterations`` updates done and the state arrays by
        name and key, e.g. ``Adam.resume(5, m={"w": m}, v={"w": v})`` (arrays are copied)."""
        if isinstance(iterations, bool) or not isinstance(iterations, (int, np.integer)) or iterations < 0:
            raise ValueError(f"iterations must be a non-negative integer, got {iterations!r}")
        self.iterations = int(iterations)
        for name, arrays in state.items():
            self.__dict__["_" + name] = {k: np.array(a) for k, a in arrays.items()}

    def state(self, name: str) -> dict[str, np.ndarray]:
        """The state arrays called ``name`` (e.g. "velocity", "m", "v"), by parameter key."""
        return dict(self.__dict__.get("_" + name, {}))

    def _state(self, name: str, key: str, like: np.ndarray, fill: float = 0.0) -> np.ndarray:
        """The state array ``name`` of parameter ``key`` (created filled with ``fill``)."""
        store = self.__dict__.setdefault("_" + name, {})
        if key not in store:
            store[key] = np.full_like(like, fill)
        return store[key]


class SGD(Optimizer):
    """Plain gradient descent: θ ← θ − lr·g (keras.optimizers.SGD())."""

    def __init__(self, lr: float = 0.01) -> None:
        super().__init__(lr)

    def update(self, params: dict[str, np.ndarray], grads: Mapping[str, np.ndarray]) -> None:
        """Update every array of ``params`` in place from the same-shaped ``grads``."""
        for key, p, g in self._pairs(params, grads):
            p -= self.lr * g
        self.iterations += 1


class Momentum(Optimizer):
    """Momentum: v ← μ·v − lr·g; θ ← θ + v (keras.optimizers.SGD(momentum=μ))."""

    def __init__(self, lr: float = 0.01, momentum: float = 0.9) -> None:
        super().__init__(lr)
        self.momentum = _decay_rate("momentum", momentum)

    def update(self, params: dict[str, np.ndarray], grads: Mapping[str, np.ndarray]) -> None:
        """Update every array of ``params`` in place from the same-shaped ``grads``."""
        for key, p, g in self._pairs(params, grads):
            v = self._state("velocity", key, p)
            v *= self.momentum
            v -= self.lr * g
            p += self._step(v, g)
        self.iterations += 1

    def _step(self, v: np.ndarray, g: np.ndarray) -> np.ndarray:
        """The move of θ once the velocity is updated: the velocity itself."""
        return v


class Nesterov(Momentum):
    """Nesterov momentum: v ← μ·v − lr·g; θ ← θ + μ·v − lr·g (SGD(momentum=μ, nesterov=True))."""

    def _step(self, v: np.ndarray, g: np.ndarray) -> np.ndarray:
        """θ moves by μ·v − lr·g instead of v."""
        # Bengio et al.'s form: the stored θ already is the look-ahead point of
        # Nesterov's method, so the gradient at θ is the look-ahead gradient and
        # one gradient per step suffices.
        return self.momentum * v - self.lr * g


class AdaGrad(Optimizer):
    """AdaGrad: s ← s + g²; θ ← θ − lr·g / √(s + ε), s starting at 0.1 (keras.optimizers.Adagrad)."""

    def __init__(self, lr: float = 0.001, initial_accumulator_value: float = 0.1,
                 epsilon: float = 1e-7) -> None:
        super().__init__(lr)
        self.initial_accumulator_value = _number(
            "initial_accumulator_value", initial_accumulator_value, 0.0,
            allowed="a non-negative finite number (Keras uses 0.1)")
        self.epsilon = _epsilon(epsilon)
        if self.initial_accumulator_value == 0.0 and self.epsilon == 0.0:
            raise ValueError("initial_accumulator_value and epsilon cannot both be 0: "
                             "the first step would divide by zero where a gradient is 0")

    def update(self, params: dict[str, np.ndarray], grads: Mapping[str, np.ndarray]) -> None:
        """Update every array of ``params`` in place from the same-shaped ``grads``."""
        for key, p, g in self._pairs(params, grads):
            s = self._state("accumulator", key, p, fill=self.initial_accumulator_value)
            s += g * g
            p -= self.lr * g / np.sqrt(s + self.epsilon)
        self.iterations += 1


class RMSProp(Optimizer):
    """RMSProp: s ← ρ·s + (1 − ρ)·g²; θ ← θ − lr·g / √(s + ε) (keras.optimizers.RMSprop)."""

    def __init__(self, lr: float = 0.001, rho: float = 0.9, epsilon: float = 1e-7) -> None:
        super().__init__(lr)
        self.rho = _decay_rate("rho", rho)
        self.epsilon = _epsilon(epsilon)

    def update(self, params: dict[str, np.ndarray], grads: Mapping[str, np.ndarray]) -> None:
        """Update every array of ``params`` in place from the same-shaped ``grads``."""
        for key, p, g in self._pairs(params, grads):
            s = self._state("velocity", key, p)
            s *= self.rho
            s += (1 - self.rho) * (g * g)
            p -= self.lr * g / np.sqrt(s + self.epsilon)
        self.iterations += 1


class Adam(Optimizer):
    """Adam with Keras' bias correction in the step size and ε added to √v (keras.optimizers.Adam)."""

    def __init__(self, lr: float = 0.001, beta1: float = 0.9, beta2: float = 0.999,
                 epsilon: float = 1e-7) -> None:
        super().__init__(lr)
        self.beta1 = _decay_rate("beta1", beta1)
        self.beta2 = _decay_rate("beta2", beta2)
        self.epsilon = _epsilon(epsilon)

    def update(self, params: dict[str, np.ndarray], grads: Mapping[str, np.ndarray]) -> None:
        """Update every array of ``params`` in place from the same-shaped ``grads``."""
        t = self.iterations + 1
        # m̂/√v̂ = m/√v · √(1 − β2ᵗ)/(1 − β1ᵗ): both corrections go into the step size.
        step = self.lr * math.sqrt(1 - self.beta2 ** t) / (1 - self.beta1 ** t)
        for key, p, g in self._pairs(params, grads):
            m = self._state("m", key, p)
            v = self._state("v", key, p)
            m += (1 - self.beta1) * (g - m)  # = β1·m + (1 − β1)·g
            v += (1 - self.beta2) * (g * g - v)
            p -= step * m / (np.sqrt(v) + self.epsilon)
        self.iterations += 1


class AdamW(Adam):
    """AdamW: θ ← θ − lr·λ·θ (decoupled weight decay λ), then the Adam step (keras.optimizers.AdamW)."""

    def __init__(self, lr: float = 0.001, beta1: float = 0.9, beta2: float = 0.999,
                 epsilon: float = 1e-7, weight_decay: float = 0.004) -> None:
        super().__init__(lr, beta1, beta2, epsilon)
        self.weight_decay = _number("weight_decay", weight_decay, 0.0,
                                    allowed="a non-negative finite number, e.g. 0.004")

    def update(self, params: dict[str, np.ndarray], grads: Mapping[str, np.ndarray]) -> None:
        """Update every array of ``params`` in place from the same-shaped ``grads``."""
        self._pairs(params, grads)  # check everything before changing anything
        for p in params.values():
            # The decay acts on the weights directly, not through the gradient,
            # so Adam's 1/√v scaling does not weaken it for large-gradient weights.
            p -= self.lr * self.weight_decay * p
        super().update(params, grads)


OPTIMIZERS: dict[str, type[Optimizer]] = {
    cls.__name__: cls for cls in (SGD, Momentum, Nesterov, AdaGrad, RMSProp, Adam, AdamW)
}


def optimize_path(optimizer: Optimizer, grad_fn: Callable[[np.ndarray], np.ndarray],
                  x0: Sequence[float] | np.ndarray, steps: int) -> np.ndarray:
    """Run ``steps`` updates from ``x0`` (D,) with ``grad_fn(x) → (D,)``; return the path (steps+1, D)."""
    if not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be a non-negative integer, got {steps!r}")
    x = np.array(x0, dtype=np.float64).reshape(-1)
    path = [x.copy()]
    for _ in range(int(steps)):
        optimizer.update({"x": x}, {"x": np.asarray(grad_fn(x.copy()), dtype=np.float64)})
        path.append(x.copy())
    return np.array(path)
