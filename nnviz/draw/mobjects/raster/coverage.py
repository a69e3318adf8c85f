"""The rasteriser's maths (numpy only): anti-aliased footprints of lines and discs as
sparse coverage triples, and the footprint widths whose blend draws a line of any width
with the ink it should have."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def line_coverage(p0: np.ndarray, p1: np.ndarray, width: float, size: tuple[int, int],
                  chunk: int = 1500) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Anti-aliased footprints of lines p0[k] -> p1[k] (pixel coordinates, y down, pixel
    (x, y) covering [x, x+1) x [y, y+1)) of `width` pixels on a `size` = (w, h) image.

    Returns COO triples (flat pixel index y*w + x, line index, coverage in (0, 1]): for
    each pixel column (row, for steep lines) the box-filtered overlap of the line's
    cross-section with each pixel.
    """
    w_img, h_img = size
    p0 = np.asarray(p0, dtype=float)
    p1 = np.asarray(p1, dtype=float)
    out_pix, out_line, out_cov = [], [], []
    for c0 in range(0, len(p0), chunk):
        a0, a1 = p0[c0:c0 + chunk], p1[c0:c0 + chunk]
        d = a1 - a0
        xmajor = np.abs(d[:, 0]) >= np.abs(d[:, 1])
        for major in (True, False):
            sel = np.nonzero(xmajor == major)[0]
            if sel.size == 0:
                continue
            u, v = (0, 1) if major else (1, 0)  # u: major axis, v: minor axis
            s0, s1 = a0[sel], a1[sel]
            lo = np.minimum(s0[:, u], s1[:, u])
            hi = np.maximum(s0[:, u], s1[:, u])
            start = np.ceil(lo - 0.5).astype(np.int64)
            n = np.maximum(np.floor(hi - 0.5).astype(np.int64) - start + 1, 0)
            du = s1[:, u] - s0[:, u]
            slope = (s1[:, v] - s0[:, v]) / np.where(du == 0, 1.0, du)
            half = 0.5 * width * np.sqrt(1.0 + slope**2)  # half thickness along the minor axis
            k_line = np.repeat(np.arange(sel.size), n)
            step = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
            m = start[k_line] + step  # pixel index along the major axis
            centre = s0[k_line, v] + (m + 0.5 - s0[k_line, u]) * slope[k_line]
            hk = half[k_line]
            top = centre - hk
            base = np.floor(top).astype(np.int64)
            for t in range(int(np.ceil(2 * half.max())) + 2):
                q = base + t
                cov = np.minimum(q + 1.0, centre + hk) - np.maximum(q, top)
                ok = cov > 1e-3
                px, py = (m[ok], q[ok]) if major else (q[ok], m[ok])
                inside = (px >= 0) & (px < w_img) & (py >= 0) & (py < h_img)
                out_pix.append((py[inside] * w_img + px[inside]).astype(np.int32))
                out_line.append((c0 + sel[k_line[ok][inside]]).astype(np.int32))
                out_cov.append(np.minimum(cov[ok][inside], 1.0).astype(np.float32))
    if not out_pix:
        return np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.float32)
    return np.concatenate(out_pix), np.concatenate(out_line), np.concatenate(out_cov)


def disc_coverage(centres: np.ndarray, radius: float, size: tuple[int, int],
                  ring: float = 0.0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Anti-aliased coverage of discs (fill) and of rings of `ring` pixels centred on
    their edge (a stroked circle), for discs of one radius (pixel units).

    Returns (flat pixel index, disc index, fill coverage, ring coverage).
    """
    w_img, h_img = size
    reach = int(np.ceil(radius + ring / 2 + 1.5))
    oy, ox = np.mgrid[-reach:reach + 1, -reach:reach + 1]
    cx = np.floor(centres[:, 0]).astype(np.int64)
    cy = np.floor(centres[:, 1]).astype(np.int64)
    px = cx[:, None] + ox.ravel()[None, :]
    py = cy[:, None] + oy.ravel()[None, :]
    dist = np.hypot(px + 0.5 - centres[:, :1], py + 0.5 - centres[:, 1:2])
    fill = np.clip(radius + 0.5 - dist, 0.0, 1.0)
    rim = np.clip(ring / 2 + 0.5 - np.abs(dist - radius), 0.0, 1.0) if ring > 0 else 0 * dist
    if 0 < ring < 1:  # a hairline ring: thinner than a pixel, so fainter
        rim = rim * ring
    keep = ((fill > 1e-3) | (rim > 1e-3)) & (px >= 0) & (px < w_img) & (py >= 0) & (py < h_img)
    disc = np.broadcast_to(np.arange(len(centres))[:, None], px.shape)
    return ((py * w_img + px)[keep], disc[keep], fill[keep].astype(np.float32),
            rim[keep].astype(np.float32))


def footprint_widths(max_px: float, step: float = 1.6) -> list[float]:
    """Line widths (pixels) rasterised for a layer whose widest edge is `max_px`: 1 px,
    then geometric steps, so any width in between is a blend of two close footprints."""
    widths = [1.0]
    if max_px <= 1.5:  # hairlines: one footprint, fainter or (up to 1.5x) denser
        return widths
    while widths[-1] * step < max_px - 0.25:
        widths.append(widths[-1] * step)
    if max_px > widths[-1] + 0.25:
        widths.append(float(max_px))
    return widths


def footprint_weights(wpx: np.ndarray, levels: Sequence[float]) -> list[np.ndarray]:
    """How much of each footprint draws a line `wpx` pixels wide: below 1 px the 1 px
    footprint, fainter (same ink); between two levels a linear blend; clipped at the top."""
    wpx = np.asarray(wpx, dtype=float)
    out = [np.zeros_like(wpx) for _ in levels]
    out[0] = np.where(wpx <= levels[0], wpx / levels[0], 0.0)
    top = np.clip(wpx, levels[0], levels[-1])
    if len(levels) == 1:
        out[0] = np.where(wpx <= levels[0], out[0], wpx / levels[0])
        return out
    for k in range(len(levels) - 1):
        a, b = levels[k], levels[k + 1]
        inside = (top > a) & (top <= b) if k else (top >= a) & (top <= b) & (wpx > levels[0])
        t = (top - a) / (b - a)
        out[k] = np.where(inside, 1.0 - t, out[k])
        out[k + 1] = np.where(inside, t, out[k + 1])
    return out


def leave_box(p0: np.ndarray, p1: np.ndarray, lo: np.ndarray, hi: np.ndarray
               ) -> np.ndarray:
    """Start points p0 (inside the box [lo, hi]) moved along each edge to where it leaves
    the box. Used for an input grid: over the grid thousands of lines would only veil the
    picture its neurons show (and cost a third of the drawing)."""
    d = p1 - p0
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(d > 0, (hi - p0) / d, np.where(d < 0, (lo - p0) / d, np.inf))
    t = np.clip(np.min(t, axis=1), 0.0, 1.0)
    return p0 + t[:, None] * d
