"""Exercise checks for lesson 02 (optimizers).

The two class exercises (``Momentum``, ``Adam``) run the learner's optimizer and
``dlcourse.scratch.optim``'s (which the tests hold equal to ``keras.optimizers``)
through the same scripted steps: random parameter dicts of two keys, random
gradients, and a change of ``opt.lr`` between steps as a schedule would make. The
first step at which the two disagree, and how, names the mistake.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping

import numpy as np

from dlcourse.check import Fail, exercise, expect, expect_number, help_for
from dlcourse.scratch import optim, surface

# ---------------------------------------------------------------------------
# Running an optimizer class step by step against the reference
# ---------------------------------------------------------------------------

Step = tuple[float | None, dict[str, np.ndarray]]  # (new lr set before the step, or None; grads)
LR_CHANGE_AT = 3  # the step before which the scripted "schedule" halves opt.lr


def _script(seed: int, lr: float, steps: int = 6) -> tuple[dict[str, np.ndarray], list[Step]]:
    """Random parameters {"W": (a, b), "b": (b,)} and ``steps`` gradient dicts, with one lr change."""
    rng = np.random.default_rng(seed)
    a, b = (int(n) for n in rng.integers(2, 6, size=2))
    params = {"W": rng.normal(size=(a, b)), "b": rng.normal(size=b)}

    def grad(shape: tuple[int, ...]) -> np.ndarray:
        # Sizes 0.5 to 2 with random signs: far from 0, so ε never decides a step.
        return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(0.5, 2.0, size=shape)

    script = [(lr / 2 if i == LR_CHANGE_AT else None, {k: grad(p.shape) for k, p in params.items()})
              for i in range(steps)]
    return params, script


def _run(opt: object, params0: Mapping[str, np.ndarray], script: list[Step], *,
         learner: bool = False) -> list[dict[str, np.ndarray]]:
    """The parameters after each step of ``script``; for the learner, also checks the update contract."""
    params = {k: v.copy() for k, v in params0.items()}
    arrays = dict(params)  # the array objects a network would hold
    after = []
    for lr, grads in script:
        if lr is not None:
            opt.lr = lr  # type: ignore[attr-defined]  # what a learning-rate schedule does
        given = {k: g.copy() for k, g in grads.items()}
        before = {k: p.copy() for k, p in params.items()}
        returned = opt.update(params, given)  # type: ignore[attr-defined]
        if learner:
            _check_contract(params, arrays, before, given, grads, returned)
        after.append({k: np.array(p, dtype=float) for k, p in params.items()})
    return after


def _check_contract(params: dict, arrays: dict, before: dict, given: dict, grads: dict, returned: object) -> None:
    """update(params, grads) changes the arrays of params in place and nothing else."""
    expect(set(params) == set(arrays), f"update changed the keys of params to {sorted(params)}.")
    for k in grads:
        expect(np.array_equal(given[k], grads[k]),
               f"update changed grads[{k!r}] in place; gradients are input only.")
    for k in params:
        if params[k] is not arrays[k]:
            raise Fail(f"update put a new array into params[{k!r}]; change the existing array in place "
                       "(`+=`, `-=`): a network holds those very arrays, and a new one never reaches it.")
    if all(np.array_equal(params[k], before[k]) for k in params):
        if isinstance(returned, Mapping):
            raise Fail("update returned new parameters and left params unchanged; change the arrays "
                       "of params in place instead.")
        raise Fail("update did not change any parameter.")


def _first_difference(got: list[dict], want: list[dict], rtol: float = 1e-6,
                      atol: float = 1e-7) -> tuple[int, str] | None:
    """(step index, key) of the first parameter that differs, or None when all agree."""
    for i, (g, w) in enumerate(zip(got, want)):
        for k in w:
            if g[k].shape != w[k].shape or not np.allclose(g[k], w[k], rtol=rtol, atol=atol):
                return i, k
    return None


def _same(got: list[dict], want: list[dict], upto: int) -> bool:
    """True when the first ``upto`` steps agree for every key."""
    return _first_difference(got[:upto], want[:upto]) is None


def _instance(cls: object, *args: float) -> object:
    expect(isinstance(cls, type), f"pass your class itself, not {type(cls).__name__}.")
    opt = cls(*args)
    expect(callable(getattr(opt, "update", None)), "your class needs a method update(self, params, grads).")
    return opt


def _check_optimizer(cls: type, make_ref: Callable[[], object], args: tuple[float, ...],
                     diagnose: Callable[[list[dict], dict, list[Step], int], None], nan_hint: str = "") -> None:
    """Run the learner's class and the reference through three scripts; name the first difference."""
    lr = args[0]
    for seed in (0, 1, 2):
        params0, script = _script(seed, lr)
        with np.errstate(all="ignore"):  # a NaN is reported below, without numpy's warnings
            got = _run(_instance(cls, *args), params0, script, learner=True)
        want = _run(make_ref(), params0, script)
        where = _first_difference(got, want)
        if where is None:
            continue
        step, key = where
        bad = got[step][key]
        expect(bool(np.all(np.isfinite(bad))), f"params[{key!r}] holds NaN or inf after step {step + 1}.{nan_hint}")
        other = [k for k in want[step] if k != key and _first_difference([got[step]], [{k: want[step][k]}]) is None]
        if other:
            raise Fail(f"at step {step + 1} params[{other[0]!r}] is right but params[{key!r}] is not: keep "
                       "the state (velocities, averages) per parameter key, and count the steps once per "
                       "update call, not once per parameter.")
        diagnose(got, params0, script, step)
        if step == LR_CHANGE_AT:
            constant = [(None, g) for _, g in script]
            if _same(_run(make_ref(), params0, constant), got, step + 1):
                raise Fail(f"your steps ignore a change of `opt.lr` (a schedule halved it before step "
                           f"{step + 1}): keep the rate in `self.lr` and read it in every update.")
        if step > 0:
            raise Fail(f"the first {step} update(s) agree with the reference, step {step + 1} does not: "
                       "the state must carry over from one update call to the next.")
        raise Fail(f"params[{key!r}] after the first update differs from the reference "
                   f"(largest difference {np.max(np.abs(bad - want[step][key])):.3g}).")


