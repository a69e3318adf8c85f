"""The one palette every scene shares (hex strings; no Manim import).

One colour per meaning, in every scene and every frame: a positive / negative weight is
the same blue / orange on an edge, in a weight picture, on an arrow and in a label;
class A / class B, activation brightness and the highlight likewise. Scene configs can
override any of these by name.
"""

from __future__ import annotations

import re

import numpy as np

from nnviz.core.errors import NNVizError

PALETTE: dict[str, str] = {
    "background": "#0f1117",
    "text": "#ece9e1",
    "muted": "#8a8f98",
    "positive": "#3fb0ff",  # positive weight (blue)
    "negative": "#ff6b4a",  # negative weight (orange-red)
    "class_a": "#e8544e",  # class A / class 0 (red, as in the warp video)
    "class_b": "#4f8fe8",  # class B / class 1 (blue)
    "neuron_off": "#1d2230",  # activation 0 (dark)
    "neuron_on": "#f5f2e8",  # activation 1 (bright)
    "neuron_stroke": "#c9cdd6",
    "highlight": "#ffd34d",  # what the narration points at
    "grid": "#5b6b8c",
    "model": "#5fe0a8",  # the model's output curve (the fitted line / network function)
}
# weight pictures use the weight colours (one colour per meaning); the names stay for
# configs and code written against them
PALETTE["pixel_pos"] = PALETTE["positive"]
PALETTE["pixel_neg"] = PALETTE["negative"]

# Eight distinct, colour-blind-friendly hues for per-neuron curves (bent lines).
NEURON_HUES = ["#ffb000", "#33c7e0", "#e15fa1", "#8fd14f", "#9d7cf2", "#ff7a45", "#4fd1a5",
               "#f2e155"]

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def check_colour(value: str, key: str = "colour") -> str:
    """Accept '#rrggbb' or a palette name; return the hex string."""
    if value in PALETTE:
        return PALETTE[value]
    if not _HEX.match(value):
        raise NNVizError(
            f"'{value}' is not a colour for {key}: give '#rrggbb' or one of "
            f"{', '.join(PALETTE)}."
        )
    return value.lower()


def hex_to_rgb(value: str) -> np.ndarray:
    """'#rrggbb' -> float RGB in [0, 1]."""
    value = check_colour(value)
    return np.array([int(value[i : i + 2], 16) for i in (1, 3, 5)], dtype=float) / 255.0


def blend(c0: str, c1: str, t: np.ndarray | float) -> np.ndarray:
    """RGB colours a fraction t of the way from c0 to c1 (t may be an array)."""
    t = np.clip(np.asarray(t, dtype=float), 0.0, 1.0)[..., None]
    return (1.0 - t) * hex_to_rgb(c0) + t * hex_to_rgb(c1)
