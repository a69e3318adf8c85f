"""Which training steps a trace keeps.

Keeping every step of a long run wastes gigabytes; animations need detail where the
weights move fast, which is early on. A schedule is either an integer k (every k-th
step) or "log:N" (about N records, dense early and sparse late). Step 0 (the untrained
network) and the final step are always kept.
"""

from __future__ import annotations

import numpy as np

from nnviz.core.errors import NNVizError


def record_steps(steps: int, record: int | str = 1) -> np.ndarray:
    """Sorted unique step numbers in [0, steps] to record."""
    if isinstance(record, str) and record.isdigit():
        record = int(record)
    if isinstance(record, int | np.integer):
        if record < 1:
            raise NNVizError(f"Record interval must be at least 1, got {record}.")
        kept = np.arange(0, steps + 1, int(record))
    elif isinstance(record, str) and record.startswith("log:") and record[4:].isdigit():
        n = max(int(record[4:]), 2)
        kept = np.unique(np.round(np.geomspace(1, steps + 1, n) - 1).astype(int))
    else:
        raise NNVizError(
            f"Bad record schedule {record!r}: give an integer k (every k steps) or 'log:N'."
        )
    return np.union1d(kept, [0, steps]).astype(int)
