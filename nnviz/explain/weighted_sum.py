"""One neuron's arithmetic, step by step: products, their sum, the bias, the squashing.

The weighted-sum scene and the Neuron mobject show exactly these numbers, so they are
computed here once (pure numpy) and tested against the network's own forward pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.core.activations import get_activation
from nnviz.core.errors import NNVizError


@dataclass(frozen=True)
class WeightedSum:
    """a' = f(sum_i w_i a_i + b), with every intermediate number kept for display."""

    values: np.ndarray  # inputs a_i
    weights: np.ndarray  # w_i
    bias: float
    activation: str = "tanh"

    def __post_init__(self) -> None:
        values = np.asarray(self.values, dtype=float).ravel()
        weights = np.asarray(self.weights, dtype=float).ravel()
        if values.shape != weights.shape or values.size == 0:
            raise NNVizError(
                f"A neuron needs one weight per input: got {values.size} inputs and "
                f"{weights.size} weights."
            )
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "bias", float(self.bias))
        get_activation(self.activation)  # fail early on an unknown name

    @property
    def products(self) -> np.ndarray:
        """w_i a_i, one per input."""
        return self.weights * self.values

    @property
    def total(self) -> float:
        """The weighted sum before the bias."""
        return float(self.products.sum())

    @property
    def z(self) -> float:
        """Weighted sum plus bias: what the activation function receives."""
        return self.total + self.bias

    @property
    def threshold(self) -> float:
        """The bias read as a threshold: z > 0 exactly when the sum is bigger than -b."""
        return -self.bias

    @property
    def active(self) -> bool:
        """Whether the sum passes the threshold (output above the activation's midpoint)."""
        return self.total > self.threshold

    @property
    def output(self) -> float:
        """f(z), the neuron's activation."""
        return float(get_activation(self.activation)(np.array([self.z]))[0])


def neuron_from_network(weights: list[np.ndarray], biases: list[np.ndarray],
                        activations: list[str], x: np.ndarray, layer: int,
                        neuron: int) -> WeightedSum:
    """The weighted sum of neuron `neuron` in weight layer `layer` for network input x.

    `weights[l]` is (n_out, n_in); `activations[l]` names layer l's function. The inputs
    of the neuron are the previous layer's activations for x.
    """
    if not 0 <= layer < len(weights):
        raise NNVizError(
            f"Layer {layer} does not exist: the network has layers 0..{len(weights) - 1}."
        )
    if not 0 <= neuron < weights[layer].shape[0]:
        raise NNVizError(
            f"Neuron {neuron} does not exist in layer {layer}: "
            f"choose 0..{weights[layer].shape[0] - 1}."
        )
    a = np.asarray(x, dtype=float).ravel()
    for W, b, name in zip(weights[:layer], biases[:layer], activations[:layer], strict=False):
        a = get_activation(name)(W @ a + b)
    return WeightedSum(a, weights[layer][neuron], float(biases[layer][neuron]), activations[layer])
