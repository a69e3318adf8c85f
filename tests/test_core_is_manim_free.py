"""The numeric core never imports Manim: it must work (and be testable) without it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nnviz

# Modules of the package that draw: everything else is core.
DRAWING = {"scene", "testing", "title_card", "render", "encoding", "cli", "mobjects", "commands"}


def core_modules() -> list[str]:
    root = Path(nnviz.__file__).parent
    names = [p.stem for p in root.glob("*.py")
             if p.stem not in DRAWING and not p.stem.startswith("__")]
    names += [f"datasets.{p.stem}" for p in (root / "datasets").glob("*.py")]
    return sorted(f"nnviz.{n}" for n in names)


def test_core_modules_exist():
    mods = core_modules()
    assert {"nnviz.network", "nnviz.trace", "nnviz.training", "nnviz.warp"} <= set(mods)


def test_importing_the_core_does_not_import_manim():
    code = (
        "import sys, importlib\n"
        f"for m in {core_modules()!r}: importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m == 'manim' or m.startswith('manim.'))\n"
        "print(len(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0", out.stdout + out.stderr
