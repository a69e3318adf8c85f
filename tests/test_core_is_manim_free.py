"""The layers below drawing (core, explain, spec) never import Manim, not even at run
time: each of their modules is imported in a fresh interpreter and none pulls Manim in.
(import-linter's contracts in pyproject check the static imports; this checks what
actually runs, with no hand-kept list of modules.)"""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import nnviz

MANIM_FREE = ("nnviz.core", "nnviz.explain", "nnviz.spec")


def manim_free_modules() -> list[str]:
    import importlib

    names = []
    for pkg_name in MANIM_FREE:
        pkg = importlib.import_module(pkg_name)
        names.append(pkg_name)
        names += [m.name for m in pkgutil.walk_packages(pkg.__path__, pkg_name + ".")]
    return sorted(names)


def test_the_manim_free_layers_have_their_modules():
    mods = set(manim_free_modules())
    assert {"nnviz.core.network", "nnviz.core.trace", "nnviz.core.training",
            "nnviz.explain.warp", "nnviz.spec.config", "nnviz.spec.store"} <= mods
    assert nnviz.__file__


def test_importing_core_explain_and_spec_does_not_import_manim():
    code = (
        "import sys, importlib\n"
        f"for m in {manim_free_modules()!r}: importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('manim', 'cairo', 'av'))\n"
        "print(len(bad), bad[:5])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("0 "), out.stdout + out.stderr