# ---------------------------------------------------------------------------
# Exercise: Momentum as a class
# ---------------------------------------------------------------------------

class _MomentumSolution:
    """Momentum in Keras' form: v ← μ·v − lr·g; θ ← θ + v, one velocity per parameter."""

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.velocity = {}  # key → array, created at the first update

    def update(self, params, grads):
        for key, p in params.items():
            if key not in self.velocity:
                self.velocity[key] = np.zeros_like(p)
            v = self.velocity[key]
            v *= self.momentum
            v -= self.lr * grads[key]
            p += v  # in place: the caller's array moves


class _TextbookMomentum(_MomentumSolution):
    """v ← μ·v + g; θ ← θ − lr·v: equal to Keras' form while lr stays constant."""

    def update(self, params, grads):
        for key, p in params.items():
            v = self.velocity.setdefault(key, np.zeros_like(p))
            v *= self.momentum
            v += grads[key]
            p -= self.lr * v


def _diagnose_momentum(got: list[dict], params0: dict, script: list[Step], step: int) -> None:
    lr, mu = MOMENTUM_ARGS
    upto = step + 1
    if _same(_run(_TextbookMomentum(lr, mu), params0, script), got, upto):
        raise Fail("you wrote the textbook form, v ← μ·v + g and θ ← θ − lr·v. It agrees with Keras "
                   "until the learning rate changes (the check halves `opt.lr` before step 4); Keras "
                   "and dlcourse keep lr inside the velocity.")
    if _same(_run(optim.SGD(lr), params0, script), got, upto):
        raise Fail("your steps are plain SGD steps, −lr·g each time: the velocity must remember the "
                   "previous steps (stored on the optimizer, shrunk by μ at every update).")
    if _same(_run(optim.Momentum(lr, 0.9), params0, script), got, upto):
        raise Fail(f"your steps use momentum 0.9, the default, not the {mu} the check passed to `__init__`.")
    if _same(_run(optim.Momentum(0.01, mu), params0, script), got, upto):
        raise Fail(f"your steps use lr 0.01, the default, not the {lr} the check passed to `__init__`.")
    g0 = script[0][1]
    if step == 0 and all(np.allclose(got[0][k], params0[k] + lr * g0[k]) for k in params0):
        raise Fail("the first step goes uphill: the velocity already contains −lr·g, so add it to θ.")
    if step == 0:
        raise Fail("the first step differs from −lr·g (the velocity starts at 0): look at the signs and "
                   "at where lr enters.")


