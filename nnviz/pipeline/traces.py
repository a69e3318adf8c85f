"""Trace filling: every trace the requested scenes read is trained at most once, up front,
into the trace store, before any scene renders (scenes never train while they draw)."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from nnviz.core.errors import NNVizError
from nnviz.core.files import check_writable
from nnviz.core.trace import Trace
from nnviz.spec.config import SceneConfig, TraceSpec
from nnviz.spec.store import TraceStore


def needed_traces(configs: Iterable[SceneConfig]) -> dict[str, TraceSpec]:
    """Every trace the configs read, once each (two scenes may share one)."""
    specs: dict[str, TraceSpec] = {}
    for cfg in configs:
        for s in cfg.traces().values():
            specs.setdefault(s.key(), s)
    return specs


def ensure_traces(specs: dict[str, TraceSpec], store: TraceStore, retrain: bool = False,
                  ui: Any = None) -> tuple[list[str], list[str]]:
    """Train what the store lacks (or everything, with retrain); (trained, cached) keys."""
    trained, cached = [], []
    for key, s in specs.items():
        if not retrain and store.has(s):
            problem = store.problem(s)
            if problem is None:
                cached.append(key)
                continue
            warn = getattr(ui, "warn", None) or (lambda m: print(m, file=sys.stderr))
            warn(f"nnviz: cached trace '{store.path(s)}' is unusable ({problem}); "
                 "training it again.")
        progress = ui.training(s.label(), s.steps) if ui else None
        try:
            _, did_train = store.ensure(s, retrain=retrain, progress=progress)
        finally:
            if ui:
                ui.training_done(s.label())
        (trained if did_train else cached).append(key)
    for s in specs.values():
        check_finished(s, store.path(s))
    return trained, cached


def check_finished(s: TraceSpec, path: Path) -> None:
    """Refuse, before any scene renders, a trace whose training stopped early (the loss
    became NaN or infinite): a scene would present an untrained network as trained."""
    stopped = Trace.read_meta(path).get("stopped")
    if stopped:
        raise NNVizError(f"Training '{s.label()}' stopped early: {stopped}. Lower its "
                         "learning rate (lr) or change the settings that set it.")


def resolve_store(cache_dir: str | Path | None) -> TraceStore:
    """The store at --cache, else $NNVIZ_CACHE, else ./cache/traces; its folder is created
    now and must be writable."""
    store = TraceStore(cache_dir)
    check_writable(store.folder, "trace cache folder")
    return store
