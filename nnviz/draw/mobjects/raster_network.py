"""A network diagram rasterised with numpy: every edge of 784-16-16-10, restyled per frame.

One Cairo stroke per edge (12,960 of them) costs over a second of CPU per 1080p frame.
Here the geometry is rasterised once per camera and place into a sparse coverage matrix
``F`` (pixels x footprints: the anti-aliased footprint of each edge as a 1 px line, plus
geometrically wider footprints for layers with thick edges; a line of any width is a
blend of the two nearest, keeping its ink). Each frame the edges are one sparse product
``F @ [alpha, alpha * (w >= 0)]``: the summed opacity over each pixel (clipped at 1; exact
where one edge covers a pixel) and the share of it that is positive, which picks the hue
from a colour table. Where many edges overlap, the hue leans towards the majority
(``hue_contrast``), so dense fans stay as saturated as Cairo's last-drawn-on-top "over"
instead of averaging to a grey-purple. Neuron insides are one gather, their anti-aliased
rims and rings a few integer passes; over a plain backdrop the result is blended in the
colour table and copied into the frame, otherwise alpha-composited with Pillow.

Three things keep a 1080p60 training playback near 2 s of render per second of video:
the product runs in row chunks on threads (scipy and numpy let the GIL go); a frame whose
per-edge inks lie on the path of the last few frames is blended from their sums (F is
linear; see _Geometry.sums), so about three frames per stretch between two trace records
need the full product; and neurons whose colour did not change keep their pixels. Edges
from an input grid start where they leave the grid, so the picture it shows stays clear.

The mobject has the same constructor and methods as
:class:`~nnviz.draw.mobjects.network.NetworkDiagram`; ``node``/``edge``/``layer_nodes``/
``layer_edges`` return stand-in Circles/Lines at the right place (for labels, arrows and
highlights), which are not part of the raster. It can be moved and scaled (the geometry is
rebuilt for each new place or camera: a few seconds of CPU for 12,960 edges at 1080p, a
few milliseconds for a small diagram, so do not animate the position of a big one), faded
in and out; rotation is not supported. nnviz's camera (nnviz.draw.patches) hands it the
frame (``draw_to_camera``); manim's own camera draws the same picture, slower, from
``get_pixel_array()`` (see stock_camera).
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import scipy.sparse as sp
from manim import Circle, Line, VGroup, VMobject
from manim.camera.camera import Camera
from manim.mobject.types.image_mobject import AbstractImageMobject
from PIL import Image

from nnviz.draw.mobjects.network import ArrayList, DiagramState, NetworkDiagram, layout_network
from nnviz.draw.mobjects.stock_camera import config_camera, for_stock_camera

CAIRO_LINE_WIDTH = 0.01  # manim: stroke width 1 = 0.01 scene units


# --------------------------------------------------------------------------------------
# Rasterising geometry (pure numpy)
# --------------------------------------------------------------------------------------
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


class _Geometry:
    """The diagram rasterised at one place and one camera resolution."""

    def __init__(self, diagram: RasterNetworkDiagram, camera: Camera) -> None:
        ppu = camera.pixel_width / camera.frame_width
        centre = np.asarray(camera.frame_center, dtype=float)

        def to_px(p: np.ndarray) -> np.ndarray:
            q = diagram.place(p)
            return np.stack([(q[:, 0] - centre[0]) * ppu + camera.pixel_width / 2,
                             (centre[1] - q[:, 1]) * ppu + camera.pixel_height / 2], axis=1)

        corners = to_px(np.array(diagram.ref_corners))
        x0 = max(int(np.floor(corners[:, 0].min())) - 2, 0)
        y0 = max(int(np.floor(corners[:, 1].min())) - 2, 0)
        x1 = min(int(np.ceil(corners[:, 0].max())) + 2, camera.pixel_width)
        y1 = min(int(np.ceil(corners[:, 1].max())) + 2, camera.pixel_height)
        self.box = (x0, y0, max(x1 - x0, 1), max(y1 - y0, 1))
        size = self.box[2:]
        off = np.array([x0, y0], dtype=float)
        lay = diagram.layout
        scale = diagram.place_scale()
        self.px_per_width = CAIRO_LINE_WIDTH * ppu  # pixels per unit of manim stroke width

        # Nodes (and the ellipsis dots) first: their opaque interiors hide edges.
        n_pix, n_id, n_fill, n_ring = [], [], [], []
        self.node_start: list[int] = []
        count = 0
        ring_px = diagram.neuron_stroke_width * self.px_per_width
        for li, pos in enumerate(lay.positions):
            self.node_start.append(count)
            pix, idx, fill, ring = disc_coverage(to_px(pos) - off, lay.radius[li] * scale * ppu,
                                                 size, ring_px)
            n_pix.append(pix), n_id.append(idx + count), n_fill.append(fill), n_ring.append(ring)
            count += len(pos)
        self.node_start.append(count)
        self.dot_start = count
        for li, c in enumerate(lay.ellipsis):
            if c is None:
                continue
            gap = 0.5 * lay.radius[li]
            dots = np.array([c + [0, dy, 0] for dy in (-gap, 0.0, gap)])
            pix, idx, fill, ring = disc_coverage(to_px(dots) - off, 0.24 * gap * scale * ppu,
                                                 size)
            n_pix.append(pix), n_id.append(idx + count), n_fill.append(fill), n_ring.append(ring)
            count += 3
        n_pix_all = np.concatenate(n_pix)
        node_px, inv = np.unique(n_pix_all, return_inverse=True)
        shape = (len(node_px), count)
        fill = sp.csr_matrix((np.concatenate(n_fill), (inv, np.concatenate(n_id))), shape)
        ring = sp.csr_matrix((np.concatenate(n_ring), (inv, np.concatenate(n_id))), shape)
        fill_cov = np.asarray(fill.sum(axis=1)).ravel().astype(np.float32)
        ring_cov = np.asarray(ring.sum(axis=1)).ravel()
        opaque = np.zeros(size[0] * size[1], dtype=bool)
        opaque[node_px[fill_cov >= 0.999]] = True
        # Inside a disc, off its ring: just the neuron's fill colour (one gather per frame);
        # the anti-aliased rims and rings are blended in float on the few pixels left.
        inner = (fill_cov >= 0.999) & (ring_cov < 1e-3)
        owner = np.empty(len(node_px), dtype=np.int64)  # discs never overlap
        owner[inv] = np.concatenate(n_id)
        self.inner_px, self.inner_node = node_px[inner], owner[inner]
        self.rim_px, self.rim_node = node_px[~inner], owner[~inner]
        self.rim_fill = fill_cov[~inner]
        self.rim_ring = ring_cov[~inner].astype(np.float32)
        # Opaque rims with full-opacity rings: out = under*ku + fill*kf + ring*kr, with
        # integer weights summing to 256 (one pass of uint16 arithmetic per frame).
        rim_f, rim_r = self.rim_fill, np.clip(self.rim_ring, 0.0, 1.0)
        kr = np.round(256 * rim_r)
        kf = np.minimum(np.round(256 * rim_f * (1 - rim_r)), 256 - kr)
        self.rim_k = np.stack([256 - kf - kr, kf, kr]).astype(np.uint16)[:, :, None]
        self.n_nodes = count

        # Edges: one column per (layer, footprint, edge), one row per pixel (entries only
        # outside the opaque insides of the neurons). Two groups: the dense layers, whose
        # many faint edges combine like Cairo's "over", and the rest, whose opacities add.
        groups: dict[bool, tuple[list, list, list]] = {True: ([], [], []), False: ([], [], [])}
        self.blocks: list[tuple[bool, list[tuple[int, float]]]] = []  # per layer
        n_cols = {True: 0, False: 0}
        for li in range(len(lay.positions) - 1):
            src, dst = to_px(lay.positions[li]) - off, to_px(lay.positions[li + 1]) - off
            jj, ii = np.meshgrid(np.arange(len(dst)), np.arange(len(src)), indexing="ij")
            p0, p1 = src[ii.ravel()], dst[jj.ravel()]
            if li == 0 and lay.grid is not None:
                r = lay.radius[0] * scale * ppu
                p0 = _leave_box(p0, p1, src.min(axis=0) - r, src.max(axis=0) + r)
            dense = len(lay.shown[li]) * len(lay.shown[li + 1]) > diagram.dense_edges
            rows, cols, vals = groups[dense]
            blocks = []
            for wpx in footprint_widths(diagram.max_width[li] * self.px_per_width):
                pix, line, cov = line_coverage(p0, p1, wpx, size)
                keep = ~opaque[pix]
                rows.append(pix[keep]), cols.append(line[keep] + n_cols[dense])
                vals.append(cov[keep])
                blocks.append((n_cols[dense], wpx))
                n_cols[dense] += len(p0)
            self.blocks.append((dense, blocks))
        self.n_cols = n_cols
        self.has_dense = n_cols[True] > 0
        mats = {}
        for dense, (rows, cols, vals) in groups.items():
            mats[dense] = sp.csr_matrix(
                (np.concatenate(vals) if vals else np.zeros(0, np.float32),
                 (np.concatenate(rows) if rows else np.zeros(0, int),
                  np.concatenate(cols) if cols else np.zeros(0, int))),
                shape=(size[0] * size[1], max(n_cols[dense], 1)), dtype=np.float32)
        touched = np.diff(mats[True].indptr) + np.diff(mats[False].indptr)
        self.edge_px = np.nonzero(touched)[0]  # pixels some edge touches
        # Row chunks of about equal work, rendered in parallel threads (scipy's sparse
        # products and numpy's arithmetic release the GIL).
        nnz = np.cumsum(touched[self.edge_px])
        n_chunks = min(_THREADS * 2, max(1, len(self.edge_px) // 50_000))
        cuts = np.searchsorted(nnz, np.linspace(0, nnz[-1] if len(nnz) else 0,
                                                n_chunks + 1)[1:-1])
        bounds = [0, *cuts.tolist(), len(self.edge_px)]
        self.chunks = [(a, b, mats[True][self.edge_px[a:b]], mats[False][self.edge_px[a:b]])
                       for a, b in zip(bounds[:-1], bounds[1:], strict=True) if b > a]
        # The same entries by edge (rows: footprint columns, columns: touched pixels), to
        # add the few edges that leave a straight path between two frames (see sums()).
        self.by_edge = {d: m[self.edge_px].T.tocsr() for d, m in mats.items()}
        # Neuron pixels by layer (the ellipsis dots last), so that a frame redraws only
        # the layers whose colours changed; the rims that edges pass under (the only node
        # pixels that edges touch) are blended again every frame.
        group = np.searchsorted(self.node_start, np.arange(count), side="right") - 1
        moving = np.isin(self.rim_px, self.edge_px)
        self.rim_moving = np.nonzero(moving)[0]
        still = np.nonzero(~moving)[0]
        self.inner_by_group = [np.nonzero(group[self.inner_node] == k)[0]
                               for k in range(len(self.node_start))]
        self.still_by_group = [still[group[self.rim_node[still]] == k]
                               for k in range(len(self.node_start))]
        self.offsets = {False: 0, True: 2 * max(n_cols[False], 1)}  # in the flat X vector
        self.anchor: tuple | None = None  # (x_a, S_a, [(d, F d), ...]) of sums()

    def full_sums(self, X: dict[bool, np.ndarray]) -> np.ndarray:
        """S = F X: per touched pixel, the summed opacity of the sparse layers' edges, of
        the dense layers' edges, and of the positive ones (3, n_px: one contiguous row
        each, for the arithmetic that follows), in parallel chunks."""
        S = np.empty((3, len(self.edge_px)), dtype=np.float32)

        def part(chunk: tuple) -> None:
            a, b, dense_m, sparse_m = chunk
            s = sparse_m @ X[False]
            S[0, a:b], S[2, a:b] = s[:, 0], s[:, 1]
            if self.has_dense:
                d = dense_m @ X[True]
                S[1, a:b] = d[:, 0]
                S[2, a:b] += d[:, 1]
            else:
                S[1, a:b] = 0.0

        list(_pool().map(part, self.chunks))
        return S

    def sums(self, X: dict[bool, np.ndarray], tol: float = 1e-6, max_moved: float = 0.2,
             max_dirs: int = 2) -> Callable[[int, int], np.ndarray]:
        """F X, as a function of a row range (so that chunks of rows are summed in the
        threads that colour them), reusing earlier frames. F is linear, so if
        X = x_a + D c + r, where x_a and the columns of D are differences of frames
        already summed (S_a, P = F D), then F X = S_a + P c + F r, and only the columns
        of the edges in r (those off the path the others follow) need summing. Between
        two records of a trace every edge's opacity and width move linearly, so its ink
        moves on a parabola: two directions span it, and most frames cost a blend
        instead of a product over millions of entries. Exact up to float32 rounding (far
        below the 1/255 of a colour step)."""
        x = np.concatenate([X[False].ravel(), X[True].ravel()])
        if self.anchor is not None:
            x_a, S_a, dirs = self.anchor
            diff = x - x_a
            if not diff.any():
                return lambda a, b: S_a[:, a:b]
            if dirs:
                blend = self._blend(S_a, dirs, diff, tol, max_moved)
                if blend is not None:
                    return blend
            if len(dirs) < max_dirs:  # off the span: one more direction from this frame
                S = self.full_sums(X)
                dirs.append((diff, S - S_a))
                return lambda a, b: S[:, a:b]
        S = self.full_sums(X)  # a new path starts here
        self.anchor = (x, S, [])
        return lambda a, b: S[:, a:b]

    def _blend(self, S_a: np.ndarray, dirs: list, diff: np.ndarray, tol: float,
               max_moved: float) -> Callable[[int, int], np.ndarray] | None:
        """S_a + P c + F r by row range, or None if too many edges left the path."""
        D = np.stack([d for d, _ in dirs], axis=1)
        gram = D.T @ D
        if np.linalg.cond(gram) >= 1e8:
            return None
        c = np.linalg.solve(gram, D.T @ diff)
        r = diff - D @ c
        for _ in range(2):  # refit without the edges off the path
            if (np.abs(r) > tol).sum() <= max_moved * len(diff):
                break
            on = np.abs(r) <= np.quantile(np.abs(r), 1.0 - max_moved)
            c = np.linalg.lstsq(D[on], diff[on], rcond=None)[0]
            r = diff - D @ c
        moved = np.abs(r) > tol
        if np.abs(c).max() >= 1e3 or moved.sum() > max_moved * len(diff):
            return None
        adds = [a for a in (self._columns(dense, r, moved) for dense in (False, True))
                if a is not None]

        def part(a: int, b: int) -> np.ndarray:
            S = S_a[:, a:b].copy()
            for (_, P), ci in zip(dirs, c, strict=True):
                S += np.float32(ci) * P[:, a:b]
            for col, add in adds:
                S[col] += add[a:b, 0]
                S[2] += add[a:b, 1]
            return S

        return part

    def _columns(self, dense: bool, r: np.ndarray, moved: np.ndarray
                 ) -> tuple[int, np.ndarray] | None:
        """F r over the columns of one group that moved: (column of S, (n_px, 2) sums of
        opacity and positive opacity), or None if none moved."""
        m = self.by_edge[dense]
        lo = self.offsets[dense]
        rows = r[lo:lo + 2 * m.shape[0]].reshape(-1, 2)
        cols = np.nonzero(moved[lo:lo + 2 * m.shape[0]].reshape(-1, 2).any(axis=1))[0]
        if len(cols) == 0:
            return None
        return (1 if dense else 0), m[cols].T @ rows[cols]


def _leave_box(p0: np.ndarray, p1: np.ndarray, lo: np.ndarray, hi: np.ndarray
               ) -> np.ndarray:
    """Start points p0 (inside the box [lo, hi]) moved along each edge to where it leaves
    the box. Used for an input grid: over the grid thousands of lines would only veil the
    picture its neurons show (and cost a third of the drawing)."""
    d = p1 - p0
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(d > 0, (hi - p0) / d, np.where(d < 0, (lo - p0) / d, np.inf))
    t = np.clip(np.min(t, axis=1), 0.0, 1.0)
    return p0 + t[:, None] * d


_THREADS = max(1, min(4, os.cpu_count() or 1))
_POOL: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(_THREADS, thread_name_prefix="nnviz-raster")
    return _POOL


def _lut(positive: np.ndarray, negative: np.ndarray, opacity: float,
         backdrop: np.ndarray | None = None, contrast: float = 0.0) -> np.ndarray:
    """uint32 RGBA (little-endian bytes R, G, B, A) for index f * 256 + a: f/255 = the
    positive share of the edge opacity over a pixel, a/255 = its total opacity. With a
    `backdrop` colour (RGB in [0, 1]) the colours come already blended over it, opaque."""
    f = np.arange(256)[:, None, None] / 255.0
    if contrast > 0:  # where many edges overlap, lean to the majority hue (see raster())
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


# --------------------------------------------------------------------------------------
# The mobject
# --------------------------------------------------------------------------------------
class RasterNetworkDiagram(DiagramState, AbstractImageMobject):
    """Same arguments and methods as NetworkDiagram, drawn as one numpy raster; for
    thousands of edges restyled every frame (784-16-16-10 with all 12,960 edges).

    Differences from the vector diagram: edge widths above 1 px are a blend of a 1 px and
    a full-width footprint; with ``show_biases`` the ring's opacity (not its width) grows
    with |b|; node/edge accessors return stand-ins (see the module docstring).

    Example::

        d = RasterNetworkDiagram((784, 16, 16, 10), net.weights, input_grid=True,
                                 max_width=(1.0, 3.0, 3.0), width=12, height=7)
        d.add_updater(lambda m: m.set_state(weights=trace.params_at(t.get_value())[0]))
    """

    def __init__(
        self,
        sizes: Sequence[int],
        weights: ArrayList = None,
        biases: ArrayList = None,
        activations: ArrayList = None,
        *,
        width: float = 10.0,
        height: float = 5.5,
        neuron_radius: float | None = None,
        palette: dict[str, str] | None = None,
        positive_color: str | None = None,
        negative_color: str | None = None,
        style: str = "color",
        weight_scale: float | Sequence[float] | None = None,
        bias_scale: float | Sequence[float] | None = None,
        activation_range: tuple[float, float] = (0.0, 1.0),
        min_width: float | Sequence[float] = 0.4,
        max_width: float | Sequence[float] = 4.0,
        min_opacity: float | Sequence[float] = 0.15,
        max_opacity: float | Sequence[float] = 1.0,
        max_shown: int | None = None,
        input_grid: tuple[int, int] | bool | None = None,
        show_biases: bool = False,
        neuron_stroke_width: float = 1.5,
        hue_contrast: float = 3.0,
        dense_edges: int = 2000,
        **kwargs: Any,
    ) -> None:
        self._init_state(sizes, palette, positive_color, negative_color, style, weight_scale,
                         bias_scale, activation_range, min_width, max_width, min_opacity,
                         max_opacity)
        self.show_biases = show_biases
        self.neuron_stroke_width = neuron_stroke_width
        self.hue_contrast = float(hue_contrast)
        self.dense_edges = int(dense_edges)
        self.layout = layout_network(self.sizes, width, height, neuron_radius, max_shown,
                                     input_grid)
        lo = np.min([(p[:, :2] - r).min(axis=0) for p, r in
                     zip(self.layout.positions, self.layout.radius, strict=True)], axis=0)
        hi = np.max([(p[:, :2] + r).max(axis=0) for p, r in
                     zip(self.layout.positions, self.layout.radius, strict=True)], axis=0)
        margin = 0.05
        lo, hi = lo - margin, hi + margin
        # Corners in the order of ImageMobject's points: UL, UR, DL, DR.
        self.ref_corners = [np.array([lo[0], hi[1], 0.0]), np.array([hi[0], hi[1], 0.0]),
                            np.array([lo[0], lo[1], 0.0]), np.array([hi[0], lo[1], 0.0])]
        self.opacity = 1.0
        self._geometry: dict[tuple, _Geometry] = {}
        self._frame: tuple[tuple, np.ndarray] | None = None
        self._dirty = True
        kwargs.setdefault("resampling_algorithm", Image.Resampling.NEAREST)  # manim's camera
        super().__init__(scale_to_resolution=1080, **kwargs)
        self.set_state(weights, biases, activations)

    # -- placement --------------------------------------------------------------------
    def reset_points(self) -> RasterNetworkDiagram:
        self.points = np.array(self.ref_corners, dtype=float)
        return self

    def place(self, p: np.ndarray) -> np.ndarray:
        """Scene coordinates of layout points `p` (n, 3), wherever the diagram now is."""
        ul, ur, dl = self.points[0], self.points[1], self.points[2]
        r_ul, r_ur, r_dl = self.ref_corners[0], self.ref_corners[1], self.ref_corners[2]
        sx = (ur[0] - ul[0]) / (r_ur[0] - r_ul[0])
        sy = (ul[1] - dl[1]) / (r_ul[1] - r_dl[1])
        q = np.array(p, dtype=float, ndmin=2).copy()
        q[:, 0] = ul[0] + (q[:, 0] - r_ul[0]) * sx
        q[:, 1] = ul[1] + (q[:, 1] - r_ul[1]) * sy
        q[:, 2] = ul[2]
        return q

    def place_scale(self) -> float:
        """How much the diagram has been scaled (radii scale with it, stroke widths not)."""
        return float((self.points[1][0] - self.points[0][0])
                     / (self.ref_corners[1][0] - self.ref_corners[0][0]))

    # -- access (stand-ins) -------------------------------------------------------------
    def node_center(self, layer: int, i: int) -> np.ndarray:
        """Scene position of neuron `i` of `layer`."""
        k = self.layout.slot(layer, i)
        return self.place(self.layout.positions[layer][k:k + 1])[0]

    def node(self, layer: int, i: int) -> Circle:
        """A Circle over neuron `i` of `layer` (a stand-in, not part of the raster)."""
        k = self.layout.slot(layer, i)
        fill = self.layer_fill(layer, self.layout.shown[layer][k:k + 1])[0]
        c = Circle(radius=self.layout.radius[layer] * self.place_scale(),
                   stroke_width=self.neuron_stroke_width, stroke_color=self.colours[
                       "neuron_stroke"])
        c.set_fill(rgb_to_hex(fill), opacity=1.0)
        return c.move_to(self.node_center(layer, i))

    def edge(self, layer: int, j: int, i: int) -> Line:
        """A Line along the edge carrying ``weights[layer][j, i]`` (a stand-in)."""
        line = Line(self.node_center(layer, i), self.node_center(layer + 1, j))
        if self.weights is not None:
            rgba, width = self.layer_edge_style(layer, self.weights[layer][j:j + 1, i])
            line.set_stroke(rgb_to_hex(rgba[0, :3]), float(width[0]), float(rgba[0, 3]))
        return line

    def layer_nodes(self, layer: int) -> VGroup:
        """Stand-in Circles over the drawn neurons of `layer`."""
        return VGroup(*[self.node(layer, int(i)) for i in self.layout.shown[layer]])

    def layer_edges(self, layer: int) -> VGroup:
        """Stand-in Lines of the drawn edges from `layer`, target-major like NetworkDiagram."""
        return VGroup(*[self.edge(layer, int(j), int(i)) for j in self.layout.shown[layer + 1]
                        for i in self.layout.shown[layer]])

    # -- state --------------------------------------------------------------------------
    def set_state(self, weights: ArrayList = None, biases: ArrayList = None,
                  activations: ArrayList = None) -> RasterNetworkDiagram:
        """Restyle from new arrays (None keeps the last value); the raster is recomputed
        lazily when the frame is drawn."""
        self._remember(weights, biases, activations)
        self._dirty = True
        return self

    def set_opacity(self, opacity: float, family: bool = True) -> RasterNetworkDiagram:
        self.opacity = float(np.clip(opacity, 0.0, 1.0))
        return self

    def fade(self, darkness: float = 0.5, family: bool = True) -> RasterNetworkDiagram:
        return self.set_opacity(1.0 - darkness)

    def set_color(self, color: Any = None, alpha: Any = None, family: bool = True
                  ) -> RasterNetworkDiagram:
        return self

    def interpolate_color(self, mobject1: Any, mobject2: Any, alpha: float) -> None:
        o1 = getattr(mobject1, "opacity", 1.0)
        o2 = getattr(mobject2, "opacity", 1.0)
        self.opacity = float(o1 + (o2 - o1) * alpha)

    def __deepcopy__(self, memo: dict) -> RasterNetworkDiagram:
        """Copies (made by animations) share the rasterised geometry, not duplicate it."""
        cls = self.__class__
        out = cls.__new__(cls)
        memo[id(self)] = out
        for key, value in self.__dict__.items():
            if key in ("_geometry", "layout"):
                setattr(out, key, value)
            elif key in ("_frame", "_canvas"):
                setattr(out, key, None)
            else:
                setattr(out, key, copy.deepcopy(value, memo))
        out._dirty = True
        return out

    # -- drawing -------------------------------------------------------------------------
    def geometry(self, camera: Camera) -> _Geometry:
        """The rasterised geometry for this camera and the diagram's current place."""
        key = (camera.pixel_width, camera.pixel_height, float(camera.frame_width),
               float(camera.frame_height), tuple(np.round(camera.frame_center, 6)),
               tuple(np.round(self.points, 6).ravel()))
        if key not in self._geometry:
            if len(self._geometry) >= 2:
                self._geometry.pop(next(iter(self._geometry)))
            self._geometry[key] = _Geometry(self, camera)
        return self._geometry[key]

    def _edge_columns(self, geo: _Geometry) -> dict[bool, np.ndarray]:
        """Per group (dense or not), per footprint column: [opacity, opacity if positive]."""
        X = {d: np.zeros((max(n, 1), 2), dtype=np.float32) for d, n in geo.n_cols.items()}
        lay = self.layout
        for li, (dense, blocks) in enumerate(geo.blocks):
            if self.weights is not None:
                shown_w = self.weights[li][np.ix_(lay.shown[li + 1], lay.shown[li])].ravel()
                rgba, widths = self.layer_edge_style(li, shown_w)
                positive = shown_w >= 0
            else:
                n = len(lay.shown[li]) * len(lay.shown[li + 1])
                rgba, widths = self.neutral_edge_style(li, n)
                positive = np.ones(n, dtype=bool)
            alpha = rgba[:, 3]
            coef = footprint_weights(widths * geo.px_per_width, [b[1] for b in blocks])
            for (start, _), c in zip(blocks, coef, strict=True):
                a = alpha * c
                X[dense][start:start + len(a), 0] = a
                X[dense][start:start + len(a), 1] = a * positive
        return X

    @staticmethod
    def _lut_index(S: np.ndarray, has_dense: bool) -> np.ndarray:
        """Colour-table index (positive share * 256 + opacity, both in 0..255) of each
        pixel from its sums S (3, n), see _Geometry.full_sums."""
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

    def raster(self, camera: Camera, backdrop: int | None = None
               ) -> tuple[tuple[int, int, int, int], np.ndarray]:
        """(box (x0, y0, w, h) in camera pixels, RGBA uint8 image (h, w, 4)): straight
        alpha, or with `backdrop` (a packed RGBA pixel value) opaque, blended over it."""
        geo = self.geometry(camera)
        key = (id(geo), self.opacity, backdrop)
        if self._frame is not None and not self._dirty and self._frame[0] == key:
            return geo.box, self._frame[1]
        w, h = geo.box[2], geo.box[3]
        X = self._edge_columns(geo)
        back = None if backdrop is None else (
            np.array([backdrop], dtype=np.uint32).view(np.uint8)[:3] / 255.0)
        lut = self._lut(back)
        colours = self._node_colours(geo)
        keep = backdrop is not None and (colours[2][:geo.dot_start] == 1.0).all()
        canvas = getattr(self, "_canvas", None)
        if keep and canvas is not None and canvas[0] == (key, lut[0]):
            layer, drawn = canvas[1], canvas[2]  # last frame's: nodes that kept their colour
        else:
            layer, drawn = np.full(w * h, lut[0], dtype=np.uint32), {}
        sums = geo.sums(X)

        def chunk(part: tuple) -> None:
            a, b = part[:2]
            layer[geo.edge_px[a:b]] = lut[self._lut_index(sums(a, b), geo.has_dense)]

        list(_pool().map(chunk, geo.chunks))
        if keep:
            self._draw_nodes(geo, layer, colours, drawn, lut[0])
            self._canvas = ((key, lut[0]), layer, drawn)
        else:
            self._canvas = None
            self._composite_nodes(geo, layer, colours, opaque=backdrop is not None)
        img = layer.view(np.uint8).reshape(h, w, 4)
        self._frame = (key, img)
        self._dirty = False
        return geo.box, img

    def _lut(self, backdrop: np.ndarray | None) -> np.ndarray:
        pos, neg = ((self._rgb["muted"], self._rgb["muted"]) if self.weights is None
                    else (self._rgb["positive"], self._rgb["negative"]))
        key = (tuple(pos), tuple(neg), self.opacity,
               None if backdrop is None else tuple(backdrop), self.hue_contrast)
        if getattr(self, "_lut_cache", (None,))[0] != key:
            self._lut_cache = (key, _lut(pos, neg, self.opacity, backdrop, self.hue_contrast))
        return self._lut_cache[1]

    def _node_colours(self, geo: _Geometry) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(fill RGB, ring RGB, ring opacity) of every drawn neuron and ellipsis dot."""
        lay = self.layout
        n = geo.n_nodes
        fill_rgb = np.empty((n, 3), dtype=np.float32)
        ring_rgb = np.zeros((n, 3), dtype=np.float32)
        ring_a = np.zeros(n, dtype=np.float32)
        for li in range(len(lay.positions)):
            a, b = geo.node_start[li], geo.node_start[li + 1]
            fill_rgb[a:b] = self.layer_fill(li, lay.shown[li])
            rgb, rw = self.layer_ring(li, lay.shown[li], self.neuron_stroke_width)
            ring_rgb[a:b] = rgb
            ratio = rw / max(self.neuron_stroke_width, 1e-9)
            ring_a[a:b] = 1.0 if not self.show_biases or li == 0 else np.clip(
                (ratio - 0.5) / 2.5, 0.25, 1.0)
        fill_rgb[geo.dot_start:] = self._rgb["muted"]
        return fill_rgb, ring_rgb, ring_a

    @staticmethod
    def _rim_blend(geo: _Geometry, idx: np.ndarray, under: np.ndarray, packed: np.ndarray,
                   ring8: np.ndarray) -> np.ndarray:
        """Opaque rim pixels geo.rim_px[idx] over `under` (RGBA uint8 rows), in integer
        arithmetic: under * ku + fill * kf + ring * kr, weights summing to 256."""
        ku, kf, kr = (k[idx] for k in geo.rim_k)
        node = geo.rim_node[idx]
        rgb = under[:, :3] * ku
        rgb += packed[node, :3] * kf
        rgb += ring8[node] * kr
        rgb >>= 8
        out = np.empty((len(idx), 4), dtype=np.uint8)
        out[:, :3] = rgb
        out[:, 3] = 255
        return out.view(np.uint32).ravel()

    def _draw_nodes(self, geo: _Geometry, layer: np.ndarray, colours: tuple,
                    drawn: dict[int, bytes], backdrop: np.uint32) -> None:
        """Opaque neurons onto a canvas kept from the last frame: a layer whose colours
        did not change (the 784 inputs while a trace plays) is left as it is; the rims
        that edges pass under are blended again."""
        fill_rgb, ring_rgb, _ = colours
        packed = np.empty((geo.n_nodes, 4), dtype=np.uint8)
        packed[:, :3] = np.clip(fill_rgb * 255 + 0.5, 0, 255)
        packed[:, 3] = 255
        ring8 = np.clip(ring_rgb * 255 + 0.5, 0, 255).astype(np.uint16)
        flat = packed.view(np.uint32).ravel()
        starts = [*geo.node_start, geo.n_nodes]
        for k, (inner, still) in enumerate(zip(geo.inner_by_group, geo.still_by_group,
                                                strict=True)):
            a, b = starts[k], starts[k + 1]
            sig = flat[a:b].tobytes() + ring8[a:b].tobytes()
            if drawn.get(k) == sig:
                continue
            layer[geo.inner_px[inner]] = flat[geo.inner_node[inner]]
            under = np.broadcast_to(np.array([backdrop], np.uint32).view(np.uint8),
                                    (len(still), 4))
            layer[geo.rim_px[still]] = self._rim_blend(geo, still, under, packed, ring8)
            drawn[k] = sig
        moving = geo.rim_moving
        under = layer[geo.rim_px[moving]].view(np.uint8).reshape(-1, 4)
        layer[geo.rim_px[moving]] = self._rim_blend(geo, moving, under, packed, ring8)

    def _composite_nodes(self, geo: _Geometry, layer: np.ndarray, colours: tuple,
                         opaque: bool) -> None:
        """Neuron fills and rings over the edges: the insides of the discs by one gather,
        the anti-aliased rims and rings blended on the few pixels they touch."""
        fill_rgb, ring_rgb, ring_a = colours
        n = geo.n_nodes
        o = 1.0 if opaque else self.opacity
        packed = np.empty((n, 4), dtype=np.uint8)
        packed[:, :3] = np.clip(fill_rgb * 255 + 0.5, 0, 255)
        packed[:, 3] = int(round(255 * o))
        layer[geo.inner_px] = packed.view(np.uint32).ravel()[geo.inner_node]
        under = layer[geo.rim_px].view(np.uint8).reshape(-1, 4).astype(np.float32) / 255.0
        alpha = under[:, 3] / max(o, 1e-6)  # before the global opacity
        col = under[:, :3] * alpha[:, None]  # premultiplied
        node = geo.rim_node
        fc = geo.rim_fill
        col = col * (1 - fc[:, None]) + fill_rgb[node] * fc[:, None]
        alpha = alpha * (1 - fc) + fc
        rc = geo.rim_ring * ring_a[node]
        col = col * (1 - rc[:, None]) + ring_rgb[node] * rc[:, None]
        alpha = np.clip(alpha * (1 - rc) + rc, 0.0, 1.0)
        out = np.empty((len(alpha), 4), dtype=np.uint8)
        out[:, :3] = np.clip(col / np.maximum(alpha, 1e-6)[:, None] * 255 + 0.5, 0, 255)
        out[:, 3] = np.clip(alpha * o * 255 + 0.5, 0, 255)
        layer[geo.rim_px] = out.view(np.uint32).ravel()

    def draw_to_camera(self, camera: Camera, pixel_array: np.ndarray) -> None:
        """Put the raster into the camera's frame (called by the camera). Over a plain
        backdrop (the usual case) it is blended in the colour table and copied; over
        anything else it is alpha-composited with Pillow."""
        if self.opacity <= 0:
            return
        x0, y0, w, h = self.geometry(camera).box
        region = pixel_array[y0:y0 + h, x0:x0 + w]
        packed = region.view(np.uint32)[..., 0]
        first = int(packed[0, 0])
        if (self.opacity >= 1.0 and (first >> 24) == 255
                and int(packed.min()) == first == int(packed.max())):  # no temporary
            region[...] = self.raster(camera, backdrop=first)[1]
            return
        img = self.raster(camera)[1]
        under = Image.frombuffer("RGBA", (w, h), np.ascontiguousarray(region), "raw", "RGBA",
                                 0, 1)
        over = Image.frombuffer("RGBA", (w, h), img, "raw", "RGBA", 0, 1)
        region[...] = np.asarray(Image.alpha_composite(under, over))

    def get_pixel_array(self) -> np.ndarray:
        """What manim's own camera (a plain Scene, NNVIZ_STOCK_MANIM=1) pastes onto the
        corners (nearest): the raster at the current config's resolution, laid out so that
        it lands where draw_to_camera puts it (see stock_camera)."""
        camera = config_camera()
        box, img = self.raster(camera)
        return for_stock_camera(img, box, camera.points_to_subpixel_coords(self, self.points))


def rgb_to_hex(rgb: np.ndarray) -> str:
    r, g, b = (int(round(255 * float(np.clip(c, 0, 1)))) for c in rgb)
    return f"#{r:02x}{g:02x}{b:02x}"


def make_network_diagram(*args, raster: bool = False, **kwargs) -> VMobject:
    """NetworkDiagram, or with ``raster=True`` the numpy-rasterised RasterNetworkDiagram
    (same arguments and methods) for diagrams with thousands of edges."""
    return (RasterNetworkDiagram if raster else NetworkDiagram)(*args, **kwargs)


__all__ = ["RasterNetworkDiagram", "make_network_diagram", "line_coverage", "disc_coverage"]
