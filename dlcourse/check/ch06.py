"""Exercise checks for lesson 06 (AlexNet, VGG, residual connections and the collapse).

The residual-block check builds tiny Keras models (inputs of at most 8×8×5); the
diagnosis exercise trains four small numpy networks once per process (a fraction of a
second) and reads their logs. TensorFlow is imported inside the functions that need
it: ``dlcourse.check`` itself imports without it.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from dlcourse.check import Fail, exercise, expect, expect_close, help_for, is_number

if TYPE_CHECKING:
    from dlcourse._tf import keras

__all__ = ["CAUSES", "FIXES", "RunLog", "collapse_accuracy", "dead_fraction", "diagnose_runs", "first_divergence",
           "residual_block", "training_logs", "vgg16_fc1_params"]


def _whole(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)




# ---------------------------------------------------------------------------------------
# Exercise 1: VGG-16's first dense layer
# ---------------------------------------------------------------------------------------

def _vgg16_fc1_params_solution() -> int:
    """Parameters of VGG-16's fc1 for a 224×224 input."""
    side = 224 // 2 ** 5  # 'same' 3×3 convolutions keep the size; five 2×2 poolings halve it: 7
    inputs = side * side * 512  # what Flatten hands to fc1: 7×7 positions of the last block's 512 channels
    return inputs * 4096 + 4096  # a weight for every input–unit pair, plus one bias per unit


_FC1_MISTAKES = {
    7 * 7 * 512 * 4096: "you counted the weights but not the 4,096 biases, one per unit",
    14 * 14 * 512 * 4096 + 4096: "that is four poolings' worth: VGG-16 has five 2×2 poolings, so 224 ends at 7, "
                                 "not 14",
    7 * 7 * 256 * 4096 + 4096: "the last block of VGG-16 has 512 channels, not 256",
    6 * 6 * 256 * 4096 + 4096: "that is AlexNet's first dense layer (6×6×256 inputs); VGG-16's sees 7×7×512",
    7 * 7 * 512: "that is the number of inputs Flatten hands to fc1; each of them is connected to 4,096 units",
    4096 * 4096 + 4096: "that is fc2, whose input is fc1's 4,096 outputs; fc1's input is the flattened feature map",
    224 * 224 * 3 * 4096 + 4096: "fc1 does not see the image but the last feature map, after five poolings",
}


@exercise(
    "parameters of VGG-16's first dense layer (fc1)",
    hints=[
        "a dense layer has one weight for every pair of an input and a unit, and one bias per unit; first find how "
        "many numbers Flatten hands to fc1: the image's side after the poolings, squared, times the channels of "
        "the last block.",
        "'same' 3×3 convolutions keep the size and each of the five 2×2 poolings halves it, 224 → 7; the last "
        "block has 512 channels.",
        "7·7·512 inputs, each connected to 4,096 units, plus one bias per unit.",
    ],
    solution=_vgg16_fc1_params_solution,
    kind="value",
)
def vgg16_fc1_params(answer: int | None) -> str:
    """Check the learner's count of VGG-16's fc1 parameters."""
    expect(answer is not None, "replace None with your count, a whole number.")
    expect(_whole(answer), f"give a whole number, got {answer!r}.")
    want = _vgg16_fc1_params_solution()
    if int(answer) == want:
        return (f"7·7·512·4096 + 4096 = {want:,}: {want / 138_357_544:.0%} of all VGG-16 parameters sit in this "
                "one layer.")
    if int(answer) in _FC1_MISTAKES:
        raise Fail(_FC1_MISTAKES[int(answer)] + ".")
    raise Fail(f"{int(answer):,} is not the count: find what Flatten receives, then inputs × units + units.")


# ---------------------------------------------------------------------------------------
# Exercise 2: a residual block
# ---------------------------------------------------------------------------------------

def _residual_block_solution(x: keras.KerasTensor, filters: int, downsample: bool = False) -> keras.KerasTensor:
    """relu(shortcut(x) + F(x)), F = 3×3 conv → ReLU → 3×3 conv; a 1×1 projection where the shape changes."""
    from dlcourse._tf import keras  # in a notebook: import keras

    stride = 2 if downsample else 1
    f = keras.layers.Conv2D(filters, 3, strides=stride, padding="same")(x)  # the stride halves H and W here
    f = keras.layers.ReLU()(f)
    f = keras.layers.Conv2D(filters, 3, padding="same")(f)
    shortcut = x
    if downsample or x.shape[-1] != filters:  # the sum needs equal shapes: project x with the same stride
        shortcut = keras.layers.Conv2D(filters, 1, strides=stride)(x)
    return keras.layers.ReLU()(keras.layers.Add()([shortcut, f]))


# (side, input channels, filters, downsample): the identity shortcut, a change of width
# alone, the stage transition of deep_cnn, and an odd side halved with equal widths.
_BLOCK_CASES = ((6, 4, 4, False), (6, 3, 5, False), (8, 4, 8, True), (7, 3, 3, True))


def _block_case(side: int, c_in: int, filters: int, downsample: bool) -> str:
    return f"an input of shape (N, {side}, {side}, {c_in}) with filters={filters}, downsample={downsample}"


def _block_weights(rng: np.random.Generator, c_in: int, filters: int, projection: bool) -> dict[str, list]:
    """Random kernels and non-zero biases for conv1, conv2 and (where needed) the projection."""
    weights = {"conv1": [rng.normal(0, 0.4, (3, 3, c_in, filters)), rng.normal(0, 0.3, filters)],
               "conv2": [rng.normal(0, 0.4, (3, 3, filters, filters)), rng.normal(0, 0.3, filters)]}
    if projection:
        weights["projection"] = [rng.normal(0, 0.4, (1, 1, c_in, filters)), rng.normal(0, 0.3, filters)]
    return {k: [w.astype("float32") for w in v] for k, v in weights.items()}


