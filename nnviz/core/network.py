"""A multilayer perceptron: each layer is a' = f(W a + b), as in the videos.

Weights are a list of arrays shaped (n_out, n_in) and biases (n_out,), so a row of W
holds the weights *into* one neuron, and a hidden neuron's 784 weights reshape to a
28x28 picture.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from nnviz.core.activations import Activation, get_activation
from nnviz.core.errors import NNVizError
from nnviz.core.losses import Loss, get_loss, sigmoid_bce_value


class LayerOutput(NamedTuple):
    z: np.ndarray  # pre-activation W a + b, shape (n_samples, n_out)
    a: np.ndarray  # activation f(z), same shape


class Grads(NamedTuple):
    weights: list[np.ndarray]
    biases: list[np.ndarray]


class MLP:
    """A fully connected network with any widths.

    `sizes` lists the widths from input to output, e.g. (784, 16, 16, 10).
    Hidden layers use `activation`; the last layer uses `output_activation`.
    Initial weights are drawn from `seed`, scaled so activations neither vanish
    nor explode (Glorot for tanh/sigmoid, He for relu).
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str = "tanh",
        output_activation: str = "identity",
        seed: int = 0,
    ) -> None:
        sizes = tuple(int(s) for s in sizes)
        if len(sizes) < 2 or any(s < 1 for s in sizes):
            raise NNVizError(
                f"Bad layer widths {list(sizes)}: give at least two positive widths, e.g. 2,3,2."
            )
        self.sizes = sizes
        self.activation = activation
        self.output_activation = output_activation
        self._f = get_activation(activation)
        self._f_out = get_activation(output_activation)
        rng = np.random.default_rng(seed)
        def scale(n_in: int, n_out: int) -> float:
            return np.sqrt(2.0 / n_in) if activation == "relu" else np.sqrt(2.0 / (n_in + n_out))

        self.weights = [
            rng.normal(0.0, scale(n_in, n_out), size=(n_out, n_in))
            for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)
        ]
        self.biases = [np.zeros(n_out) for n_out in sizes[1:]]

    # -- shape ------------------------------------------------------------------------
    @property
    def n_layers(self) -> int:
        """Number of weight layers (one less than the number of widths)."""
        return len(self.weights)

    @property
    def n_params(self) -> int:
        """Weights and biases together: 13,002 for 784-16-16-10."""
        return sum(w.size + b.size for w, b in zip(self.weights, self.biases, strict=True))

    def layer_activation(self, layer: int) -> Activation:
        return self._f_out if layer == self.n_layers - 1 else self._f

    # -- the forward pass ---------------------------------------------------------------
    def _check_input(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        if X.ndim == 1:
            X = X[None, :] if self.sizes[0] > 1 else X[:, None]
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            raise NNVizError(
                f"Input has shape {X.shape}, but the network takes {self.sizes[0]} inputs "
                f"per sample: give an array shaped (n_samples, {self.sizes[0]})."
            )
        return X

    def layer_outputs(self, X: np.ndarray) -> list[LayerOutput]:
        """Every layer's pre-activation z = W a + b and activation a = f(z)."""
        return self._forward(self._check_input(X))

    def _forward(self, a: np.ndarray) -> list[LayerOutput]:
        """layer_outputs without the input check (for trainers' inner loops)."""
        outs = []
        last = len(self.weights) - 1
        f_hidden, f_out = self._f.f, self._f_out.f
        for layer, (W, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            z = a @ W.T
            z += b
            a = (f_out if layer == last else f_hidden)(z)
            outs.append(LayerOutput(z, a))
        return outs

    def forward(self, X: np.ndarray) -> np.ndarray:
        """The network's answer for each row of X, shape (n_samples, n_out)."""
        return self.layer_outputs(X)[-1].a

    __call__ = forward

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Class labels: the brightest output, or output > threshold for one output."""
        return self._labels(self.forward(X))

    def _labels(self, out: np.ndarray) -> np.ndarray:
        if out.shape[1] == 1:
            threshold = 0.5 if self.output_activation == "sigmoid" else 0.0
            return (out[:, 0] > threshold).astype(int)
        return out.argmax(axis=1)

    # -- backpropagation ------------------------------------------------------------------
    def loss_and_grads(
        self, X: np.ndarray, Y: np.ndarray, loss: str = "squared_error"
    ) -> tuple[float, Grads]:
        """The loss E and dE/dW, dE/db for every layer, by the chain rule backwards."""
        spec = self._loss_spec(loss)
        X = self._check_input(X)
        Y = np.asarray(Y, dtype=float).reshape(X.shape[0], -1)
        outs = self._forward(X)
        return self._value(spec, outs[-1], Y), self._backward(X, Y, spec, outs)

    def gradient(self, X: np.ndarray, Y: np.ndarray, loss: str | Loss,
                 out: Grads | None = None) -> Grads:
        """dE/dW and dE/db only, for trainers' inner loops: no loss value, no input checks.

        X and Y must already be float arrays shaped (n, n_in) and (n, n_out), e.g. rows of
        data that train() checked once. `out` (e.g. from param_views) receives the result
        in place, so a trainer can keep every gradient in one flat vector.
        """
        spec = loss if isinstance(loss, Loss) else self._loss_spec(loss)
        return self._backward(X, Y, spec, self._forward(X), out)

    def _loss_spec(self, loss: str) -> Loss:
        spec = get_loss(loss)
        if spec.on_logits and self.output_activation != "identity":
            raise NNVizError(
                f"Loss '{loss}' reads the outputs as logits: use output_activation='identity'."
            )
        return spec

    def _backward(self, X: np.ndarray, Y: np.ndarray, spec: Loss, outs: list[LayerOutput],
                  out: Grads | None = None) -> Grads:
        """Carry dE/dz from the last layer back to the first (the chain rule)."""
        last = outs[-1]
        if spec.on_logits:
            delta = spec.grad(last.z, Y)
        elif self._sigmoid_bce(spec):
            # sigmoid + binary cross-entropy folds to dE/dz = (a - y) / n, like softmax +
            # cross-entropy: exact even where the sigmoid saturates
            delta = (last.a - Y) / X.shape[0]
        else:
            delta = spec.grad(last.a, Y) * self._f_out.df(last.z, last.a)
        n_layers = len(self.weights)
        gW = out.weights if out is not None else [np.empty(0)] * n_layers
        gb = out.biases if out is not None else [np.empty(0)] * n_layers
        df = self._f.df
        for layer in range(n_layers - 1, -1, -1):
            a_in = X if layer == 0 else outs[layer - 1].a
            if out is not None:
                np.matmul(delta.T, a_in, out=gW[layer])
                np.sum(delta, axis=0, out=gb[layer])
            else:
                gW[layer] = delta.T @ a_in
                gb[layer] = delta.sum(axis=0)
            if layer > 0:
                prev = outs[layer - 1]
                delta = (delta @ self.weights[layer]) * df(prev.z, prev.a)
        return Grads(gW, gb)

    def loss(self, X: np.ndarray, Y: np.ndarray, loss: str = "squared_error") -> float:
        spec = get_loss(loss)
        X = self._check_input(X)
        Y = np.asarray(Y, dtype=float).reshape(X.shape[0], -1)
        return self._value(spec, self._forward(X)[-1], Y)

    def loss_and_labels(self, X: np.ndarray, Y: np.ndarray,
                        loss: str = "squared_error") -> tuple[float, np.ndarray]:
        """The loss and the predicted class labels from ONE forward pass (for recording)."""
        spec = get_loss(loss)
        X = self._check_input(X)
        Y = np.asarray(Y, dtype=float).reshape(X.shape[0], -1)
        last = self._forward(X)[-1]
        return self._value(spec, last, Y), self._labels(last.a)

    def _sigmoid_bce(self, spec: Loss) -> bool:
        return spec.name == "binary_cross_entropy" and self.output_activation == "sigmoid"

    def _value(self, spec: Loss, out: LayerOutput, Y: np.ndarray) -> float:
        """The loss of the last layer's output; from the logits where that is exact."""
        if self._sigmoid_bce(spec):
            return sigmoid_bce_value(out.z, Y)
        return spec.value(out.z if spec.on_logits else out.a, Y)

    # -- parameters as one flat vector (for the nudge search and scipy) ------------------
    def get_params(self) -> np.ndarray:
        pairs = zip(self.weights, self.biases, strict=True)
        return np.concatenate([p.ravel() for wb in pairs for p in wb])

    def set_params(self, flat: np.ndarray) -> None:
        flat = np.asarray(flat, dtype=float)
        if flat.size != self.n_params:
            raise NNVizError(f"Expected {self.n_params} parameters, got {flat.size}.")
        i = 0
        for layer in range(self.n_layers):
            for arr in (self.weights[layer], self.biases[layer]):
                arr[...] = flat[i : i + arr.size].reshape(arr.shape)
                i += arr.size

    def param_views(self, flat: np.ndarray) -> Grads:
        """Weight- and bias-shaped views into a flat vector ordered like get_params()."""
        W, b = [], []
        i = 0
        for w0, b0 in zip(self.weights, self.biases, strict=True):
            W.append(flat[i : i + w0.size].reshape(w0.shape))
            i += w0.size
            b.append(flat[i : i + b0.size])
            i += b0.size
        return Grads(W, b)

    def share_flat_params(self) -> np.ndarray:
        """Move every parameter into one flat vector and make weights/biases views of it.

        Returns the vector: an optimiser then updates all 13,002 parameters of a
        784-16-16-10 net with a few vector operations instead of a loop over layers.
        """
        flat = self.get_params()
        self.weights, self.biases = self.param_views(flat)
        return flat

    def flat_grads(self, grads: Grads) -> np.ndarray:
        return np.concatenate([g.ravel() for wb in zip(*grads, strict=True) for g in wb])

    def set_weights(self, weights: Sequence[np.ndarray], biases: Sequence[np.ndarray]) -> MLP:
        """Load weights and biases (e.g. from a trace); returns self for chaining."""
        for layer, (W, b) in enumerate(zip(weights, biases, strict=True)):
            self.weights[layer][...] = W
            self.biases[layer][...] = b
        return self

    def copy(self) -> MLP:
        net = MLP.__new__(MLP)
        net.__dict__.update(self.__dict__)
        net.weights = [w.copy() for w in self.weights]
        net.biases = [b.copy() for b in self.biases]
        return net

    def __repr__(self) -> str:
        widths = "-".join(map(str, self.sizes))
        return f"MLP({widths}, {self.activation} -> {self.output_activation})"
