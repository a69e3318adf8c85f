"""Short public name for nnviz.draw.mobjects: ``from nnviz.mobjects import WarpGrid``.

It is also nnviz's manim plugin (entry point ``manim.plugins``: ``manim plugins -l`` lists
nnviz). manim loads every plugin while ``import manim`` runs, so this module imports nothing
when loaded (importing nnviz.draw.mobjects there would import manim inside its own import);
the mobjects load on first use, e.g. ``from nnviz.mobjects import *``.
"""

from __future__ import annotations

import importlib
from typing import Any


def _mobjects() -> Any:
    return importlib.import_module("nnviz.draw.mobjects")


def __getattr__(name: str) -> Any:
    if name.startswith("__") and name != "__all__":
        raise AttributeError(name)
    try:
        return getattr(_mobjects(), name)
    except AttributeError:
        raise AttributeError(f"module 'nnviz.mobjects' has no attribute {name!r}") from None


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_mobjects().__all__))