def _block_variants(x: np.ndarray, w: dict[str, list], stride: int) -> dict[str, np.ndarray]:
    """The reference block's output and those of typical slips, computed with the same weights."""
    from dlcourse._tf import keras

    ops = keras.ops

    def conv(t: Any, name: str, s: int) -> Any:
        kernel, bias = w[name]
        return ops.conv(t, kernel, strides=s, padding="same" if kernel.shape[0] == 3 else "valid") + bias

    relu = ops.relu
    shortcut = conv(x, "projection", stride) if "projection" in w else x
    f1 = relu(conv(x, "conv1", stride))
    f = conv(f1, "conv2", 1)
    out = {
        "right": relu(shortcut + f),
        "there is no ReLU after the sum: the block's output is relu(shortcut + F(x))": shortcut + f,
        "you applied a ReLU to F(x) before adding the shortcut; the only ReLU after the second convolution comes "
        "after the sum": relu(shortcut + relu(f)),
        "you applied the ReLU after the second convolution and then added the shortcut: the sum comes first, the "
        "ReLU after it": relu(f) + shortcut,
        "there is no ReLU between the two convolutions: F is conv → ReLU → conv": relu(shortcut + conv(conv(
            x, "conv1", stride), "conv2", 1)),
        "the shortcut is missing: the block adds its input (or its projection) to F(x)": relu(f),
    }
    if stride > 1:  # the stride on the second convolution gives the same shapes but other values
        out["the first convolution carries the stride, not the second: downsample before computing on the "
            "smaller map"] = relu(shortcut + conv(relu(conv(x, "conv1", 1)), "conv2", stride))
    return {k: ops.convert_to_numpy(v) for k, v in out.items()}


def _count(c_in: int, filters: int, projection: bool) -> int:
    convs = 9 * c_in * filters + filters + 9 * filters * filters + filters
    return convs + (c_in * filters + filters if projection else 0)


def _parameter_verdict(got: int, side: int, c_in: int, filters: int, downsample: bool) -> str:
    """Name the slip behind a wrong parameter count."""
    projection = downsample or c_in != filters
    want = _count(c_in, filters, projection)
    case = _block_case(side, c_in, filters, downsample)
    slips = {
        _count(c_in, filters, True): "where the shape does not change the shortcut is the identity, with no weights: "
                                     "project only when the block downsamples or changes the channels",
        want - (c_in * filters + filters): "the package's shortcut is a 1×1 convolution (Cin × filters weights and "
                                           "filters biases) wherever the shape changes",
        want + 8 * c_in * filters: "the projection is a 1×1 convolution, not a 3×3 one",
        want - 2 * filters - (filters if projection else 0): "your convolutions have no biases; keep Keras' default "
                                                             "`use_bias=True`",
    }
    for count, message in slips.items():
        if got == count and count != want:
            return f"for {case} your block has {got:,} parameters, expected {want:,}: {message}."
    return (f"for {case} your block has {got:,} parameters, expected {want:,}: two 3×3 convolutions with "
            "biases, plus a 1×1 projection with biases where the shape changes.")


def _assign(model: keras.Model, w: dict[str, list], projection: bool, case: str) -> None:
    """Give the learner's convolutions the test weights: 3×3 ones in the order they are applied, the 1×1 one."""
    from dlcourse._tf import keras

    convs = [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]
    three = [c for c in convs if tuple(c.kernel_size) == (3, 3)]
    one = [c for c in convs if tuple(c.kernel_size) == (1, 1)]
    expect(len(three) == 2 and len(one) == (1 if projection else 0) and len(convs) == len(three) + len(one),
           f"for {case} the check expects two 3×3 Conv2D layers" + (" and one 1×1 Conv2D projection" if projection
                                                                   else " and no other convolution")
           + f"; your block has {len(convs)} Conv2D layers with kernels "
           f"{[tuple(c.kernel_size) for c in convs]}.")
    for layer, name in zip(three + one, ("conv1", "conv2", "projection")):
        layer.set_weights(w[name])


