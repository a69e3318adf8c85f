"""Beats: the unit of pacing every nnviz scene is written in.

A beat is one sentence a narrator would say, the animations that show it, and a hold long
enough to read what it newly put on screen. A scene writes

    with self.beat("bias", "The bias shifts the threshold the sum must pass."):
        self.play(...)

and the beat, on leaving the block, waits until the viewer has had
`reading_time(new words)` since the first new text appeared (scaled by the scene's
`speed`), but never stands still longer than MAX_STILL. The beats are data: after a
render, `scene.beats` holds each beat's name, sentence, start and end (seconds of video),
and `scene.timeline` every play and wait, so captions, chapters, slides and narration
are made from them and tests can check the pacing rules below.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

# the pacing rules, in seconds of video at speed 1
READ_BASE = 1.5  # a viewer needs this long for anything new...
READ_PER_WORD = 0.3  # ...plus this per new word on screen
MAX_STILL = 3.0  # no longer than this with nothing changing
END_HOLD = 2.0  # the last new element stays this long before the video ends
MIN_HOLD = 0.4  # every beat ends with at least this still moment, so cuts are not abrupt


def reading_time(words: int) -> float:
    """Seconds (at speed 1) a viewer needs to read `words` newly shown words."""
    return READ_BASE + READ_PER_WORD * words if words > 0 else 0.0


def words_in(mobject: Any) -> int:
    """How many words a text mobject asks a viewer to read: words of a Text, about one per
    four characters of a formula's LaTeX, one per number."""
    from manim import DecimalNumber, MathTex, Tex, Text
    from manim.mobject.text.text_mobject import MarkupText, Paragraph

    if isinstance(mobject, DecimalNumber):
        return 1
    if isinstance(mobject, (Text, MarkupText)):
        text = getattr(mobject, "original_text", None) or getattr(mobject, "text", "")
        return len(str(text).split())
    if isinstance(mobject, Paragraph):
        return sum(words_in(line) for line in mobject.submobjects)
    if isinstance(mobject, (MathTex, Tex)):
        tex = getattr(mobject, "tex_string", "") or ""
        symbols = sum(1 for ch in tex if ch.isalnum() or ch in "+-=<>")
        return max(1, round(symbols / 4))
    return 0


def texts_on_screen(mobjects: Iterable[Any]) -> dict[int, int]:
    """{id: words} of every readable text mobject among `mobjects` and their families;
    a text's own submobjects (glyphs) are not counted again."""
    found: dict[int, int] = {}

    def visit(mob: Any) -> None:
        words = words_in(mob)
        if words:
            if _visible(mob):
                found[id(mob)] = words
            return
        for sub in mob.submobjects:
            visit(sub)

    for mob in mobjects:
        visit(mob)
    return found


def _visible(mob: Any) -> bool:
    try:
        family = mob.family_members_with_points()
        return any(m.get_fill_opacity() > 0.05 or m.get_stroke_opacity() > 0.05
                   for m in family[:8])
    except Exception:  # noqa: BLE001 - a mobject without opacities counts as visible
        return True


@dataclass
class Beat:
    """One beat of a rendered scene: its name, its sentence and where it sits in the video
    (seconds). `short_by` > 0 says the rules wanted a longer hold than MAX_STILL allows:
    the beat shows too many new words at once."""

    name: str
    text: str
    start: float = 0.0
    end: float = 0.0
    words: int = 0  # new words on screen in this beat
    short_by: float = 0.0
    spoken: float = 0.0  # seconds its narration lasts (0: not narrated)

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass
class Step:
    """One play or wait of a rendered scene: [start, end) in seconds of video."""

    kind: str  # "play" | "wait"
    start: float
    end: float
    beat: str | None = None
    moving: bool = False  # a wait during which updaters move something


@dataclass
class Pacing:
    """What a scene records while it renders (lives on the scene as `_pacing`)."""

    beats: list[Beat] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    current: Beat | None = None
    first_text_at: float | None = None  # when this beat's first new text was fully shown
    seen: dict[int, int] = field(default_factory=dict)  # texts on screen at beat start


