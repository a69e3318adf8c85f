"""RasterNetworkDiagram: matches a vector render of a small diagram, and set_state changes
the pixels it should (and only those)."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
import scipy.sparse as sp
from manim import Scene, tempconfig
from manim.camera.camera import Camera

from nnviz.core.network import MLP
from nnviz.draw import patches
from nnviz.draw.mobjects.network import NetworkDiagram
from nnviz.draw.mobjects.raster.colour import lut_index
from nnviz.draw.mobjects.raster.coverage import footprint_weights, footprint_widths, line_coverage
from nnviz.draw.mobjects.raster_network import RasterNetworkDiagram
from nnviz.draw.patches.cameras import NNVizCamera
from nnviz.pipeline.testing import render_scene
from nnviz.spec.palette import PALETTE, hex_to_rgb

SIZE = (480, 270)


pytestmark = pytest.mark.stock


def render(mob, size: tuple[int, int] = SIZE, camera: type | None = None) -> np.ndarray:
    """The frame of a scene holding only `mob` (RGB uint8), drawn by `camera` or by the
    one nnviz chooses (its own, or manim's with NNVIZ_STOCK_MANIM=1)."""

    class One(Scene):
        def __init__(self) -> None:
            super().__init__(**({"camera_class": camera} if camera else
                                patches.scene_kwargs(self, {})))

        def construct(self) -> None:
            self.add(mob)

    return render_scene(One, size, manim_config={
        "background_color": PALETTE["background"]})[1].astype(int)


@pytest.fixture
def small():
    net = MLP((4, 3, 2), activation="tanh", seed=1)
    x = np.array([0.9, -0.5, 0.2, -1.0])
    acts = [x, *[o.a[0] for o in net.layer_outputs(x)]]
    kw = dict(activation_range=(-1, 1), max_width=6.0)
    return net, acts, kw


def test_raster_matches_vector_render(small) -> None:
    net, acts, kw = small
    vec = render(NetworkDiagram(net.sizes, net.weights, net.biases, acts, **kw))
    ras = render(RasterNetworkDiagram(net.sizes, net.weights, net.biases, acts, **kw))
    bg = hex_to_rgb(PALETTE["background"]) * 255
    drawn_v = np.abs(vec - bg).max(-1) > 30
    drawn_r = np.abs(ras - bg).max(-1) > 30
    # Same coverage: what is drawn in one is drawn in the other (up to anti-aliased rims).
    assert (drawn_v ^ drawn_r).mean() < 0.01
    assert abs(drawn_v.mean() - drawn_r.mean()) < 0.1 * drawn_v.mean()
    # Same colours where things are drawn.
    diff = np.abs(vec - ras).max(-1)
    assert (diff > 40).mean() < 0.003
    assert np.abs(vec[drawn_v] - ras[drawn_v]).mean() < 6


@pytest.mark.parametrize("size", [SIZE, (854, 480)])
@pytest.mark.parametrize("fade", [0.0, 0.4])
def test_manims_camera_draws_what_nnvizs_draws(small, size, fade) -> None:
    """manim's own camera pastes get_pixel_array() onto the corners: the pixels
    draw_to_camera puts there, up to rounding (straight alpha composited vs blended in
    the colour table)."""
    net, acts, kw = small
    d = RasterNetworkDiagram(net.sizes, net.weights, net.biases, acts, **kw)
    d.shift([0.13, 0.07, 0.0]).fade(fade)
    fast, stock = (render(d.copy(), size, camera) for camera in (NNVizCamera, Camera))
    drawn = np.abs(fast - fast[0, 0]).max(-1) > 30
    assert drawn.mean() > 0.02
    assert np.abs(fast - stock).max() <= 3


def _camera() -> Camera:
    with tempconfig({"pixel_width": SIZE[0], "pixel_height": SIZE[1]}):
        return Camera()


def test_set_state_recolours_exactly_one_edge(small) -> None:
    net, acts, kw = small
    d = RasterNetworkDiagram(net.sizes, net.weights, net.biases, acts, **kw)
    cam = _camera()
    before = d.raster(cam)[1].astype(int).copy()
    W = [w.copy() for w in net.weights]
    j, i = 1, 2
    old = W[0][j, i]
    W[0][j, i] = -np.sign(old) * np.abs(W[0]).max()  # strongest weight, opposite sign
    d.set_state(weights=W)
    after = d.raster(cam)[1].astype(int)
    changed = np.abs(after - before).max(-1) > 8
    # The changed pixels lie along the edge from neuron (0, i) to (1, j) ...
    a, b = d.node_center(0, i), d.node_center(1, j)
    ppu = cam.pixel_width / cam.frame_width
    (x0, y0, w, h) = d.geometry(cam).box
    ys, xs = np.nonzero(changed)
    px = np.stack([xs + x0 + 0.5, ys + y0 + 0.5], 1)
    to_px = lambda p: np.array([p[0] * ppu + cam.pixel_width / 2,  # noqa: E731
                                cam.pixel_height / 2 - p[1] * ppu])
    pa, pb = to_px(a), to_px(b)
    t = np.clip(((px - pa) @ (pb - pa)) / ((pb - pa) @ (pb - pa)), 0, 1)
    dist = np.linalg.norm(px - (pa + t[:, None] * (pb - pa)), axis=1)
    assert changed.sum() > 50 and dist.max() < 6
    # ... and now carry the new sign's colour, at full strength on the line's core.
    want = PALETTE["positive"] if W[0][j, i] >= 0 else PALETTE["negative"]
    core = after[changed][after[changed][:, 3] > 240][:, :3]
    assert len(core) > 20
    np.testing.assert_allclose(core.mean(0), hex_to_rgb(want) * 255, atol=25)


def test_set_state_activations_light_one_neuron(small) -> None:
    net, acts, kw = small
    d = RasterNetworkDiagram(net.sizes, net.weights, net.biases, acts, **kw)
    cam = _camera()
    before = d.raster(cam)[1].astype(int).copy()
    new = [a.copy() for a in acts]
    new[2][0] = 1.0  # output neuron 0 fully on
    new[2][1] = -1.0  # output neuron 1 fully off
    d.set_state(activations=new)
    after = d.raster(cam)[1].astype(int)
    changed = np.abs(after - before).max(-1) > 8
    ppu = cam.pixel_width / cam.frame_width
    x0, y0 = d.geometry(cam).box[:2]
    for k, colour in ((0, "neuron_on"), (1, "neuron_off")):
        c = d.node_center(2, k)
        cx = int(c[0] * ppu + cam.pixel_width / 2) - x0
        cy = int(cam.pixel_height / 2 - c[1] * ppu) - y0
        np.testing.assert_allclose(after[cy, cx, :3], hex_to_rgb(PALETTE[colour]) * 255, atol=2)
    # Nothing changes outside the two output discs.
    ys, xs = np.nonzero(changed)
    r_px = d.layout.radius[2] * ppu + 2
    for y, x in zip(ys, xs, strict=True):
        dists = [np.hypot(x + x0 - (d.node_center(2, k)[0] * ppu + cam.pixel_width / 2),
                          y + y0 - (cam.pixel_height / 2 - d.node_center(2, k)[1] * ppu))
                 for k in (0, 1)]
        assert min(dists) < r_px


def test_line_coverage_ink_and_footprint_blend() -> None:
    # A horizontal line 100 px long and 1 px wide covers 100 px^2; a diagonal one
    # length x width.
    for p1, length in (((110.0, 20.0), 100.0), ((80.5, 90.5), np.hypot(70.5, 70.5))):
        pix, line, cov = line_coverage(np.array([[10.0, 20.0]]), np.array([p1]), 1.0,
                                       (200, 200))
        assert cov.sum() == pytest.approx(length, rel=0.03)
        assert (line == 0).all() and cov.max() <= 1.0
    pix, _, cov = line_coverage(np.array([[10.0, 20.0]]), np.array([[110.0, 20.0]]), 3.0,
                                (200, 200))
    assert cov.sum() == pytest.approx(300, rel=0.03)
    levels = footprint_widths(6.0)
    assert levels[0] == 1.0 and levels[-1] == 6.0
    w = np.linspace(0.2, 6.0, 30)
    ink = sum(c * lv for c, lv in zip(footprint_weights(w, levels), levels, strict=True))
    np.testing.assert_allclose(ink, w, rtol=1e-9)  # blending keeps each line's ink


def test_copies_share_geometry_and_fade(small) -> None:
    net, acts, kw = small
    d = RasterNetworkDiagram(net.sizes, net.weights, net.biases, acts, **kw)
    cam = _camera()
    full = d.raster(cam)[1].copy()
    e = d.copy()
    assert e._geometry is d._geometry
    e.fade(0.5)
    half = e.raster(cam)[1]
    assert half[..., 3].max() == pytest.approx(full[..., 3].max() * 0.5, abs=2)
    moved = d.copy().shift([1.0, 0.5, 0.0])
    np.testing.assert_allclose(moved.node_center(1, 0), d.node_center(1, 0) + [1.0, 0.5, 0.0])


def test_dense_layers_combine_like_many_faint_layers() -> None:
    # One edge drawn as a "dense" layer: its opacity a shows as 1 - exp(-a) on its core,
    # as Cairo's "over" of many faint layers adding up to a would.
    W = [np.array([[1.0]])]
    cam = _camera()
    for dense_edges, want in ((10, 0.8), (0, 1 - np.exp(-0.8))):
        d = RasterNetworkDiagram((1, 1), W, max_opacity=0.8, min_opacity=0.8, max_width=9.0,
                                 min_width=9.0,
                                 dense_edges=dense_edges, width=6)
        img = d.raster(cam)[1]
        core = img[img.shape[0] // 2, img.shape[1] // 2 - 30: img.shape[1] // 2 + 30, 3]
        assert core.max() / 255 == pytest.approx(want, abs=0.02)


BACK = 0xFF000000 | int.from_bytes(bytes(int(c * 255) for c in hex_to_rgb(
    PALETTE["background"])[::-1]), "big")  # the backdrop as a packed RGBA pixel


def _playback_diagram(seed: int = 3):
    """784-16-10 in a grid, with a fixed weight scale (as a trace playback has)."""
    rng = np.random.default_rng(seed)
    W0 = [rng.normal(0, 0.05, (16, 784)), rng.normal(0, 0.5, (10, 16))]
    W1 = [1.4 * w + rng.normal(0, 0.002, w.shape) for w in W0]  # a few cross zero
    d = RasterNetworkDiagram((784, 16, 10), W0, input_grid=True, max_width=(1.0, 3.0),
                             weight_scale=(0.2, 1.5), width=6, height=3.4)
    return d, W0, W1


def test_sums_reuse_earlier_frames_exactly() -> None:
    d, W0, W1 = _playback_diagram()
    geo = d.geometry(_camera())
    full = geo.full_sums
    calls = []
    geo.full_sums = lambda X: calls.append(1) or full(X)
    for k, t in enumerate(np.linspace(0, 1, 9)):  # weights move on a straight line
        d.set_state(weights=[(1 - t) * a + t * b for a, b in zip(W0, W1, strict=True)])
        X = d._edge_columns(geo)
        S, want = geo.sums(X)(0, len(geo.edge_px)), full(X)
        np.testing.assert_allclose(S, want, rtol=1e-4, atol=2e-5)  # float32 rounding only
        a, b = (lut_index(v, True).astype(int) for v in (S, want))
        assert (a != b).mean() < 0.005  # the colours drawn: the same but for rare 1/255 steps
        assert np.abs((a >> 8) - (b >> 8)).max() <= 1 and np.abs((a & 255) - (b & 255)).max() <= 1
        flips = sum(int(((a * ((1 - t) * a + t * b)) < 0).sum())
                    for a, b in zip(W0, W1, strict=True))
        if k == 8:
            assert flips > 0  # some weights crossed zero: their columns were added
    assert len(calls) == 3  # the anchor and two directions; six frames cost a blend
    d.set_state(weights=W0)  # back to the anchor: nothing to sum at all
    part = geo.sums(d._edge_columns(geo))
    assert np.shares_memory(part(0, 10), geo.anchor[1]) and len(calls) == 3


def test_kept_canvas_equals_a_fresh_raster() -> None:
    d, W0, W1 = _playback_diagram()
    cam = _camera()
    acts = [np.linspace(0, 1, 784), np.zeros(16), np.zeros(10)]
    d.set_state(activations=acts)
    d.raster(cam, backdrop=BACK)
    acts2 = [acts[0], np.linspace(0, 1, 16), np.ones(10)]  # inputs unchanged: kept
    d.set_state(weights=W1, activations=acts2)
    kept = d.raster(cam, backdrop=BACK)[1].copy()
    fresh, *_ = _playback_diagram()
    fresh.set_state(weights=W1, activations=acts2)
    np.testing.assert_array_equal(kept, fresh.raster(cam, backdrop=BACK)[1])


def test_no_edges_drawn_over_an_input_grid() -> None:
    d, *_ = _playback_diagram()
    cam = _camera()
    geo = d.geometry(cam)
    box = geo.box
    x_px = geo.edge_px % box[2] + box[0] + 0.5
    y_px = geo.edge_px // box[2] + box[1] + 0.5
    ppu = cam.pixel_width / cam.frame_width
    pos, r = d.layout.positions[0], d.layout.radius[0]
    lo = (pos[:, :2].min(axis=0) - r) * [ppu, -ppu] + [cam.pixel_width / 2,
                                                        cam.pixel_height / 2]
    hi = (pos[:, :2].max(axis=0) + r) * [ppu, -ppu] + [cam.pixel_width / 2,
                                                        cam.pixel_height / 2]
    inside = ((x_px > lo[0] + 2) & (x_px < hi[0] - 2) & (y_px < lo[1] - 2)
              & (y_px > hi[1] + 2))  # y grows downwards; 2 px for anti-aliasing
    assert inside.sum() == 0
    assert len(geo.edge_px) > 5000  # the edges are drawn, beside the grid


def _canonical(geo) -> dict[bool, sp.csr_matrix]:
    """F of each group, row-major with sorted columns (as the raster built it before its
    coverage became row bands of column-major matrices)."""
    out = {}
    for dense, at in ((True, 2), (False, 3)):
        m = sp.vstack([c[at].tocsr() for c in geo.chunks]).tocsr()
        m.sort_indices()
        out[dense] = m
    return out


def test_compact_coverage_is_the_coverage_of_before() -> None:
    """The banded, column-major F holds the very entries of the row-major F built before
    (digest of F computed with commit 3344225, the last one that built it that way), and
    its products and per-edge columns give the sums of a row-major product, bit for bit
    (a row-major product adds a pixel's entries in edge order, so does csc_matvecs)."""
    d, W0, W1 = _playback_diagram()
    geo = d.geometry(_camera())
    geo.keep_all_columns()  # every column's entries, inked now or not
    F = _canonical(geo)
    h = hashlib.sha256()
    for dense in (True, False):
        m = F[dense]
        for a in (m.indptr.astype(np.int64), m.indices.astype(np.int64), m.data):
            h.update(a.tobytes())
    h.update(geo.edge_px.astype(np.int64).tobytes())
    assert h.hexdigest()[:24] == "2dff95ef97e8165f42104b52"
    assert all(m.indices.dtype == np.int32 and m.data.dtype == np.float32
               for c in geo.chunks for m in c[2:])
    nnz = sum(m.nnz for m in F.values())
    stored = sum(m.data.nbytes + m.indices.nbytes for c in geo.chunks for m in c[2:])
    assert stored == 8 * nnz  # one copy: an int32 row and a float32 coverage an entry
    assert len(geo.chunks) > 1  # several bands, so the band seams are exercised
    for W in (W0, W1):
        d.set_state(weights=W)
        X = d._edge_columns(geo)
        S = geo.full_sums(X)
        sparse, dense = F[False] @ X[False], F[True] @ X[True]
        np.testing.assert_array_equal(S[0], sparse[:, 0])
        np.testing.assert_array_equal(S[1], dense[:, 0])
        np.testing.assert_array_equal(S[2], sparse[:, 1] + dense[:, 1])
    # A few edges' columns (the edges that leave the path between two frames).
    r = np.zeros(2 * (geo.n_cols[False] + geo.n_cols[True]), dtype=np.float32)
    moved = np.zeros(len(r), dtype=bool)
    cols = [3, 400, 12000]
    off = geo.offsets[True]
    for c in cols:
        r[off + 2 * c: off + 2 * c + 2] = (0.25, 0.125)
        moved[off + 2 * c] = True
    which, add = geo._columns(True, r, moved)
    want = F[True][:, cols] @ np.tile(np.float32([0.25, 0.125]), (3, 1))
    assert which == 1
    np.testing.assert_array_equal(add, want)


def test_footprints_a_layer_never_uses_change_no_frame(monkeypatch) -> None:
    """With thick minimum widths the narrow footprints get no entries: fewer entries,
    the same frames as with them, bit for bit."""
    from nnviz.draw.mobjects.raster import geometry

    rng = np.random.default_rng(5)
    W = [rng.normal(0, 0.5, (6, 9)), rng.normal(0, 0.5, (4, 6))]
    kw = dict(min_width=(8.0, 10.0), max_width=(14.0, 20.0), width=6, height=3.4)
    cam = _camera()
    frames = {}
    for skip in (True, False):
        if not skip:
            monkeypatch.setattr(geometry, "used_footprints", lambda levels, _: [True] * len(levels))
        d = RasterNetworkDiagram((9, 6, 4), W, **kw)
        geo = d.geometry(cam)
        geo.keep_all_columns()  # uninked columns too: this is about footprints
        nnz = sum(m.nnz for c in geo.chunks for m in c[2:])
        imgs = [d.raster(cam, backdrop=BACK)[1].copy()]
        for t in (0.3, 0.6, 1.0):  # edges thinner and thicker; back to the anchor
            d.set_state(weights=[w * (1 - t) + t * w[::-1] for w in W])
            imgs.append(d.raster(cam, backdrop=BACK)[1].copy())
        frames[skip] = (nnz, imgs)
    assert frames[True][0] < 0.8 * frames[False][0]
    for a, b in zip(frames[True][1], frames[False][1], strict=True):
        np.testing.assert_array_equal(a, b)


def test_idle_coverage_is_let_go_and_built_again() -> None:
    """A diagram whose edges stay put lets its F go when another is built; drawn with
    new weights it builds F again, the same, and draws what a fresh diagram draws."""
    from nnviz.draw.mobjects.raster import geometry

    a, W0, W1 = _playback_diagram()
    cam = _camera()
    a.raster(cam, backdrop=BACK)
    geo = a.geometry(cam)
    geo.keep_all_columns()  # so that W1 needs no more columns
    F = _canonical(geo)
    for k in range(geometry.IDLE_FRAMES + 2):  # frames with the same inks: no F needed
        a.set_opacity(1.0 - 0.001 * (k % 2))
        a.raster(cam, backdrop=BACK)
    assert geo._chunks is not None
    b, *_ = _playback_diagram(seed=4)
    b.raster(cam, backdrop=BACK)
    assert geo._chunks is None and b.geometry(cam)._chunks is not None
    a.set_opacity(1.0)
    a.set_state(weights=W1)
    again = a.raster(cam, backdrop=BACK)[1]
    for dense, m in _canonical(geo).items():
        assert (m != F[dense]).nnz == 0
    fresh, *_ = _playback_diagram()
    fresh.set_state(weights=W1)
    np.testing.assert_array_equal(again, fresh.raster(cam, backdrop=BACK)[1])


def test_only_inked_columns_get_entries_and_more_are_added_when_inked(monkeypatch) -> None:
    """A big F holds the entries of the columns the diagram can ink (a line between two
    footprint widths uses two of them); a frame that inks more builds F again with all.
    Every frame is the one a diagram with all columns draws, bit for bit."""
    from nnviz.draw.mobjects.raster import geometry

    monkeypatch.setattr(geometry, "LAZY_ENTRIES", 0)  # this small F counts as big
    rng = np.random.default_rng(7)
    W = [rng.normal(0, 0.5, (6, 9)), rng.normal(0, 0.5, (4, 6))]
    kw = dict(min_width=(1.0, 1.0), max_width=(14.0, 20.0), width=6, height=3.4)
    cam = _camera()
    lazy, full = RasterNetworkDiagram((9, 6, 4), W, **kw), RasterNetworkDiagram((9, 6, 4), W, **kw)
    full.geometry(cam).keep_all_columns()
    geo = lazy.geometry(cam)

    def nnz(g) -> int:
        return sum(m.nnz for c in g.chunks for m in c[2:])

    first = nnz(geo)
    assert first < 0.7 * nnz(full.geometry(cam))
    edge_px = geo.edge_px.copy()
    for t in (0.0, 0.3, 1.0, 0.5):  # thinner, thicker: other footprints get ink
        for d in (lazy, full):
            d.set_state(weights=[w * (1 - t) + t * 3 * w[::-1] for w in W])
        np.testing.assert_array_equal(lazy.raster(cam, backdrop=BACK)[1],
                                      full.raster(cam, backdrop=BACK)[1])
    assert nnz(geo) > first
    np.testing.assert_array_equal(geo.edge_px, edge_px)  # the rows of F never change
    X = lazy._edge_columns(geo)
    np.testing.assert_array_equal(geo.full_sums(X), full.geometry(cam).full_sums(X))


def test_a_still_diagram_lets_its_coverage_go_sooner() -> None:
    """A diagram whose inks stopped moving STILL_FRAMES frames ago (fading, say) lets F go
    when another is built; one whose inks move every frame keeps it."""
    from nnviz.draw.mobjects.raster import geometry

    cam = _camera()
    still, W0, W1 = _playback_diagram()
    moving, *_ = _playback_diagram(seed=4)
    for k in range(geometry.STILL_FRAMES + 2):
        still.set_opacity(1.0 - 0.001 * (k % 2))  # the same inks
        t = (k % 7) / 7
        moving.set_state(weights=[a + (b - a) * t for a, b in zip(W0, W1, strict=True)])
        for d in (still, moving):
            d.raster(cam, backdrop=BACK)
    geo_still, geo_moving = still.geometry(cam), moving.geometry(cam)
    assert geo_still._chunks is not None and geo_moving._chunks is not None
    third, *_ = _playback_diagram(seed=5)
    third.shift([0.01, 0.0, 0.0]).raster(cam, backdrop=BACK)
    assert geo_still._chunks is None and geo_moving._chunks is not None
