"""Exercise checks for lesson 03 (overfitting and regularization)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np

from dlcourse.check import Fail, exercise, expect, expect_close, expect_equal, help_for

# The transforms offered in the augmentation exercise, and which keep a digit's label.
DIGIT_TRANSFORMS = {
    "horizontal flip": False,  # mirrors 2/5-like shapes and turns 3 into a backwards 3
    "vertical flip": False,  # 6 ↔ 9-like confusions, upside-down 7s
    "rotate 180°": False,  # turns a 6 into a 9
    "rotate ±10°": True,  # people write slanted
    "shift ±2 pixels": True,  # digits are not perfectly centred
    "zoom ±10%": True,  # stroke size varies
}


@exercise(
    "inverted_dropout(x, keep, rate)",
    hints=[
        "in training the surviving units must carry, on average, what all units carried before.",
        "zero the dropped units with the mask, then rescale the survivors by how likely a unit was to survive.",
        "x times the keep mask, divided by (1 − rate).",
    ],
)
def inverted_dropout(fn: Callable[[np.ndarray, np.ndarray, float], np.ndarray]) -> str:
    """Check a training-mode dropout given an explicit boolean keep mask (x: any shape)."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=(8, 5))
    for rate in (0.25, 0.5):
        keep = rng.random(x.shape) >= rate
        x_in, keep_in = x.copy(), keep.copy()
        got = fn(x_in, keep_in, rate)
        expect(got is not None, "the function returned None: did you forget `return`?")
        expect(np.array_equal(x_in, x) and np.array_equal(keep_in, keep),
               "your function changed its inputs in place; build a new array instead.")
        got = np.asarray(got, dtype=float)
        expect_equal(got.shape, x.shape, what="the shape of the result")
        expect(np.all(got[~keep] == 0), "dropped units (keep == False) must be exactly 0.")
        if np.allclose(got[keep], x[keep]):
            raise Fail(f"with rate={rate} the kept units equal x: they must be scaled by "
                       f"1/(1 − rate) = {1 / (1 - rate):.3g}, else the expected output shrinks.")
        if np.allclose(got[keep], x[keep] * (1 - rate)):
            raise Fail("the kept units are multiplied by (1 − rate); inverted dropout divides by it.")
        expect_close(got, x * keep / (1 - rate), what=f"the output for rate={rate}")
    return "x · keep / (1 − rate): E[output] = x, so inference needs no change."


@exercise(
    "decayed_sgd_step(w, grad, lr, lam)",
    hints=[
        "decoupled weight decay is two moves: shrink the weights, and take the ordinary gradient step.",
        "the shrink factor per step is (1 − lr·lam).",
        "(1 − lr·lam)·w − lr·grad, as a new array.",
    ],
)
def decayed_sgd_step(fn: Callable[[np.ndarray, np.ndarray, float, float], np.ndarray]) -> str:
    """Check one SGD step with decoupled weight decay against SGD on loss + (λ/2)‖w‖²."""
    rng = np.random.default_rng(5)
    w, grad = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    for lr, lam in ((0.1, 0.01), (0.5, 0.2)):
        w_in, g_in = w.copy(), grad.copy()
        got = fn(w_in, g_in, lr, lam)
        expect(np.array_equal(w_in, w) and np.array_equal(g_in, grad),
               "your function changed w or grad in place; return a new array instead.")
        if got is not None and np.allclose(np.asarray(got, dtype=float), (1 - lam) * w - lr * grad):
            raise Fail("the decay factor must include the learning rate: (1 − lr·lam), not (1 − lam).")
        # The same update as one SGD step on loss + (λ/2)‖w‖², written the other way round.
        expect_close(got, w - lr * (grad + lam * w), what=f"the new w for lr={lr}, lam={lam}")
    return "(1 − ηλ)w − η∇L = w − η(∇L + λw): for SGD, weight decay is an L2 penalty."


def _reference_early_stopping(val_losses: Sequence[float], patience: int) -> tuple[int, int]:
    """Keras' rule (min_delta = 0): stop once `patience` epochs pass without a new minimum."""
    best, best_i, wait = np.inf, 0, 0
    for i, v in enumerate(val_losses):
        wait += 1
        if v < best:
            best, best_i, wait = v, i, 0
            continue
        if wait >= patience and i > 0:
            return i + 1, best_i + 1
    return len(val_losses), best_i + 1


@exercise(
    "early_stopping(val_losses, patience)",
    hints=[
        "walk through the epochs remembering the best loss so far and how long ago it was.",
        "stop at the epoch where `patience` epochs have passed without a new best; a tie is not an improvement.",
        "epochs are counted from 1; return the epoch you stopped at and the epoch of the best loss (the weights that are restored).",
    ],
)
def early_stopping(fn: Callable[[Sequence[float], int], tuple[int, int]]) -> str:
    """Check (last epoch trained, epoch restored), both 1-based, for validation-loss curves."""
    cases = [
        ([0.9, 0.7, 0.6, 0.65, 0.7, 0.8, 0.5], 2),   # stops at 5, restores 3
        ([0.9, 0.7, 0.6, 0.65, 0.59, 0.8, 0.9], 2),  # a late improvement resets the count
        ([1.0, 0.9, 0.8, 0.7], 3),                   # never stops: all 4 epochs, best is the last
        ([0.5, 0.5, 0.5, 0.5], 2),                   # ties do not count: stops at 3, restores 1
        ([0.4, 0.6, 0.3, 0.2], 1),                   # patience 1 stops at the first worse epoch
    ]
    for losses, patience in cases:
        got = fn(list(losses), patience)
        expect(got is not None, "the function returned None: did you forget `return`?")
        try:
            got = tuple(int(v) for v in got)
        except (TypeError, ValueError):
            raise Fail(f"return a pair (stopped_epoch, restored_epoch), got {got!r}.") from None
        want = _reference_early_stopping(losses, patience)
        if got == tuple(v - 1 for v in want):
            raise Fail("count epochs from 1, as Keras prints them (your answers are 0-based).")
        expect_equal(got, want, what=f"(stopped, restored) for val_loss={losses}, patience={patience}")
    return "you stop `patience` epochs after the last improvement and keep the best epoch's weights."


@exercise(
    "label-preserving augmentations for digits",
    hints=[
        "ask of each transform: would a person still read the same digit?",
        "a mirrored 3 or an upside-down 6 is a different digit, or none; slanted, shifted or smaller handwriting is still the same digit.",
        "keep the small rotations, shifts and zooms; drop the flips and the large rotations.",
    ],
)
def digit_augmentations(answer: Iterable[str]) -> str:
    """Check the set of transforms that keep an MNIST digit's label (names from DIGIT_TRANSFORMS)."""
    expect(answer is not None and not isinstance(answer, str),
           f"give a set of transform names, e.g. {{'zoom ±10%'}}; choose from {sorted(DIGIT_TRANSFORMS)}.")
    chosen = set(answer)
    unknown = chosen - DIGIT_TRANSFORMS.keys()
    expect(not unknown, f"unknown transform(s) {sorted(unknown)}; choose from {sorted(DIGIT_TRANSFORMS)}.")
    wrong = sorted(t for t in chosen if not DIGIT_TRANSFORMS[t])
    expect(not wrong, f"{wrong} can change which digit an image shows.")
    missing = sorted(t for t, ok in DIGIT_TRANSFORMS.items() if ok and t not in chosen)
    expect(not missing, f"{missing} also keep the label: small changes like these are safe.")
    return "small rotations, shifts and zooms keep a digit a digit; flips and 180° turns do not."


hint, solution, reference = help_for(__name__)