class BeatsMixin:
    """Gives a Scene `beat()`, `hold()`, `beats` and `timeline`; wraps play and wait to
    record them. Mixed in by NNVizMixin.

    `voice` is the narration hook: a callable taking a beat's sentence and returning
    (sound file, seconds it lasts) or None. When set, each beat starts its sound
    (`add_sound`) and lasts at least as long as it is spoken (nnviz.pipeline.narration
    sets it for `--narrate`)."""

    voice: Callable[[str], tuple[str, float] | None] | None = None

    @property
    def _pace(self) -> Pacing:
        pacing = self.__dict__.get("_pacing")
        if pacing is None:
            pacing = self.__dict__["_pacing"] = Pacing()
        return pacing

    @property
    def beats(self) -> list[Beat]:
        """The beats rendered so far, in order."""
        return list(self._pace.beats)

    @property
    def timeline(self) -> list[Step]:
        """Every play and wait rendered so far, in order."""
        return list(self._pace.steps)

    def _speed(self) -> float:
        cfg = getattr(self, "cfg", None)
        return float(getattr(cfg, "speed", 1.0) or 1.0)

    @contextmanager
    def beat(self, name: str, text: str, *, hold: float | None = None,
             last: bool = False) -> Iterator[Beat]:
        """One beat: the block's animations, then a hold long enough to read what they
        showed. `hold` (seconds at speed 1) asks for at least that still time at the end;
        `last=True` marks the scene's closing beat, which holds END_HOLD."""
        pace = self._pace
        if pace.current is not None:
            raise RuntimeError(f"beat '{name}' started inside beat '{pace.current.name}'")
        beat = Beat(name, text, start=self.renderer.time)
        spoken = self.voice(text) if self.voice is not None and text.strip() else None
        if spoken is not None:
            sound, beat.spoken = spoken
            self.add_sound(sound)
        pace.current = beat
        pace.first_text_at = None
        pace.seen = texts_on_screen(self.mobjects)
        try:
            yield beat
            self._close_beat(beat, hold, last)
        finally:
            pace.current = None
        pace.beats.append(beat)

    def _close_beat(self, beat: Beat, hold: float | None, last: bool) -> None:
        pace = self._pace
        speed = self._speed()
        now = self.renderer.time
        new = {k: v for k, v in texts_on_screen(self.mobjects).items() if k not in pace.seen}
        beat.words = sum(new.values())
        wanted_still = max(MIN_HOLD, hold or 0.0, END_HOLD if last else 0.0) / speed
        needed_end = now + wanted_still
        if beat.words:
            read_from = pace.first_text_at if pace.first_text_at is not None else now
            needed_end = max(needed_end, read_from + reading_time(beat.words) / speed)
        still = needed_end - now
        if still > MAX_STILL / speed and not last:
            beat.short_by = still - MAX_STILL / speed
            still = MAX_STILL / speed
        # narration: the beat lasts as long as its sentence is spoken (not capped: the
        # voice keeps the viewer busy)
        still = max(still, beat.start + beat.spoken - now)  # speech runs at its own speed
        if still > 1e-6:
            self.wait(still)
        beat.end = self.renderer.time

    def unread(self) -> float:
        """Seconds of video the current beat's new text still needs beyond the longest
        still the beat may end with (MAX_STILL): > 0 means show motion while it is read
        (see read_along). 0 outside a beat."""
        pace = self._pace
        if pace.current is None:
            return 0.0
        now = self.renderer.time
        words = sum(v for k, v in texts_on_screen(self.mobjects).items() if k not in pace.seen)
        if not words:
            return 0.0
        read_from = pace.first_text_at if pace.first_text_at is not None else now
        speed = self._speed()
        return max(0.0, read_from + reading_time(words) / speed - now - MAX_STILL / speed)

    def read_along(self, *mobjects: Any, run_time: float = 1.0, color: str | None = None
                   ) -> None:
        """While the beat's new text needs more reading time than a still may last, point
        at `mobjects` in turn (an Indicate each, `run_time` seconds at speed 1), so the
        viewer reads with something moving instead of a frozen frame."""
        from manim import Indicate

        if not mobjects:
            return
        speed = self._speed()
        i = 0
        while self.unread() > 0.05 / speed:
            colour = color or getattr(self, "palette", {}).get("highlight")
            kwargs = {"color": colour} if colour else {}
            self.play(Indicate(mobjects[i % len(mobjects)], **kwargs),
                      run_time=min(run_time / speed, max(self.unread(), 0.3 / speed)))
            i += 1

    def hold(self, seconds: float) -> None:
        """A deliberate still moment of `seconds` (at speed 1) inside a beat."""
        self.wait(seconds / self._speed())

    # recording -------------------------------------------------------------------------
    def _record(self, kind: str, start: float, moving: bool = False) -> None:
        pace = self._pace
        end = self.renderer.time
        if end - start <= 1e-9:
            return
        current = pace.current
        pace.steps.append(Step(kind, start, end, current.name if current else None, moving))
        if current is not None and pace.first_text_at is None and kind == "play":
            now = texts_on_screen(self.mobjects)
            if any(k not in pace.seen for k in now):
                pace.first_text_at = end

    def play(self, *args: Any, **kwargs: Any) -> None:
        if self.__dict__.get("_in_wait"):  # manim's wait() is a play of Wait
            super().play(*args, **kwargs)
            return
        start = self.renderer.time
        super().play(*args, **kwargs)
        self._record("play", start)

    def wait(self, duration: float = 1.0, *args: Any, **kwargs: Any) -> None:
        start = self.renderer.time
        moving = bool(kwargs.get("stop_condition")) or kwargs.get("frozen_frame") is False \
            or self._has_updaters()
        self.__dict__["_in_wait"] = True
        try:
            super().wait(duration, *args, **kwargs)
        finally:
            self.__dict__["_in_wait"] = False
        self._record("wait", start, moving)

    def _has_updaters(self) -> bool:
        return any(m.has_time_based_updater() for m in self.mobjects
                   if hasattr(m, "has_time_based_updater"))


