"""A multi-layer perceptron built from the scratch layers, trained by hand-written backprop.

Parameters live in one dict ``{"W1": ..., "b1": ..., "W2": ...}`` holding the
very arrays of the layers' ``params`` (the i-th Affine's ``params["W"]`` is
``W{i}``), and ``gradient`` returns a dict with the same keys, so any optimizer
with ``update(params, grads)`` can train the net.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dlcourse.scratch.gradcheck import numerical_gradient as _numerical_gradient
from dlcourse.scratch import init
from dlcourse.scratch.base import Layer
from dlcourse.scratch.layers import ELU, Affine, LeakyReLU, ReLU, Sigmoid, SoftmaxWithLoss, Tanh
from dlcourse.scratch.optim import SGD

ACTIVATIONS = {"relu": ReLU, "sigmoid": Sigmoid, "tanh": Tanh, "leaky_relu": LeakyReLU, "elu": ELU}
# Weight scale per activation: He (√(2/fan_in)) for the ReLU family, LeCun (√(1/fan_in)) for the S-shaped ones.
_DEFAULT_INIT = {"relu": "he", "leaky_relu": "he", "elu": "he", "sigmoid": "lecun", "tanh": "lecun"}


def init_std(scheme: str | float, fan_in: int, fan_out: int | None = None) -> float:
    """Standard deviation of the initial weights of a (fan_in, fan_out) layer.

    ``scheme``: "he", "lecun", "xavier" (needs ``fan_out``), as in :mod:`dlcourse.scratch.init`,
    or a positive number, the std itself.
    """
    if scheme == "he":
        return init.he_std(fan_in)
    if scheme == "lecun":
        return init.lecun_std(fan_in)
    if scheme == "xavier":
        if fan_out is None:
            raise ValueError("Xavier's std √(2/(fan_in + fan_out)) needs fan_out as well")
        return init.xavier_std(fan_in, fan_out)
    if isinstance(scheme, (int, float)) and not isinstance(scheme, bool) and scheme > 0:
        return float(scheme)
    raise ValueError(f"weight_init must be 'auto', 'he', 'lecun', 'xavier' or a positive std, got {scheme!r}")


class MultiLayerNet:
    """Affine → activation → … → Affine → softmax-with-loss. x: (N, input_size) → scores (N, output_size)."""

    def __init__(self, input_size: int, hidden_sizes: Sequence[int], output_size: int, *,
                 activation: str = "relu", weight_init: str | float = "auto", seed: int = 0,
                 dtype: type = np.float64) -> None:
        sizes = [input_size, *hidden_sizes, output_size]
        if any(not isinstance(s, (int, np.integer)) or s < 1 for s in sizes):
            raise ValueError(f"layer sizes must be positive integers, got {sizes}")
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {activation!r}")
        self.sizes = [int(s) for s in sizes]
        self.activation = activation
        scheme = _DEFAULT_INIT[activation] if weight_init == "auto" else weight_init
        rng = np.random.default_rng(seed)
        self.params: dict[str, np.ndarray] = {}
        for i, (n_in, n_out) in enumerate(zip(self.sizes[:-1], self.sizes[1:]), start=1):
            std = init_std(scheme, n_in, n_out)
            self.params[f"W{i}"] = (std * rng.standard_normal((n_in, n_out))).astype(dtype)
            self.params[f"b{i}"] = np.zeros(n_out, dtype=dtype)
        self.n_affine = len(self.sizes) - 1
        self.layers: list[Layer] = []
        for i in range(1, self.n_affine + 1):
            affine = Affine(self.params[f"W{i}"], self.params[f"b{i}"])
            # The layer owns (copies) its arrays; the net's dict holds those same arrays.
            self.params[f"W{i}"], self.params[f"b{i}"] = affine.params["W"], affine.params["b"]
            self.layers.append(affine)
            if i < self.n_affine:
                self.layers.append(ACTIVATIONS[activation]())
        self.last_layer = SoftmaxWithLoss()
        self.last_loss = float("nan")  # the loss of the last ``gradient`` call

    def _sync(self) -> None:
        # Code may put a new array in params[k] instead of updating it in place.
        for i, layer in enumerate(self.layers[::2], start=1):
            for key in layer.params:
                layer.params[key] = self.params[f"{key}{i}"]

    def _check_x(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        if x.ndim != 2 or x.shape[1] != self.sizes[0]:
            raise ValueError(f"x must have shape (N, {self.sizes[0]}), got {x.shape}; "
                             "flatten images first, e.g. x.reshape(len(x), -1)")
        return x

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Class scores (logits) before the softmax. x: (N, D) → (N, C)."""
        x = self._check_x(x)
        self._sync()
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def activations(self, x: np.ndarray) -> list[np.ndarray]:
        """Outputs of each hidden activation layer, one (N, hidden_i) array per hidden layer."""
        x = self._check_x(x)
        self._sync()
        outs = []
        for layer in self.layers[:-1]:
            x = layer.forward(x)
            if not isinstance(layer, Affine):
                outs.append(x)
        return outs

    def loss(self, x: np.ndarray, t: np.ndarray) -> float:
        """Mean cross-entropy over the batch. t: (N,) integer labels or (N, C) one-hot."""
        return self.last_layer.forward(self.predict(x), t)

    def accuracy(self, x: np.ndarray, t: np.ndarray) -> float:
        """Fraction of rows whose highest score is the true class."""
        t = np.asarray(t)
        labels = t.argmax(axis=1) if t.ndim == 2 else t
        return float(np.mean(self.predict(x).argmax(axis=1) == labels))

    def gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """∂loss/∂param for every parameter by backpropagation; same keys as ``params``."""
        self.last_loss = self.loss(x, t)  # forward pass: each layer keeps what its backward needs
        dout = self.last_layer.backward(1.0)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return {f"{key}{i}": grad for i, layer in enumerate(self.layers[::2], start=1)
                for key, grad in layer.grads.items()}

    def numerical_gradient(self, x: np.ndarray, t: np.ndarray, h: float = 1e-5) -> dict[str, np.ndarray]:
        """The same gradients by central differences (slow: two forward passes per parameter)."""
        grads = {}
        for key, value in self.params.items():
            def loss_at(v: np.ndarray, key: str = key) -> float:
                saved = self.params[key]
                self.params[key] = v
                try:
                    return self.loss(x, t)
                finally:
                    self.params[key] = saved
            grads[key] = _numerical_gradient(loss_at, value, h=h)
        return grads

    def __repr__(self) -> str:
        return f"MultiLayerNet({' → '.join(map(str, self.sizes))}, activation={self.activation!r})"


def sgd_epoch(net: MultiLayerNet, x: np.ndarray, t: np.ndarray, *, learning_rate: float,
              batch_size: int, rng: np.random.Generator) -> float:
    """One epoch of plain mini-batch SGD over (x, t) in a shuffled order; returns the mean batch loss."""
    if not learning_rate > 0:
        raise ValueError(f"learning_rate must be positive, got {learning_rate!r}")
    if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    optimizer = SGD(learning_rate)
    order = rng.permutation(len(x))
    losses = []
    for start in range(0, len(x), batch_size):
        idx = order[start:start + batch_size]
        grads = net.gradient(x[idx], t[idx])
        losses.append(net.last_loss)
        optimizer.update(net.params, grads)  # in place: the layers hold these arrays
    return float(np.mean(losses))
