"""Manim building blocks fed with plain arrays (weights, activations, points).

Every mobject here takes numpy arrays, never trainer or Trace objects, so it works with
any weights: `NetworkDiagram(net.sizes, net.weights, net.biases)`, or arrays from
`trace.params_at(t)` in an updater.
"""

from ..encoding import install as _install_frame_handoff
from .activation_plot import ActivationPlot
from .baseline import on_one_baseline, sit_on
from .function_graph import FunctionGraph
from .heatmap import Heatmap
from .loss_curve import LossCurve
from .network import NetworkDiagram, make_network_diagram
from .neuron import Neuron
from .piece_counter import PieceCounter
from .pixel_grid import PixelGrid
from .pixel_image import PixelImage
from .raster_network import RasterNetworkDiagram
from .slider import Slider
from .warp_grid import PointCloud, RegionFill, WarpGrid, WarpPanel

__all__ = [
    "ActivationPlot", "FunctionGraph", "Heatmap", "LossCurve", "NetworkDiagram", "Neuron",
    "PieceCounter", "PixelGrid", "PixelImage", "PointCloud", "RasterNetworkDiagram", "RegionFill",
    "Slider", "WarpGrid", "WarpPanel", "make_network_diagram", "on_one_baseline", "sit_on",
]

_install_frame_handoff()  # frames reach manim's encoder without holding the GIL
