"""A network diagram built from plain arrays: layers of neurons joined by weighted edges.

Visual language (shared with every scene): an edge's colour is the sign of its weight
(palette ``positive`` / ``negative``), its stroke width and opacity grow with |w|; a
neuron's fill brightness is its activation (palette ``neuron_off`` -> ``neuron_on``).

Indexing follows the core (``nnviz.core.network.MLP``): ``weights[layer]`` is shaped
(n_out, n_in), so ``weights[layer][j, i]`` is the weight on the edge from neuron ``i`` of
layer ``layer`` into neuron ``j`` of layer ``layer + 1``; ``diagram.edge(layer, j, i)`` is
that edge. ``activations[layer]`` holds one value per neuron of layer ``layer``
(layer 0 = the inputs); ``biases[layer]`` belongs to layer ``layer + 1``.

Two implementations share this API: :class:`NetworkDiagram` (one manim ``Line`` per edge,
fine up to a few hundred edges) and ``RasterNetworkDiagram`` in raster_network
(all edges rasterised with numpy; use it for 784-16-16-10 with every edge visible).
``make_network_diagram`` (in raster_network) picks one with ``raster=True/False``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np
from manim import Circle, Dot, Line, VGroup

from nnviz.core.errors import NNVizError
from nnviz.spec.palette import PALETTE, hex_to_rgb

ArrayList = Sequence[np.ndarray | None] | None

# The 'white/black' style: bright edges for positive weights, dark ones for negative.
# Pure black would vanish into the dark background, so "black" is a dark slate.
MONO_POSITIVE = "#f5f2e8"
MONO_NEGATIVE = "#3b4252"


# --------------------------------------------------------------------------------------
# Pure numpy: layout and styling, shared by the vector and the raster diagram.
# --------------------------------------------------------------------------------------
@dataclass
class NetworkLayout:
    """Where every shown neuron sits (scene units, centred on the origin).

    ``shown[l]`` are the indices of the neurons of layer ``l`` that are drawn (all of them
    unless ``max_shown`` hides the middle of a wide layer); ``positions[l]`` their centres,
    shape (len(shown[l]), 3); ``radius[l]`` the neuron radius of that layer;
    ``ellipsis[l]`` the centre of the ⋮ standing in for hidden neurons (or None).
    """

    sizes: tuple[int, ...]
    shown: list[np.ndarray]
    positions: list[np.ndarray]
    radius: list[float]
    ellipsis: list[np.ndarray | None]
    grid: tuple[int, int] | None

    def slot(self, layer: int, i: int) -> int:
        """Index of neuron i among the shown neurons of `layer` (IndexError if hidden)."""
        if not 0 <= i < self.sizes[layer]:
            raise IndexError(f"Layer {layer} has {self.sizes[layer]} neurons; no neuron {i}.")
        k = int(np.searchsorted(self.shown[layer], i))
        if k >= len(self.shown[layer]) or self.shown[layer][k] != i:
            raise IndexError(f"Neuron {i} of layer {layer} is not drawn (max_shown hides it).")
        return k


def shown_indices(n: int, max_shown: int | None) -> np.ndarray:
    """The first ceil(k/2) and last floor(k/2) neurons of a layer wider than k."""
    if max_shown is None or n <= max_shown:
        return np.arange(n)
    top = (max_shown + 1) // 2
    return np.concatenate([np.arange(top), np.arange(n - (max_shown - top), n)])


def layout_network(
    sizes: Sequence[int],
    width: float = 10.0,
    height: float = 5.5,
    neuron_radius: float | None = None,
    max_shown: int | None = None,
    input_grid: tuple[int, int] | bool | None = None,
) -> NetworkLayout:
    """Place the neurons: layers are evenly spaced columns across `width`; a wide layer
    shows `max_shown` neurons with a ⋮ gap; `input_grid` lays the inputs out as a
    (rows, cols) grid (True = square) on the left instead of a column."""
    sizes = tuple(int(s) for s in sizes)
    if len(sizes) < 2 or any(s < 1 for s in sizes):
        raise NNVizError(f"Bad layer widths {list(sizes)}: give at least two positive widths.")
    grid: tuple[int, int] | None = None
    if input_grid is True:
        side = int(round(np.sqrt(sizes[0])))
        grid = (side, side)
    elif input_grid:
        grid = (int(input_grid[0]), int(input_grid[1]))
    if grid is not None and grid[0] * grid[1] != sizes[0]:
        raise NNVizError(f"An input grid of {grid[0]}x{grid[1]} does not hold {sizes[0]} inputs.")

    shown = [np.arange(sizes[0]) if (grid and li == 0) else shown_indices(n, max_shown)
             for li, n in enumerate(sizes)]
    # Column layers: slots include one for the ellipsis when neurons are hidden.
    slots = [len(s) + (1 if len(s) < n else 0) for s, n in zip(shown, sizes, strict=True)]
    col_layers = [li for li in range(len(sizes)) if not (grid and li == 0)]
    spacing = {li: height / max(slots[li], 1) for li in col_layers}
    min_spacing = min(spacing[li] for li in col_layers) if col_layers else height
    r = neuron_radius if neuron_radius is not None else min(0.3, 0.36 * min_spacing)
    # A column neuron never sits further apart than what a tall layer would need.
    pitch = {li: min(spacing[li], max(2.6 * r, min_spacing)) for li in col_layers}

    left = -width / 2
    xs: list[float] = []
    grid_side = 0.0
    if grid:
        grid_side = min(height, 0.4 * width)
        cell = grid_side / max(grid)
        grid_w = cell * grid[1]
        # Column layers evenly spaced to the right of the grid, one step apart.
        step = (width - grid_w - r) / (len(sizes) - 1)
        rest = [left + grid_w + step * k for k in range(1, len(sizes))]
        xs = [left + grid_w / 2, *rest]
    else:
        xs = list(np.linspace(left + r, width / 2 - r, len(sizes)))

    positions, radius, ellipsis = [], [], []
    for li, n in enumerate(sizes):
        if grid and li == 0:
            rows, cols = grid
            cell = grid_side / max(grid)
            cc, rr = np.meshgrid(np.arange(cols), np.arange(rows))
            x = xs[0] - cell * cols / 2 + cell * (cc.ravel() + 0.5)
            y = cell * rows / 2 - cell * (rr.ravel() + 0.5)
            positions.append(np.stack([x, y, np.zeros(n)], axis=1))
            radius.append(0.42 * cell)
            ellipsis.append(None)
            continue
        k = len(shown[li])
        hidden = k < n
        n_slots = k + (1 if hidden else 0)
        ys = pitch[li] * ((n_slots - 1) / 2 - np.arange(n_slots))
        if hidden:
            top = (k + 1) // 2
            ellipsis.append(np.array([xs[li], ys[top], 0.0]))
            ys = np.delete(ys, top)
        else:
            ellipsis.append(None)
        positions.append(np.stack([np.full(k, xs[li]), ys, np.zeros(k)], axis=1))
        radius.append(r)
    return NetworkLayout(sizes, shown, positions, radius, ellipsis, grid)


def resolve_colours(
    palette: dict[str, str] | None = None,
    positive_color: str | None = None,
    negative_color: str | None = None,
    style: str = "color",
) -> dict[str, str]:
    """The palette with the diagram's overrides; style 'white/black' (or 'mono') makes
    positive edges bright and negative ones dark."""
    pal = dict(PALETTE, **(palette or {}))
    if style in ("white/black", "mono"):
        pal["positive"], pal["negative"] = MONO_POSITIVE, MONO_NEGATIVE
    elif style != "color":
        raise NNVizError(f"Unknown diagram style '{style}': choose color or white/black.")
    if positive_color:
        pal["positive"] = positive_color
    if negative_color:
        pal["negative"] = negative_color
    return pal


def edge_style(
    w: np.ndarray,
    scale: float | None,
    positive: np.ndarray,
    negative: np.ndarray,
    min_width: float,
    max_width: float,
    min_opacity: float,
    max_opacity: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Per-edge (rgba (n, 4), stroke width (n,)) for weights `w`: hue from the sign,
    width and opacity from |w| / scale (scale None = the largest |w| given)."""
    w = np.asarray(w, dtype=float).ravel()
    if scale is None:
        scale = float(np.abs(w).max()) if w.size else 1.0
    s = np.clip(np.abs(w) / max(scale, 1e-12), 0.0, 1.0)
    rgba = np.empty((w.size, 4))
    rgba[:, :3] = np.where((w >= 0)[:, None], positive, negative)
    rgba[:, 3] = min_opacity + (max_opacity - min_opacity) * s
    return rgba, min_width + (max_width - min_width) * s


