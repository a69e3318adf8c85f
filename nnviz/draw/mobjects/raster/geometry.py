"""The diagram rasterised at one place and one camera resolution: the coverage of every
neuron, the edges' sparse coverage matrix F in bands of rows for the worker threads (one
compact copy, see edges.py), and the sums F X of a frame's edge inks, reusing earlier
frames where the inks move on a path.

Building one costs about 1.5 s of CPU for 12,960 edges at 1080p (a few milliseconds for
a small diagram) and 8 bytes per coverage entry (10.5 million entries at 1080p, 80
million at 4K, of which a big F keeps only the columns the diagram can ink: about 50 million
for digits-network); RasterNetworkDiagram keeps the last two (see its ``geometry``),
and an F left unused, or still, while another is built is let go (release_idle).
"""
from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

import numpy as np
import scipy.sparse as sp

from nnviz.draw.mobjects.network import NetworkLayout
from nnviz.draw.mobjects.raster.coverage import disc_coverage, footprint_widths, leave_box
from nnviz.draw.mobjects.raster.edges import Footprints, edge_bands, give_back, plan_bands
from nnviz.draw.mobjects.raster.pool import pool

if TYPE_CHECKING:
    from manim.camera.camera import Camera

CAIRO_LINE_WIDTH = 0.01  # manim: stroke width 1 = 0.01 scene units


# Geometries alive, and a clock of frames summed (all diagrams): F is most of a
# geometry's memory (8 bytes an entry: 650 MB for 784-16-16-10 at 4K), but a diagram
# whose edge inks stay put (faded, moved off, or only its neurons changing) draws from
# its last sums. Before a new F is built, the Fs unused for IDLE_FRAMES are let go; one
# needed again is built again (seconds at 4K), which is why they are not let go sooner.
_LIVE: weakref.WeakSet[Geometry] = weakref.WeakSet()
_CLOCK = [0]
IDLE_FRAMES = 120
# A diagram whose inks have not moved for STILL_FRAMES frames (and whose F was not used
# meanwhile) is let go sooner: it is being read, faded or cross-faded, not played (a
# playback moves its inks every frame, even on frames drawn without F). In
# digits-network the big diagram fades out while the next is built, 108 frames after
# its last flow: both Fs at once made 2.2 GB at 4K.
STILL_FRAMES = 30
# F expected to hold fewer entries than this (240 MB) is built with every column: a
# training playback would soon build it again with all of them (+8 % CPU for the
# 784-16-16-10 clip at 1080p); above it (4K) the memory is worth that risk.
LAZY_ENTRIES = 30_000_000


def release_idle() -> None:
    """Let go of the F of every geometry that has not used it for IDLE_FRAMES frames, or
    for STILL_FRAMES with inks that did not move."""
    now = _CLOCK[0]
    idle = [g for g in list(_LIVE) if g._chunks is not None and (
        now - g._used > IDLE_FRAMES or min(now - g._used, now - g._moved) > STILL_FRAMES)]
    for g in idle:
        g.release()
    if idle:
        give_back()


def used_footprints(levels: Sequence[float], thinnest: float) -> list[bool]:
    """Which footprint widths a layer whose lines are at least `thinnest` pixels wide
    can use: footprint k carries weight only below levels[k + 1] (footprint_weights)."""
    return [k + 1 >= len(levels) or thinnest < levels[k + 1] for k in range(len(levels))]


class Rasterisable(Protocol):
    """What the geometry reads from a diagram (RasterNetworkDiagram has it)."""

    layout: NetworkLayout
    ref_corners: Sequence[np.ndarray]
    neuron_stroke_width: float
    dense_edges: int
    min_width: Sequence[float]
    max_width: Sequence[float]

    def place(self, p: np.ndarray) -> np.ndarray: ...

    def place_scale(self) -> float: ...

    def edge_reach(self, geo: Geometry) -> dict[bool, np.ndarray]: ...


def inked(X: dict[bool, np.ndarray]) -> dict[bool, np.ndarray]:
    """Per group, which columns of X carry ink (a nonzero opacity)."""
    return {d: (x != 0).any(axis=1) for d, x in X.items()}


