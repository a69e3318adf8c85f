"""Time to read: keep a text-heavy beat moving while its words are read.

A beat that shows many words needs a long read, but no still may last longer than
MAX_STILL (nnviz.draw.beats). `fill_reading(scene, a, b, ...)` points at a, b, ... one
after another (a brief Indicate each) for exactly as long as the reading time exceeds
what the closing still may hold, so the viewer's eye is guided through what was shown
instead of the picture freezing. Nothing is played when the words fit in the still.
"""

from __future__ import annotations

from typing import Any

from manim import Indicate, Succession

from nnviz.draw.beats import MAX_STILL, reading_time, texts_on_screen
from nnviz.spec.palette import PALETTE


def reading_left(scene: Any) -> float:
    """Seconds of video the current beat's new words still need to be read."""
    pace = scene._pace
    speed = scene._speed()
    new = {k: v for k, v in texts_on_screen(scene.mobjects).items() if k not in pace.seen}
    words = sum(new.values())
    if not words:
        return 0.0
    now = scene.renderer.time
    read_from = pace.first_text_at if pace.first_text_at is not None else now
    return read_from + reading_time(words) / speed - now


def fill_reading(scene: Any, *mobjects: Any, margin: float = 0.15,
                 color: str = PALETTE["highlight"]) -> float:
    """Indicate `mobjects` in turn for as long as the beat's closing still would otherwise
    exceed MAX_STILL; returns the seconds played (0: the still was short enough)."""
    speed = scene._speed()
    extra = reading_left(scene) - (MAX_STILL - margin) / speed
    if extra <= 0.05 / speed or not mobjects:
        return 0.0
    scene.play(Succession(*[Indicate(m, scale_factor=1.06, color=color) for m in mobjects]),
               run_time=extra)
    return extra


__all__ = ["fill_reading", "reading_left"]
