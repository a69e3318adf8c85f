"""Neurons whose weights are set by hand: the hope of the digits video, made concrete.

A first-layer "detector" has positive weights on a strip of pixels and negative weights
beside it, so its weighted sum is largest when the strip is inked and its surroundings are
not (an image inked all over cancels out). Its activation is sigmoid(w . x + b), computed
with the core's sigmoid. A second-layer neuron adds detectors up: "a 9 is a loop up top plus
a line on the right" is a neuron with positive weights from a loop detector and a line
detector and a bias that asks for both.

Images are 28x28 (rows top to bottom), pixel 0 = paper, 1 = ink, as nnviz's digits28 set.
Nothing here is trained: every number is written below, and everything shown is computed
from these patterns and the data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nnviz.core.activations import sigmoid
from nnviz.core.network import MLP

SHAPE = (28, 28)

Box = tuple[int, int, int, int]  # rows r0..r1, columns c0..c1, both ends included


@dataclass(frozen=True)
class Detector:
    """One hand-built neuron on a 28x28 image: weights (28x28), bias and a name."""

    name: str
    weights: np.ndarray  # (28, 28)
    bias: float

    def z(self, X: np.ndarray) -> np.ndarray:
        """Weighted sum plus bias for images X (n, 784) or one image (784,)."""
        X = np.asarray(X, dtype=float)
        return X.reshape(-1, self.weights.size) @ self.weights.ravel() + self.bias

    def activation(self, X: np.ndarray) -> np.ndarray:
        """sigmoid(w . x + b): near 1 when the image has the pattern, near 0 when not."""
        return sigmoid(self.z(X))

    @property
    def strip(self) -> np.ndarray:
        """Mask of the positive weights (where ink raises the sum)."""
        return self.weights > 0

    @property
    def surround(self) -> np.ndarray:
        """Mask of the negative weights (where ink lowers the sum)."""
        return self.weights < 0


def boxes_pattern(positive: Sequence[Box], negative: Sequence[Box], pos: float = 1.0,
                  neg: float = -1.0, shape: tuple[int, int] = SHAPE) -> np.ndarray:
    """Weights: `pos` on the pixels of the positive boxes, `neg` on those of the negative
    boxes (a positive box wins where they overlap), 0 elsewhere."""
    w = np.zeros(shape)
    for r0, r1, c0, c1 in negative:
        w[r0:r1 + 1, c0:c1 + 1] = neg
    for r0, r1, c0, c1 in positive:
        w[r0:r1 + 1, c0:c1 + 1] = pos
    return w


def ring_pattern(center: tuple[float, float], radius: float, width: float, pos: float = 1.0,
                 neg: float = -1.0, shape: tuple[int, int] = SHAPE) -> np.ndarray:
    """Weights for a loop: `pos` on a ring (|distance - radius| <= width / 2) and `neg`
    inside it (the hole must stay empty), 0 elsewhere."""
    rows, cols = np.mgrid[0:shape[0], 0:shape[1]]
    dist = np.hypot(rows - center[0], cols - center[1])
    w = np.zeros(shape)
    w[dist < radius - width / 2] = neg
    w[np.abs(dist - radius) <= width / 2] = pos
    return w


def stroke_detector() -> Detector:
    """A short vertical stroke down the middle: positive on a strip three pixels wide,
    negative on the strips either side."""
    w = boxes_pattern(positive=[(8, 21, 12, 16)],
                      negative=[(8, 21, 8, 9), (8, 21, 19, 20)], pos=0.5, neg=-0.5)
    return Detector("stroke", w, bias=-16.0)


def loop_detector() -> Detector:
    """A loop up top: a ring of positive weights around an empty (negative) hole."""
    w = ring_pattern(center=(9.0, 14.0), radius=3.5, width=2.0, pos=0.25, neg=-0.25)
    return Detector("loop", w, bias=-4.0)


def line_detector() -> Detector:
    """A vertical line at the lower right: positive strip, negative beside it (a wide
    block on its left, where a 9 has no ink but a 0, 6 or 8 does)."""
    w = boxes_pattern(positive=[(13, 22, 17, 20)],
                      negative=[(16, 22, 8, 15), (13, 22, 22, 23)], pos=0.5, neg=-0.5)
    return Detector("line", w, bias=-1.0)


@dataclass(frozen=True)
class SecondLayer:
    """A second-layer neuron over first-layer detectors: sigmoid(sum_k v_k a_k + c)."""

    name: str
    parts: tuple[Detector, ...]
    weights: np.ndarray  # one per part
    bias: float

    def inputs(self, X: np.ndarray) -> np.ndarray:
        """The parts' activations, (n, len(parts))."""
        return np.stack([d.activation(X) for d in self.parts], axis=-1)

    def z(self, X: np.ndarray) -> np.ndarray:
        return self.inputs(X) @ self.weights + self.bias

    def activation(self, X: np.ndarray) -> np.ndarray:
        return sigmoid(self.z(X))


def nine_neuron() -> SecondLayer:
    """'A 9 is a loop up top plus a line on the right': fires only when both fire."""
    return SecondLayer("nine", (loop_detector(), line_detector()), np.array([6.0, 6.0]),
                       bias=-9.0)


def hand_network() -> MLP:
    """The hand-built neurons as one core network, 784 -> (stroke, loop, line) -> 9, all
    sigmoid: its forward pass gives the same activations as the detectors (the 9 neuron
    reads loop and line only; the stroke's weight into it is 0)."""
    stroke, nine = stroke_detector(), nine_neuron()
    detectors = (stroke, *nine.parts)
    net = MLP((SHAPE[0] * SHAPE[1], len(detectors), 1), activation="sigmoid",
              output_activation="sigmoid")
    net.weights[0] = np.stack([d.weights.ravel() for d in detectors])
    net.biases[0] = np.array([d.bias for d in detectors])
    net.weights[1] = np.concatenate([[0.0], nine.weights])[None, :]
    net.biases[1] = np.array([nine.bias])
    return net


def firing_rates(activations: np.ndarray, labels: np.ndarray,
                 threshold: float = 0.5) -> dict[int, float]:
    """Share of the images of each label whose activation is above `threshold`."""
    fires = np.asarray(activations) > threshold
    return {int(k): float(fires[labels == k].mean()) for k in np.unique(labels)}


def pick(activations: np.ndarray, labels: np.ndarray, label: int, fires: bool,
         threshold: float = 0.5) -> int | None:
    """Index of the first image of `label` that fires (activation above `threshold`) or
    stays quiet, as asked; None if there is none."""
    act = np.asarray(activations)
    hit = (labels == label) & ((act > threshold) if fires else (act <= threshold))
    found = np.flatnonzero(hit)
    return int(found[0]) if found.size else None


def crop_border(image: np.ndarray, border: int = 4) -> np.ndarray:
    """A 28x28 picture without its padding border: digits28 pads the 20x20 digits with 4
    blank pixels a side, where trained weights keep their random start (never any ink)."""
    img = np.asarray(image).reshape(SHAPE)
    return img[border:SHAPE[0] - border, border:SHAPE[1] - border]


__all__ = ["Detector", "SecondLayer", "boxes_pattern", "crop_border", "firing_rates",
           "hand_network",
           "line_detector", "loop_detector", "nine_neuron", "pick", "ring_pattern",
           "stroke_detector"]
