"""Manim building blocks fed with plain arrays (weights, activations, points).

Every mobject here takes numpy arrays, never trainer or Trace objects, so it works with
any weights: `NetworkDiagram(net.sizes, net.weights, net.biases)`, or arrays from
`trace.params_at(t)` in an updater.

`DecimalNumber`, `Integer`, `MathTex`, `Tex` and `Text` are manim's, cheap to update and
copy every frame (see nnviz.draw.patches.numbers); scenes use these instead of manim's.
"""

from nnviz.draw.mobjects.activation_plot import ActivationPlot
from nnviz.draw.mobjects.baseline import NumberRow, on_one_baseline, sit_on
from nnviz.draw.mobjects.function_graph import FunctionGraph
from nnviz.draw.mobjects.heatmap import Heatmap
from nnviz.draw.mobjects.legend import Legend, weight_legend
from nnviz.draw.mobjects.loss_curve import LossCurve
from nnviz.draw.mobjects.network import DiagramStyle, NetworkDiagram
from nnviz.draw.mobjects.neuron import Neuron
from nnviz.draw.mobjects.piece_counter import PieceCounter
from nnviz.draw.mobjects.pixel_grid import PixelGrid
from nnviz.draw.mobjects.pixel_image import PixelImage
from nnviz.draw.mobjects.raster_network import RasterNetworkDiagram, make_network_diagram
from nnviz.draw.mobjects.slider import Slider
from nnviz.draw.mobjects.warp_grid import PointCloud, RegionFill, WarpGrid, WarpPanel
from nnviz.draw.patches.numbers import DecimalNumber, Integer, MathTex, Tex, Text

__all__ = [
    "ActivationPlot", "DecimalNumber", "DiagramStyle", "FunctionGraph", "Heatmap", "Integer",
    "Legend", "LossCurve", "MathTex",
    "NetworkDiagram", "Neuron", "NumberRow", "PieceCounter", "PixelGrid", "PixelImage",
    "PointCloud",
    "RasterNetworkDiagram", "RegionFill", "Slider", "Tex", "Text", "WarpGrid", "WarpPanel",
    "make_network_diagram", "on_one_baseline", "sit_on", "weight_legend",
]