def activation_rgb(a: np.ndarray, value_range: tuple[float, float], off: np.ndarray,
                   on: np.ndarray) -> np.ndarray:
    """Neuron fill colours: `off` at value_range[0], `on` at value_range[1] (clipped)."""
    lo, hi = value_range
    t = np.clip((np.asarray(a, dtype=float).ravel() - lo) / (hi - lo or 1.0), 0.0, 1.0)
    return off + t[:, None] * (on - off)


PerLayer = float | Sequence[float]


@dataclass(frozen=True)
class DiagramStyle:
    """How a network diagram looks: one value object shared by NetworkDiagram and
    RasterNetworkDiagram (and by any number of diagrams that should look alike).

    Every field can also be given to either diagram as a keyword argument, which
    overrides the style's value: ``NetworkDiagram(sizes, W, style=look, width=6)``.

    Args:
        width, height: size of the diagram in scene units.
        neuron_radius: radius of column neurons (default: fits the tallest layer).
        palette: overrides of PALETTE keys (positive, negative, neuron_off, neuron_on, ...).
        positive_color, negative_color: edge colours (override the palette).
        scheme: "color" (palette hues) or "white/black" (bright positive, dark negative).
        weight_scale: |w| that gets full width/opacity: one float, one per layer, or None
            (the largest |w| of each layer, re-read on every set_state).
        bias_scale: the same for biases (show_biases).
        activation_range: the activations drawn darkest and brightest, e.g. (-1, 1) for
            tanh, (0, 1) for sigmoid.
        min_width, max_width: edge stroke width at w = 0 and at |w| = scale (one value,
            or one per weight layer, e.g. thin edges for a 784-wide input layer).
        min_opacity, max_opacity: edge opacity at w = 0 and at |w| = scale (likewise).
        max_shown: draw only this many neurons of a wider layer (first and last halves,
            a ⋮ between); edges to hidden neurons are not drawn.
        input_grid: lay the inputs out as a grid: (rows, cols), or True for a square
            (784 -> 28x28). All grid neurons and their edges are drawn.
        show_biases: ring of each non-input neuron coloured by its bias sign, stronger
            with |b|.
        neuron_stroke_width: ring width of the neurons.
    """

    width: float = 10.0
    height: float = 5.5
    neuron_radius: float | None = None
    palette: Mapping[str, str] | None = None
    positive_color: str | None = None
    negative_color: str | None = None
    scheme: str = "color"
    weight_scale: PerLayer | None = None
    bias_scale: PerLayer | None = None
    activation_range: tuple[float, float] = (0.0, 1.0)
    min_width: PerLayer = 0.4
    max_width: PerLayer = 4.0
    min_opacity: PerLayer = 0.15
    max_opacity: PerLayer = 1.0
    max_shown: int | None = None
    input_grid: tuple[int, int] | bool | None = None
    show_biases: bool = False
    neuron_stroke_width: float = 1.5

    @classmethod
    def build(cls, style: DiagramStyle | str | None, kwargs: dict[str, Any]) -> DiagramStyle:
        """`style` with the style fields among `kwargs` applied (and removed from kwargs,
        which keeps what is left for Manim). A string `style` names the colour scheme,
        as the keyword meant before there was a style object."""
        if isinstance(style, str):
            kwargs.setdefault("scheme", style)
            style = None
        names = {f.name for f in fields(cls)}
        overrides = {k: kwargs.pop(k) for k in list(kwargs) if k in names}
        return replace(style or cls(), **overrides)