@exercise(
    "my_residual_block(x, filters, downsample)",
    hints=[
        "the block adds its input to what two convolutions make of it, then applies a ReLU; the sum needs two "
        "tensors of one shape, so where the block halves the image or changes the number of channels the input "
        "needs a learned change of shape too.",
        "F is a 3×3 convolution with 'same' padding (stride 2 when downsampling), a ReLU and a second 3×3 "
        "convolution with stride 1; the shortcut is the input itself, or a 1×1 convolution with the block's stride "
        "when the shape changes; add the two, then apply a ReLU.",
        "`f = Conv2D(filters, 3, strides=s, padding=\"same\")(x)`, `ReLU()`, `Conv2D(filters, 3, padding=\"same\")`; "
        "`shortcut = Conv2D(filters, 1, strides=s)(x)` if `downsample or x.shape[-1] != filters`, else x; "
        "`return ReLU()(Add()([shortcut, f]))`.",
    ],
    solution=_residual_block_solution,
    shows=("residual_block",),
)
def residual_block(fn: Callable[..., Any]) -> str:
    """Build tiny models with the learner's block and the package's; compare shapes, counts and outputs."""
    from dlcourse._tf import keras
    from dlcourse.models.resnet import residual_block as package_block

    rng = np.random.default_rng(16)
    for side, c_in, filters, downsample in _BLOCK_CASES:
        case = _block_case(side, c_in, filters, downsample)
        projection = downsample or c_in != filters
        inputs = keras.Input(shape=(side, side, c_in))
        try:
            out = fn(inputs, filters, downsample)
        except NotImplementedError:
            raise
        except Exception as err:  # noqa: BLE001 — turned into a message that names the case
            said = str(err).splitlines()[0][:160].replace("`", "'") if str(err) else ""
            advice = ""
            if any(word in str(err).lower() for word in ("shape", "incompatible", "dimension")):
                advice = (" The shortcut and F(x) must have one shape to be added: here x needs a 1×1 convolution "
                          "with the block's stride (a projection)." if projection else
                          " F(x) must keep x's shape to be added to it: give the 3×3 convolutions "
                          "padding=\"same\".")
            raise Fail(f"for {case} your block raised {type(err).__name__}: {said.rstrip('.')}.{advice}") from None
        expect(out is not None, "the function returned None: did you forget `return`?")
        expect(isinstance(out, keras.KerasTensor),
               f"return the block's output tensor (what the last layer gives when called on x), got "
               f"{type(out).__name__}.")
        model = keras.Model(inputs, out)
        ref_in = keras.Input(shape=(side, side, c_in))
        reference = keras.Model(ref_in, package_block(ref_in, filters, downsample=downsample, name="ref"))
        want_shape = tuple(reference.output.shape[1:])
        got_shape = tuple(model.output.shape[1:])
        if got_shape != want_shape:
            half = -(-side // 2)
            if downsample and got_shape[:2] == (side, side):
                raise Fail(f"for {case} your output has shape {got_shape}, expected {want_shape}: with downsample "
                           "the first convolution (and the projection) has stride 2, halving H and W.")
            if got_shape[:2] in ((side - 4, side - 4), (half - 2, half - 2), (half - 1, half - 1)):
                raise Fail(f"for {case} your output has shape {got_shape}, expected {want_shape}: the 3×3 "
                           "convolutions need padding=\"same\" to keep the size.")
            raise Fail(f"for {case} your output has shape {got_shape}, expected {want_shape}.")
        if model.count_params() != reference.count_params():
            raise Fail(_parameter_verdict(model.count_params(), side, c_in, filters, downsample))
        w = _block_weights(rng, c_in, filters, projection)
        _assign(model, w, projection, case)
        reference.get_layer("ref_conv1").set_weights(w["conv1"])
        reference.get_layer("ref_conv2").set_weights(w["conv2"])
        if projection:
            reference.get_layer("ref_projection").set_weights(w["projection"])
        x = rng.normal(size=(2, side, side, c_in)).astype("float32")
        got = keras.ops.convert_to_numpy(model(x))
        want = keras.ops.convert_to_numpy(reference(x))
        if not np.allclose(got, want, rtol=1e-4, atol=1e-5):
            variants = _block_variants(x, w, 2 if downsample else 1)
            for message, wrong in variants.items():
                if message != "right" and not np.allclose(wrong, want, atol=1e-5) and np.allclose(
                        got, wrong, rtol=1e-4, atol=1e-5):
                    raise Fail(f"for {case}: {message}.")
            expect_close(got, want, what=f"your block's output for {case} (with the package's weights)",
                         rtol=1e-4, atol=1e-5)
    return ("same shapes, parameter counts and outputs as the package's residual_block, with the identity "
            "shortcut and with a projection.")


# ---------------------------------------------------------------------------------------
# Exercise 3: a divergence detector over a list of batch losses
# ---------------------------------------------------------------------------------------

def _first_divergence_solution(losses: Sequence[float], factor: float = 10.0, window: int = 20) -> int | None:
    """The 1-based step of the first loss that is not finite or above factor × its reference; None if none."""
    earlier: list[float] = []  # the losses before the current one (all finite: we stop at the first that is not)
    for step, loss in enumerate(losses, start=1):
        if not math.isfinite(loss):  # NaN compares False with everything: test for it explicitly
            return step
        if earlier:
            # Robust to noise: where training started, or the typical recent loss if that is higher.
            reference = max(earlier[0], float(np.median(earlier[-window:])))
            if loss > factor * reference:
                return step
        earlier.append(loss)
    return None


def _loss_curve(rng: np.random.Generator, steps: int, start: float = 2.3, end: float = 0.01,
                noise: float = 0.25) -> list[float]:
    """A healthy run's batch losses: an exponential fall with multiplicative batch noise."""
    t = np.arange(steps)
    trend = start * (end / start) ** (t / max(steps - 1, 1))
    return [float(v) for v in trend * np.exp(rng.normal(0, noise, steps))]


def _divergence_cases() -> list[tuple[str, list[float], dict[str, Any]]]:
    """(what the losses are, the losses, keyword arguments) for the check, every mistake covered by one."""
    rng = np.random.default_rng(6)
    falling = _loss_curve(rng, 120)
    bump = falling[:80] + [1.5] + falling[81:]  # a noisy batch far above the recent losses, below the start
    spike = falling[:37] + [40.0, 900.0, 2.3] + falling[40:60]
    nan = falling[:52] + [math.nan, math.nan] + falling[54:70]
    dip = falling[:30] + [falling[30] / 50] + [falling[31] * 2.5] + falling[32:60]
    rising = [float(v) for v in np.linspace(1.0, 5.0, 100) * np.exp(rng.normal(0, 0.02, 100))] + [44.0, 4.9]
    boundary = [2.0, 1.0, 1.0, 20.0, 1.0, 25.0]  # 20 is exactly 10 × max(2, median): not above it
    short_rise = [float(v) for v in np.linspace(1.0, 5.0, 40) * np.exp(rng.normal(0, 0.02, 40))] + [14.0, 5.0]
    return [
        ("a healthy run with one noisy batch at step 81", bump, {}),
        ("a run whose loss jumps to 40 at step 38", spike, {}),
        ("a run whose loss becomes NaN at step 53", nan, {}),
        ("a run with one unusually low batch at step 31", dip, {}),
        ("a run whose loss rises slowly from 1 to 5, then 44", rising, {}),
        ("the losses [2, 1, 1, 20, 1, 25]", boundary, {}),
        ("a run that is NaN from the first batch", [math.nan, 2.3, 2.2], {}),
        ("a run with a loss of 12 at step 51, checked with factor=3, window=5",
         falling[:50] + [12.0] + falling[51:60], {"factor": 3.0, "window": 5}),
        ("a run whose loss rises slowly from 1 to 5, then 14, checked with factor=3, window=5", short_rise,
         {"factor": 3.0, "window": 5}),
        ("a healthy run of 120 batches", falling, {}),
    ]


def _divergence_variant(rule: str) -> Callable[..., int | None]:
    """A detector with one typical slip."""

    def detect(losses: Sequence[float], factor: float = 10.0, window: int = 20) -> int | None:
        if rule == "defaults":
            factor, window = 10.0, 20
        earlier: list[float] = []
        for step, loss in enumerate(losses, start=1):
            if rule != "nan" and not math.isfinite(loss):
                return step - 1 if rule == "index" else step
            if earlier:
                reference = {
                    "first": earlier[0],
                    "median": float(np.median(earlier[-window:])),
                    "all": max(earlier[0], float(np.median(earlier))),
                    "previous": earlier[-1],
                }.get(rule, max(earlier[0], float(np.median(earlier[-window:]))))
                if loss > factor * reference or (rule == "at_least" and loss >= factor * reference):
                    return step - 1 if rule == "index" else step
            earlier.append(loss)
        return None

    return detect


_DIVERGENCE_MISTAKES = {
    "index": "you return a 0-based index; steps count from 1, as the detector's `step` does",
    "nan": "a NaN loss went unnoticed: NaN compares False with everything, so `loss > limit` never fires on it; "
           "test with `math.isfinite` first",
    "first": "you compare with the first loss only: when the loss has slowly risen above its start, the typical "
             "recent loss is the fairer reference (take the larger of the two)",
    "median": "you compare with the recent median only: a healthy run's loss falls far below where it started, "
              "and a noisy batch back near the start is no explosion (take the larger of the first loss and the "
              "median)",
    "all": "you take the median of all earlier losses; the detector looks at the last `window` only, so that "
           "the reference follows a loss that has moved",
    "previous": "you compare with the previous batch alone: one unusually low batch then makes a normal one look "
                "like a jump; use the median of the last `window` losses",
    "at_least": "a loss exactly `factor` times the reference is not above it: use a strict `>`",
    "defaults": "your function ignores its `factor` and `window` arguments: a call with factor=3, window=5 gave "
                "the answers of 10 and 20",
}


@exercise(
    "first_divergence(losses, factor, window)",
    hints=[
        "a loss counts as diverged when it is not a finite number, or when it is far above a reference that one "
        "noisy batch cannot move: the larger of where training started and the typical recent loss.",
        "go through the losses in order, keeping the earlier ones; a NaN compares False with everything, so test "
        "for it explicitly (math.isfinite); the reference is the larger of the first loss and the median of the "
        "last `window` earlier losses, and the loss must be strictly above `factor` times it; steps count from 1.",
        "`for step, loss in enumerate(losses, start=1)`: return step if `not math.isfinite(loss)`; if there are "
        "earlier losses and `loss > factor * max(earlier[0], np.median(earlier[-window:]))`, return step; "
        "append the loss; after the loop return None.",
    ],
    solution=_first_divergence_solution,
    shows=("diagnostics.DivergenceDetector",),
)
def first_divergence(fn: Callable[..., int | None]) -> str:
    """Check a function that finds the first diverged batch in a list of batch losses."""
    cases = _divergence_cases()
    got = []
    for what, losses, kwargs in cases:
        given = list(losses)
        result = fn(given, **kwargs)
        expect(len(given) == len(losses) and all(a == b or (math.isnan(a) and math.isnan(b))
                                                 for a, b in zip(given, losses)),
               "your function changed the list of losses; read it without modifying it.")
        expect(result is None or _whole(result),
               f"for {what} your function returned {result!r}: return the step, a whole number from 1, or None "
               "when nothing diverged.")
        got.append(None if result is None else int(result))
    want = [_first_divergence_solution(losses, **kwargs) for _, losses, kwargs in cases]
    if got == want:
        return ("the same steps as the chapter's DivergenceDetector: NaN at once, and only jumps far above both "
                "the start and the recent losses.")
    if all(g is None for g in got):
        raise Fail("your function returned None for every run, also for a loss that jumps to 40 and one that "
                   "becomes NaN.")
    for rule, message in _DIVERGENCE_MISTAKES.items():
        variant = _divergence_variant(rule)
        if got == [variant(losses, **kwargs) for _, losses, kwargs in cases]:
            raise Fail(message + ".")
    first = next(i for i, (g, w) in enumerate(zip(got, want)) if g != w)
    said = "no divergence" if want[first] is None else f"step {want[first]}"
    raise Fail(f"for {cases[first][0]} your function returned {got[first]!r}, expected {said}.")


# ---------------------------------------------------------------------------------------
# Exercise 4: the share of dead units
# ---------------------------------------------------------------------------------------

def _dead_fraction_solution(activations: np.ndarray) -> float:
    """Share of units (the last axis) whose output is ≤ 0 for every example and every position."""
    a = np.asarray(activations)
    per_unit_max = a.reshape(-1, a.shape[-1]).max(axis=0)  # over examples and positions: one value per unit
    return float(np.mean(per_unit_max <= 0))


def _relu_output(rng: np.random.Generator, shape: tuple[int, ...], dead: int, rare: int) -> np.ndarray:
    """A ReLU layer's output with ``dead`` dead units and ``rare`` units that fire once, for one example."""
    c = shape[-1]
    a = np.maximum(rng.normal(0.2, 1.0, size=shape), 0.0).astype("float32")
    if len(shape) == 2:
        a[0] = 0.0  # an example on which no unit fires
    else:
        a[:, 0] = 0.0  # an empty top border in every image (as in MNIST), where no channel fires
    units = rng.permutation(c)
    a[..., units[:dead]] = 0.0
    for u in units[dead:dead + rare]:  # alive, but only for one example at one position (below the border)
        a[..., u] = 0.0
        where = tuple(int(rng.integers(1 if axis == 1 else 0, n)) for axis, n in enumerate(shape[:-1]))
        a[where + (u,)] = 0.7
    return a


def _dead_variants(a: np.ndarray) -> dict[str, float]:
    """The results of typical slips on the activations ``a``."""
    c = a.shape[-1]
    flat = a.reshape(-1, c)
    out = {
        "that is the share of zero *values*; a unit is dead only when all of its values are zero, so count units "
             "(channels), not entries": float(np.mean(a <= 0)),
        "a ReLU's output is never negative, so with `< 0` no unit is ever dead: a dead unit outputs exactly 0, "
             "use `<= 0`": float(np.mean(flat.max(axis=0) < 0)),
        "you took the maximum over the channels, the last axis; a unit is a channel: reduce over all the other "
             "axes": float(np.mean(a.max(axis=-1) <= 0)),
        "you returned a count of units; return their share, a number between 0 and 1":
            float(np.sum(flat.max(axis=0) <= 0)),
        "a unit is dead only if it is zero for every example: you averaged the dead share of each example "
             "instead, which counts units that are merely silent for some": float(np.mean(
                 [np.mean(a[i].reshape(-1, c).max(axis=0) <= 0) for i in range(a.shape[0])])),
    }
    if a.ndim == 4:
        out["in a convolution one unit is a whole channel, shared by every position: you counted each position "
            "of each channel as a unit of its own"] = float(np.mean(a.max(axis=0) <= 0))
        out["Keras puts the channels last, (N, H, W, C); you reduced as if they were on axis 1"] = float(
            np.mean(a.max(axis=(0, 2, 3)) <= 0))
    return out


@exercise(
    "dead_fraction(activations)",
    hints=[
        "a unit is one channel (the last axis): it is dead only if it outputs nothing positive for any example "
        "and, in a convolution, at any position, so look at each channel's largest output over all the other axes.",
        "treat every axis but the last alike: reshaping to (everything else, channels) works for both shapes; "
        "take each channel's maximum and count the channels whose maximum is 0 or less, as a share.",
        "`a.reshape(-1, a.shape[-1]).max(axis=0) <= 0`, then the mean of that boolean array as a float.",
    ],
    solution=_dead_fraction_solution,
)
def dead_fraction(fn: Callable[[np.ndarray], float]) -> str:
    """Check a learner's dead-unit share on conv (N, H, W, C) and dense (N, C) ReLU outputs of random shapes."""
    rng = np.random.default_rng(26)
    cases = []
    for _ in range(3):
        c = int(rng.integers(6, 17))
        shape = (int(rng.integers(4, 9)), int(rng.integers(3, 7)), int(rng.integers(3, 7)), c)
        cases.append(_relu_output(rng, shape, dead=int(rng.integers(1, c // 2)), rare=2))
    for _ in range(2):
        c = int(rng.integers(8, 21))
        cases.append(_relu_output(rng, (int(rng.integers(10, 30)), c), dead=int(rng.integers(1, c // 2)), rare=2))
    for a in cases:
        kind = "a convolution's" if a.ndim == 4 else "a dense layer's"
        given = a.copy()
        try:
            got = fn(given)
        except NotImplementedError:
            raise
        except Exception as err:  # noqa: BLE001 — a conv-only solution fails on (N, C): say so
            raise Fail(f"for {kind} output of shape {a.shape} your function raised {type(err).__name__}: "
                       f"{str(err)[:120]}. It must work for (N, H, W, C) and (N, C): reduce over every axis but "
                       "the last, however many there are.") from None
        expect(np.array_equal(given, a), "your function changed the activations in place; work on a copy.")
        expect(got is not None, "the function returned None: did you forget `return`?")
        expect(is_number(got) or (isinstance(got, np.ndarray) and got.size == 1),
               f"for {kind} output of shape {a.shape} your function returned {type(got).__name__}; return one "
               "number, the share of dead units.")
        g, want = float(np.asarray(got)), _dead_fraction_solution(a)
        if not np.isclose(g, want):
            for message, wrong in _dead_variants(a).items():
                if not np.isclose(wrong, want) and np.isclose(g, wrong):
                    raise Fail(f"for {kind} output of shape {a.shape}: {message}.")
            expect_close(g, want, what=f"the dead fraction of {kind} output of shape {a.shape}")
    return "whole channels that never fire, for convolutions and dense layers alike."


# ---------------------------------------------------------------------------------------
# Exercise 5: what a collapsed network scores
# ---------------------------------------------------------------------------------------

def _collapse_accuracy_solution(train_labels: np.ndarray, test_labels: np.ndarray) -> float:
    """Test accuracy of a network that gives every image the most frequent class of its training labels."""
    answer = np.bincount(train_labels).argmax()  # the class the output biases settle on
    return float(np.mean(np.asarray(test_labels) == answer))  # right exactly on that class's test images


def _collapse_cases() -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(what the labels are, training labels, test labels); no case has a tie for the most frequent class."""
    rng = np.random.default_rng(60)
    mnist_train = np.repeat(np.arange(10), [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949])
    mnist_test = np.repeat(np.arange(10), [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
    skewed_train = np.repeat(np.arange(10), [100, 100, 100, 300, 100, 100, 100, 100, 100, 100])
    balanced_test = np.repeat(np.arange(10), 100)
    other_test = np.repeat(np.arange(5), [10, 40, 20, 5, 25])  # the test set's own majority is class 1
    other_train = np.repeat(np.arange(5), [30, 20, 50, 25, 15])  # the training majority is class 2
    absent_train = np.repeat(np.arange(8), [5, 5, 5, 5, 5, 5, 5, 20])  # class 7 has no test image
    absent_test = np.repeat(np.arange(6), 7)
    return [(name, rng.permutation(tr), rng.permutation(te)) for name, tr, te in (
        ("full MNIST", mnist_train, mnist_test),
        ("a training set where digit 3 is three times as frequent, balanced test labels", skewed_train,
         balanced_test),
        ("five classes whose most frequent training and test classes differ", other_train, other_test),
        ("a most frequent training class that has no test image", absent_train, absent_test),
    )]


@exercise(
    "collapse_accuracy(train_labels, test_labels)",
    hints=[
        "the collapsed network settles on the most frequent class of the labels it was trained on, whatever the "
        "test set holds, and it is right exactly on the test images of that class.",
        "find the class with the largest count among the training labels; the accuracy is the share of test "
        "labels equal to it, which can be 0 when that class has no test image.",
        "`c = np.bincount(train_labels).argmax()`, then the mean of `test_labels == c` as a float.",
    ],
    solution=_collapse_accuracy_solution,
)
def collapse_accuracy(fn: Callable[[np.ndarray, np.ndarray], float]) -> str:
    """Check the accuracy of a collapsed network: the test share of the most frequent training class."""
    for what, train, test in _collapse_cases():
        try:
            got = fn(train.copy(), test.copy())
        except NotImplementedError:
            raise
        except IndexError as err:  # bincount(test)[c] when c never occurs among the test labels
            raise Fail(f"for {what} your function raised IndexError ({err}): the class the network settles on can "
                       "be missing from the test labels; then no answer is right.") from None
        expect(got is not None, "the function returned None: did you forget `return`?")
        expect(is_number(got) or (isinstance(got, np.ndarray) and got.size == 1),
               f"for {what} your function returned {type(got).__name__}; return one number, an accuracy.")
        g, want = float(np.asarray(got)), _collapse_accuracy_solution(train, test)
        if np.isclose(g, want):
            continue
        train_counts, test_counts = np.bincount(train), np.bincount(test)
        c = int(train_counts.argmax())
        share_in_test = test_counts[c] if c < len(test_counts) else 0
        mistakes = {
            "that is the best a constant answer can do on the test labels, their most frequent class's share; the "
            "collapsed network chose its class from the training labels": test_counts.max() / len(test),
            "that is the class's share of the training labels; accuracy is measured on the test labels":
                train_counts.max() / len(train),
            "you returned a count of images; divide by the number of test labels": share_in_test,
            "one over the number of classes is what a uniform guess scores; the collapsed network always gives one "
            "class": 1 / len(train_counts),
        }
        for message, wrong in mistakes.items():
            if not np.isclose(wrong, want) and np.isclose(g, wrong):
                raise Fail(f"for {what}: {message}.")
        expect_close(g, want, what=f"the accuracy for {what}")
    return ("the most frequent training class's share of the test labels: 0.1135 on full MNIST, where that class "
            "is digit 1, as in the lab report.")


# ---------------------------------------------------------------------------------------
# Exercise 6 (an experiment): diagnose four failing runs from their logs
# ---------------------------------------------------------------------------------------

CAUSES = ("exploding", "vanishing", "dead_relus", "rate_too_low")

FIXES = {
    "lower_rate": "lower the learning rate, or warm it up from a small value",
    "raise_rate": "raise the learning rate",
    "relu_he": "use a non-saturating activation (ReLU) with He initialisation, or add batch norm or shortcuts",
    "alive_init": "start the units alive: biases at zero, or a leaky ReLU whose negative side passes a gradient",
    "dropout": "add dropout after the hidden layers",
}


@dataclass(frozen=True)
class RunLog:
    """What the probes of one training run recorded, step by step (60 steps of one small network).

    ``loss``: (steps,) cross-entropy on a fixed probe batch of 128 examples, before each step.
    ``grad_rms``: (layers, steps) root mean square of each layer's ∂loss/∂kernel entries at each
    step; row 0 is the layer next to the input, the last row the output layer.
    ``dead_fraction``: (hidden layers, steps) share of each hidden layer's units whose output is ≤ 0
    for every probe example, before each step.
    """

    loss: np.ndarray
    grad_rms: np.ndarray
    dead_fraction: np.ndarray


# The four runs: the same data and an MLP of 8 weight layers (7 hidden of 32 units). What
# goes wrong is set here and only revealed by the check's verdict: the learner reads the logs.
_RUN_SETTINGS = {
    "A": {"lr": 1e-3},  # ReLU, He init, plain SGD at a rate far too low
    "B": {"lr": 0.5, "optimizer": "adam"},  # ReLU, He init, Adam at 500 × its default
    "C": {"bias": -1.0, "lr": 0.05},  # ReLU, He init, every hidden bias started at −1
    "D": {"activation": "sigmoid", "lr": 0.5},  # sigmoid units, LeCun-scaled init, plain SGD
}
_RUN_STORY = {
    "A": "plain SGD at a rate of 0.001 (the same network trains at 0.05)",
    "B": "Adam at 0.5, 500 times its default rate",
    "C": "every hidden bias started at −1, so most inputs of the later ReLUs were negative for every example",
    "D": "sigmoid units, whose slope is at most 0.25",
}
_RUN_CAUSE = {"A": "rate_too_low", "B": "exploding", "C": "dead_relus", "D": "vanishing"}
_CAUSE_FIX = {"exploding": "lower_rate", "vanishing": "relu_he", "dead_relus": "alive_init",
              "rate_too_low": "raise_rate"}


def _blobs(seed: int = 0, n: int = 512, d: int = 16, k: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """Four Gaussian classes in 16 dimensions, learnable by a healthy network in a few dozen steps."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(k, d))
    y = rng.integers(0, k, n)
    return centres[y] + rng.normal(size=(n, d)), y


def _train_mlp(activation: str = "relu", bias: float = 0.0, lr: float = 0.01, optimizer: str = "sgd",
               steps: int = 60, depth: int = 8, width: int = 32, batch: int = 64, seed: int = 1) -> RunLog:
    """Train a numpy MLP with softmax cross-entropy, logging the probes before every step."""
    x, y = _blobs()
    rng = np.random.default_rng(seed)
    sizes = [x.shape[1]] + [width] * (depth - 1) + [int(y.max()) + 1]
    gain = 2.0 if activation == "relu" else 1.0  # He for ReLU, LeCun for the sigmoid
    W = [rng.normal(size=(a, b)) * np.sqrt(gain / a) for a, b in zip(sizes[:-1], sizes[1:])]
    b = [np.full(n, bias if i < depth - 1 else 0.0) for i, n in enumerate(sizes[1:])]
    act = (lambda z: np.maximum(z, 0.0)) if activation == "relu" else (lambda z: 1.0 / (1.0 + np.exp(-z)))
    params = [p for pair in zip(W, b) for p in pair]
    m1, m2 = [np.zeros_like(p) for p in params], [np.zeros_like(p) for p in params]
    px, py = x[:128], y[:128]

    def forward(inputs: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        hs, zs = [inputs], []
        for i in range(depth):
            zs.append(hs[-1] @ W[i] + b[i])
            hs.append(act(zs[-1]) if i < depth - 1 else zs[-1])
        return hs, zs

    def softmax_loss(logits: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
        z = logits - logits.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return float(-logp[np.arange(len(labels)), labels].mean()), np.exp(logp)

    losses, rms, dead = [], [], []
    with np.errstate(over="ignore"):  # the exploding run's logits grow huge; the loss stays finite
        for t in range(steps):
            hs, _ = forward(px)
            losses.append(softmax_loss(hs[-1], py)[0])
            dead.append([float(np.mean(h.max(axis=0) <= 0)) for h in hs[1:-1]])
            idx = rng.choice(len(x), batch, replace=False)
            hs, zs = forward(x[idx])
            _, p = softmax_loss(hs[-1], y[idx])
            g = p.copy()
            g[np.arange(batch), y[idx]] -= 1.0
            g /= batch
            grads: list[np.ndarray] = [np.empty(0)] * (2 * depth)
            for i in reversed(range(depth)):
                grads[2 * i], grads[2 * i + 1] = hs[i].T @ g, g.sum(axis=0)
                if i:
                    g = g @ W[i].T
                    g = g * (zs[i - 1] > 0) if activation == "relu" else g * hs[i] * (1.0 - hs[i])
            rms.append([float(np.sqrt(np.mean(grads[2 * i] ** 2))) for i in range(depth)])
            for j, (p_, g_) in enumerate(zip(params, grads)):
                if optimizer == "sgd":
                    p_ -= lr * g_
                else:  # Adam with its usual constants
                    m1[j] = 0.9 * m1[j] + 0.1 * g_
                    m2[j] = 0.999 * m2[j] + 0.001 * g_ ** 2
                    p_ -= lr * (m1[j] / (1 - 0.9 ** (t + 1))) / (np.sqrt(m2[j] / (1 - 0.999 ** (t + 1))) + 1e-7)
    return RunLog(np.array(losses), np.array(rms).T, np.array(dead).T)


@functools.lru_cache(maxsize=1)
def _logs() -> dict[str, RunLog]:
    return {name: _train_mlp(**settings) for name, settings in _RUN_SETTINGS.items()}


def training_logs() -> dict[str, RunLog]:
    """The logs of four runs, "A" to "D", of the same small network on the same data; each failed differently."""
    return {name: RunLog(log.loss.copy(), log.grad_rms.copy(), log.dead_fraction.copy())
            for name, log in _logs().items()}


def _diagnose_runs_solution() -> dict[str, tuple[str, str]]:
    """Read each run's logs: a jump first, then dead layers, then the gradient's size from last to first layer."""
    fix = {"exploding": "lower_rate", "dead_relus": "alive_init", "vanishing": "relu_he",
           "rate_too_low": "raise_rate"}
    answer = {}
    for name, log in training_logs().items():
        if log.loss.max() > 10 * log.loss[0]:  # a jump far above the start, whatever died afterwards
            cause = "exploding"
        elif log.dead_fraction[:, 0].max() == 1.0 or not log.grad_rms[:, 0].any():  # dead from the first step
            cause = "dead_relus"
        elif log.grad_rms[0, 0] < 0.01 * log.grad_rms[-1, 0]:  # the first layer's gradient ≪ the last's
            cause = "vanishing"
        else:  # healthy gradients everywhere, and still a slow loss
            cause = "rate_too_low"
        answer[name] = (cause, fix[cause])
    return answer


def _evidence(log: RunLog) -> dict[str, float]:
    """The numbers the verdicts quote."""
    norm = np.sqrt((log.grad_rms ** 2).sum(axis=0))
    first, last = log.grad_rms[0, 0], log.grad_rms[-1, 0]
    return {"jump": float(log.loss.max() / log.loss[0]), "jump_step": int(log.loss.argmax()) + 1,
            "norm_growth": float(norm.max() / norm[0]) if norm[0] > 0 else 0.0,
            "first_to_last": float(first / last) if last > 0 else math.nan,
            "dead_at_start": float(log.dead_fraction[:, 0].max()),
            "dead_at_end": float(log.dead_fraction[:, -1].max()),
            "dead_most": float(log.dead_fraction.max()),
            "dead_layers_at_start": int(np.sum(log.dead_fraction[:, 0] == 1.0)),
            "loss_drop": float(log.loss[0] - log.loss[-1])}


def _misread_cause(name: str, truth: str, chosen: str, e: dict[str, float]) -> str:
    """Why run ``name`` is not ``chosen``, with its own numbers."""
    jump = (f"at step {e['jump_step']} its loss jumped to {e['jump']:,.0f} times its start and the gradient norm "
            f"grew to {e['norm_growth']:,.0f} times its step-1 size")
    texts = {
        ("exploding", "vanishing"): f"nothing shrank in run {name}: {jump}; the zero gradients that follow come "
                                    "from units that died in that jump, as in the chapter's collapse",
        ("exploding", "dead_relus"): f"run {name}'s units do end up dead, but only after a jump: {jump}, while at "
                                     "step 1 no layer was entirely dead. The deaths are the consequence; the "
                                     "cause is the jump",
        ("exploding", "rate_too_low"): f"run {name}'s loss did not fall slowly: {jump}",
        ("vanishing", "exploding"): f"run {name}'s loss never rose far above its start and its gradient norm never "
                                    "grew by orders of magnitude; compare the gradient's size in the last layer "
                                    "and the first",
        ("vanishing", "dead_relus"): f"no unit of run {name} is dead (its dead fractions stay at "
                                     f"{e['dead_most']:.0%}) and no gradient is exactly zero; its first layer's "
                                     f"gradient entries are {e['first_to_last']:.0e} times the last layer's, from "
                                     "step 1",
        ("vanishing", "rate_too_low"): f"a rate too low would slow every layer alike, but in run {name} the first "
                                       f"layer's gradient entries are {e['first_to_last']:.0e} times the last "
                                       "layer's from step 1: the gradient shrinks on its way back",
        ("dead_relus", "exploding"): f"run {name}'s loss never rose above its start and no gradient grew: nothing "
                                     "exploded. Look at its dead fractions at step 1",
        ("dead_relus", "vanishing"): f"run {name}'s kernel gradients are not small but exactly zero from step 1, "
                                     f"and {e['dead_layers_at_start']} of its layers are entirely dead: units that "
                                     "never fire pass no gradient back. Vanishing gradients are small, not zero, "
                                     "and come with living units",
        ("dead_relus", "rate_too_low"): f"run {name}'s loss does not fall slowly, it hardly moves, and its kernel "
                                        "gradients are exactly zero: no rate can move weights whose gradient is 0",
        ("rate_too_low", "exploding"): f"run {name}'s loss falls steadily and its gradient norm stays within "
                                       f"{max(e['norm_growth'], 1.0):.1f} times its start: nothing exploded",
        ("rate_too_low", "vanishing"): f"in run {name} the first layer's gradient entries are "
                                       f"{e['first_to_last']:.2g} times the last layer's, the same order of "
                                       "magnitude: the gradient reaches every layer",
        ("rate_too_low", "dead_relus"): f"in run {name} at most {e['dead_most']:.0%} of a layer's units are dead "
                                        "and every layer gets a gradient; a few dead units are normal",
    }
    return texts[(truth, chosen)]


def _misread_fix(name: str, truth: str, chosen: str, e: dict[str, float]) -> str:
    """Why ``chosen`` does not cure run ``name``'s ``truth``."""
    if chosen == "dropout":
        return f"dropout fights overfitting, and run {name} does not even fit its training data"
    texts = {
        "exploding": f"run {name} was healthy at step 1 (no dead layer, gradients of one order of magnitude in "
                     "every layer); its first updates threw the weights far: make the steps smaller",
        "vanishing": "a different rate scales every layer's step alike, and the first layers would still get "
                     f"{e['first_to_last']:.0e} times the last layer's gradient: change what shrinks the gradient "
                     "on its way back" if chosen in ("lower_rate", "raise_rate") else
                     f"no unit of run {name} is dead; the gradient shrinks at every layer's slope",
        "dead_relus": "a gradient of exactly zero times any rate is still zero: the dead units can never come "
                      "back, they must start alive" if chosen in ("lower_rate", "raise_rate") else
                      f"run {name}'s units do not saturate, they never fire: start their inputs where some are "
                      "positive, or let the negative side pass a gradient",
        "rate_too_low": f"a lower rate makes run {name}'s slow progress slower still" if chosen == "lower_rate" else
                        f"run {name}'s gradients are healthy in every layer and its units alive; only its steps "
                        "are small",
    }
    return texts[truth]


@exercise(
    "experiment: diagnose four failing runs",
    hints=[
        "for each run compare three things: whether the loss ever rose far above its start, how the gradient's "
        "size changes from the last layer to the first at the first step, and whether whole layers are dead, and "
        "since when.",
        "a jump of the loss and the gradient norm is exploding even when units die afterwards; a first layer whose "
        "gradient is orders of magnitude below the last's from step 1, with living units, is vanishing; exact zeros "
        "with dead layers from step 1 are dead ReLUs; similar gradients in every layer and a slow, steady fall "
        "mean a rate too low.",
        "per run: `log.loss.max() / log.loss[0]`, `log.grad_rms[0, 0] / log.grad_rms[-1, 0]` and "
        "`log.dead_fraction[:, 0].max()`; each cause has one fix: exploding → lower_rate, vanishing → relu_he, "
        "dead_relus → alive_init, rate_too_low → raise_rate.",
    ],
    solution=_diagnose_runs_solution,
    kind="experiment",
)
def diagnose_runs(answer: dict[str, tuple[str, str]] | None) -> str:
    """Check the learner's (cause, fix) for each of the four logged runs, naming the misreading."""
    expect(answer is not None, "replace None with a dict {run letter: (cause, fix)} for the runs A to D.")
    expect(isinstance(answer, dict), f"give a dict {{run letter: (cause, fix)}}, got {type(answer).__name__}.")
    missing = sorted(set(_RUN_CAUSE) - set(answer))
    expect(not missing, f"give a (cause, fix) pair for every run; missing: {missing}.")
    unknown = sorted(set(map(str, answer)) - set(_RUN_CAUSE))
    expect(not unknown, f"the runs are A, B, C and D; unknown: {unknown}.")
    for name in sorted(_RUN_CAUSE):
        pair = answer[name]
        expect(isinstance(pair, (tuple, list)) and len(pair) == 2,
               f"for run {name} give a pair (cause, fix), got {pair!r}.")
        cause, fix = pair
        expect(cause in CAUSES, f"run {name}: the cause must be one of {list(CAUSES)}, got {cause!r}.")
        expect(fix in FIXES, f"run {name}: the fix must be one of {list(FIXES)}, got {fix!r}.")
    logs = _logs()
    for name in sorted(_RUN_CAUSE):
        cause, fix = answer[name]
        truth = _RUN_CAUSE[name]
        if cause != truth:
            raise Fail(_misread_cause(name, truth, cause, _evidence(logs[name])) + ".")
        if fix != _CAUSE_FIX[truth]:
            raise Fail(f"run {name}'s cause, {truth}, is right, but `{fix}` does not cure it: "
                       + _misread_fix(name, truth, fix, _evidence(logs[name])) + ".")
    return "all four read right. The settings were: " + "; ".join(
        f"{name}: {story}" for name, story in _RUN_STORY.items()) + "."


hint, solution, reference = help_for(__name__)