def pacing_faults(beats: list[Beat], steps: list[Step], speed: float = 1.0) -> list[str]:
    """What breaks the pacing rules, one sentence each (empty: none): plays or waits
    outside any beat, a still longer than MAX_STILL, a beat too short to read, an
    ending less than END_HOLD after the last change."""
    faults: list[str] = []
    if not beats:
        return ["the scene has no beats"]
    for step in steps:
        if step.beat is None:
            faults.append(f"a {step.kind} at {step.start:.2f}s is outside every beat")
    still_start = None
    for step in steps + [Step("play", float("inf"), float("inf"))]:
        if step.kind == "wait" and not step.moving:
            still_start = step.start if still_start is None else still_start
            still_end = step.end
            continue
        if still_start is not None and still_end - still_start > MAX_STILL / speed + 0.05:
            faults.append(f"nothing changes for {still_end - still_start:.2f}s from "
                          f"{still_start:.2f}s")
        still_start = None
    for beat in beats:
        if beat.short_by > 0.05:
            faults.append(f"beat '{beat.name}' shows {beat.words} new words: it needs "
                          f"{beat.short_by:.1f}s more than a still of {MAX_STILL:g}s")
    plays = [s for s in steps if s.kind == "play"]
    if plays:
        tail = steps[-1].end - plays[-1].end
        if tail < END_HOLD / speed - 0.05:
            faults.append(f"the video ends {tail:.2f}s after its last change "
                          f"(at least {END_HOLD:g}s)")
    return faults


def write_beats(path: Path, beats: list[Beat], scene: str, duration: float | None = None) -> None:
    """Save beats as JSON (atomically): what captions, chapters and slides are made from."""
    from nnviz.core.files import atomic_path

    rows = [{k: round(v, 3) if isinstance(v, float) else v for k, v in asdict(b).items()
             if k != "short_by" and not (k == "spoken" and not v)} for b in beats]
    data = {"scene": scene, "duration": duration, "beats": rows}
    with atomic_path(path) as tmp:
        Path(tmp).write_text(json.dumps(data, indent=1))


def read_beats(path: Path) -> list[Beat]:
    data = json.loads(Path(path).read_text())
    return [Beat(**b) for b in data["beats"]]


__all__ = ["Beat", "BeatsMixin", "Step", "pacing_faults", "reading_time", "write_beats",
           "read_beats", "READ_BASE", "READ_PER_WORD", "MAX_STILL", "END_HOLD"]
