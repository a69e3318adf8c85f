"""Every number a scene shows at its last frame, read from its mobjects, against the value
this test computes from the core and explain layers and the scene's traces (issue 13:
control frames are blind to numbers).

Each scene renders once (tests/conftest.py: last_frame_scene). tests/screen_reader.py reads
what is on screen; check_screen fails on a number that disagrees with the expected value
at the digits shown, and on any numeric text no expectation accounts for, so a number
added to a scene later must be added here too.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from screen_reader import check_screen, read_screen

from nnviz.core.datasets import four_pixel
from nnviz.core.datasets.four_pixel import CLASSES as FOUR_PIXEL_CLASSES
from nnviz.core.gradcheck import numeric_grads
from nnviz.core.losses import softmax
from nnviz.core.network import MLP
from nnviz.core.training import default_loss
from nnviz.explain.bent_lines import partial_sums
from nnviz.explain.pieces import breakpoints, count_linear_pieces
from nnviz.explain.random_pieces import random_piece_counts
from nnviz.explain.sawtooth import sawtooth_network
from nnviz.explain.warp import (
    boundary_pulled_back,
    clip_polyline,
    decision_boundary,
    distance_to_curves,
    hidden_outputs,
    view_for,
)
from nnviz.spec.store import TraceStore

pytestmark = pytest.mark.render

SCENES = Path(__file__).resolve().parents[1] / "scenes"
REGISTER = re.compile(r"""@register\(\s*["']([a-z0-9-]+)["']""")
ONE = [()]  # a text on screen once, with no number about the network in it

# scenes whose last frame shows no number about a network (only formulas, axis ticks, or
# the settings' own numbers); they are still read, and every number on them is checked
NO_NETWORK_NUMBER = {"bent-line", "chain-rule", "squashing"}


def traced(cfg, name: str = "main"):
    """(trace, training data, held-out data) of trace `name` of a scene's config."""
    spec = cfg.traces()[name]
    store = TraceStore()
    train, test = store.data(spec)
    return store.load(spec), train, test


def percent(net: MLP, data) -> float:
    return 100.0 * float(np.mean(net.predict(data.X) == data.y))


def loss_on(net: MLP, data, spec) -> float:
    return net.loss(data.X, data.targets(net), spec.loss or default_loss(net, data))


def sizes_text(sizes) -> tuple[int, ...]:
    return tuple(int(s) for s in sizes)


def registered() -> set[str]:
    return {m.group(1) for p in SCENES.glob("*.py") for m in REGISTER.finditer(p.read_text())}


def test_every_scene_has_its_numbers_checked():
    tested = {name.removeprefix("test_").replace("_", "-") for name in globals()
              if name.startswith("test_") and name != "test_every_scene_has_its_numbers_checked"}
    assert registered() == tested
    assert tested >= NO_NETWORK_NUMBER


# -- issue-8 scenes -------------------------------------------------------------------------
def test_backprop(last_frame_scene):
    from manim import MathTex

    from nnviz.draw.mobjects.latex import tex_number

    scene = last_frame_scene("backprop")
    cfg = scene.cfg
    trace, data, _ = traced(cfg)
    net = trace.net_at(cfg.at)
    k = cfg.sample % data.n_samples
    X, Y = data.X[k : k + 1], data.targets(net)[k : k + 1]
    E = net.loss(X, Y, "squared_error")
    g = numeric_grads(net, X, Y, "squared_error")  # finite differences, not the backprop shown
    after = net.copy()
    for W, b, gw, gb in zip(after.weights, after.biases, g.weights, g.biases, strict=True):
        W -= cfg.lr * gw
        b -= cfg.lr * gb
    E2 = after.loss(X, Y, "squared_error")
    changed = np.concatenate([o.a[0] for o in after.layer_outputs(X)])
    # the activations were morphed into the new ones with Transform, which leaves each
    # MathTex's string at the old value: its glyphs are compared instead
    check_screen(read_screen(scene), numbers={}, texts={
        "#": [(v,) for v in X[0]],  # the inputs: unchanged by the step
        r"\text{truth } #": [(t,) for t in Y[0]],
        r"E = \sum (a - \text{truth})^2 = #": [(E,)],
        r"w \leftarrow w - #\,\frac{\partial E}{\partial w}": [(cfg.lr,)],
        r"E:\; # \;\to\; #": [(E, E2)],
    }, stale=[MathTex(tex_number(float(v)), font_size=24) for v in changed])
    assert E2 < E


def test_truth_and_error(last_frame_scene):
    from manim import Text
    from screen_reader import looks_like

    scene = last_frame_scene("truth-and-error")
    cfg = scene.cfg
    trace, data, _ = traced(cfg)
    net = trace.net_at(1.0)
    x = data.X[cfg.image]
    truth = np.eye(net.sizes[-1])[data.y[cfg.image]]
    answer = net.forward(x[None, :])[0]
    err = np.abs(truth - answer)
    check_screen(read_screen(scene), numbers={}, texts={
        "#": [(v,) for v in (*answer, *truth, *err)],
        r"\text{total error} = #": [(err.sum(),)],
    })
    # the heading was morphed from "" with Transform: its glyphs carry the step count
    (kind,) = [m for m in scene.mobjects if isinstance(m, Text) and m.original_text == ""]
    assert looks_like(kind, Text(f"trained network ({cfg.steps} steps)", font_size=30))


def test_gradient_valley(last_frame_scene):
    scene = last_frame_scene("gradient-valley")
    cfg = scene.cfg
    spec = cfg.traces()["surface"]
    trace, data, _ = traced(cfg, "surface")
    net = trace.net_at(1.0)
    check_screen(read_screen(scene), numbers={"step": [cfg.surface_steps],
                                              "E =": [loss_on(net, data, spec)]}, texts={
        "a real neuron fitting # points: w and b are its only parameters,\n"
        "so this surface is its whole valley": [(data.n_samples,)],
    })


def test_chain_rule(last_frame_scene):
    scene = last_frame_scene("chain-rule")
    cfg = scene.cfg
    w, z = cfg.link_weight, cfg.sigmoid_z
    s = 1.0 / (1.0 + np.exp(-z))
    ds = s * (1.0 - s)
    relu = [(r, 1.0 if r > 0 else 0.0) for r in cfg.relu_z]
    check_screen(read_screen(scene), numbers={}, texts={
        r"w = {#}:\; \frac{dB}{dA} = {#}": [(w, w)],
        r"\text{finite difference: }{#}": [(w,), (1.0,), (ds,)],
        r"B = A_1 + A_2,\quad \frac{dB}{dA_1} = 1": ONE,
        r"A_1 = {#},\; A_2 = {#}:\; B = {#},\;\frac{dB}{dA_1} = 1": [(0.3, 0.4, 0.7)],
        r"s = \sigma(z),\quad \frac{ds}{dz} = s(1 - s)": ONE,
        r"z = {#}:\; s = {#},\; s(1-s) = {#}": [(z, s, ds)],
        r"r = \max(0, z),\quad \frac{dr}{dz} = 1 \text{ or } 0": ONE,
        r"z = {#} \Rightarrow {#},\quad z = {#} \Rightarrow {#}": [sum(relu, ())],
        r"\text{finite difference: }{#},\;{#}": [tuple(d for _, d in relu)],
    })


def test_training_you_can_watch(last_frame_scene):
    scene = last_frame_scene("training-you-can-watch")
    cfg = scene.cfg
    spec = cfg.traces()["main"]
    trace, train, test = traced(cfg)
    net = trace.net_at(1.0)
    check_screen(read_screen(scene), numbers={
        "step": [cfg.steps], "loss": [loss_on(net, train, spec)],
        "train acc.": [percent(net, train)], "test acc.": [percent(net, test)],
    }, texts={"x_1": ONE, "x_2": ONE})


# -- neurons and four pixels ----------------------------------------------------------------
def test_weighted_sum(last_frame_scene):
    scene = last_frame_scene("weighted-sum")
    cfg = scene.cfg
    trace, _, _ = traced(cfg)
    net = trace.net_at(1.0)
    images = four_pixel(n=8)
    x = images.X[cfg.image]
    a = x if cfg.layer == 0 else net.layer_outputs(x)[cfg.layer - 1].a[0]
    w, b = net.weights[cfg.layer][cfg.neuron], net.biases[cfg.layer][cfg.neuron]
    total = float(w @ a)
    z = total + b
    out = float(net.layer_outputs(x)[cfg.layer].a[0, cfg.neuron])
    assert z > 0 and out > 0  # the default neuron fires, so the screen says so
    reach = float(np.abs(w).sum())  # the sum for the neuron's pattern (+) and its opposite (-)
    pattern = np.where(w >= 0, 1.0, -1.0)
    agree = int(np.sum(np.sign(x) == pattern))
    check_screen(read_screen(scene), numbers={}, texts={
        "trained four-pixel network: layer #, neuron #": [(cfg.layer + 1, cfg.neuron + 1)],
        "a_{#}": [(i + 1,) for i in range(4)],
        "#white": [(1,)], "#black": [(-1,)],
        "#": [(v,) for v in a] + [(-reach,), (reach,)],
        r"\times#": [(v,) for v in w],
        r"w_{#} a_{#} = (#)(#) = #": [(i + 1, i + 1, w[i], a[i], w[i] * a[i])
                                      for i in range(a.size)],
        r"\textstyle\sum_i w_i a_i = #": [(total,)],
        "z = # + (#) = #": [(total, b, z)],
        "-b = #": [(-b,)],
        rf"a' = \{net.activation}(#) = #": [(z, out)],
        rf"\{net.activation}(z) > #:": [(0,)],
        "image and pattern agree in # of # pixels": [(agree, 4)],
    })


def test_squashing(last_frame_scene):
    scene = last_frame_scene("squashing")
    x = scene.cfg.x
    sig = 1.0 / (1.0 + np.exp(-x))
    check_screen(read_screen(scene), numbers={}, texts={
        r"\sigma(a) = 1/(1 + e^{-a})": ONE,
        r"\tanh(a) = 2\sigma(2a) - 1": ONE,
        r"\mathrm{ReLU}(a) = \max(0, a)": ONE,
        r"\sigma(#) = #": [(x, sig)],
        r"\tanh(#) = #": [(x, np.tanh(x))],
        r"\mathrm{ReLU}(#) = #": [(x, max(x, 0.0))],
        r"\tanh:\; (-\infty, \infty) \to (#, #)": [(-1, 1)],
    })


def test_edge_detector(last_frame_scene):
    scene = last_frame_scene("edge-detector")
    cfg = scene.cfg
    trace, _, test = traced(cfg, "trained")
    net = trace.net_at(1.0)
    k = cfg.trained_pictures
    check_screen(read_screen(scene), numbers={}, texts={
        "trained #-#-#-# network: first-layer neurons #-#": [(*net.sizes, 1, k)],
        "pictures show the #×# centre (the blank border is cropped)": [(20, 20)],
        "blobs, not clean strokes, yet the network reads #% of held-out digits right":
            [(percent(net, test),)],
        "images: scikit-learn's #×# digits, upscaled to #×#": [(8, 8, 28, 28)],
    })


def test_four_pixel(last_frame_scene):
    scene = last_frame_scene("four-pixel")
    cfg = scene.cfg
    trace, _, _ = traced(cfg)
    images = four_pixel(n=8)
    p = softmax(trace.net_at(1.0).forward(images.X[cfg.image][None, :]))[0]
    answer, label = int(np.argmax(p)), int(images.y[cfg.image])
    verdict = "right" if answer == label else f"wrong: it is {FOUR_PIXEL_CLASSES[label]}"
    check_screen(read_screen(scene), numbers={}, texts={
        f"brightest output: {FOUR_PIXEL_CLASSES[answer]} (#%) — {verdict}": [(100 * p[answer],)],
    })


# -- digits -----------------------------------------------------------------------------------
def test_digits_network(last_frame_scene):
    scene = last_frame_scene("digits-network")
    cfg = scene.cfg
    trace, _, test = traced(cfg)
    net = trace.net_at(1.0)
    wrong_at = np.flatnonzero(net.predict(test.X[cfg.image:]) != test.y[cfg.image:])
    x = test.X[cfg.image + (wrong_at[0] if wrong_at.size else 0)]
    a1 = net.layer_outputs(x)[0].a[0]
    c0, c1 = (int(i) for i in np.argsort(-x)[:2])  # the two most inked pixels
    r0, r1 = sorted({0, cfg.neuron} | ({1} if cfg.neuron == 0 else set()))[:2]
    W, b = net.weights[0], net.biases[0]
    f = {"sigmoid": r"\sigma", "tanh": r"\tanh", "relu": r"\mathrm{ReLU}"}[net.activation]
    matrix = (f + r"\!\left(\begin{bmatrix}#&\cdots&#\\\vdots&\ddots&\vdots\\#&\cdots&#"
              r"\end{bmatrix}\begin{bmatrix}#\\\vdots\\#\end{bmatrix}+\begin{bmatrix}#\\\vdots"
              r"\\#\end{bmatrix}\right)=\begin{bmatrix}#\\\vdots\\#\end{bmatrix}")
    check_screen(read_screen(scene), numbers={}, texts={
        "A #-#-#-# network reads a digit": [sizes_text(net.sizes)],
        "#": [(d,) for d in range(net.sizes[-1])],  # the output neurons' digits
        "hidden neuron #: its # weights": [(cfg.neuron + 1, net.sizes[0])],
        matrix: [(W[r0, c0], W[r0, c1], W[r1, c0], W[r1, c1], x[c0], x[c1], b[r0], b[r1],
                  a1[r0], a1[r1])],
    })


def test_hidden_layers(last_frame_scene):
    scene = last_frame_scene("hidden-layers")
    trace, _, test = traced(scene.cfg)
    check_screen(read_screen(scene), numbers={}, texts={
        "what layer # really learned": [(1,)],
        "layer #: edges": [(1,)],
        "layer #: loops and lines": [(2,)],
        "not clean edges: scattered blobs, which still read #% of unseen digits right":
            [(percent(trace.net_at(1.0), test),)],
    })


# -- ReLU fits --------------------------------------------------------------------------------
def test_fitting_a_line(last_frame_scene):
    scene = last_frame_scene("fitting-a-line")
    cfg = scene.cfg
    trace, data, _ = traced(cfg)
    (W,), (B,) = trace.record(-1)
    w, b = float(W[0, 0]), float(B[0])
    total = float(np.abs(data.y[:, 0] - (w * data.X[:, 0] + b)).sum())
    check_screen(read_screen(scene), numbers={
        "w =": [w], "b =": [b], r"\textstyle\sum_i |y_i - \hat y_i| =": [total],
        "step": [cfg.steps]}, texts={
        "nudge: +#, or -# if worse": [(cfg.nudge_step, 2 * cfg.nudge_step)],
    })


def test_bent_line(last_frame_scene):
    scene = last_frame_scene("bent-line")
    cfg = scene.cfg
    w, b, v = cfg.w_values[-1], cfg.b_values[-1], cfg.flip_weight
    neuron = MLP((1, 1, 1), "relu", "identity").set_weights(
        [np.array([[w]]), np.array([[v]])], [np.array([b]), np.zeros(1)])
    (bend,) = breakpoints(neuron, -2.0, 2.0)
    x = np.array([[1.4], [1.6]])  # right of the bend, where the neuron is on
    slope = float(np.diff(neuron.forward(x)[:, 0])[0] / 0.2)
    check_screen(read_screen(scene), numbers={
        "w=": [w], "b=": [b], "v=": [v], r"\text{bend at } x = -\tfrac{b}{w} =": [bend],
        r"\text{slope} = v\,w =": [slope]}, texts={
        r"y = v \cdot \max(0,\ w\,x + b)": ONE,
        r"v < 0:\ \text{flipped}": ONE,
    })


def test_summing_bent_lines(last_frame_scene):
    scene = last_frame_scene("summing-bent-lines")
    cfg = scene.cfg
    trace, _, _ = traced(cfg)
    net = trace.net_at(1.0)
    W, B = net.weights, net.biases
    n = net.sizes[1]
    sx = np.linspace(-0.95, 0.95, cfg.check_points)
    err = float(np.abs(net.forward(sx[:, None])[:, 0] - partial_sums(W, B, sx)[-1]).max())
    digits = int(min(12, np.floor(-np.log10(max(err, 1e-300)))))
    assert err < 10.0**-digits
    check_screen(read_screen(scene), numbers={
        "lines added:": [n], "pieces of the sum:": [count_linear_pieces(net, -1.0, 1.0)]},
        texts={
        r"f(x) = c + \sum_{j=1}^{#} v_j\,\max(0,\ w_j x + b_j)": [(n,)],
        r"#\,\max(0,\ #\,x #)": [(W[1][0, j], W[0][j, 0], B[0][j]) for j in range(n)],
        "c = #": [(B[1][0],)],
        r"/\ #": [(n,)],
        r"\text{largest difference} < 10^{-#}": [(digits,)],
    })


def test_training_a_fit(last_frame_scene):
    scene = last_frame_scene("training-a-fit")
    cfg = scene.cfg
    pieces = [count_linear_pieces(traced(cfg, k)[0].net_at(1.0), -1.0, 1.0)
              for k in ("left", "right")]
    check_screen(read_screen(scene), numbers={"straight pieces:": pieces,
                                              "step": [cfg.steps, cfg.steps]}, texts={})


def test_depth_multiplies_pieces(last_frame_scene):
    scene = last_frame_scene("depth-multiplies-pieces")
    cfg = scene.cfg
    L, n_wide, lo, hi = cfg.max_depth, cfg.wide_neurons, -1.0, 1.0

    def best_trained(name: str) -> int:
        return max(count_linear_pieces(traced(cfg, f"{name}_{s}")[0].net_at(1.0), lo, hi)
                   for s in range(cfg.trained_seeds))

    def best_random(width: int, depth: int) -> int:
        return int(random_piece_counts(width, depth, cfg.random_seeds, lo, hi,
                                       cfg.bias_scale).max())

    sawtooth = count_linear_pieces(sawtooth_network(L, lo, hi), lo, hi)
    assert sawtooth == 2**L
    check_screen(read_screen(scene), numbers={
        None: [2**k for k in range(L + 1)] + list(range(1, L + 1)),  # the chart's axes
        "L =": [L], "pieces (counted):": [sawtooth]}, texts={
        "L layers of # ReLUs: each folds the line": [(2,)],
        r"\text{pieces} \le (n+1)^L": ONE,
        "random, best of #": [(cfg.random_seeds,)],
        "trained, best of #": [(cfg.trained_seeds,)],
        "the same # neurons: wide and shallow, or narrow and deep": [(2 * L,)],
        "# layer of #": [(1, n_wide)],
        "# layers of #": [(L, 2)],
        # the table: bound (n+1)^L, random and trained for 1 x n_wide; then for L x 2
        "#": [(n_wide + 1,), (best_random(n_wide, 1),), (best_trained("wide"),),
              (3**L,), (sawtooth,), (best_random(2, L),), (best_trained(f"deep{L}"),)],
    })


# -- warps --------------------------------------------------------------------------------------
def _carried_back_gap(net: MLP, window: float) -> float:
    lim = (-window, window)
    inside = clip_polyline(boundary_pulled_back(net, n=800), lim, lim)
    return float(distance_to_curves(np.concatenate(inside),
                                    decision_boundary(net, lim, lim, n=200)).max())


def test_warp_layers(last_frame_scene):
    scene = last_frame_scene("warp-layers")
    trace, data, _ = traced(scene.cfg)
    net = trace.net_at(1.0)
    check_screen(read_screen(scene), numbers={}, texts={
        "A #-#-#-# tanh network warps the plane": [sizes_text(net.sizes)],
        "trained: #% right": [(percent(net, data),)],
        r"\text{largest gap} = #": [(_carried_back_gap(net, scene.cfg.window),)],
    })


def test_spirals_untangled(last_frame_scene):
    scene = last_frame_scene("spirals-untangled")
    trace, data, _ = traced(scene.cfg)
    net = trace.net_at(1.0)
    check_screen(read_screen(scene), numbers={}, texts={
        "# hidden layers of width # untangle the spirals": [(net.n_layers - 1, 2)],
        "trained: #% right": [(percent(net, data),)],
        r"\text{largest gap} = #": [(_carried_back_gap(net, scene.cfg.window),)],
    })


def test_line_not_enough(last_frame_scene):
    scene = last_frame_scene("line-not-enough")
    trace, data, _ = traced(scene.cfg)
    net = trace.net_at(1.0)
    wrong = int(np.sum(net.predict(data.X) != data.y))
    (w,), (b,) = net.weights[0], net.biases[0]
    check_screen(read_screen(scene), numbers={}, texts={
        r"\sigma(w_1 x_1 + w_2 x_2 + b)": ONE,
        r"w = (#,\ #),\ b = #": [(w[0], w[1], b)],
        "# of # points\non the wrong side": [(wrong, data.n_samples)],
        "accuracy #%": [(percent(net, data),)],
    })


def test_line_1d_lift(last_frame_scene):
    scene = last_frame_scene("line-1d-lift")
    trace, data, _ = traced(scene.cfg)
    net = trace.net_at(1.0)
    (w,), (b,) = net.weights[1], net.biases[1]
    right = int(np.sum(net.predict(data.X) == data.y))
    check_screen(read_screen(scene), numbers={}, texts={
        "h_1": ONE, "h_2": ONE,
        "in 2D a straight line\nseparates them:\n# of # right": [(right, data.n_samples)],
        r"#\,h_1 #\,h_2 # = 0": [(w[0], w[1], b)],
    })


def test_bullseye_3d(last_frame_scene):
    scene = last_frame_scene("bullseye-3d")
    trace, data, _ = traced(scene.cfg, "width3")
    net = trace.net_at(1.0)
    right = int(np.sum(net.predict(data.X) == data.y))
    check_screen(read_screen(scene), numbers={}, texts={
        "width # (#-#-#)": [(net.sizes[1], *sizes_text(net.sizes))],
        r"h = \tanh(W x + b) \in \mathbb{R}^#": [(net.sizes[1],)],
        "# of # on the right side": [(right, data.n_samples)],
    })


def test_too_few_neurons(last_frame_scene):
    scene = last_frame_scene("too-few-neurons")
    cfg = scene.cfg
    nets = {k: traced(cfg, k) for k in ("few", "enough")}
    check_screen(read_screen(scene), numbers={
        "step": [cfg.steps, cfg.steps],
        "accuracy": [percent(tr.net_at(1.0), data) for tr, data, _ in nets.values()]}, texts={
        "#-#-#: # hidden neurons": [(*sizes_text(tr.sizes), sum(tr.sizes[1:-1]))
                                    for tr, _, _ in nets.values()],
    })


def test_warp_training(last_frame_scene):
    scene = last_frame_scene("warp-training")
    cfg = scene.cfg
    trace, data, _ = traced(cfg)
    net = trace.net_at(1.0)
    zoom = 1.1 / view_for(hidden_outputs(net, data.X)[-1], minimum=0.02)
    check_screen(read_screen(scene), numbers={
        "step": [cfg.steps], "accuracy": [percent(net, data)], None: [zoom]}, texts={
        "last hidden layer (of #)": [(net.n_layers - 1,)],
        r"w \cdot h + b = 0": ONE,
    })
