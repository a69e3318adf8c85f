"""A network diagram rasterised with numpy: every edge of 784-16-16-10, restyled per frame.

One Cairo stroke per edge (12,960 of them) costs over a second of CPU per 1080p frame.
Here the geometry is rasterised once per camera and place into a sparse coverage matrix
``F`` (pixels x footprints: the anti-aliased footprint of each edge as a 1 px line, plus
geometrically wider footprints for layers with thick edges; a line of any width is a
blend of the two nearest, keeping its ink). Each frame the edges are one sparse product
``F @ [alpha, alpha * (w >= 0)]``: the summed opacity over each pixel (clipped at 1; exact
where one edge covers a pixel) and the share of it that is positive, which picks the hue
from a colour table. Where many edges overlap, the hue leans towards the majority
(``hue_contrast``), so dense fans stay as saturated as Cairo's last-drawn-on-top "over"
instead of averaging to a grey-purple. Neuron insides are one gather, their anti-aliased
rims and rings a few integer passes; over a plain backdrop the result is blended in the
colour table and copied into the frame, otherwise alpha-composited with Pillow.

Three things keep a 1080p60 training playback near 2 s of render per second of video:
the product runs in row chunks on threads (scipy and numpy let the GIL go); a frame whose
per-edge inks lie on the path of the last few frames is blended from their sums (F is
linear; see Geometry.sums), so about three frames per stretch between two trace records
need the full product; and neurons whose colour did not change keep their pixels. Edges
from an input grid start where they leave the grid, so the picture it shows stays clear.

The pieces, by job, in ``nnviz.draw.mobjects.raster``: ``coverage`` (footprints of lines
and discs), ``geometry`` (the sparse matrices of one camera and place, and the per-frame
sums), ``edges`` (the edges' matrix as one compact copy, in bands of rows), ``colour``
(colour tables), ``paint`` (neurons into the frame), ``pool`` (threads).
This module holds the mobject, which keeps the diagram's state and draws it.

The mobject has the same constructor and methods as
:class:`~nnviz.draw.mobjects.network.NetworkDiagram`; ``node``/``edge``/``layer_nodes``/
``layer_edges`` return stand-in Circles/Lines at the right place (for labels, arrows and
highlights), which are not part of the raster. It can be moved and scaled (the geometry is
rebuilt for each new place or camera: about 1.5 s of CPU for 12,960 edges at 1080p, a
few milliseconds for a small diagram, so do not animate the position of a big one), faded
in and out; rotation is not supported. nnviz's camera (nnviz.draw.patches) hands it the
frame (``draw_to_camera``); manim's own camera draws the same picture, slower, from
``get_pixel_array()`` (see stock_camera).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

import numpy as np
from manim import Circle, Line, VGroup, VMobject
from manim.camera.camera import Camera
from manim.mobject.types.image_mobject import AbstractImageMobject
from PIL import Image

from nnviz.draw.mobjects.network import ArrayList, DiagramState, DiagramStyle, NetworkDiagram
from nnviz.draw.mobjects.raster.colour import colour_table, lut_index, rgb_to_hex
from nnviz.draw.mobjects.raster.coverage import (
    disc_coverage,
    footprint_weights,
    footprint_widths,
    footprints_reached,
    line_coverage,
)
from nnviz.draw.mobjects.raster.geometry import Geometry, inked
from nnviz.draw.mobjects.raster.paint import composite_nodes, draw_nodes
from nnviz.draw.mobjects.raster.pool import pool
from nnviz.draw.mobjects.stock_camera import config_camera, for_stock_camera


class RasterNetworkDiagram(DiagramState, AbstractImageMobject):
    """Same arguments and methods as NetworkDiagram, drawn as one numpy raster; for
    thousands of edges restyled every frame (784-16-16-10 with all 12,960 edges).

    Differences from the vector diagram: edge widths above 1 px are a blend of a 1 px and
    a full-width footprint; with ``show_biases`` the ring's opacity (not its width) grows
    with |b|; node/edge accessors return stand-ins (see the module docstring). Two more
    keywords: ``hue_contrast`` (how far overlapping edges lean to the majority hue) and
    ``dense_edges`` (a layer with more edges combines them like many faint layers).

    Example::

        d = RasterNetworkDiagram((784, 16, 16, 10), net.weights, input_grid=True,
                                 max_width=(1.0, 3.0, 3.0), width=12, height=7)
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
        hue_contrast: float = 3.0,
        dense_edges: int = 2000,
        **kwargs: Any,
    ) -> None:
        style = DiagramStyle.build(style, kwargs)
        self._init_state(sizes, style)
        self.hue_contrast = float(hue_contrast)
        self.dense_edges = int(dense_edges)
        lo = np.min([(p[:, :2] - r).min(axis=0) for p, r in
                     zip(self.layout.positions, self.layout.radius, strict=True)], axis=0)
        hi = np.max([(p[:, :2] + r).max(axis=0) for p, r in
                     zip(self.layout.positions, self.layout.radius, strict=True)], axis=0)
        margin = 0.05
        lo, hi = lo - margin, hi + margin
        # Corners in the order of ImageMobject's points: UL, UR, DL, DR.
        self.ref_corners = [np.array([lo[0], hi[1], 0.0]), np.array([hi[0], hi[1], 0.0]),
                            np.array([lo[0], lo[1], 0.0]), np.array([hi[0], lo[1], 0.0])]
        self.opacity = 1.0
        self._geometry: dict[tuple, Geometry] = {}
        self._frame: tuple[tuple, np.ndarray] | None = None
        self._dirty = True
        kwargs.setdefault("resampling_algorithm", Image.Resampling.NEAREST)  # manim's camera
        super().__init__(scale_to_resolution=1080, **kwargs)
        self.set_state(weights, biases, activations)

    # -- placement --------------------------------------------------------------------
    def reset_points(self) -> RasterNetworkDiagram:
        self.points = np.array(self.ref_corners, dtype=float)
        return self

    def place(self, p: np.ndarray) -> np.ndarray:
        """Scene coordinates of layout points `p` (n, 3), wherever the diagram now is."""
        ul, ur, dl = self.points[0], self.points[1], self.points[2]
        r_ul, r_ur, r_dl = self.ref_corners[0], self.ref_corners[1], self.ref_corners[2]
        sx = (ur[0] - ul[0]) / (r_ur[0] - r_ul[0])
        sy = (ul[1] - dl[1]) / (r_ul[1] - r_dl[1])
        q = np.array(p, dtype=float, ndmin=2).copy()
        q[:, 0] = ul[0] + (q[:, 0] - r_ul[0]) * sx
        q[:, 1] = ul[1] + (q[:, 1] - r_ul[1]) * sy
        q[:, 2] = ul[2]
        return q

    def place_scale(self) -> float:
        """How much the diagram has been scaled (radii scale with it, stroke widths not)."""
        return float((self.points[1][0] - self.points[0][0])
                     / (self.ref_corners[1][0] - self.ref_corners[0][0]))

    # -- access (stand-ins) -------------------------------------------------------------
    def node_center(self, layer: int, i: int) -> np.ndarray:
        """Scene position of neuron `i` of `layer`."""
        k = self.layout.slot(layer, i)
        return self.place(self.layout.positions[layer][k:k + 1])[0]

    def node(self, layer: int, i: int) -> Circle:
        """A Circle over neuron `i` of `layer` (a stand-in, not part of the raster)."""
        k = self.layout.slot(layer, i)
        fill = self.layer_fill(layer, self.layout.shown[layer][k:k + 1])[0]
        c = Circle(radius=self.layout.radius[layer] * self.place_scale(),
                   stroke_width=self.neuron_stroke_width, stroke_color=self.colours[
                       "neuron_stroke"])
        c.set_fill(rgb_to_hex(fill), opacity=1.0)
        return c.move_to(self.node_center(layer, i))

    def edge(self, layer: int, j: int, i: int) -> Line:
        """A Line along the edge carrying ``weights[layer][j, i]`` (a stand-in)."""
        line = Line(self.node_center(layer, i), self.node_center(layer + 1, j))
        if self.weights is not None:
            rgba, width = self.layer_edge_style(layer, self.weights[layer][j:j + 1, i])
            line.set_stroke(rgb_to_hex(rgba[0, :3]), float(width[0]), float(rgba[0, 3]))
        return line

    def layer_nodes(self, layer: int) -> VGroup:
        """Stand-in Circles over the drawn neurons of `layer`."""
        return VGroup(*[self.node(layer, int(i)) for i in self.layout.shown[layer]])

    def layer_edges(self, layer: int) -> VGroup:
        """Stand-in Lines of the drawn edges from `layer`, target-major like NetworkDiagram."""
        return VGroup(*[self.edge(layer, int(j), int(i)) for j in self.layout.shown[layer + 1]
                        for i in self.layout.shown[layer]])

    # -- state --------------------------------------------------------------------------
    def set_state(self, weights: ArrayList = None, biases: ArrayList = None,
                  activations: ArrayList = None) -> RasterNetworkDiagram:
        """Restyle from new arrays (None keeps the last value); the raster is recomputed
        lazily when the frame is drawn."""
        self._remember(weights, biases, activations)
        if weights is not None:  # the largest |w| of each edge so far (see edge_reach)
            widest = getattr(self, "_widest", None)
            self._widest = [np.abs(W) if widest is None else np.maximum(m, np.abs(W))
                            for W, m in zip(self.weights, widest or self.weights,
                                            strict=True)]
        self._dirty = True
        return self

    def set_opacity(self, opacity: float, family: bool = True) -> RasterNetworkDiagram:
        self.opacity = float(np.clip(opacity, 0.0, 1.0))
        return self

    def fade(self, darkness: float = 0.5, family: bool = True) -> RasterNetworkDiagram:
        return self.set_opacity(1.0 - darkness)

    def set_color(self, color: Any = None, alpha: Any = None, family: bool = True
                  ) -> RasterNetworkDiagram:
        return self

    def interpolate_color(self, mobject1: Any, mobject2: Any, alpha: float) -> None:
        o1 = getattr(mobject1, "opacity", 1.0)
        o2 = getattr(mobject2, "opacity", 1.0)
        self.opacity = float(o1 + (o2 - o1) * alpha)

    def __deepcopy__(self, memo: dict) -> RasterNetworkDiagram:
        """Copies (made by animations) share the rasterised geometry, not duplicate it."""
        cls = self.__class__
        out = cls.__new__(cls)
        memo[id(self)] = out
        for key, value in self.__dict__.items():
            if key in ("_geometry", "layout"):
                setattr(out, key, value)
            elif key in ("_frame", "_canvas"):
                setattr(out, key, None)
            else:
                setattr(out, key, copy.deepcopy(value, memo))
        out._dirty = True
        return out

    # -- drawing -------------------------------------------------------------------------
    def geometry(self, camera: Camera) -> Geometry:
        """The rasterised geometry for this camera and the diagram's current place."""
        key = (camera.pixel_width, camera.pixel_height, float(camera.frame_width),
               float(camera.frame_height), tuple(np.round(camera.frame_center, 6)),
               tuple(np.round(self.points, 6).ravel()), tuple(self.min_width),
               tuple(self.max_width))  # the widths pick the footprints rasterised
        if key not in self._geometry:
            if len(self._geometry) >= 2:
                self._geometry.pop(next(iter(self._geometry)))
            self._geometry[key] = Geometry(self, camera)
        return self._geometry[key]

    def _edge_columns(self, geo: Geometry) -> dict[bool, np.ndarray]:
        """Per group (dense or not), per footprint column: [opacity, opacity if positive]."""
        X = {d: np.zeros((max(n, 1), 2), dtype=np.float32) for d, n in geo.n_cols.items()}
        lay = self.layout
        for li, (dense, blocks) in enumerate(geo.blocks):
            if self.weights is not None:
                shown_w = self.weights[li][np.ix_(lay.shown[li + 1], lay.shown[li])].ravel()
                rgba, widths = self.layer_edge_style(li, shown_w)
                positive = shown_w >= 0
            else:
                n = len(lay.shown[li]) * len(lay.shown[li + 1])
                rgba, widths = self.neutral_edge_style(li, n)
                positive = np.ones(n, dtype=bool)
            alpha = rgba[:, 3]
            coef = footprint_weights(widths * geo.px_per_width, [b[1] for b in blocks])
            for (start, _), c in zip(blocks, coef, strict=True):
                a = alpha * c
                X[dense][start:start + len(a), 0] = a
                X[dense][start:start + len(a), 1] = a * positive
        return X

    def edge_reach(self, geo: Geometry) -> dict[bool, np.ndarray]:
        """Per group (dense or not), per footprint column: whether it draws some width
        between this layer's narrowest (w = 0) and the edge's width at its largest |w| so
        far (or its ink now). Scenes scale and fade the weights they were given (grow an
        edge from nothing, dim all but one row), which stays inside; a training playback
        leaves it, and the geometry then takes every column (Geometry.need_columns)."""
        need = inked(self._edge_columns(geo))
        if self.weights is None:
            return need
        lay = self.layout
        for li, (dense, blocks) in enumerate(geo.blocks):
            shown = np.ix_(lay.shown[li + 1], lay.shown[li])
            widest = getattr(self, "_widest", None) or [np.abs(W) for W in self.weights]
            hi = self.layer_edge_style(li, widest[li][shown].ravel())[1]
            lo = self.layer_edge_style(li, np.zeros(1))[1]
            reach = footprints_reached(np.broadcast_to(lo, hi.shape) * geo.px_per_width,
                                       hi * geo.px_per_width, [b[1] for b in blocks])
            for (start, _), r in zip(blocks, reach.T, strict=True):
                need[dense][start:start + len(r)] |= r
        return need

    def raster(self, camera: Camera, backdrop: int | None = None
               ) -> tuple[tuple[int, int, int, int], np.ndarray]:
        """(box (x0, y0, w, h) in camera pixels, RGBA uint8 image (h, w, 4)): straight
        alpha, or with `backdrop` (a packed RGBA pixel value) opaque, blended over it."""
        geo = self.geometry(camera)
        key = (id(geo), self.opacity, backdrop)
        if self._frame is not None and not self._dirty and self._frame[0] == key:
            return geo.box, self._frame[1]
        w, h = geo.box[2], geo.box[3]
        X = self._edge_columns(geo)
        back = None if backdrop is None else (
            np.array([backdrop], dtype=np.uint32).view(np.uint8)[:3] / 255.0)
        lut = self._lut(back)
        colours = self._node_colours(geo)
        keep = backdrop is not None and (colours[2][:geo.dot_start] == 1.0).all()
        canvas = getattr(self, "_canvas", None)
        if keep and canvas is not None and canvas[0] == (key, lut[0]):
            layer, drawn = canvas[1], canvas[2]  # last frame's: nodes that kept their colour
        else:
            layer, drawn = np.full(w * h, lut[0], dtype=np.uint32), {}
        sums = geo.sums(X)

        def chunk(rows: tuple[int, int]) -> None:
            a, b = rows
            layer[geo.edge_px[a:b]] = lut[lut_index(sums(a, b), geo.has_dense)]

        list(pool().map(chunk, geo.bounds))
        if keep:
            draw_nodes(geo, layer, colours, drawn, lut[0])
            self._canvas = ((key, lut[0]), layer, drawn)
        else:
            self._canvas = None
            composite_nodes(geo, layer, colours, self.opacity, opaque=backdrop is not None)
        img = layer.view(np.uint8).reshape(h, w, 4)
        self._frame = (key, img)
        self._dirty = False
        return geo.box, img

    def _lut(self, backdrop: np.ndarray | None) -> np.ndarray:
        pos, neg = ((self._rgb["muted"], self._rgb["muted"]) if self.weights is None
                    else (self._rgb["positive"], self._rgb["negative"]))
        key = (tuple(pos), tuple(neg), self.opacity,
               None if backdrop is None else tuple(backdrop), self.hue_contrast)
        if getattr(self, "_lut_cache", (None,))[0] != key:
            table = colour_table(pos, neg, self.opacity, backdrop, self.hue_contrast)
            self._lut_cache = (key, table)
        return self._lut_cache[1]

    def _node_colours(self, geo: Geometry) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(fill RGB, ring RGB, ring opacity) of every drawn neuron and ellipsis dot."""
        lay = self.layout
        n = geo.n_nodes
        fill_rgb = np.empty((n, 3), dtype=np.float32)
        ring_rgb = np.zeros((n, 3), dtype=np.float32)
        ring_a = np.zeros(n, dtype=np.float32)
        for li in range(len(lay.positions)):
            a, b = geo.node_start[li], geo.node_start[li + 1]
            fill_rgb[a:b] = self.layer_fill(li, lay.shown[li])
            rgb, rw = self.layer_ring(li, lay.shown[li], self.neuron_stroke_width)
            ring_rgb[a:b] = rgb
            ratio = rw / max(self.neuron_stroke_width, 1e-9)
            ring_a[a:b] = 1.0 if not self.show_biases or li == 0 else np.clip(
                (ratio - 0.5) / 2.5, 0.25, 1.0)
        fill_rgb[geo.dot_start:] = self._rgb["muted"]
        return fill_rgb, ring_rgb, ring_a

    def draw_to_camera(self, camera: Camera, pixel_array: np.ndarray) -> None:
        """Put the raster into the camera's frame (called by the camera). Over a plain
        backdrop (the usual case) it is blended in the colour table and copied; over
        anything else it is alpha-composited with Pillow."""
        if self.opacity <= 0:
            return
        x0, y0, w, h = self.geometry(camera).box
        region = pixel_array[y0:y0 + h, x0:x0 + w]
        packed = region.view(np.uint32)[..., 0]
        first = int(packed[0, 0])
        if (self.opacity >= 1.0 and (first >> 24) == 255
                and int(packed.min()) == first == int(packed.max())):  # no temporary
            region[...] = self.raster(camera, backdrop=first)[1]
            return
        img = self.raster(camera)[1]
        under = Image.frombuffer("RGBA", (w, h), np.ascontiguousarray(region), "raw", "RGBA",
                                 0, 1)
        over = Image.frombuffer("RGBA", (w, h), img, "raw", "RGBA", 0, 1)
        region[...] = np.asarray(Image.alpha_composite(under, over))

    def get_pixel_array(self) -> np.ndarray:
        """What manim's own camera (a plain Scene, NNVIZ_STOCK_MANIM=1) pastes onto the
        corners (nearest): the raster at the current config's resolution, laid out so that
        it lands where draw_to_camera puts it (see stock_camera)."""
        camera = config_camera()
        box, img = self.raster(camera)
        return for_stock_camera(img, box, camera.points_to_subpixel_coords(self, self.points))


def make_network_diagram(*args, raster: bool = False, **kwargs) -> VMobject:
    """NetworkDiagram, or with ``raster=True`` the numpy-rasterised RasterNetworkDiagram
    (same arguments and methods) for diagrams with thousands of edges."""
    return (RasterNetworkDiagram if raster else NetworkDiagram)(*args, **kwargs)


__all__ = ["RasterNetworkDiagram", "make_network_diagram", "line_coverage", "disc_coverage",
           "footprint_weights", "footprint_widths", "rgb_to_hex"]
