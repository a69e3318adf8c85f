"""Colour tables of the raster: every (positive share, opacity) pair of a pixel's edge
inks maps to one packed RGBA value, so colouring a frame is one gather."""

from __future__ import annotations

import numpy as np


def colour_table(positive: np.ndarray, negative: np.ndarray, opacity: float,
                 backdrop: np.ndarray | None = None, contrast: float = 0.0) -> np.ndarray:
    """uint32 RGBA (little-endian bytes R, G, B, A) for index f * 256 + a: f/255 = the
    positive share of the edge opacity over a pixel, a/255 = its total opacity. With a
    `backdrop` colour (RGB in [0, 1]) the colours come already blended over it, opaque.
    With `contrast`, where many edges overlap the hue leans to the majority, so dense fans
    stay as saturated as Cairo's last-drawn-on-top "over"."""
    f = np.arange(256)[:, None, None] / 255.0
    if contrast > 0:
        f = 0.5 + 0.5 * np.tanh(contrast * (f - 0.5)) / np.tanh(contrast / 2)
    a = (np.arange(256) / 255.0 * opacity)[None, :, None]
    colour = negative + f * (positive - negative)  # (256, 1, 3)
    if backdrop is None:
        rgb = np.broadcast_to(colour, (256, 256, 3))
        alpha = np.broadcast_to(a[..., 0], (256, 256))
    else:
        rgb = backdrop * (1.0 - a) + colour * a
        alpha = np.ones((256, 256))
    out = np.empty((256, 256, 4), dtype=np.uint8)
    out[..., :3] = np.clip(np.round(255 * rgb), 0, 255)
    out[..., 3] = np.clip(np.round(255 * alpha), 0, 255)
    return out.view(np.uint32).reshape(-1)


def lut_index(S: np.ndarray, has_dense: bool) -> np.ndarray:
    """Colour-table index (positive share * 256 + opacity, both in 0..255) of each
    pixel from its sums S (3, n), see Geometry.full_sums."""
    total = S[0] + S[1]
    share = np.clip(S[2] / np.maximum(total, 1e-6), 0.0, 1.0)  # rounding: not < 0
    opacity = np.clip(S[0], 0.0, 1.0)
    if has_dense:
        # Opacity: strong edges of sparse layers add up (exact for one edge per pixel);
        # the many faint edges of a dense layer combine like Cairo's "over" of many thin
        # layers, 1 - prod(1 - a) ~ 1 - exp(-sum a); the two are then layered.
        opacity = 1.0 - (1.0 - opacity) * np.exp(-np.maximum(S[1], 0.0))
    idx = (share * 255.0 + 0.5).astype(np.uint32)
    idx <<= 8
    idx += (opacity * 255.0 + 0.5).astype(np.uint32)
    return idx


def rgb_to_hex(rgb: np.ndarray) -> str:
    """'#rrggbb' of an RGB colour in [0, 1]."""
    r, g, b = (int(round(255 * float(np.clip(c, 0, 1)))) for c in rgb)
    return f"#{r:02x}{g:02x}{b:02x}"
