"""Slopes of the camera network (scenes/camera_net.py) for the chain-rule, backprop,
why-backprop and camera-training scenes: one path's local slopes, the deltas of one
backward pass, and what nudging costs against backpropagation, all from the core.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.core.network import MLP


def example(data, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Image k of the camera's data set and its truth (1 for its class, 0 for the rest)."""
    k = k % data.n_samples
    x = data.X[k]
    return x, np.eye(len(data.classes))[int(data.y[k])]


@dataclass(frozen=True)
class PathSlopes:
    """One path pixel i -(w1)-> hidden j -(w2)-> answer m -> E, with every local slope:
    dz/dw1 = x, dh/dz = f'(z), dz'/dh = w2, da/dz' = a(1 - a), dE/da = 2(a - truth)."""

    i: int
    j: int
    m: int
    x: float
    w1: float
    z: float
    h: float
    dh: float
    w2: float
    zo: float
    a: float
    da: float
    truth: float
    dE: float

    @property
    def slopes(self) -> tuple[float, float, float, float, float]:
        return (self.x, self.dh, self.w2, self.da, self.dE)

    @property
    def product(self) -> float:
        return float(np.prod(self.slopes))


def path_slopes(net: MLP, x: np.ndarray, truth: np.ndarray, i: int, j: int, m: int
                ) -> PathSlopes:
    """The local slopes along pixel i -> hidden j -> answer m, from the network's own
    forward pass and its activations' derivatives."""
    hid, out = net.layer_outputs(x[None, :])
    z, h = float(hid.z[0, j]), float(hid.a[0, j])
    zo, a = float(out.z[0, m]), float(out.a[0, m])
    dh = float(net.layer_activation(0).df(hid.z, hid.a)[0, j])
    da = float(net.layer_activation(1).df(out.z, out.a)[0, m])
    return PathSlopes(i, j, m, float(x[i]), float(net.weights[0][j, i]), z, h, dh,
                      float(net.weights[1][m, j]), zo, a, da, float(truth[m]),
                      2.0 * (a - float(truth[m])))


def best_path(net: MLP, x: np.ndarray, truth: np.ndarray) -> PathSlopes:
    """The clearest path to follow on screen: the first-layer weight whose slope dE/dw1
    is largest, through the answer that carries most of it."""
    _, _, g = deltas(net, x, truth)
    j, i = np.unravel_index(int(np.abs(g[0]).argmax()), g[0].shape)
    paths = [path_slopes(net, x, truth, int(i), int(j), m) for m in range(net.sizes[2])]
    return max(paths, key=lambda p: abs(p.product))


def path_gradient(net: MLP, x: np.ndarray, truth: np.ndarray, i: int, j: int, m: int
                  ) -> float:
    """dE/dw1 through answer m alone, by the core's backprop: the other answers get their
    own value as truth, so they add no error and no slope."""
    answer = net.forward(x[None, :])[0]
    target = answer.copy()
    target[m] = truth[m]
    _, g = net.loss_and_grads(x[None, :], target[None, :], "squared_error")
    return float(g.weights[0][j, i])


def deltas(net: MLP, x: np.ndarray, truth: np.ndarray) -> tuple[float, list[np.ndarray],
                                                                  list[np.ndarray]]:
    """E, every neuron's delta dE/dz (per layer, hidden first) and every weight's slope,
    from the core's one backward pass (for one image dE/db = dE/dz)."""
    E, g = net.loss_and_grads(x[None, :], truth[None, :], "squared_error")
    return E, [np.asarray(b) for b in g.biases], [np.asarray(w) for w in g.weights]


@dataclass(frozen=True)
class Costs:
    """What one training step costs a network of `sizes`, in multiply-adds, for one image."""

    sizes: tuple[int, ...]

    @property
    def weights(self) -> int:
        return sum(a * b for a, b in zip(self.sizes[:-1], self.sizes[1:], strict=True))

    @property
    def biases(self) -> int:
        return sum(self.sizes[1:])

    @property
    def params(self) -> int:
        return self.weights + self.biases

    @property
    def forward(self) -> int:
        """One forward pass: one multiply-add per weight."""
        return self.weights

    @property
    def backward(self) -> int:
        """One backward pass: one multiply per weight for its slope (delta x input), and
        one multiply-add per weight above the first layer to carry the deltas back."""
        return self.weights + sum(a * b for a, b in zip(self.sizes[1:-1], self.sizes[2:],
                                                        strict=True))

    @property
    def nudging(self) -> int:
        """Slopes by nudging: one forward pass for the error as it is, then one more per
        parameter nudged."""
        return (self.params + 1) * self.forward

    @property
    def backprop(self) -> int:
        """Slopes by backpropagation: one forward pass and one backward pass."""
        return self.forward + self.backward

    @property
    def ratio(self) -> float:
        return self.nudging / self.backprop


__all__ = ["Costs", "PathSlopes", "best_path", "deltas", "example", "path_gradient",
           "path_slopes"]
