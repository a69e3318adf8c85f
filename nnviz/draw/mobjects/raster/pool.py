"""The raster's worker threads: scipy's sparse products and numpy's arithmetic release
the GIL, so row chunks of one frame are summed and coloured in parallel."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

THREADS = max(1, min(4, os.cpu_count() or 1))
_POOL: ThreadPoolExecutor | None = None


def pool() -> ThreadPoolExecutor:
    """The shared pool, started on first use."""
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(THREADS, thread_name_prefix="nnviz-raster")
    return _POOL
