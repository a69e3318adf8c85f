"""Every change nnviz makes to manim's behaviour, in one place.

`install()` is called once by nnviz.draw (the scene base and the mobjects). It installs
the patches only on the manim releases they were written and tested against
(TESTED_MANIM); on any other release, or with NNVIZ_STOCK_MANIM=1, manim runs as
shipped: every scene still renders, correctly and only slower.
"""

from __future__ import annotations

import os

STOCK_ENV = "NNVIZ_STOCK_MANIM"
TESTED_MANIM = ((0, 22),)  # (major, minor) releases the patches were tested with

_installed: bool | None = None


def manim_version() -> tuple[int, ...]:
    from importlib.metadata import version

    parts = []
    for piece in version("manim").split(".")[:3]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


def stock() -> bool:
    """True when nnviz leaves manim as shipped (the switch, or an untested release)."""
    if os.environ.get(STOCK_ENV, "").strip() not in ("", "0"):
        return True
    return manim_version()[:2] not in TESTED_MANIM


def scene_kwargs(scene: object, kwargs: dict) -> dict:
    """The keyword arguments an nnviz scene passes on to manim's Scene.__init__
    (where nnviz's renderer and camera classes will be chosen)."""
    return kwargs


def install() -> bool:
    """Install every patch once, unless stock(); True when they are in place."""
    global _installed
    if _installed is None:
        _installed = not stock()
        if _installed:
            from nnviz.draw.patches import camera_hooks, frame_handoff

            camera_hooks.install()
            frame_handoff.install()
    return _installed
