"""Layers of abstraction: what each layer of a trained network responds to, and a tiny
network built by hand (edges -> corners -> a square) that does exactly what the hope says.

Trained half. For every layer (hidden layers and outputs) and every neuron: its value over
a data set, the k inputs that excite it most (ranked by the weighted input z: sigmoid
neurons saturate at 1.00 on many inputs, z keeps them apart and has the same order), and a
"picture" of what it wants. Layer 1's picture is its weights; a deeper neuron has no
weights over pixels, so its picture is the mean of its top-k input images (a derived
picture, and the scene says so). Purity measures how "digit-like" a layer is: the share of
a neuron's top-k inputs that carry its most common label, averaged over the layer. A clean
parts layer (the hope's "loop" unit) would sit well below the output layer's purity, with
top inputs drawn from the few digits that share the part. Purity must be read beside the
same network before training: random weights already score far above chance in the hidden
layers (`learned` compares the two).

Constructed half. `square_network()` is a core MLP on 8x8 images whose weights are set
here, by hand: layer 1 four edge detectors (a bar of the square's outline, positive on the
bar and negative on both sides of it), layer 2 four corners (each an AND of two edges: both
weights high, a bias only both together beat), layer 3 one square (an AND of all four
corners). Its numbers come from MLP.forward like any trained network's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.core.network import MLP

# -- trained: what each layer responds to ------------------------------------------------------


@dataclass(frozen=True)
class LayerView:
    """One layer of a trained network seen through a data set.

    `z` and `a` are (n_images, n_units); `top[j]` the indices of unit j's k most exciting
    images (largest z first); `pictures[j]` what unit j wants as an image: its weights
    (layer 1) or the mean of its top images (deeper), `picture_kind` says which;
    `purity[j]` the share of its top images with its most common label, `label[j]` that
    label."""

    layer: int  # 1 = first hidden layer
    z: np.ndarray
    a: np.ndarray
    top: np.ndarray
    pictures: np.ndarray
    picture_kind: str  # "weights" or "mean of top images"
    purity: np.ndarray
    label: np.ndarray

    @property
    def mean_purity(self) -> float:
        return float(self.purity.mean())


def top_inputs(z: np.ndarray, k: int) -> np.ndarray:
    """(n_units, k): for each unit, the rows of z with its k largest values, largest first
    (ties keep data order)."""
    return np.argsort(-np.asarray(z), axis=0, kind="stable")[:k].T


def purity(labels: np.ndarray, top: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(share of each row of top whose label is the row's most common one, that label)."""
    lab = np.asarray(labels)[top]  # (n_units, k)
    n_classes = int(np.asarray(labels).max()) + 1
    counts = np.stack([(lab == c).sum(axis=1) for c in range(n_classes)], axis=1)
    best = counts.argmax(axis=1)
    return counts.max(axis=1) / top.shape[1], best


def layer_views(net: MLP, X: np.ndarray, y: np.ndarray, k: int = 9) -> list[LayerView]:
    """A LayerView for every layer after the inputs (the last one is the outputs)."""
    X = np.asarray(X, dtype=float)
    views = []
    for li, out in enumerate(net.layer_outputs(X)):
        top = top_inputs(out.z, k)
        if li == 0:
            pictures, kind = np.array(net.weights[0], dtype=float), "weights"
        else:
            pictures, kind = X[top].mean(axis=1), "mean of top images"
        pure, label = purity(y, top)
        views.append(LayerView(li + 1, out.z, out.a, top, pictures, kind, pure, label))
    return views


def chance_purity(y: np.ndarray, k: int, draws: int = 2000, seed: int = 0) -> float:
    """Purity of k images drawn at random: what a unit that ignores the digit would score."""
    rng = np.random.default_rng(seed)
    y = np.asarray(y)
    top = np.stack([rng.choice(len(y), k, replace=False) for _ in range(draws)])
    return float(purity(y, top)[0].mean())


def hope_reading(purities: list[float], chance: float) -> tuple[bool, bool]:
    """(does hidden layer 1 already favour whole digits, does layer 2 add little), from
    the mean purities per layer (hidden 1, hidden 2, ...) and chance. "Already" means
    layer 1 is more than halfway from chance to all-one-digit; "little" means layer 2
    closes less than a third of the gap layer 1 leaves. The hope (edges, then parts, then
    digits) would have layer 1 near chance and the big step late."""
    gap = 1.0 - chance
    early = purities[0] >= chance + 0.5 * gap
    small = purities[1] - purities[0] < (1.0 - purities[0]) / 3.0
    return bool(early), bool(small)