class Geometry:
    """The diagram rasterised at one place and one camera resolution."""

    def __init__(self, diagram: Rasterisable, camera: Camera) -> None:
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

        # Nodes (and the ellipsis dots) first: their opaque interiors hide edges. Built in
        # a method of its own, so that its temporaries are gone before the edges'.
        opaque = self._nodes(diagram, to_px, off, size, scale, ppu)
        count = self.n_nodes
        # Edges: one column per (layer, footprint, edge), one row per pixel (entries only
        # outside the opaque insides of the neurons). Two groups: the dense layers, whose
        # many faint edges combine like Cairo's "over", and the rest, whose opacities add.
        sets: list[Footprints] = []
        self.blocks: list[tuple[bool, list[tuple[int, float]]]] = []  # per layer
        n_cols = {True: 0, False: 0}
        for li in range(len(lay.positions) - 1):
            src, dst = to_px(lay.positions[li]) - off, to_px(lay.positions[li + 1]) - off
            jj, ii = np.meshgrid(np.arange(len(dst)), np.arange(len(src)), indexing="ij")
            p0, p1 = src[ii.ravel()], dst[jj.ravel()]
            if li == 0 and lay.grid is not None:
                r = lay.radius[0] * scale * ppu
                p0 = leave_box(p0, p1, src.min(axis=0) - r, src.max(axis=0) + r)
            dense = len(lay.shown[li]) * len(lay.shown[li + 1]) > diagram.dense_edges
            blocks = []
            levels = footprint_widths(diagram.max_width[li] * self.px_per_width)
            # The narrowest line this layer draws (edge_style's widths run from min_width
            # to max_width, the neutral one is between): a footprint below the two levels
            # around it always gets weight 0 (footprint_weights), so its column keeps its
            # place in X but gets no entries; the sums are the same to the bit.
            lo_w, hi_w = diagram.min_width[li], diagram.max_width[li]
            used = used_footprints(levels, min(lo_w, lo_w + (hi_w - lo_w) * 1.0)
                                   * self.px_per_width)
            for k, wpx in enumerate(levels):
                if used[k]:
                    sets.append(Footprints(dense, n_cols[dense], p0, p1, wpx))
                blocks.append((n_cols[dense], wpx))
                n_cols[dense] += len(p0)
            self.blocks.append((dense, blocks))
        self.n_cols = n_cols
        self.has_dense = n_cols[True] > 0
        # F in bands of rows, one copy, column-major (see edges.py): (a, b, dense, sparse)
        # per band of rows a..b of edge_px (the pixels some edge touches), summed in
        # parallel threads (scipy's sparse products and numpy's arithmetic release the GIL).
        # In a big F (LAZY_ENTRIES), only the columns the diagram can ink get entries
        # (`need`: the footprints of the widths its edges have reached, see edge_reach;
        # when a frame inks another, F is built again with all, see need_columns). A
        # line between two footprint widths draws with two of them, and most edges are
        # thin: for digits-network at 4K, F holds 40 % fewer entries.
        release_idle()  # other diagrams' idle F first, so the two are not held at once
        total = sum(float(e.sum()) for e in plan_bands(sets, size)[1].values())
        self.need = (diagram.edge_reach(self) if total >= LAZY_ENTRIES else
                     {d: np.ones(max(n, 1), dtype=bool) for d, n in n_cols.items()})
        self.edge_px, self._chunks = edge_bands(sets, n_cols, opaque, size, self.need)
        self.bounds = [(a, b) for a, b, *_ in self._chunks]  # rows of each band
        self._inputs: tuple | None = (sets, n_cols, opaque, size)  # to build F again
        self._used = self._moved = _CLOCK[0]
        _LIVE.add(self)
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
        self._last: tuple | None = None  # (x, sums by row range, their function)

    def _nodes(self, diagram: Rasterisable, to_px: Callable[[np.ndarray], np.ndarray],
               off: np.ndarray, size: tuple[int, int], scale: float, ppu: float
               ) -> np.ndarray:
        """The neurons' and ellipsis dots' pixels (inner, rims and rings); returns the
        box's opaque pixels (flat bool), which hide the edges under them."""
        lay = diagram.layout
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
        return opaque

    @property
    def chunks(self) -> list[tuple]:
        """F by bands: (a, b, dense, sparse) per band of rows a..b of edge_px. Built again
        (the same, from the same inputs) if release_idle let it go, or with more columns
        if `need` grew."""
        if self._chunks is None:
            assert self._inputs is not None
            release_idle()
            edge_px, self._chunks = edge_bands(*self._inputs, self.need)
            assert np.array_equal(edge_px, self.edge_px)
        self._used = _CLOCK[0]
        return self._chunks

    def need_columns(self, X: dict[bool, np.ndarray]) -> None:
        """Make sure F has the columns X inks (built again with all columns if not).
        The last sums stay right: the columns added had no ink in them."""
        now = inked(X)
        if any((now[d] & ~self.need[d]).any() for d in now):
            # Inks that move to other footprints (edges changing width: a training
            # playback) would keep asking for more: all columns at once, one build.
            self.need = {d: np.ones_like(v) for d, v in now.items()}
            self._chunks = None
            give_back()

    def keep_all_columns(self) -> None:
        """Give every column its entries from now on (F is built again if it lacked any)."""
        self.need_columns({d: np.ones((max(n, 1), 1)) for d, n in self.n_cols.items()})

    def release(self) -> None:
        """Let F go (its last sums stay: a frame with the same inks needs no F)."""
        self._chunks = None

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

        list(pool().map(part, self.chunks))
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
        _CLOCK[0] += 1
        self.need_columns(X)
        x = np.concatenate([X[False].ravel(), X[True].ravel()])
        last = self._last
        if last is not None and np.array_equal(x, last[0]):
            # The inks of the last frame: its sums again, with no F (a diagram whose
            # edges stay put after a change, e.g. lit neurons over fixed weights).
            memo, again = last[1], last[2]
            return lambda a, b: memo[(a, b)] if (a, b) in memo else again(a, b)
        f = self._sums(x, X, tol, max_moved, max_dirs)
        memo: dict[tuple[int, int], np.ndarray] = {}

        def kept(a: int, b: int) -> np.ndarray:
            memo[(a, b)] = out = f(a, b)
            return out

        self._last = (x, memo, f)
        return kept

    def _sums(self, x: np.ndarray, X: dict[bool, np.ndarray], tol: float, max_moved: float,
              max_dirs: int) -> Callable[[int, int], np.ndarray]:
        """sums, for inks that changed since the last frame."""
        if self.anchor is not None:
            x_a, S_a, dirs = self.anchor
            diff = x - x_a
            if not diff.any():
                return lambda a, b: S_a[:, a:b]
            self._moved = _CLOCK[0]
            if dirs:
                blend = self._blend(S_a, dirs, diff, tol, max_moved)
                if blend is not None:
                    return blend
            if len(dirs) < max_dirs:  # off the span: one more direction from this frame
                S = self.full_sums(X)
                dirs.append((diff, S - S_a))
                return lambda a, b: S[:, a:b]
            # The old path's sums (3 frames' worth: 60 MB at 4K) go before the new one's.
            del x_a, S_a, dirs, diff
            self.anchor = None
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
        opacity and positive opacity), or None if none moved. The columns are sliced out
        of each band (CSC), and summed in edge order, like the full product."""
        n = max(self.n_cols[dense], 1)
        lo = self.offsets[dense]
        rows = r[lo:lo + 2 * n].reshape(-1, 2)
        cols = np.nonzero(moved[lo:lo + 2 * n].reshape(-1, 2).any(axis=1))[0]
        if len(cols) == 0:
            return None
        add = np.empty((len(self.edge_px), 2), dtype=np.float32)
        part = rows[cols]
        for a, b, dense_m, sparse_m in self.chunks:
            add[a:b] = (dense_m if dense else sparse_m)[:, cols] @ part
        return (1 if dense else 0), add