class DiagramState:
    """The restyling logic both diagrams share: palette, scales and the current arrays."""

    def _init_state(self, sizes: Sequence[int], style: DiagramStyle) -> None:
        self.sizes = tuple(int(s) for s in sizes)
        self.diagram_style = style
        self.colours = resolve_colours(dict(style.palette or {}), style.positive_color,
                                       style.negative_color, style.scheme)
        self._rgb = {k: hex_to_rgb(v) for k, v in self.colours.items()
                     if k in ("positive", "negative", "neuron_off", "neuron_on", "muted",
                              "neuron_stroke")}
        n_w = len(self.sizes) - 1
        self.weight_scale = self._per_layer(style.weight_scale, n_w)
        self.bias_scale = self._per_layer(style.bias_scale, n_w)
        self.activation_range = (float(style.activation_range[0]),
                                 float(style.activation_range[1]))
        self.min_width = self._per_layer(style.min_width, n_w)
        self.max_width = self._per_layer(style.max_width, n_w)
        self.min_opacity = self._per_layer(style.min_opacity, n_w)
        self.max_opacity = self._per_layer(style.max_opacity, n_w)
        self.show_biases = style.show_biases
        self.neuron_stroke_width = style.neuron_stroke_width
        self.layout = layout_network(self.sizes, style.width, style.height,
                                     style.neuron_radius, style.max_shown, style.input_grid)
        self.weights: list[np.ndarray] | None = None
        self.biases: list[np.ndarray] | None = None
        self.activations: list[np.ndarray | None] | None = None

    @staticmethod
    def _per_layer(value: float | Sequence[float] | None, n: int) -> list[float | None]:
        if value is None or np.isscalar(value):
            return [None if value is None else float(value)] * n
        value = list(value)
        if len(value) != n:
            raise NNVizError(f"Give one value per weight layer ({n}), not {len(value)}.")
        return [None if v is None else float(v) for v in value]

    def _check(self, weights: ArrayList, biases: ArrayList,
               activations: ArrayList) -> None:
        n_w = len(self.sizes) - 1
        if weights is not None:
            if len(weights) != n_w:
                raise NNVizError(f"Expected {n_w} weight matrices, got {len(weights)}.")
            for li, W in enumerate(weights):
                shape = (self.sizes[li + 1], self.sizes[li])
                if np.shape(W) != shape:
                    raise NNVizError(f"weights[{li}] has shape {np.shape(W)}; expected {shape}"
                                     " (n_out, n_in).")
        if biases is not None:
            if len(biases) != n_w:
                raise NNVizError(f"Expected {n_w} bias vectors, got {len(biases)}.")
            for li, b in enumerate(biases):
                if np.size(b) != self.sizes[li + 1]:
                    raise NNVizError(f"biases[{li}] has {np.size(b)} values; expected "
                                     f"{self.sizes[li + 1]}.")
        if activations is not None:
            if len(activations) != len(self.sizes):
                raise NNVizError(f"Expected {len(self.sizes)} activation vectors (inputs "
                                 f"first), got {len(activations)}.")
            for li, a in enumerate(activations):
                if a is not None and np.size(a) != self.sizes[li]:
                    raise NNVizError(f"activations[{li}] has {np.size(a)} values; expected "
                                     f"{self.sizes[li]}.")

    def _remember(self, weights: ArrayList, biases: ArrayList, activations: ArrayList) -> None:
        self._check(weights, biases, activations)
        if weights is not None:
            self.weights = [np.asarray(W, dtype=float) for W in weights]
        if biases is not None:
            self.biases = [np.asarray(b, dtype=float).ravel() for b in biases]
        if activations is not None:
            self.activations = [None if a is None else np.asarray(a, dtype=float).ravel()
                                for a in activations]

    def layer_edge_style(self, layer: int, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(rgba, width) for the weights `w` of a layer (taken from that layer's scale, or
        from the largest |w| of the whole layer when no scale was given)."""
        scale = self.weight_scale[layer]
        if scale is None and self.weights is not None:
            scale = float(np.abs(self.weights[layer]).max()) or 1.0
        return edge_style(w, scale, self._rgb["positive"], self._rgb["negative"],
                          self.min_width[layer], self.max_width[layer],
                          self.min_opacity[layer], self.max_opacity[layer])

    def neutral_edge_style(self, layer: int, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Edges before any weights are known: muted, half width."""
        rgba = np.empty((n, 4))
        rgba[:, :3] = self._rgb["muted"]
        rgba[:, 3] = 0.5 * (self.min_opacity[layer] + self.max_opacity[layer])
        return rgba, np.full(n, 0.5 * (self.min_width[layer] + self.max_width[layer]))

    def layer_fill(self, layer: int, idx: np.ndarray) -> np.ndarray:
        """Fill RGB of neurons `idx` of `layer` from the current activations."""
        acts = None if self.activations is None else self.activations[layer]
        if acts is None:
            return np.tile(self._rgb["neuron_off"], (len(idx), 1))
        return activation_rgb(acts[idx], self.activation_range, self._rgb["neuron_off"],
                              self._rgb["neuron_on"])

    def layer_ring(self, layer: int, idx: np.ndarray, base_width: float
                   ) -> tuple[np.ndarray, np.ndarray]:
        """Ring (stroke) RGB and width of neurons `idx`: neutral, or with show_biases the
        bias sign picks the hue and |b| (scaled like weights) the width."""
        n = len(idx)
        if not self.show_biases or layer == 0 or self.biases is None:
            return np.tile(self._rgb["neuron_stroke"], (n, 1)), np.full(n, base_width)
        b = self.biases[layer - 1]
        scale = self.bias_scale[layer - 1] or float(np.abs(b).max()) or 1.0
        s = np.clip(np.abs(b[idx]) / scale, 0.0, 1.0)
        rgb = np.where((b[idx] >= 0)[:, None], self._rgb["positive"], self._rgb["negative"])
        return rgb, base_width * (0.5 + 2.5 * s)


# --------------------------------------------------------------------------------------
# The vector diagram
# --------------------------------------------------------------------------------------
class NetworkDiagram(DiagramState, VGroup):
    """Layers of neuron circles joined by one Line per weight, restyled from arrays.

    Submobjects: ``edges`` (a VGroup per weight layer, drawn behind), ``neurons`` (a VGroup
    per layer) and ``ellipses`` (the ⋮ marks of layers wider than ``max_shown``).

    Args:
        sizes: layer widths, inputs first, e.g. (4, 3, 2) or (784, 16, 16, 10).
        weights: per weight layer an array (n_out, n_in), as ``MLP.weights``; None draws
            neutral grey edges until :meth:`set_state` gives weights.
        biases: per weight layer an array (n_out,); shown only with ``show_biases``.
        activations: per layer (inputs first) an array (n,) or None; fill brightness.
        style: a :class:`DiagramStyle` (sizes, colours, edge widths and opacities, ...),
            or for short the colour scheme "color" or "white/black".
        **kwargs: any DiagramStyle field (overrides the style's), e.g. ``width=6``,
            ``activation_range=(-1, 1)``; the rest go to VGroup.

    Example::

        net = MLP((4, 3, 2), activation="tanh")
        a = [x, *[o.a[0] for o in net.layer_outputs(x)]]
        d = NetworkDiagram(net.sizes, net.weights, net.biases, a, activation_range=(-1, 1))
        d.edge(0, 2, 1)            # the line carrying weights[0][2, 1]
        d.add_updater(lambda m: m.set_state(weights=trace.params_at(t.get_value())[0]))
    """

    def __init__(
        self,
        sizes: Sequence[int],
        weights: ArrayList = None,
        biases: ArrayList = None,
        activations: ArrayList = None,
        *,
        style: DiagramStyle | str | None = None,
        **kwargs: Any,
    ) -> None:
        style = DiagramStyle.build(style, kwargs)
        VGroup.__init__(self, **kwargs)
        self._init_state(sizes, style)
        lay = self.layout

        self.neurons = VGroup()
        for li in range(len(self.sizes)):
            layer = VGroup(*[
                Circle(radius=lay.radius[li], stroke_width=self.neuron_stroke_width)
                .move_to(p) for p in lay.positions[li]
            ])
            self.neurons.add(layer)
        # Edge k of layer l joins shown target j = jj[k] to shown source i = ii[k].
        self._pairs: list[tuple[np.ndarray, np.ndarray]] = []
        self.edges = VGroup()
        for li in range(len(self.sizes) - 1):
            src, dst = lay.shown[li], lay.shown[li + 1]
            jj, ii = np.meshgrid(np.arange(len(dst)), np.arange(len(src)), indexing="ij")
            jj, ii = jj.ravel(), ii.ravel()
            self._pairs.append((jj, ii))
            P, Q = lay.positions[li], lay.positions[li + 1]
            self.edges.add(VGroup(*[Line(P[i], Q[j], stroke_width=1.0)
                                    for j, i in zip(jj, ii, strict=True)]))
        self.ellipses = VGroup()
        for li, c in enumerate(lay.ellipsis):
            if c is not None:
                gap = 0.5 * lay.radius[li]
                self.ellipses.add(VGroup(*[Dot(c + np.array([0, dy, 0]), radius=0.12 * gap * 2,
                                               color=self.colours["muted"])
                                           for dy in (-gap, 0.0, gap)]))
        self.add(self.edges, self.neurons, self.ellipses)
        self.set_state(weights, biases, activations, _force=True)

    # -- access -----------------------------------------------------------------------
    def node(self, layer: int, i: int) -> Circle:
        """The circle of neuron `i` of `layer` (IndexError if max_shown hides it)."""
        return self.neurons[layer][self.layout.slot(layer, i)]

    def edge(self, layer: int, j: int, i: int) -> Line:
        """The edge from neuron `i` of `layer` into neuron `j` of `layer + 1`; it carries
        ``weights[layer][j, i]``."""
        kj = self.layout.slot(layer + 1, j)
        ki = self.layout.slot(layer, i)
        return self.edges[layer][kj * len(self.layout.shown[layer]) + ki]

    def layer_nodes(self, layer: int) -> VGroup:
        """The drawn neurons of `layer` (in index order)."""
        return self.neurons[layer]

    def layer_edges(self, layer: int) -> VGroup:
        """The drawn edges from `layer` into `layer + 1`, target-major:
        edge (j, i) comes before (j, i + 1) and (j + 1, 0)."""
        return self.edges[layer]

    # -- restyling ----------------------------------------------------------------------
    def set_state(self, weights: ArrayList = None, biases: ArrayList = None,
                  activations: ArrayList = None, *, _force: bool = False) -> NetworkDiagram:
        """Restyle in place from new arrays; arguments left None keep their last value.

        Cheap enough for an updater every frame: colours and widths are computed with
        numpy and written straight into each Line's stroke arrays.
        """
        self._remember(weights, biases, activations)
        lay = self.layout
        if weights is not None or _force:
            for li, (jj, _ii) in enumerate(self._pairs):
                if self.weights is None:
                    rgba, widths = self.neutral_edge_style(li, len(jj))
                else:
                    W = self.weights[li][np.ix_(lay.shown[li + 1], lay.shown[li])].ravel()
                    rgba, widths = self.layer_edge_style(li, W)
                for k, line in enumerate(self.edges[li].submobjects):
                    line.stroke_rgbas = rgba[k:k + 1]
                    line.stroke_width = float(widths[k])
        if activations is not None or biases is not None or _force:
            for li in range(len(self.sizes)):
                fill = self.layer_fill(li, lay.shown[li])
                ring, ring_w = self.layer_ring(li, lay.shown[li], self.neuron_stroke_width)
                for k, circle in enumerate(self.neurons[li].submobjects):
                    circle.fill_rgbas = np.array([[*fill[k], 1.0]])
                    circle.stroke_rgbas = np.array([[*ring[k], 1.0]])
                    circle.stroke_width = float(ring_w[k])
        return self