def learned(trained: list[float], before: list[float]) -> list[bool]:
    """Per layer, did training make its favourites markedly more one-digit than the same
    layer before training? "Markedly": it closed at least a third of the gap the untrained
    layer left to 1. Needed because top-k purity is high even for random weights (one
    digit's images look alike, so any fixed pixel template's best matches share a digit):
    a high purity alone does not say the layer learned digits."""
    return [bool(t - b >= (1.0 - b) / 3.0) for t, b in zip(trained, before, strict=True)]


# -- constructed: edges -> corners -> a square ---------------------------------------------------

SIDE = 8  # the hand-built network reads SIDE x SIDE images
LO, HI = 1, 6  # the square's outline runs along rows/columns LO and HI
EDGES = ("top", "bottom", "left", "right")
CORNERS = (("top", "left"), ("top", "right"), ("bottom", "left"), ("bottom", "right"))
EDGE_W, EDGE_B = 3.0, -6.0  # +w on the bar's 4 pixels, -w beside it; 4 inked = z of 6
CORNER_W, CORNER_B = 8.0, -12.0  # both edges on: 16 - 12 > 0; one: 8 - 12 < 0
SQUARE_W, SQUARE_B = 8.0, -28.0  # all four corners: 32 - 28 > 0; three: 24 - 28 < 0


def edge_weights(name: str) -> np.ndarray:
    """An edge detector's 8x8 weights: +EDGE_W on the middle of one side of the square's
    outline (4 pixels, the corners left to the corner layer), -EDGE_W on the pixels either
    side of that bar (ink there means a thick blob or a filled shape, not an edge)."""
    w = np.zeros((SIDE, SIDE))
    mid = slice(LO + 1, HI)
    line = {"top": LO, "bottom": HI, "left": LO, "right": HI}[name]
    for off, val in ((-1, -EDGE_W), (1, -EDGE_W), (0, EDGE_W)):
        if name in ("top", "bottom"):
            w[line + off, mid] = val
        else:
            w[mid, line + off] = val
    return w


def square_network() -> MLP:
    """64 -> 4 edges -> 4 corners -> 1 square, sigmoid throughout, every weight set here."""
    net = MLP((SIDE * SIDE, len(EDGES), len(CORNERS), 1), activation="sigmoid",
              output_activation="sigmoid")
    net.weights[0] = np.stack([edge_weights(e).ravel() for e in EDGES])
    net.biases[0] = np.full(len(EDGES), EDGE_B)
    w2 = np.zeros((len(CORNERS), len(EDGES)))
    for j, pair in enumerate(CORNERS):
        for e in pair:
            w2[j, EDGES.index(e)] = CORNER_W
    net.weights[1], net.biases[1] = w2, np.full(len(CORNERS), CORNER_B)
    net.weights[2] = np.full((1, len(CORNERS)), SQUARE_W)
    net.biases[2] = np.array([SQUARE_B])
    return net


def shapes(seed: int = 0) -> dict[str, np.ndarray]:
    """The images the hand-built network reads (8x8, 0 paper, 1 ink, flattened): the
    square's outline, an L (its left and bottom sides), one line (its top side), and noise
    (each pixel inked with probability 1/2, from `seed`)."""
    def draw(*sides: str) -> np.ndarray:
        img = np.zeros((SIDE, SIDE))
        for s in sides:
            if s == "top":
                img[LO, LO:HI + 1] = 1
            elif s == "bottom":
                img[HI, LO:HI + 1] = 1
            elif s == "left":
                img[LO:HI + 1, LO] = 1
            else:
                img[LO:HI + 1, HI] = 1
        return img.ravel()

    noise = (np.random.default_rng(seed).random(SIDE * SIDE) < 0.5).astype(float)
    return {"square": draw(*EDGES), "L": draw("left", "bottom"), "line": draw("top"),
            "noise": noise}


__all__ = ["CORNERS", "EDGES", "LayerView", "chance_purity", "edge_weights", "hope_reading",
           "layer_views", "learned", "purity", "shapes", "square_network", "top_inputs"]
