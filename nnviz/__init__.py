"""nnviz: Manim explainer videos of real, trained neural networks.

The package is layered, and imports point down this list only (import-linter checks):

    nnviz.cli       the `nnviz` command, one module per subcommand
    nnviz.pipeline  render jobs and workers, episodes, exports, encoding
    nnviz.scenes    the built-in scenes (scenes/ in the source tree)
    nnviz.draw      the scene base, mobjects, and every patch of Manim
    nnviz.spec      scene configs, trace specs, the trace store, palette, registry
    nnviz.explain   analysis of networks: pieces, bent lines, warps, receptive fields
    nnviz.core      networks, activations, losses, trainers, train(), Trace, data sets

This namespace re-exports the core's names (no Manim is imported here), and, on first
use, the Python API of nnviz.pipeline.api: `nnviz.render(name, **settings)` and
`nnviz.scene_class(name, **settings)`.
"""

from nnviz import datasets  # noqa: E402
from nnviz._version import __version__
from nnviz.core.activations import ACTIVATIONS, get_activation  # noqa: E402
from nnviz.core.errors import NNVizError  # noqa: E402
from nnviz.core.losses import LOSSES, get_loss  # noqa: E402
from nnviz.core.network import MLP, Grads, LayerOutput  # noqa: E402
from nnviz.core.schedule import record_steps  # noqa: E402
from nnviz.core.trace import Trace, TraceError  # noqa: E402
from nnviz.core.trainers import TRAINERS, make_trainer  # noqa: E402
from nnviz.core.training import train  # noqa: E402
from nnviz.explain.pieces import breakpoints, count_linear_pieces, linear_pieces  # noqa: E402

_API = ("render", "scene_class")  # from nnviz.pipeline.api, imported when first used


def __getattr__(name: str):
    if name in _API:
        from nnviz.pipeline import api

        return getattr(api, name)
    raise AttributeError(f"module 'nnviz' has no attribute {name!r}")


__all__ = [
    "ACTIVATIONS", "LOSSES", "MLP", "TRAINERS", "Grads", "LayerOutput", "NNVizError", "Trace",
    "TraceError", "breakpoints", "count_linear_pieces", "datasets", "get_activation", "get_loss",
    "linear_pieces", "make_trainer", "record_steps", "render", "scene_class", "train",
    "__version__",
]
