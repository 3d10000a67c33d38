"""Exercise checks for lesson 02 (optimizers)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dlcourse.check import Fail, exercise, expect, expect_close, help_for
from dlcourse.scratch import optim, surface


def race_optimizers() -> dict[str, optim.Optimizer]:
    """The five optimizers of the lecture's experiment, with its hyper-parameters."""
    return {"SGD": optim.SGD(0.01), "Momentum": optim.Momentum(0.01, 0.9),
            "Nesterov": optim.Nesterov(0.01, 0.9), "AdaGrad": optim.AdaGrad(0.1),
            "RMSProp": optim.RMSProp(0.1)}


def race(steps: int) -> dict[str, float]:
    """J at the end of ``steps`` updates from x(0) = [−5, 4], for each optimizer of the race."""
    return {name: surface.value(optim.optimize_path(o, surface.gradient, surface.START, steps)[-1])
            for name, o in race_optimizers().items()}


@exercise(
    "momentum_update(x, v, grad, lr, momentum)",
    hints=[
        "momentum keeps a velocity: a decaying memory of past steps, to which each new gradient adds.",
        "in Keras' form the learning rate sits inside the velocity: the new velocity is the old one shrunk by `momentum`, minus lr times the gradient.",
        "v_new = momentum·v − lr·grad, then x_new = x + v_new; return new arrays, change nothing in place.",
    ],
)
def momentum_update(fn: Callable[..., tuple[np.ndarray, np.ndarray]]) -> str:
    """Check one momentum step ``fn(x, v, grad, lr, momentum) → (x_new, v_new)``."""
    rng = np.random.default_rng(2)
    x, v, g = rng.normal(size=(3, 5))
    lr, mu = 0.1, 0.9
    args = (x.copy(), v.copy(), g.copy())
    out = fn(*args, lr, mu)
    expect(out is not None, "the function returned None: did you forget `return x_new, v_new`?")
    expect(isinstance(out, tuple) and len(out) == 2,
           f"return two arrays, (x_new, v_new); got {type(out).__name__}")
    x_new, v_new = out
    want_v = mu * v - lr * g
    if np.allclose(np.asarray(v_new, dtype=float), mu * v + g):
        raise Fail("v_new is momentum·v + grad: that is the textbook form where the learning "
                   "rate multiplies v later. Keras (and dlcourse) keep lr inside v.")
    expect_close(v_new, want_v, what="v_new")
    if np.allclose(np.asarray(x_new, dtype=float), x - v_new):
        raise Fail("x_new = x − v_new: v already points downhill (it contains −lr·grad), "
                   "so add it.")
    expect_close(x_new, x + want_v, what="x_new")
    for name, before, after in zip(("x", "v", "grad"), (x, v, g), args):
        expect(np.array_equal(before, after), f"your function changed its input `{name}` in place.")
    # Several steps must give what dlcourse.scratch.optim.Momentum (= Keras) gives.
    ref, params = optim.Momentum(lr, mu), {"x": x.copy()}
    xs, vs = x.copy(), np.zeros_like(x)
    for _ in range(20):
        grad = 2 * xs
        xs, vs = fn(xs, vs, grad, lr, mu)
        ref.update(params, {"x": 2 * params["x"]})
    expect_close(xs, params["x"], what="x after 20 steps on f(x) = ‖x‖²")
    return "v ← μ·v − lr·g, x ← x + v: the update of keras.optimizers.SGD(momentum=μ)."


@exercise(
    "which optimizer is lowest on J after 20 steps",
    hints=[
        "reason from the section's pictures first, then check by running the race.",
        "optimize_path(optimizer, surface.gradient, [-5, 4], 20) runs one optimizer; surface.value gives J at its last point.",
        "run each named optimizer with the lecture's settings and compare J at the end.",
    ],
)
def race_winner(answer: str) -> str:
    """Check the learner's prediction of the optimizer with the lowest J after 20 steps."""
    names = list(race_optimizers())
    expect(isinstance(answer, str) and answer in names,
           f"answer with one of {names} (a string), got {answer!r}.")
    results = race(20)
    winner = min(results, key=results.get)
    table = ", ".join(f"{n} {j:.3g}" for n, j in sorted(results.items(), key=lambda kv: kv[1]))
    if answer != winner:
        raise Fail(f"{answer} ends at J = {results[answer]:.3g}; the lowest is {winner}. "
                   f"J after 20 steps: {table}.")
    return f"J after 20 steps: {table}."


@exercise(
    "the size of Adam's first step",
    hints=[
        "after one step the averages m and v hold only the first gradient, and the bias corrections undo the (1 − β) factors.",
        "m̂ = g and v̂ = g², so m̂/√v̂ is the sign of g.",
        "the first step is lr times that sign (ε is negligible): its size does not depend on g.",
    ],
)
def adam_first_step(answer: float) -> str:
    """Check how far Adam(lr=0.01) moves a parameter whose first gradient is 0.003."""
    expect(isinstance(answer, (int, float, np.floating)) and not isinstance(answer, bool),
           f"give a number, got {answer!r}.")
    p = {"w": np.array([1.0])}
    optim.Adam(0.01).update(p, {"w": np.array([0.003])})
    step = 1.0 - float(p["w"][0])
    if abs(abs(answer) - 0.003 * 0.01) < 1e-6:
        raise Fail("that is lr·g, the SGD step. Adam divides by √v̂ ≈ |g| first.")
    expect(abs(abs(answer) - step) <= 0.02 * step,
           f"{answer!r} is not the distance Adam moves (it is {step:.5f}).")
    return f"the step is {step:.5f} ≈ lr: Adam's first step has size lr for any gradient."


hint, solution, reference = help_for(__name__)
