"""nnviz: Manim explainer videos of real, trained neural networks.

The core (this namespace) is numpy/scipy only: networks, activations, losses,
trainers, traces, data sets. Manim lives in nnviz.mobjects and the scenes.
"""

__version__ = "0.1.0"

from . import datasets  # noqa: E402
from .activations import ACTIVATIONS, get_activation  # noqa: E402
from .errors import NNVizError  # noqa: E402
from .losses import LOSSES, get_loss  # noqa: E402
from .network import MLP, Grads, LayerOutput  # noqa: E402
from .pieces import breakpoints, count_linear_pieces, linear_pieces  # noqa: E402
from .schedule import record_steps  # noqa: E402
from .trace import Trace, TraceError  # noqa: E402
from .trainers import TRAINERS, make_trainer  # noqa: E402
from .training import train  # noqa: E402

__all__ = [
    "ACTIVATIONS", "LOSSES", "MLP", "TRAINERS", "Grads", "LayerOutput", "NNVizError", "Trace",
    "TraceError", "breakpoints", "count_linear_pieces", "datasets", "get_activation", "get_loss",
    "linear_pieces", "make_trainer", "record_steps", "train", "__version__",
]
