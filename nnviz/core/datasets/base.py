"""The Dataset value every data set function returns."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from nnviz.core.network import MLP


@dataclass
class Dataset:
    """Inputs X (n_samples, n_inputs) with labels y (classes) or targets y (regression)."""

    name: str
    X: np.ndarray
    y: np.ndarray
    task: str = "classification"  # or "regression"
    classes: tuple[str, ...] = ()
    params: dict[str, Any] = field(default_factory=dict)
    image_shape: tuple[int, int] | None = None  # for pictures: how a row of X reshapes

    @property
    def n_samples(self) -> int:
        return int(self.X.shape[0])

    @property
    def n_inputs(self) -> int:
        return int(self.X.shape[1])

    @property
    def n_classes(self) -> int:
        return len(self.classes)

    def targets(self, net: MLP) -> np.ndarray:
        """What the network should answer: one-hot truth, a 0/1 (or -1/+1) label, or y."""
        if self.task == "regression":
            return self.y.reshape(self.n_samples, -1).astype(float)
        n_out = net.sizes[-1]
        if n_out == 1:
            t = self.y.astype(float)[:, None]
            return 2.0 * t - 1.0 if net.output_activation == "tanh" else t
        return np.eye(n_out)[self.y.astype(int)]

    def accuracy(self, net: MLP) -> float:
        """Fraction classified right, or NaN for regression."""
        if self.task != "classification":
            return float("nan")
        return float(np.mean(net.predict(self.X) == self.y))

    def split(self, test_fraction: float = 0.25, seed: int = 0) -> tuple[Dataset, Dataset]:
        """A seeded shuffle split into (train, test)."""
        order = np.random.default_rng(seed).permutation(self.n_samples)
        n_test = int(round(test_fraction * self.n_samples))
        test_idx, train_idx = np.sort(order[:n_test]), np.sort(order[n_test:])
        pick = lambda idx: replace(self, X=self.X[idx], y=self.y[idx])  # noqa: E731
        return pick(train_idx), pick(test_idx)