MOMENTUM_ARGS = (0.05, 0.8)  # lr and μ the check passes to your class (not the defaults)


@exercise(
    "a Momentum class with update(params, grads)",
    hints=[
        "the optimizer has to remember one velocity per parameter between calls, and move each parameter "
        "array itself (the network holds those arrays) rather than build new ones.",
        "keep a dict of velocities keyed like params, created as zeros the first time a key is seen; keep "
        "the rate in `self.lr`, since a schedule may change it between calls.",
        "for each key: `v *= self.momentum`, then `v -= self.lr * grads[key]`, then `params[key] += v`.",
    ],
    solution=_MomentumSolution,
    kind="code",
    shows=("optim.Momentum",),
)
def momentum_class(cls: type) -> str:
    """Check ``cls(lr, momentum)`` step for step against ``optim.Momentum`` (= keras SGD(momentum=μ))."""
    _check_optimizer(cls, lambda: optim.Momentum(*MOMENTUM_ARGS), MOMENTUM_ARGS, _diagnose_momentum)
    return ("six steps on three random parameter sets, with lr halved midway, match optim.Momentum, "
            "which matches keras.optimizers.SGD(momentum=μ).")


# ---------------------------------------------------------------------------
# Exercise: Adam as a class
# ---------------------------------------------------------------------------

