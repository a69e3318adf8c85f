"""The rasteriser's maths (numpy only): anti-aliased footprints of lines and discs as
sparse coverage triples, and the footprint widths whose blend draws a line of any width
with the ink it should have."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

import numpy as np


def line_coverage(p0: np.ndarray, p1: np.ndarray, width: float, size: tuple[int, int],
                  chunk: int = 1500) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Anti-aliased footprints of lines p0[k] -> p1[k] (pixel coordinates, y down, pixel
    (x, y) covering [x, x+1) x [y, y+1)) of `width` pixels on a `size` = (w, h) image.

    Returns COO triples (flat pixel index y*w + x, line index, coverage in (0, 1]): for
    each pixel column (row, for steep lines) the box-filtered overlap of the line's
    cross-section with each pixel; line by line (see line_runs).
    """
    pix, cov, counts = line_runs(p0, p1, width, size, chunk)
    line = np.repeat(np.arange(len(counts), dtype=np.int32), counts)
    return pix, line, cov


def line_runs(p0: np.ndarray, p1: np.ndarray, width: float, size: tuple[int, int],
              chunk: int = 1500, budget: int = 1 << 18
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The footprints of line_coverage, line after line: (flat pixel index int32, coverage
    float32, entries per line), line k's entries following line k-1's, so a run of lines
    is already a run of columns of a column-major (CSC) coverage matrix, with no sorting.
    All batches of line_batches, joined."""
    parts = [run() for _, _, run in line_batches(p0, p1, width, size, chunk, budget)]
    if not parts:
        return np.zeros(0, np.int32), np.zeros(0, np.float32), np.zeros(0, np.int64)
    return tuple(np.concatenate(x) for x in zip(*parts, strict=True))  # type: ignore[return-value]


def line_batches(p0: np.ndarray, p1: np.ndarray, width: float, size: tuple[int, int],
                 chunk: int = 1500, budget: int = 1 << 18
                 ) -> list[tuple[int, int, Callable[[], tuple[np.ndarray, ...]]]]:
    """line_runs cut into batches (first line, end line, function computing its runs), to
    be run in any thread and order: at most `chunk` lines and about `budget` (step, pixel)
    slots each, so the float64 temporaries stay small (page faults and cache misses cost
    more than the arithmetic). Every entry is computed elementwise, so the batching does
    not change a single value."""
    w_img, h_img = size
    p0 = np.asarray(p0, dtype=float)
    p1 = np.asarray(p1, dtype=float)
    d = p1 - p0
    xmajor = np.abs(d[:, 0]) >= np.abs(d[:, 1])
    u0 = np.where(xmajor, p0[:, 0], p0[:, 1])  # u: the major axis, v: the minor axis
    u1 = np.where(xmajor, p1[:, 0], p1[:, 1])
    v0 = np.where(xmajor, p0[:, 1], p0[:, 0])
    v1 = np.where(xmajor, p1[:, 1], p1[:, 0])
    start = np.ceil(np.minimum(u0, u1) - 0.5).astype(np.int64)
    n = np.maximum(np.floor(np.maximum(u0, u1) - 0.5).astype(np.int64) - start + 1, 0)
    du = u1 - u0
    slope = (v1 - v0) / np.where(du == 0, 1.0, du)
    half = 0.5 * width * np.sqrt(1.0 + slope**2)  # half thickness along the minor axis
    slots = np.cumsum(n * (np.ceil(2 * half).astype(np.int64) + 1))
    out = []
    a = 0
    while a < len(n):
        before = slots[a - 1] if a else 0
        b = min(a + chunk, len(n), max(a + 1, int(np.searchsorted(slots, before + budget))))
        s = slice(a, b)
        out.append((a, b, partial(_runs, start[s], n[s], u0[s], v0[s], slope[s], half[s],
                                  xmajor[s], w_img, h_img)))
        a = b
    return out


def _runs(start: np.ndarray, n: np.ndarray, u0: np.ndarray, v0: np.ndarray,
          slope: np.ndarray, half: np.ndarray, xmajor: np.ndarray, w_img: int, h_img: int
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One batch of line_runs: a (step, t) table, t counting the pixels across the line
    (a cross-section of 2h pixels touches at most ceil(2h) + 1 of them). Filled one t at
    a time: numpy's loops run fastest over long rows and small temporaries. Whatever is
    known per step (where its slots start in the image, which of them lie inside it) is
    worked out per step, and the (step, t) table gets one pass per question."""
    k = np.repeat(np.arange(len(n)), n)
    ends = np.cumsum(n)
    m = start[k] + (np.arange(ends[-1] if len(ends) else 0) - np.repeat(ends - n, n))
    centre = v0[k] + (m + 0.5 - u0[k]) * slope[k]  # pixel index m along the major axis
    hk = half[k]
    top = centre - hk
    bottom = centre + hk
    T = int(np.ceil(2 * half.max())) + 1 if len(half) else 0
    base = np.floor(top)
    cov = np.empty((len(m), T))
    q = base.copy()
    tmp = np.empty_like(base)
    for t in range(T):  # cov = min(q + 1, bottom) - max(q, top), q = base + t
        if t:
            q += 1.0
        np.add(q, 1.0, out=tmp)
        np.minimum(tmp, bottom, out=tmp)
        np.subtract(tmp, np.maximum(q, top, out=cov[:, t]), out=cov[:, t])
    ok = cov > 1e-3
    tt = np.arange(T, dtype=np.int32)
    span = (w_img, h_img) if xmajor.all() else (h_img, w_img) if not xmajor.any() else None
    if span is None:
        xk = xmajor[k]
        major, minor = np.where(xk, w_img, h_img), np.where(xk, h_img, w_img)
        stride = np.where(xk, np.int32(w_img), np.int32(1))[:, None]
    else:
        major, minor = span
        stride = np.int32(w_img if xmajor[0] else 1)
    if (span is None or len(m) and (m.min() < 0 or m.max() >= span[0] or top.min() < 0
                                     or bottom.max() > span[1])):
        # Slots off the image: t < -base, or t >= minor - base, or the whole step if m is.
        lo = -base
        hi = np.where((m >= 0) & (m < major), minor - base, -np.inf)
        ok &= (tt >= lo[:, None]) & (tt < hi[:, None])
    okv = ok.view(np.uint8)
    per_step = okv[:, 0].astype(np.int64) if T else np.zeros(len(m), np.int64)
    for t in range(1, T):
        per_step += okv[:, t]
    per_line = np.concatenate([[0], np.cumsum(per_step)])
    counts = per_line[ends] - per_line[ends - n]
    # The flat pixel of slot (s, t): first[s] + t * stride ((q, m) as (y, x) or (x, y)),
    # filled a column at a time; np.compress keeps the slots (several times faster than
    # a boolean index, and as numpy's boolean index does, in the table's order).
    bi = base.astype(np.int32)
    mi = m.astype(np.int32)
    first = (np.where(xk, bi * np.int32(w_img) + mi, mi * np.int32(w_img) + bi)
             if span is None else bi * np.int32(w_img) + mi if xmajor[0]
             else mi * np.int32(w_img) + bi)
    slot_px = np.empty((len(m), T), dtype=np.int32)
    for t in range(T):
        np.add(first, tt[t] * stride[:, 0] if span is None else tt[t] * stride,
               out=slot_px[:, t])
    keep = ok.ravel()
    pix = np.compress(keep, slot_px.ravel())
    return pix, np.compress(keep, cov.ravel()).astype(np.float32), counts


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


def footprints_reached(lo: np.ndarray, hi: np.ndarray, levels: Sequence[float]
                       ) -> np.ndarray:
    """(n, len(levels)) bool: which footprints draw some width of [lo[i], hi[i]] pixels.
    footprint_weights is piecewise linear between the levels, so a footprint with weight
    somewhere on an interval has it at an end or at a level inside."""
    lo = np.asarray(lo, dtype=float)
    hi = np.maximum(np.asarray(hi, dtype=float), lo)
    out = np.zeros((len(lo), len(levels)), dtype=bool)
    for at in (lo, hi, *(np.clip(v, lo, hi) for v in levels)):
        for k, c in enumerate(footprint_weights(at, levels)):
            out[:, k] |= c != 0
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
