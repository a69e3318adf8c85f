"""nnviz from Python: render a registered scene with settings, or get its scene class
configured for manim (the `manim` command, or the `%%manim` cell magic in a notebook).

    import nnviz

    files = nnviz.render("warp-layers", quality="720p", formats=("mp4", "gif"), seed=2)
    files["mp4"]                # Path('renders/warp-layers/720p/warp-layers.mp4')

    WarpLayers = nnviz.scene_class("warp-layers", seed=2, lr=0.03)
    # in a notebook cell:  %%manim -qm WarpLayers

Settings are the knobs `nnviz list NAME` shows, as typed values or as the strings
`--set` takes; they are validated exactly as on the command line, and a mistake is one
NNVizError naming the valid choices.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Any

from nnviz.core.errors import NNVizError
from nnviz.core.files import check_writable
from nnviz.pipeline.configs import resolve, scene_config, scene_names
from nnviz.pipeline.jobs import quality as get_quality
from nnviz.pipeline.jobs import scene_jobs
from nnviz.pipeline.traces import ensure_traces, needed_traces, resolve_store


def scene_class(name: str, /, *, cache: str | Path | None = None, **settings: Any) -> type:
    """The scene class of registered scene `name`, configured with `settings`.

    Returns a subclass whose default config is the validated settings and whose traces
    are already trained into the trace store (`cache`, else $NNVIZ_CACHE, else
    ./cache/traces), so anything that instantiates it with no arguments renders it with
    those knobs: manim's `%%manim -qm ClassName` cell magic, or `manim file.py ClassName`
    for a file that assigns (or subclasses) it at top level. The class keeps the
    registered class's name (e.g. WarpLayers) and belongs to the calling module."""
    scene_names([name], False)
    scene_cls, _ = resolve(name)
    cfg = scene_config(name, settings)
    store = resolve_store(cache)
    ensure_traces(needed_traces([cfg]), store)
    caller = sys._getframe(1).f_globals.get("__name__", scene_cls.__module__)
    return scene_cls.configured(cfg, store, module=caller)


def render(name: str, /, quality: str = "draft", out: str | Path = "renders",
           formats: tuple[str, ...] | list[str] | str = ("mp4",), *,
           cache: str | Path | None = None, poster_time: float | None = None,
           encoding: str = "fast", retrain: bool = False, narrate: bool = False,
           **settings: Any) -> dict[str, Path]:
    """Render registered scene `name` with `settings`, as `nnviz render` does, and return
    its files by format: {"mp4": Path("renders/<name>/<quality>/<name>.mp4"), ...}.

    `quality` is draft (480p15), 720p, 1080p or 4k; `formats` any of mp4, webm, gif,
    poster, html; a scene in beats also gets its beats, captions and chapters ("beats",
    "vtt", "srt", "chapters"), and with `narrate` a scratch voice-over (espeak-ng).
    Traces are trained into `cache` first (unless stored already). The
    scene renders in this process, through the same worker and export as the command
    line, so it needs no `if __name__ == "__main__"` guard; a failing scene raises one
    NNVizError."""
    from nnviz.pipeline.export import parse_formats
    from nnviz.pipeline.worker import render_job

    q = get_quality(quality)
    fmts = parse_formats(formats)
    scene_names([name], False)
    cfg = scene_config(name, settings)
    if narrate:
        from nnviz.pipeline.narration import check_engine

        check_engine()
    out = check_writable(Path(out), "output folder")
    store = resolve_store(cache)
    ensure_traces(needed_traces([cfg]), store, retrain)
    (job,) = scene_jobs({name: cfg}, q, out, fmts, poster_time, store, encoding, narrate)
    try:
        result = render_job(job)
    finally:
        with contextlib.suppress(OSError):
            job.work.rmdir()
    if not result.ok:
        raise NNVizError(f"Scene '{name}' failed: {result.error}")
    return result.files


__all__ = ["render", "scene_class"]