class _AdamSolution:
    """Adam as Keras writes it: bias corrections folded into the step size, ε added to √v."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, epsilon=1e-7):
        self.lr, self.beta1, self.beta2, self.epsilon = lr, beta1, beta2, epsilon
        self.t = 0  # update calls so far: one count for all parameters
        self.m, self.v = {}, {}

    def update(self, params, grads):
        self.t += 1
        # Both bias corrections folded into this step's size: m̂/√v̂ = m/√v · √(1 − β2ᵗ)/(1 − β1ᵗ).
        step = self.lr * np.sqrt(1 - self.beta2 ** self.t) / (1 - self.beta1 ** self.t)
        for key, p in params.items():
            g = grads[key]
            m = self.m.setdefault(key, np.zeros_like(p))
            v = self.v.setdefault(key, np.zeros_like(p))
            m *= self.beta1
            m += (1 - self.beta1) * g
            v *= self.beta2
            v += (1 - self.beta2) * g * g
            p -= step * m / (np.sqrt(v) + self.epsilon)


class _AdamNoCorrection(_AdamSolution):
    """Adam without the bias corrections (the most common mistake)."""

    def update(self, params, grads):
        for key, p in params.items():
            m = self.m.setdefault(key, np.zeros_like(p))
            v = self.v.setdefault(key, np.zeros_like(p))
            m[...] = self.beta1 * m + (1 - self.beta1) * grads[key]
            v[...] = self.beta2 * v + (1 - self.beta2) * grads[key] ** 2
            p -= self.lr * m / (np.sqrt(v) + self.epsilon)


class _AdamSwappedBetas(_AdamSolution):
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, epsilon=1e-7):
        super().__init__(lr, beta2, beta1, epsilon)


ADAM_ARGS = (0.01, 0.8, 0.99, 1e-7)  # lr, β1, β2, ε the check passes to your class


def _diagnose_adam(got: list[dict], params0: dict, script: list[Step], step: int) -> None:
    upto = step + 1
    if _same(_run(_AdamNoCorrection(*ADAM_ARGS), params0, script), got, upto):
        raise Fail("your steps are those of Adam without the bias corrections: m and v start at 0, so "
                   "the first steps are too large by about (1 − β1)/√(1 − β2); divide by 1 − β1ᵗ and "
                   "1 − β2ᵗ (or fold both into the step size).")
    if _same(_run(_AdamSwappedBetas(*ADAM_ARGS), params0, script), got, upto):
        raise Fail("β1 and β2 are swapped: β1 averages the gradients (m), β2 their squares (v).")
    lr, beta1, beta2, _ = ADAM_ARGS
    if _same(_run(optim.Adam(lr), params0, script), got, upto):
        raise Fail(f"your steps use the default betas 0.9 and 0.999, not the {beta1} and {beta2} the check "
                   "passed to `__init__`.")
    if _same(_run(optim.Adam(0.001, beta1, beta2), params0, script), got, upto):
        raise Fail(f"your steps use lr 0.001, the default, not the {lr} the check passed to `__init__`.")
    if step == 0:
        g0 = script[0][1]
        sizes = np.concatenate([np.abs(got[0][k] - params0[k]).ravel() for k in params0])
        if np.allclose(sizes, ADAM_ARGS[0] * np.concatenate([np.abs(g0[k]).ravel() for k in params0])):
            raise Fail("the first step is lr·g, an SGD step: Adam divides the averaged gradient by the "
                       "root of the averaged squared gradient.")
        raise Fail("the first step differs from the reference; with m and v starting at 0 and both bias "
                   "corrections, the first step moves every entry by about lr.")


@exercise(
    "an Adam class with update(params, grads)",
    hints=[
        "Adam keeps two running averages per parameter (of the gradient and of its square) and one step "
        "counter for the whole optimizer, which starts the bias corrections at step 1.",
        "per key: m and v arrays created as zeros; each update first advances t once, then for each key "
        "updates m with β1 and g, v with β2 and g², and moves the parameter in place.",
        "step size `self.lr * np.sqrt(1 - self.beta2 ** self.t) / (1 - self.beta1 ** self.t)`, then "
        "`p -= step * m / (np.sqrt(v) + self.epsilon)`.",
    ],
    solution=_AdamSolution,
    kind="code",
    shows=("optim.Adam",),
)
def adam_class(cls: type) -> str:
    """Check ``cls(lr, beta1, beta2, epsilon)`` step for step against ``optim.Adam`` (= keras Adam)."""
    _check_optimizer(cls, lambda: optim.Adam(*ADAM_ARGS), ADAM_ARGS, _diagnose_adam,
                     nan_hint=" Is t still 0 when the bias corrections are computed? Then 1 − β1ᵗ is 0; "
                              "advance t first, so that the first step has t = 1.")
    return ("six steps on three random parameter sets, with lr halved midway, match optim.Adam, which "
            "matches keras.optimizers.Adam (the paper's form, ε added to √v̂, agrees to the check's tolerance).")


# ---------------------------------------------------------------------------
# Exercise: the largest stable learning rate from the Hessian
# ---------------------------------------------------------------------------

def new_bowl_gradient(x: np.ndarray) -> np.ndarray:
    """∇g for g(x) = 3·x1² + 4·x1·x2 + 5·x2², the exercise's bowl; x of shape (2,)."""
    return np.array([6 * x[0] + 4 * x[1], 4 * x[0] + 10 * x[1]])


def _largest_stable_lr_solution():
    # ∇g(x) = H x, so column i of the Hessian is the gradient at the unit vector e_i.
    H = np.column_stack([new_bowl_gradient(e) for e in np.eye(2)])
    lam_max = np.linalg.eigvalsh(H).max()  # the steepest direction sets the limit
    return 2 / lam_max


def _is_about(answer: float, value: float, rel: float = 0.01) -> bool:
    return abs(answer - value) <= rel * abs(value)




