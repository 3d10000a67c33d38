"""Accept/reject cases for dlcourse.check.ch06 (see check_cases/__init__.py)."""

from __future__ import annotations

import math

import numpy as np

from check_cases import Args, Case, Wrong  # noqa: F401

CASES: dict[str, Case] = {}

# ---------------------------------------------------------------- vgg16_fc1_params

CASES["vgg16_fc1_params"] = Case(wrong=(
    Wrong(7 * 7 * 512 * 4096, "not the 4,096 biases", "no-biases"),
    Wrong(14 * 14 * 512 * 4096 + 4096, "five 2×2 poolings", "four-poolings"),
    Wrong(7 * 7 * 256 * 4096 + 4096, "512 channels, not 256", "256-channels"),
    Wrong(6 * 6 * 256 * 4096 + 4096, "AlexNet's first dense layer", "alexnet-fc1"),
    Wrong(25088, "the number of inputs", "inputs-only"),
    Wrong(4096 * 4096 + 4096, "that is fc2", "fc2"),
    Wrong(224 * 224 * 3 * 4096 + 4096, "does not see the image", "flattened-image"),
    Wrong(102_000_000, "is not the count", "rounded"),
    Wrong(102_764_544.0, "whole number", "a-float"),
    Wrong(None, "replace None", "unedited"),
))

# ---------------------------------------------------------------- residual_block


def _block(final_relu=True, relu_f=False, relu_before_add=False, mid_relu=True, shortcut=True, stride_on="first",
           project="when-needed", projection_kernel=1, bias=True, padding="same", as_model=False):
    """A residual block with one typical slip switched on."""

    def my_residual_block(x, filters, downsample=False):
        from dlcourse._tf import keras

        layers = keras.layers
        s = 2 if downsample else 1
        s1, s2 = (s, 1) if stride_on == "first" else (1, s) if stride_on == "second" else (1, 1)
        f = layers.Conv2D(filters, 3, strides=s1, padding=padding, use_bias=bias)(x)
        if mid_relu:
            f = layers.ReLU()(f)
        f = layers.Conv2D(filters, 3, strides=s2, padding=padding, use_bias=bias)(f)
        if relu_f or relu_before_add:
            f = layers.ReLU()(f)
        sc = x
        needed = downsample or x.shape[-1] != filters
        if project == "always" or (project == "when-needed" and needed):
            sc = layers.Conv2D(filters, projection_kernel, strides=s if stride_on != "none" else 1,
                               padding="same", use_bias=bias)(x)
        out = layers.Add()([sc, f]) if shortcut else f
        if final_relu and not relu_before_add:
            out = layers.ReLU()(out)
        return keras.Model(x, out) if as_model else out

    return my_residual_block


CASES["residual_block"] = Case(wrong=(
    Wrong(_block(final_relu=False), "no ReLU after the sum", "no-final-relu"),
    Wrong(_block(relu_f=True), "before adding the shortcut", "relu-on-f-before-sum"),
    Wrong(_block(relu_before_add=True), "the sum comes first", "relu-then-add"),
    Wrong(_block(mid_relu=False), "no ReLU between the two convolutions", "no-middle-relu"),
    Wrong(_block(shortcut=False), "the shortcut is missing", "plain-block"),
    Wrong(_block(stride_on="second"), "the first convolution carries the stride", "stride-on-second-conv"),
    Wrong(_block(project="never"), "needs a 1×1 convolution", "identity-shortcut-always"),
    Wrong(_block(project="always"), "the shortcut is the identity", "projection-always"),
    Wrong(_block(projection_kernel=3), "not a 3×3 one", "3x3-projection"),
    Wrong(_block(bias=False), "no biases", "use-bias-false"),
    Wrong(_block(padding="valid"), "padding=\"same\"", "valid-padding"),
    Wrong(_block(stride_on="none"), "halving H and W", "downsample-ignored"),
    Wrong(_block(as_model=True), "output tensor", "returns-a-model"),
    Wrong(lambda x, filters, downsample=False: None, "forget `return`", "returns-none"),
))

# ---------------------------------------------------------------- first_divergence


def _detector(rule="right"):
    """A detector over batch losses with one typical slip (as a learner would write it)."""

    def first_divergence(losses, factor=10.0, window=20):
        if rule == "defaults":
            factor, window = 10.0, 20
        earlier = []
        for i, loss in enumerate(losses):
            step = i if rule == "index" else i + 1
            if rule != "nan" and not math.isfinite(loss):
                return step
            if earlier:
                ref = {"first": earlier[0], "median": float(np.median(earlier[-window:])),
                       "all": max(earlier[0], float(np.median(earlier))), "previous": earlier[-1]}.get(
                    rule, max(earlier[0], float(np.median(earlier[-window:]))))
                if (loss >= factor * ref) if rule == "at_least" else (loss > factor * ref):
                    return step
            earlier.append(loss)
        return None

    return first_divergence


def _mutating_detector(losses, factor=10.0, window=20):
    result = _detector()(losses, factor, window)
    losses.clear()
    return result


def _flag_as_bool(losses, factor=10.0, window=20):
    return _detector()(losses, factor, window) is not None


