"""The edges' coverage matrix F of one geometry, built compactly: one copy of its entries,
in horizontal bands of pixel rows (one per worker thread), each band column-major (CSC:
per edge footprint, the pixels it covers).

Why this layout: line_runs produces the entries edge after edge, so each band is filled
by appending, with no sort and no second copy (a row-major matrix plus an edge-major one
for the few edges that leave a path, as before, cost 16 bytes an entry and a sort; this
costs 8: an int32 row and a float32 coverage). The product F X per band (scipy's
csc_matvecs) adds each pixel's entries in edge order, as the row-major product did, so
the sums are the same to the last bit; the columns of a few edges are a slice of each
band. The lines are rasterised in the worker threads, a bounded number ahead of the
thread that appends them, so at most a few batches are held twice.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from nnviz.draw.mobjects.raster.coverage import line_batches
from nnviz.draw.mobjects.raster.pool import THREADS, pool


@dataclass(frozen=True)
class Footprints:
    """One footprint width of one layer's edges: columns col0 .. col0 + len(p0) of the
    `dense` group, lines p0 -> p1 (pixels of the geometry's box), `width` pixels wide."""

    dense: bool
    col0: int
    p0: np.ndarray
    p1: np.ndarray
    width: float


class _Buffer:
    """A 1-d array filled by appending, sized from an estimate: its untouched tail costs
    no memory (the pages are never written) and is cut off at the end; past the estimate
    it grows in place (realloc moves big blocks without copying)."""

    def __init__(self, dtype: type, capacity: int) -> None:
        self.a = np.empty(max(int(capacity), 1 << 12), dtype=dtype)
        self.n = 0

    def extend(self, x: np.ndarray) -> None:
        need = self.n + len(x)
        if need > len(self.a):
            self.a.resize(max(need, int(len(self.a) * 1.25)), refcheck=False)
        self.a[self.n:need] = x
        self.n = need

    def done(self) -> np.ndarray:
        self.a.resize(self.n, refcheck=False)
        return self.a


def plan_bands(sets: list[Footprints], size: tuple[int, int], threads: int = THREADS
               ) -> tuple[np.ndarray, dict[bool, np.ndarray]]:
    """(flat pixel indices cutting the box into bands of whole rows with about equal work,
    per group the entries expected in each band), estimated from where the lines run, so
    the bands can be filled while the lines are rasterised. A line crossing a pixel
    column with a cross-section of c pixels touches c + 1 pixels on average: length *
    width + its extent along its major axis in all, spread evenly over its rows. One band
    per 500,000 entries or so, at most two per thread (the bands only share out work)."""
    w, h = size
    diff = {d: np.zeros(h + 1) for d in (False, True)}
    for s in sets:
        if not len(s.p0):
            continue
        d = s.p1 - s.p0
        y0 = np.clip(np.minimum(s.p0[:, 1], s.p1[:, 1]), 0, h - 1).astype(np.int64)
        y1 = np.clip(np.maximum(s.p0[:, 1], s.p1[:, 1]), 0, h - 1).astype(np.int64)
        spread = (np.hypot(d[:, 0], d[:, 1]) * s.width + np.abs(d).max(axis=1)) / (y1 - y0 + 1)
        np.add.at(diff[s.dense], y0, spread)
        np.add.at(diff[s.dense], y1 + 1, -spread)
    per_row = {d: np.cumsum(v[:h]) for d, v in diff.items()}
    cum = np.cumsum(per_row[False] + per_row[True])
    total = float(cum[-1]) if h else 0.0
    n_bands = int(min(2 * threads, max(1, total // 500_000)))
    cuts = np.searchsorted(cum, np.linspace(0, total, n_bands + 1)[1:-1])
    rows = np.unique(np.concatenate([[0], cuts, [h]]).astype(np.int64))
    expect = {d: np.add.reduceat(v, rows[:-1]) if h else np.zeros(1)
              for d, v in per_row.items()}
    return rows * w, expect


def _ordered(jobs: Iterable[Callable[[], tuple]], ahead: int) -> Iterator[tuple]:
    """Results of `jobs` run in the pool, in order, at most `ahead` running or waiting."""
    queue: deque[Future] = deque()
    for job in jobs:
        queue.append(pool().submit(job))
        if len(queue) >= ahead:
            yield queue.popleft().result()
    while queue:
        yield queue.popleft().result()


def _batch(run: Callable[[], tuple], opaque: np.ndarray, bounds: np.ndarray,
           keep: np.ndarray | None = None) -> tuple:
    """One batch of lines rasterised (in a worker thread): (every pixel touched, then the
    entries kept: those under an opaque neuron dropped, and all of a line not in `keep`;
    sorted by band (stably: each band keeps the edge order), and per line the entries
    in each band). One sort does both: a dropped entry's key is past every band."""
    pix, cov, counts = run()
    every_pix = pix
    if keep is not None and not keep.all():
        if not keep.any():
            n_bands = len(bounds) - 1
            return (pix, pix[:0], cov[:0],
                    np.zeros((len(counts), n_bands), dtype=np.int64))
        kept = np.repeat(keep, counts)
        pix, cov = np.compress(kept, pix), np.compress(kept, cov)
        counts = counts * keep
    n_bands = len(bounds) - 1
    key = opaque.take(pix).view(np.uint8) * np.uint8(n_bands)
    for cut in bounds[1:-1]:
        key += pix >= cut
    order = np.argsort(key, kind="stable")  # a radix sort for one-byte keys
    # Per line and band, its entries: where each line's end falls among each band's
    # positions (ascending in `order`).
    per_band = np.empty((len(counts), n_bands), dtype=np.int64)
    line_end = np.cumsum(counts)
    lo = 0
    for k in range(n_bands):
        hi = lo + int(np.count_nonzero(key == k))
        got = np.searchsorted(order[lo:hi], line_end, side="left")
        per_band[:, k] = np.diff(got, prepend=0)
        lo = hi
    order = order[:lo]
    return every_pix, pix.take(order), cov.take(order), per_band


def edge_bands(sets: list[Footprints], n_cols: dict[bool, int], opaque: np.ndarray,
               size: tuple[int, int], need: dict[bool, np.ndarray] | None = None
               ) -> tuple[np.ndarray, list[tuple]]:
    """(edge_px: the flat box pixels some edge covers, bands: (a, b, dense F, sparse F)
    per band of rows a..b of edge_px, each a CSC matrix (b - a, columns of its group)).

    With `need` (per group, a bool per column), only the entries of those columns are
    kept (the others' columns are empty): a column whose ink is 0 adds exactly 0 to
    every sum. edge_px counts every column's pixels all the same, so it does not change
    when more columns are needed later."""
    with kept_heap():
        return _edge_bands(sets, n_cols, opaque, size, need)


def _edge_bands(sets: list[Footprints], n_cols: dict[bool, int], opaque: np.ndarray,
                size: tuple[int, int], need: dict[bool, np.ndarray] | None
                ) -> tuple[np.ndarray, list[tuple]]:
    """edge_bands, inside kept_heap."""
    bounds, expect = plan_bands(sets, size)
    n_bands = len(bounds) - 1
    touched = np.zeros(size[0] * size[1], dtype=bool)
    room = {d: 1.1 * e + 4096 for d, e in expect.items()}  # estimate, plus some
    rows = {d: [_Buffer(np.int32, room[d][k]) for k in range(n_bands)] for d in (False, True)}
    vals = {d: [_Buffer(np.float32, room[d][k]) for k in range(n_bands)] for d in (False, True)}
    per_col = {d: np.zeros((max(n_cols[d], 1), n_bands), dtype=np.int64) for d in (False, True)}
    jobs: list[tuple[Footprints, int, int, Callable]] = [
        (s, a, b, run) for s in sets for a, b, run in line_batches(s.p0, s.p1, s.width, size)]

    def work(job: tuple) -> Callable[[], tuple]:
        s, a, b, run = job
        keep = None if need is None else need[s.dense][s.col0 + a:s.col0 + b]
        return lambda: _batch(run, opaque, bounds, keep)

    for (s, a, b, _), (every_pix, pix, cov, per_band) in zip(
            jobs, _ordered((work(j) for j in jobs), 2 * THREADS + 2), strict=True):
        touched[every_pix] = True
        per_col[s.dense][s.col0 + a:s.col0 + b] = per_band
        ends = np.cumsum(per_band.sum(axis=0))
        for k in range(n_bands):
            lo = ends[k - 1] if k else 0
            if ends[k] > lo:
                rows[s.dense][k].extend(pix[lo:ends[k]])
                vals[s.dense][k].extend(cov[lo:ends[k]])
    touched &= ~opaque  # entries under a neuron were dropped
    edge_px = np.flatnonzero(touched).astype(np.int32)  # the box has < 2**31 pixels
    row_of = np.cumsum(touched, dtype=np.int32)
    row_of -= 1
    del touched
    row_bounds = np.searchsorted(edge_px, bounds)

    def band(k: int) -> tuple:
        a, b = int(row_bounds[k]), int(row_bounds[k + 1])
        mats = []
        for dense in (True, False):
            r = rows[dense][k].done()
            for lo in range(0, len(r), 1 << 20):  # pixel -> row of edge_px, in place
                seg = r[lo:lo + (1 << 20)]
                seg[:] = row_of[seg] - a
            ptr = np.zeros(len(per_col[dense]) + 1, dtype=np.int64)
            np.cumsum(per_col[dense][:, k], out=ptr[1:])
            if ptr[-1] >= np.iinfo(np.int32).max:
                raise ValueError("a band of the raster holds over 2**31 entries")
            mats.append(sp.csc_matrix((vals[dense][k].done(), r, ptr.astype(np.int32)),
                                      shape=(b - a, len(per_col[dense]))))
        return (a, b, *mats)

    return edge_px, [m for m in pool().map(band, range(n_bands)) if m[1] > m[0]]


@functools.cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # mallopt's parameters (glibc malloc.h)
_MMAP_AT = 32 << 20  # glibc's own ceiling for its adaptive mmap threshold (64-bit)
_TRIM_AFTER = 16 << 20  # afterwards: glibc's own adaptive value where 1080p frames (8 MB) go


@contextlib.contextmanager
def kept_heap() -> Iterator[None]:
    """glibc's heaps keep what a build frees until the build is over, then hand it back.

    A build frees and allocates a few MB of temporaries per batch of lines in each
    thread. glibc trims a heap whose free top passes its threshold (a few MB) and the
    next batch faults the same pages in again: 1.7 million page faults and 6.5 s of
    system time for 784-128-10 at 1080p, on a VM where a fresh page is expensive. The
    threshold is set out of reach meanwhile, and afterwards to 16 MB, where glibc's
    adaptive one ends up when 8 MB frames (1080p) are freed; a higher one keeps more
    freed memory at 4K (setting one turns the adaptation off, so the mmap threshold is
    set too, to the adaptive one's ceiling: blocks above 32 MB, F's bands and frames at
    4K, are mapped and unmapped on their own).

    numpy also stops asking for huge pages meanwhile: the kernel compacts memory to find
    them (transparent_hugepage/defrag = madvise), which cost 0.1-4 s for F's 900 MB here
    against a steady 0.4 s in small pages."""
    libc = _libc()
    huge = _huge_pages(False)
    if libc is None or not hasattr(libc, "mallopt"):
        try:
            yield
        finally:
            _huge_pages(huge)
        return
    libc.mallopt(_M_MMAP_THRESHOLD, _MMAP_AT)
    libc.mallopt(_M_TRIM_THRESHOLD, 1 << 30)
    try:
        yield
    finally:
        _huge_pages(huge)
        libc.mallopt(_M_TRIM_THRESHOLD, _TRIM_AFTER)
        libc.malloc_trim(0)


def _huge_pages(enabled: bool) -> bool:
    """Turn numpy's madvise(MADV_HUGEPAGE) of big arrays on or off (numpy 2's private
    switch, None-safe: without it nothing changes); returns the previous setting."""
    switch = getattr(getattr(np, "_core", None), "multiarray", None)
    switch = getattr(switch, "_set_madvise_hugepage", None)
    return bool(switch(enabled)) if switch is not None else enabled


def give_back() -> None:
    """Hand the build's freed temporaries back to the system (glibc's malloc_trim; a
    no-op elsewhere). glibc keeps freed blocks below its adaptive mmap threshold in its
    heaps, one per thread: after a build at 4K that is 150-200 MB the process would
    otherwise keep, and the next diagram's build would come on top of it."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