@exercise(
    "the largest stable learning rate on a new bowl",
    hints=[
        "plain SGD multiplies the distance along each eigenvector of the Hessian by a factor every step; "
        "the run converges only if every factor has size below 1, and the steepest direction fails first.",
        "build the Hessian from the gradient as the chapter does (its columns are the gradients at the unit "
        "vectors), then take its largest eigenvalue.",
        "the limit is 2 divided by the largest eigenvalue of H = [[6, 4], [4, 10]] (`np.linalg.eigvalsh`).",
    ],
    solution=_largest_stable_lr_solution,
    kind="value",
)
def largest_stable_lr(answer: float) -> str:
    """Check the learner's limit 2/λmax for SGD on g(x) = 3·x1² + 4·x1·x2 + 5·x2²."""
    value = expect_number(answer)
    expect(value > 0, f"a learning rate is positive, got {value:g}.")
    H = np.column_stack([new_bowl_gradient(e) for e in np.eye(2)])
    lam_min, lam_max = np.linalg.eigvalsh(H)
    limit = 2 / lam_max
    mistakes = {
        2 / np.max(np.diag(H)): "that is 2 over the largest diagonal entry of H; the 4·x1·x2 term couples "
                                "the coordinates, and the limit comes from the largest eigenvalue.",
        1 / lam_max: "that is 1/λmax: the factor 1 − ηλ may go down to −1 before the run diverges, so the "
                     "limit is twice that.",
        2 / lam_min: "that rate comes from the flattest direction; the steepest direction breaks first.",
        4 / lam_max: "that is twice the limit: the Hessian holds the second derivatives, twice the "
                     "coefficients of g's quadratic terms (∂²(3·x1²)/∂x1² = 6).",
        2 / (lam_min + lam_max): "that is the rate that shrinks both directions equally fast, 2/(λmin + λmax); "
                                 "the question asks for the largest rate that still converges.",
    }
    for wrong, why in mistakes.items():
        if _is_about(value, wrong) and not _is_about(value, limit):
            raise Fail(f"{value:g}: {why}")
    if not _is_about(value, limit):
        with np.errstate(all="ignore"):  # far above the limit the run overflows to inf
            ends = {s: np.linalg.norm(optim.optimize_path(optim.SGD(s * value), new_bowl_gradient, [1.0, 1.0],
                                                          200)[-1]) for s in (0.98, 1.02)}
        raise Fail(f"{value:g} is not the limit: SGD at 0.98 × your rate ends {ends[0.98]:.1e} from the "
                   f"minimum, at 1.02 × it {ends[1.02]:.1e} (start 1.4 away, 200 steps).")
    return (f"η < 2/λmax with λmax = {lam_max:.3f} (λmin = {lam_min:.3f}): the run converges just below "
            "and diverges just above.")


# ---------------------------------------------------------------------------
# Exercise: the race on the lecture's surface after 20 steps
# ---------------------------------------------------------------------------

def race_optimizers() -> dict[str, optim.Optimizer]:
    """The five optimizers of the lecture's experiment, with its hyper-parameters."""
    return {"SGD": optim.SGD(0.01), "Momentum": optim.Momentum(0.01, 0.9),
            "Nesterov": optim.Nesterov(0.01, 0.9), "AdaGrad": optim.AdaGrad(0.1),
            "RMSProp": optim.RMSProp(0.1)}


def race(steps: int) -> dict[str, float]:
    """J at the end of ``steps`` updates from x(0) = [−5, 4], for each optimizer of the race."""
    return {name: surface.value(optim.optimize_path(o, surface.gradient, surface.START, steps)[-1])
            for name, o in race_optimizers().items()}


def _race_winner_solution():
    final_j = {}
    for name, opt in race_optimizers().items():  # new objects, with the lecture's settings
        path = optim.optimize_path(opt, surface.gradient, [-5.0, 4.0], 20)
        final_j[name] = surface.value(path[-1])
    return min(final_j, key=final_j.get)