CASES["first_divergence"] = Case(wrong=(
    Wrong(_detector("index"), "0-based index", "zero-based-step"),
    Wrong(_detector("nan"), "NaN compares False", "nan-missed"),
    Wrong(_detector("first"), "first loss only", "first-loss-only"),
    Wrong(_detector("median"), "recent median only", "median-only"),
    Wrong(_detector("all"), "median of all earlier losses", "median-of-all"),
    Wrong(_detector("previous"), "previous batch alone", "previous-batch"),
    Wrong(_detector("at_least"), "strict `>`", "at-least"),
    Wrong(_detector("defaults"), "ignores its `factor` and `window`", "arguments-ignored"),
    Wrong(_mutating_detector, "changed the list", "mutates-losses"),
    Wrong(_flag_as_bool, "a whole number from 1", "returns-a-bool"),
    Wrong(lambda losses, factor=10.0, window=20: None, "returned None for every run", "returns-none"),
))

# ---------------------------------------------------------------- dead_fraction


def _per_image(a):
    c = a.shape[-1]
    return float(np.mean([np.mean(a[i].reshape(-1, c).max(axis=0) <= 0) for i in range(len(a))]))


def _conv_only(a):
    return float(np.mean(a.max(axis=(0, 1, 2)) <= 0))


def _mutating(a):
    result = float(np.mean(a.reshape(-1, a.shape[-1]).max(axis=0) <= 0))
    a[...] = 0.0
    return result


CASES["dead_fraction"] = Case(wrong=(
    Wrong(lambda a: float(np.mean(a <= 0)), "zero *values*", "per-entry"),
    Wrong(lambda a: float(np.mean(a.reshape(-1, a.shape[-1]).max(axis=0) < 0)), "use `<= 0`", "strictly-negative"),
    Wrong(lambda a: float(np.mean(a.max(axis=-1) <= 0)), "maximum over the channels", "reduced-over-channels"),
    Wrong(lambda a: int(np.sum(a.reshape(-1, a.shape[-1]).max(axis=0) <= 0)), "return their share", "a-count"),
    Wrong(_per_image, "zero for every example", "per-image-average"),
    Wrong(lambda a: float(np.mean(a.max(axis=0) <= 0)), "each position of each channel", "per-position-units"),
    Wrong(lambda a: float(np.mean(a.max(axis=(0, 2, 3)) <= 0)) if a.ndim == 4 else 0.0, "channels last",
          "channels-first"),
    Wrong(_conv_only, "for (N, H, W, C) and (N, C)", "conv-shapes-only"),
    Wrong(_mutating, "in place", "mutates-activations"),
    Wrong(lambda a: None, "forget `return`", "returns-none"),
))

# ---------------------------------------------------------------- collapse_accuracy


def _bincount_lookup(train, test):
    return np.bincount(test)[np.bincount(train).argmax()] / len(test)


CASES["collapse_accuracy"] = Case(wrong=(
    Wrong(lambda train, test: np.bincount(test).max() / len(test), "best a constant answer", "test-majority"),
    Wrong(lambda train, test: np.bincount(train).max() / len(train), "share of the training labels",
          "training-share"),
    Wrong(lambda train, test: int(np.sum(test == np.bincount(train).argmax())), "divide by the number",
          "a-count"),
    Wrong(lambda train, test: 1 / len(np.bincount(train)), "uniform guess", "one-over-classes"),
    Wrong(_bincount_lookup, "missing from the test labels", "class-absent-from-test"),
    Wrong(lambda train, test: [0.1135], "return one number", "a-list"),
    Wrong(lambda train, test: None, "forget `return`", "returns-none"),
))

# ---------------------------------------------------------------- diagnose_runs

_RIGHT = {"A": ("rate_too_low", "raise_rate"), "B": ("exploding", "lower_rate"), "C": ("dead_relus", "alive_init"),
          "D": ("vanishing", "relu_he")}


def _with(**changes):
    return {**_RIGHT, **changes}


CASES["diagnose_runs"] = Case(wrong=(
    Wrong(_with(B=("vanishing", "relu_he")), "nothing shrank in run B", "exploding-read-as-vanishing"),
    Wrong(_with(B=("dead_relus", "alive_init")), "The deaths are the consequence", "exploding-read-as-dead"),
    Wrong(_with(C=("vanishing", "relu_he")), "small, not zero", "dead-read-as-vanishing"),
    Wrong(_with(C=("exploding", "lower_rate")), "nothing exploded", "dead-read-as-exploding"),
    Wrong(_with(D=("rate_too_low", "raise_rate")), "shrinks on its way back", "vanishing-read-as-slow"),
    Wrong(_with(D=("dead_relus", "alive_init")), "no gradient is exactly zero", "vanishing-read-as-dead"),
    Wrong(_with(A=("vanishing", "relu_he")), "the same order of magnitude", "slow-read-as-vanishing"),
    Wrong(_with(A=("rate_too_low", "lower_rate")), "slower still", "slow-fixed-by-a-lower-rate"),
    Wrong(_with(C=("dead_relus", "lower_rate")), "can never come back", "dead-fixed-by-a-rate"),
    Wrong(_with(D=("vanishing", "raise_rate")), "scales every layer's step alike", "vanishing-fixed-by-a-rate"),
    Wrong(_with(B=("exploding", "dropout")), "dropout fights overfitting", "dropout"),
    Wrong({"A": ("rate_too_low", "raise_rate")}, "missing: ['B', 'C', 'D']", "runs-missing"),
    Wrong(_with(A=("too_slow", "raise_rate")), "the cause must be one of", "unknown-cause"),
    Wrong(_with(A="rate_too_low"), "give a pair (cause, fix)", "cause-only"),
    Wrong(None, "replace None", "unedited"),
))