@exercise(
    "which optimizer is lowest on J after 20 steps",
    hints=[
        "reason from the section's pictures first: who is fastest early on, before the swings and the "
        "stalls of the later steps? Then run the race.",
        "`optimize_path(optimizer, surface.gradient, [-5, 4], 20)` runs one fresh optimizer; `surface.value` "
        "gives J at its last point.",
        "run each of the five with the lecture's settings (new instances, not the ones used above) and "
        "compare J at the end.",
    ],
    solution=_race_winner_solution,
    kind="experiment",
)
def race_winner(answer: str) -> str:
    """Check the learner's prediction of the optimizer with the lowest J after 20 steps."""
    names = list(race_optimizers())
    expect(isinstance(answer, str) and answer in names,
           f"answer with one of {names} (a string), got {answer!r}.")
    results = race(20)
    lower = sum(j < results[answer] for j in results.values())
    if lower:
        raise Fail(f"{answer} ends at J = {results[answer]:.3g} after 20 steps, and {lower} optimizer(s) "
                   "end lower. Run all five and compare.")
    table = ", ".join(f"{n} {j:.3g}" for n, j in sorted(results.items(), key=lambda kv: kv[1]))
    return f"J after 20 steps: {table}. After 100 steps the order is different."


# ---------------------------------------------------------------------------
# Exercise: the harder valley, turned by 45°
# ---------------------------------------------------------------------------

VALLEY_NAMES = ("SGD", "Momentum", "Nesterov", "AdaGrad", "RMSProp", "Adam", "AdamW")
_TURN = np.sqrt(0.5) * np.array([[1.0, -1.0], [1.0, 1.0]])  # a rotation by 45°


def valley_optimizers() -> dict[str, optim.Optimizer]:
    """Fresh optimizers with the settings of the chapter's harder valley."""
    return {"SGD": optim.SGD(0.9), "Momentum": optim.Momentum(0.08, 0.9), "Nesterov": optim.Nesterov(0.08, 0.9),
            "AdaGrad": optim.AdaGrad(1.0), "RMSProp": optim.RMSProp(0.2), "Adam": optim.Adam(0.3),
            "AdamW": optim.AdamW(0.3, weight_decay=0.1)}


def valley_ends(turned: bool) -> dict[str, float]:
    """f at the end of 40 steps on the valley x²/20 + y² (or its 45° turn), from (−7, 2) (turned with it)."""
    def f(p: np.ndarray) -> float:
        return p[0] ** 2 / 20 + p[1] ** 2

    def grad(p: np.ndarray) -> np.ndarray:
        return np.array([p[0] / 10, 2 * p[1]])

    turn = _TURN if turned else np.eye(2)
    ends = {}
    for name, opt in valley_optimizers().items():
        # The turned valley is f(Rᵀp): its gradient at p is R ∇f(Rᵀp).
        path = optim.optimize_path(opt, lambda p: turn @ grad(turn.T @ p), turn @ np.array([-7.0, 2.0]), 40)
        ends[name] = float(f(turn.T @ path[-1]))
    return ends


def _turned_valley_solution():
    R = np.sqrt(0.5) * np.array([[1.0, -1.0], [1.0, 1.0]])  # the turn by 45°

    def f(p):
        return p[0] ** 2 / 20 + p[1] ** 2

    def f_grad(p):
        return np.array([p[0] / 10, 2 * p[1]])

    final = {}  # name → [f at the end on the valley, on the turned valley]
    for turn in (np.eye(2), R):
        for name, opt in valley_optimizers().items():  # fresh optimizers with the settings of `valley`
            path = optim.optimize_path(opt, lambda p: turn @ f_grad(turn.T @ p), turn @ np.array([-7.0, 2.0]), 40)
            final.setdefault(name, []).append(f(turn.T @ path[-1]))
    return {name for name, (plain, turned) in final.items() if math.isclose(plain, turned, rel_tol=1e-6)}


@exercise(
    "which optimizers do not notice that the valley is turned",
    hints=[
        "predict from the update rules first: does any of them treat the coordinate axes differently from "
        "other directions? Then run all seven on both valleys and compare f at the end.",
        "a rule whose step is a sum of multiples of gradients turns with the valley; a rule that divides "
        "each coordinate by its own accumulated size does not.",
        "use fresh optimizers with `valley`'s settings and compare `f` at the last point of each path on "
        "both valleys; names whose f agrees to six digits form the set.",
    ],
    solution=_turned_valley_solution,
    kind="experiment",
)
def turned_valley(answer: Iterable[str]) -> str:
    """Check the set of optimizers whose final f is the same on the valley and on its 45° turn."""
    expect(answer is not None and not isinstance(answer, (str, Mapping)),
           f"give a set of names from {list(VALLEY_NAMES)}.")
    chosen = set(answer)
    unknown = sorted(chosen - set(VALLEY_NAMES))
    expect(not unknown, f"unknown name(s) {unknown}; choose from {list(VALLEY_NAMES)}.")
    plain, turned = valley_ends(turned=False), valley_ends(turned=True)
    same = {n for n in VALLEY_NAMES if math.isclose(plain[n], turned[n], rel_tol=1e-6)}
    for name in [n for n in VALLEY_NAMES if n in chosen - same]:
        why = (" Its decay shrinks every direction alike, but the Adam step inside it does not."
               if name == "AdamW" else " It scales each coordinate by its own history of gradients.")
        raise Fail(f"{name} ends at f = {plain[name]:.4f} on the valley and {turned[name]:.4f} on the "
                   f"turned one.{why}")
    for name in [n for n in VALLEY_NAMES if n in same - chosen]:
        raise Fail(f"{name} ends at the same f on both valleys ({plain[name]:.4f}): its steps are made of "
                   "gradients alone, which turn with the valley.")
    worst = max(set(VALLEY_NAMES) - same, key=lambda n: turned[n] / plain[n])
    return (f"{', '.join(n for n in VALLEY_NAMES if n in same)} cannot see the axes; the per-coordinate rules can, and the "
            f"turned valley hurts {worst} most (f {plain[worst]:.4f} → {turned[worst]:.4f}).")


# ---------------------------------------------------------------------------
# Exercise: the size of Adam's first step
# ---------------------------------------------------------------------------

def _adam_first_step_solution():
    lr, beta1, beta2, epsilon, g = 0.01, 0.9, 0.999, 1e-7, 0.003
    m, v = (1 - beta1) * g, (1 - beta2) * g ** 2  # the averages after one step from 0
    m_hat, v_hat = m / (1 - beta1), v / (1 - beta2)  # the bias corrections at t = 1: exactly g and g²
    return lr * m_hat / (np.sqrt(v_hat) + epsilon)  # ≈ lr: the size of g cancels


@exercise(
    "the size of Adam's first step",
    hints=[
        "after one step the averages m and v hold only the first gradient, and the bias corrections undo "
        "the factors by which the averages shrank it.",
        "m̂ = g and v̂ = g², so m̂/√v̂ is the sign of g.",
        "the first step is lr times that sign (ε is negligible): its size does not depend on g.",
    ],
    solution=_adam_first_step_solution,
    kind="value",
)
def adam_first_step(answer: float) -> str:
    """Check how far Adam(lr=0.01) moves a parameter whose first gradient is 0.003."""
    value = expect_number(answer)
    step = _adam_first_step_solution()
    if _is_about(abs(value), 0.003 * 0.01):
        raise Fail("that is lr·g, the SGD step. Adam divides by √v̂ ≈ |g| first.")
    if _is_about(abs(value), 0.01 * 0.1 / math.sqrt(0.001), rel=0.02):
        raise Fail("that is the step without the bias corrections: (1 − β1)·g over √((1 − β2)·g²).")
    expect(_is_about(abs(value), step, rel=0.02), f"{value!r} is not the distance Adam moves: work it out "
                                                  "from m, v and the bias corrections after one step.")
    return f"the step is {step:.5f} ≈ lr: Adam's first step has size lr for any gradient."


hint, solution, reference = help_for(__name__)
