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
from nnviz.explain.abstraction import chance_purity, layer_views, learned, square_network
from nnviz.explain.abstraction import shapes as abstraction_shapes
from nnviz.explain.pieces import breakpoints, count_linear_pieces, dead_units
from nnviz.explain.random_pieces import random_piece_counts
from nnviz.explain.sawtooth import sawtooth_network
from nnviz.explain.separable import best_cut_accuracy, best_line_accuracy
from nnviz.explain.warp import (
    hidden_outputs,
    orient,
    saturation,
    view_for,
)
from nnviz.spec.store import TraceStore

pytestmark = pytest.mark.render

SCENES = Path(__file__).resolve().parents[1] / "scenes"
REGISTER = re.compile(r"""@register\(\s*["']([a-z0-9-]+)["']""")
ONE = [()]  # a text on screen once, with no number about the network in it

# scenes whose last frame shows no number about a network (only formulas, axis ticks, or
# the settings' own numbers); they are still read, and every number on them is checked
NO_NETWORK_NUMBER = {"bent-line", "squashing"}


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
def _camera_example(cfg):
    from nnviz.scenes.camera_grads import example

    trace, data, _ = traced(cfg, "camera")
    net = trace.net_at(cfg.at)
    x, truth = example(data, cfg.image)
    return trace, net, x, truth


def test_backprop(last_frame_scene):
    from manim import MathTex

    from nnviz.draw.mobjects.latex import tex_number

    scene = last_frame_scene("backprop")
    cfg = scene.cfg
    _, net, x, truth = _camera_example(cfg)
    E = float(((truth - net.forward(x[None, :])[0]) ** 2).sum())
    g = numeric_grads(net, x[None, :], truth[None, :], "squared_error")  # not the backprop shown
    after = net.copy()
    for W, b, gw, gb in zip(after.weights, after.biases, g.weights, g.biases, strict=True):
        W -= cfg.step_lr * gw
        b -= cfg.step_lr * gb
    answer2 = after.forward(x[None, :])[0]
    E2 = float(((truth - answer2) ** 2).sum())
    # the answers were morphed into the new ones with Transform, which leaves each
    # MathTex's string at the old value: its glyphs are compared instead
    check_screen(read_screen(scene), numbers={}, texts={
        "#": [(t,) for t in truth],
        r"w \leftarrow w - #\,\frac{dE}{dw}": [(cfg.step_lr,)],
        r"E:\; # \;\to\;#": [(E, E2)],
    }, stale=[MathTex(tex_number(float(v)), font_size=30) for v in answer2])
    assert E2 < E


def test_chain_rule(last_frame_scene):
    from nnviz.scenes.camera_grads import best_path

    scene = last_frame_scene("chain-rule")
    cfg = scene.cfg
    _, net, x, truth = _camera_example(cfg)
    p = best_path(net, x, truth)
    hid, out = net.layer_outputs(x[None, :])
    zo = float(out.z[0, p.m])
    z = float(hid.z[0, p.j])
    h = float(np.tanh(z))  # independent of the core
    assert cfg.activation == "tanh"
    a = 1.0 / (1.0 + np.exp(-zo))  # the sigmoid, independent of the core
    check_screen(read_screen(scene), numbers={}, texts={
        "w = #": [(cfg.link_weight,)],
        r"\frac{dZ}{dA_#} = #": [(1, 1)],
        r"\sigma' = \sigma(# - \sigma)": [(1,)],
        "A_#": [(1,), (2,)],
        r"\text{at } z' = #:\; #\cdot# = #": [(zo, a, 1 - a, a * (1 - a))],
        # the camera network's hidden squash is tanh: its tile, at the path's hidden neuron
        r"\tanh' = # - \tanh^#": [(1, 2)],
        r"\text{at } z = #:\; # - #^# = #": [(z, 1, h, 2, 1 - h * h)],
    })


def test_why_backprop(last_frame_scene):
    scene = last_frame_scene("why-backprop")
    sizes = tuple(scene.cfg.big_sizes)
    pairs = list(zip(sizes[:-1], sizes[1:], strict=True))
    weights = sum(a * b for a, b in pairs)  # one multiply-add per weight: a forward pass
    biases = sum(sizes[1:])
    params = weights + biases
    backward = weights + sum(a * b for a, b in pairs[1:])
    n = len(pairs)
    check_screen(read_screen(scene), numbers={}, texts={
        r"\text{-}".join(["#"] * len(sizes)): [sizes],
        " + ".join([r"#\cdot#"] * n) + r" = #\text{ weights}":
            [(*[v for p in pairs for v in p], weights)],
        " + ".join(["#"] * n) + r" = #\text{ biases}": [(*sizes[1:], biases)],
        r"#\text{ parameters}": [(params,)],
        r"\text{one forward pass} = #\text{ multiply-adds}": [(weights,)],
        r"\text{nudging: } #\times# = #": [(params + 1, weights, (params + 1) * weights)],
        r"\text{backprop: } # + # = #": [(weights, backward, weights + backward)],
        r"\approx #\times\text{ less work}":
            [(round((params + 1) * weights / (weights + backward), -2),)],
    })


def test_camera_training(last_frame_scene):
    scene = last_frame_scene("camera-training")
    cfg = scene.cfg
    trace, data, _ = traced(cfg, "camera")
    net = trace.net_at(1.0)
    E = np.mean([((np.eye(4)[data.y[k]] - net.forward(data.X[k : k + 1])[0]) ** 2).sum()
                 for k in range(data.n_samples)])
    from nnviz.draw.mobjects.loss_curve import _nice_step

    # the loss curve's step axis: a number under each tick, from the first step to the last
    first, last = int(trace.steps[0]), int(trace.steps[-1])
    ticks = list(range(first, last + 1, int(round(_nice_step(last - first)))))
    check_screen(read_screen(scene), numbers={"step": [cfg.steps], "mean error E": [E],
                                              None: ticks}, texts={})


def test_truth_and_error(last_frame_scene):
    scene = last_frame_scene("truth-and-error")
    cfg = scene.cfg
    trace, data, _ = traced(cfg, "camera")
    x = data.X[cfg.image]
    truth_all = np.eye(4)[data.y]
    truth = truth_all[cfg.image]
    cells, totals, means = [], [], []
    for t, least in ((0.0, 2), (1.0, 3)):
        net = trace.net_at(t)
        answer = net.forward(x[None, :])[0]
        err = (truth - answer) ** 2  # the episode's one error, computed here again
        cells += [*answer, *err]
        # the fewest digits at which the shown cells add to the shown total
        d = next(d for d in range(least, 6) if round(float(np.round(err, d).sum()), d)
                 == round(float(err.sum()), d))
        shown = [round(float(e), d) for e in err]
        assert round(sum(shown), d) == round(float(err.sum()), d)
        totals.append((err.sum(),))
        means.append(net.loss(data.X, truth_all, "squared_error"))
    check_screen(read_screen(scene), numbers={}, texts={
        "#": [(v,) for v in _truth_and_error_order(cells, truth, totals)],
        r"\text{error} = (\text{truth} - \text{answer})^#": [(2,)],
        r"\text{average } E \text{ over all # images: }\;#\;\to\;#":
            [(data.n_samples, *means)],
    })


def _truth_and_error_order(cells, truth, totals):
    """The numbers "#" in the order the scene adds them: random answers, truth, random
    errors, random E, trained answers, trained errors, trained E."""
    return [*cells[0:4], *truth, *cells[4:8], totals[0][0], *cells[8:12], *cells[12:16],
            totals[1][0]]


def test_gradient_valley(last_frame_scene):
    import sys

    from nnviz.spec import registry

    scene = last_frame_scene("gradient-valley")
    cfg = scene.cfg
    mod = sys.modules[registry.get("gradient-valley").scene_class.__module__]
    trace, data, _ = traced(cfg, "camera")
    valley, start = mod.camera_valley(cfg, trace, data, 2)
    end = valley.descend(start, cfg.descent_lr, cfg.roll_steps)[-1]
    net = trace.net_at(1.0)
    Y = data.targets(net)
    for (li, j, i), v in zip(valley.picks, end, strict=True):
        net.weights[li][j, i] = v
    (h1, h2), r = valley.home, cfg.reach
    grid = [[valley.error([a, b]) for a in np.linspace(h1 - r, h1 + r, 25)]
            for b in np.linspace(h2 - r, h2 + r, 25)]
    top = np.ceil(np.max(grid) * 10) / 10
    ticks = [*np.arange(np.ceil(h1 - r), h1 + r + 1e-9, 2),
             *np.arange(np.ceil(h2 - r), h2 + r + 1e-9, 2), *np.arange(0.2, top + 1e-9, 0.2)]
    names = [(i + 1, j + 1) for li, j, i in valley.picks]
    assert all(li == 0 for li, _, _ in valley.picks)  # both are pixel -> hidden weights
    check_screen(read_screen(scene), numbers={
        "w_1 =": [end[0]], "w_2 =": [end[1]], "E =": [net.loss(data.X, Y)],
    }, texts={
        "#": [(v,) for v in ticks],
        "w_#": [(1,), (2,)], "w_# =": [(1,), (2,)],
        "w\u2081: pixel # \u2192 hidden #    w\u2082: pixel # \u2192 hidden #\n"
        "everything else as trained": [(*names[0], *names[1])],
    })


def test_valley_dimensions(last_frame_scene):
    import sys

    from nnviz.spec import registry

    scene = last_frame_scene("valley-dimensions")
    cfg = scene.cfg
    mod = sys.modules[registry.get("valley-dimensions").scene_class.__module__]
    trace, data, _ = traced(cfg, "camera")
    one, start1 = mod.camera_valley(cfg, trace, data, 1)
    two, start2 = mod.camera_valley(cfg, trace, data, 2)
    net0 = trace.net_at(0.0)
    Y = data.targets(net0)
    n = net0.n_params
    E0 = net0.loss(data.X, Y)
    after = net0.copy()
    after.set_params(net0.get_params() - cfg.step_lr * numeric_grads_flat(net0, data.X, Y))
    weights = [W.size for W in net0.weights]
    biases = [b.size for b in net0.biases]
    check_screen(read_screen(scene), numbers={}, texts={
        "# weight": [(1,)], "# weights": [(2,), *[(w,) for w in weights]],
        "# biases": [(b,) for b in biases],
        "# weights and biases": [(n,)], "# dimensions: too many to draw": [(n,)],
        r"\frac{dE}{dw} = #": [(one.slope(start1)[0],)],
        r"\Big(\frac{\partial E}{\partial w_1}, \frac{\partial E}{\partial w_2}\Big) = "
        r"(#,\;#)": [tuple(two.slope(start2))],
        "w_#": [(1,), (2,)],
        "the slope at the random network: # numbers": [(n,)],
        "one step against all # slopes:": [(n,)],
        r"E:\;#\;\to\;#": [(E0, after.loss(data.X, Y))],
    })


def numeric_grads_flat(net: MLP, X, Y) -> np.ndarray:
    """Every parameter's slope by finite differences, in get_params order."""
    return net.flat_grads(numeric_grads(net, X, Y, "squared_error"))


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


def test_edges_corners_square(last_frame_scene):
    """The hand-built network's activations for the last image shown, from its forward pass,
    and the weights and biases its formulas quote."""
    scene = last_frame_scene("edges-corners-square")
    net = square_network()
    x = abstraction_shapes(scene.cfg.seed)[scene.cfg.shown[0]]  # shown again at the end
    acts = [v for o in net.layer_outputs(x) for v in o.a[0]]
    w1, b1 = net.weights[1][0].max(), net.biases[1][0]
    w2, b2 = net.weights[2][0, 0], net.biases[2][0]
    check_screen(read_screen(scene), numbers={}, texts={
        "#×# image": [(8, 8)],
        "layer #: edges": [(1,)], "layer #: corners": [(2,)], "layer #: square": [(3,)],
        r"w=\pm#,\;b=#": [(np.abs(net.weights[0]).max(), net.biases[0][0])],
        r"a_{\text{top-left}}=\sigma(#\,a_{\text{top}}+#\,a_{\text{left}}#)": [(w1, w1, b1)],
        r"#\times#>#>#\times#": [(4, w2, -b2, 3, w2)],
        "#": [(a,) for a in acts],
    })


def test_layers_of_abstraction(last_frame_scene):
    """The summary chart's purities per layer and chance, the network's size and accuracy,
    all from explain.abstraction on the trained network."""
    scene = last_frame_scene("layers-of-abstraction")
    cfg = scene.cfg
    trace, train, test = traced(cfg)
    net = trace.net_at(1.0)
    data = np.vstack([train.X, test.X]), np.concatenate([train.y, test.y])
    views = layer_views(net, *data, cfg.top)
    before = layer_views(trace.net_at(0.0), *data, cfg.top)
    # the verdict the scene picked is the one the numbers give
    assert scene.moved == learned([v.mean_purity for v in views],
                                  [v.mean_purity for v in before])
    chance = chance_purity(data[1], cfg.top, seed=cfg.seed)
    check_screen(read_screen(scene), numbers={}, texts={
        "the trained #-#-#-# digits network, # images": [(*net.sizes, len(data[1]))],
        "how often a neuron's top # images show the same digit": [(cfg.top,)],
        "#%": [(round(100 * v.mean_purity),) for pair in zip(before, views, strict=True)
               for v in pair],
        "random # images: #%": [(cfg.top, round(100 * chance))],
        "#% of unseen digits read right all the same": [(percent(net, test),)],
        "hidden layer #": [(1,), (2,)],
    })


def test_four_pixel(last_frame_scene):
    """Every value of the walk-through, layer by layer, from the trained network itself
    (the ReLU layer is relu(h) and relu(-h) of the second tanh layer), and the answer."""
    scene = last_frame_scene("four-pixel")
    cfg = scene.cfg
    trace, _, _ = traced(cfg)
    net = trace.net_at(1.0)
    images = four_pixel(n=8)
    x = images.X[cfg.image]
    tanh1, tanh2, out = (o.a[0] for o in net.layer_outputs(x))
    relu = np.ravel(np.column_stack([np.maximum(tanh2, 0.0), np.maximum(-tanh2, 0.0)]))
    p = softmax(out[None, :])[0]
    answer, label = int(np.argmax(p)), int(images.y[cfg.image])
    verdict = "correct" if answer == label else f"wrong: it is {FOUR_PIXEL_CLASSES[label]}"
    shown = [x, tanh1, tanh2, relu, out] if cfg.relu_after == 1 else None
    assert shown is not None  # the default splits the second tanh layer
    check_screen(read_screen(scene), numbers={}, texts={
        "white = #": [(1,)], "grey = #": [(0,)], "black = #": [(-1,)],
        "#": [(v,) for layer in shown for v in layer],
    })
    # the answer line has no number: it names the largest output and whether it is right
    from manim import Text
    said = {m.original_text for top in scene.mobjects for m in top.get_family()
            if isinstance(m, Text)}
    assert f"answer: {FOUR_PIXEL_CLASSES[answer]},\n{verdict}" in said


# -- digits -----------------------------------------------------------------------------------
def count_text(sizes, braces: bool = False) -> tuple[str, tuple[int, ...]]:
    """The parameter count line as built term by term: weights and biases of each layer,
    then the total (a template and its numbers)."""
    parts, values = [], []
    for li, (a, b) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        w, bias = r"#\cdot#", "#"
        if braces:
            w = rf"\underbrace{{{w}}}_{{W_{{#}}}}"
            bias = r"\underbrace{#}_{b_{#}}"
            values += [a, b, li + 1, b, li + 1]
        else:
            values += [a, b, b]
        parts += (["+"] if li else []) + [w, "+", bias]
    values.append(sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:], strict=True)))
    return "".join(parts) + "=#", tuple(values)


def test_digits_network(last_frame_scene):
    scene = last_frame_scene("digits-network")
    cfg = scene.cfg
    trace, train, test = traced(cfg)
    net = trace.net_at(1.0)
    k, n_in, n_hid = cfg.neuron + 1, net.sizes[0], net.sizes[1]
    count, values = count_text(net.sizes)
    assert values[-1] == net.n_params == 13002
    shown_rows = [1, k, n_hid]
    check_screen(read_screen(scene), numbers={}, texts={
        "A #-#-#-# network reads a digit": [sizes_text(net.sizes)],
        "#": [(d,) for d in range(net.sizes[-1])],  # the output neurons' digits
        "blank in #%+ of images": [(90,)],
        "neuron #'s weights": [(k,)],
        "w_{#,#}": [(r, c) for r in shown_rows for c in (1, n_in)],
        "a_{#}": [(1,), (n_in,)],
        "b_{#}": [(1,), (n_hid,), (k,)],
        "a'_{#}": [(1,), (n_hid,), (k,)],
        count: [values],
    })


def test_hidden_layers(last_frame_scene):
    scene = last_frame_scene("hidden-layers")
    trace, _, test = traced(scene.cfg)
    check_screen(read_screen(scene), numbers={}, texts={
        "hidden layer #: little edges": [(1,)],
        "hidden layer #: loops and lines": [(2,)],
        "What does hidden layer # look for?": [(1,)],
        "yet #% of unseen digits read right": [(percent(trace.net_at(1.0), test),)],
        "blank in #%+ of images": [(90,)],
    })


def test_just_a_function(last_frame_scene):
    scene = last_frame_scene("just-a-function")
    cfg = scene.cfg
    trace, _, test = traced(cfg)
    net = trace.net_at(1.0)
    x = test.X[cfg.image % len(test.X)]
    out = softmax(net.forward(x[None]))[0]
    j = int(np.argmax(x))
    count, values = count_text(net.sizes, braces=True)
    assert values[-1] == net.n_params == 13002
    check_screen(read_screen(scene), numbers={str(d): [out[d]] for d in range(10)}, texts={
        "a_{#}=#": [(1, x[0]), (j + 1, x[j]), (784, x[783])],
        "# numbers in": [(net.sizes[0],)],
        "the #-#-#-# network": [sizes_text(net.sizes)],
        "# numbers out": [(net.sizes[-1],)],
        "#": [(d,) for d in range(net.sizes[-1])],
        r"f(a)=\mathrm{softmax}(W_{#}\sigma(W_{#}\sigma(W_{#}a+b_{#})+b_{#})+b_{#})":
            [(3, 2, 1, 1, 2, 3)],
        count: [values],
    })


# -- ReLU fits --------------------------------------------------------------------------------
def test_fitting_a_line(last_frame_scene):
    scene = last_frame_scene("fitting-a-line")
    cfg = scene.cfg
    trace, data, _ = traced(cfg)
    (W,), (B,) = trace.record(-1)
    (W0,), (B0,) = trace.record(0)
    X, Y = data.X[:, 0], data.y[:, 0]
    w, b = float(W[0, 0]), float(B[0])
    total = float(np.abs(Y - (w * X + b)).sum())
    start = float(np.abs(Y - (W0[0, 0] * X + B0[0])).sum())
    check_screen(read_screen(scene), numbers={
        "w =": [w], "b =": [b], r"\textstyle\sum_i |y_i - \hat y_i| =": [total],
        "step": [cfg.steps]}, texts={
        r"\text{total error: } # \to #": [(start, total)],
        "no nudge of # lowers it any more": [(cfg.nudge_step,)],
    })


def test_bent_line(last_frame_scene):
    scene = last_frame_scene("bent-line")
    cfg = scene.cfg
    w, b, v = cfg.negative_w, cfg.b_values[-1], cfg.flip_weight
    neuron = MLP((1, 1, 1), "relu", "identity").set_weights(
        [np.array([[w]]), np.array([[v]])], [np.array([b]), np.zeros(1)])
    (bend,) = breakpoints(neuron, -2.0, 2.0)
    x = np.array([[-1.6], [-1.4]])  # left of the bend, where a neuron with w < 0 is on
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
    check_screen(read_screen(scene), numbers={
        "lines added:": [n], "pieces of the sum:": [count_linear_pieces(net, -1.0, 1.0)]},
        texts={
        r"f(x) = c + \sum_{j=1}^{#} v_j\,\max(0,\ w_j x + b_j)": [(n,)],
        r"#\,\max(0,\ #\,x #)": [(W[1][0, j], W[0][j, 0], B[0][j]) for j in range(n)],
        "c = #": [(B[1][0],)],
        r"/\ #": [(n,)],
    })


def test_training_a_fit(last_frame_scene):
    scene = last_frame_scene("training-a-fit")
    cfg = scene.cfg
    runs = {k: traced(cfg, k)[0] for k in ("left", "right")}
    pieces = [count_linear_pieces(runs[k].net_at(1.0), -1.0, 1.0) for k in ("left", "right")]
    final = {k: float(runs[k].loss[-1]) for k in runs}
    best, worst = sorted(final, key=final.get)
    loss = runs[worst].loss
    same = np.abs(loss - loss[-1]) <= 1e-6 * abs(loss[-1])
    k = len(same) - 1
    while k > 0 and same[k - 1]:
        k -= 1
    names = {"nudge": "nudge", "adam": "Adam", "sgd": "gradient descent",
             "momentum": "momentum", "lbfgs": "L-BFGS"}
    trainer = {"left": cfg.left_trainer, "right": cfg.right_trainer}
    check_screen(read_screen(scene), numbers={"straight pieces:": pieces,
                                              "step": [cfg.steps]}, texts={
        "#": [(final["left"],), (final["right"],)],
        f"{names[trainer[best]]}: #× lower loss": [(round(final[worst] / final[best]),)],
        f"{names[trainer[worst]]}: stuck since step #": [(int(runs[worst].steps[k]),)],
    })


def test_depth_multiplies_pieces(last_frame_scene):
    scene = last_frame_scene("depth-multiplies-pieces")
    cfg = scene.cfg
    L, n_wide, lo, hi = cfg.max_depth, cfg.wide_neurons, -1.0, 1.0
    nets = {name: [traced(cfg, f"{name}_{s}")[0].net_at(1.0) for s in range(cfg.trained_seeds)]
            for name in ("wide", f"deep{L}")}

    def best_trained(name: str) -> int:
        return max(count_linear_pieces(n, lo, hi) for n in nets[name])

    def best_random(width: int, depth: int) -> int:
        return int(random_piece_counts(width, depth, cfg.random_seeds, lo, hi,
                                       cfg.bias_scale).max())

    deep = nets[f"deep{L}"]
    flat = sum(count_linear_pieces(n, lo, hi) == 1 for n in deep)
    dead = float(np.mean([sum(int(d.sum()) for d in dead_units(n, lo, hi)) for n in deep]))
    sawtooth = count_linear_pieces(sawtooth_network(L, lo, hi), lo, hi)
    assert sawtooth == 2**L
    check_screen(read_screen(scene), numbers={
        None: [2**k for k in range(0, int(np.ceil(np.log2(3**L) + 0.6)) + 1, 2)]
        + list(range(1, L + 1)),  # the chart's axes
        "L =": [L], "pieces:": [sawtooth]}, texts={
        "L layers of # ReLUs": [(2,)],
        r"\tfrac12": ONE,  # the sawtooth's middle y tick
        "#^L": [(2,), (3,)],
        "#^L = (n{+}#)^L": [(3, 1)],
        "random, best of #": [(cfg.random_seeds,)],
        "random weights: never more than # pieces":
            [(max(best_random(2, d) for d in range(1, L + 1)),)],
        "trained, best of #": [(cfg.trained_seeds,)],
        "trained # × #: # of # came out flat": [(L, 2, flat, cfg.trained_seeds)],
        "# of # ReLUs dead on average": [(dead, 2 * L)],
        "the same # neurons: wide or deep": [(2 * L,)],
        "# layer of #": [(1, n_wide)],
        "# layers of #": [(L, 2)],
        # the sawtooth's y ticks 0 and 1; then the table: bound (n+1)^L, random and trained
        # for 1 x n_wide, then for L x 2
        "#": [(0,), (1,), (n_wide + 1,), (best_random(n_wide, 1),), (best_trained("wide"),),
              (3**L,), (sawtooth,), (best_random(2, L),), (best_trained(f"deep{L}"),)],
    })


# -- warps --------------------------------------------------------------------------------------
def test_warp_layers(last_frame_scene):
    scene = last_frame_scene("warp-layers")
    trace, data, _ = traced(scene.cfg)
    net = trace.net_at(1.0)
    check_screen(read_screen(scene), numbers={"zoom \u00d7": [1.0]}, texts={
        "A #-#-#-# tanh network warps the plane": [sizes_text(net.sizes)],
        "#% of points on the right side": [(percent(net, data),)],
    })


def test_spirals_untangled(last_frame_scene):
    scene = last_frame_scene("spirals-untangled")
    trace, data, _ = traced(scene.cfg)
    net = trace.net_at(1.0)
    check_screen(read_screen(scene), numbers={"zoom \u00d7": [1.0]}, texts={
        "# hidden layers of width # untangle the spirals": [(net.n_layers - 1, 2)],
        "#% of points on the right side": [(percent(net, data),)],
    })


def test_shallow_vs_deep(last_frame_scene):
    scene = last_frame_scene("shallow-vs-deep")
    nets = {k: traced(scene.cfg, k) for k in ("shallow", "deep")}
    depth = nets["deep"][0].net_at(1.0).n_layers - 1
    check_screen(read_screen(scene), numbers={}, texts={
        "# hidden layer of width #": [(1, 2)],
        "# hidden layers of width #": [(depth, 2)],
        "best line: #% right": [(percent(tr.net_at(1.0), d),) for tr, d, _ in nets.values()],
        "Depth lets width-# layers\nuntangle what one cannot": [(2,)],
        **{f"h{k}": ONE for k in range(2, depth + 1)},
        "h1": [(), ()],
    })


def test_line_not_enough(last_frame_scene):
    scene = last_frame_scene("line-not-enough")
    trace, data, _ = traced(scene.cfg)
    net = trace.net_at(1.0)
    wrong = int(np.sum(net.predict(data.X) != data.y))
    (w,), (b,) = net.weights[0], net.biases[0]
    check_screen(read_screen(scene), numbers={}, texts={
        r"\sigma(w_1 x_1 + w_2 x_2 + b)": ONE,
        r"\text{blue where } w \cdot x + b > 0": ONE,
        r"w = (#,\ #),\ b = #": [(w[0], w[1], b)],
        "# of # on the wrong side": [(wrong, data.n_samples)],
        "accuracy #%": [(percent(net, data),)],
        "best of all lines: #%": [(100 * best_line_accuracy(data.X, data.y),)],
    })


def test_line_1d_lift(last_frame_scene):
    scene = last_frame_scene("line-1d-lift")
    trace, data, _ = traced(scene.cfg)
    net = trace.net_at(1.0)
    W1, b1 = net.weights[0][:, 0], net.biases[0]
    (w,), (b,) = net.weights[1], net.biases[1]
    right = int(np.sum(net.predict(data.X) == data.y))
    cut, _ = best_cut_accuracy(data.X[:, 0], data.y)
    check_screen(read_screen(scene), numbers={}, texts={
        "h_1": ONE, "h_2": ONE,
        r"h = \tanh(W x + b) \in \mathbb{R}^#": [(2,)],
        r"W = (#,\ #)": [(W1[0], W1[1])],
        r"b = (#,\ #)": [(b1[0], b1[1])],
        "one cut: at best\n# of # right": [(round(cut * data.n_samples), data.n_samples)],
        "a line in 2D: # of # right": [(right, data.n_samples)],
        r"#\,h_1 #\,h_2 # = 0": [(w[0], w[1], b)],
    })


def test_bullseye_3d(last_frame_scene):
    scene = last_frame_scene("bullseye-3d")
    trace, data, _ = traced(scene.cfg, "width3")
    net = trace.net_at(1.0)
    right = int(np.sum(net.predict(data.X) == data.y))
    check_screen(read_screen(scene), numbers={}, texts={
        "# hidden neurons": [(net.sizes[1],)],
        r"h = \tanh(W x + b) \in \mathbb{R}^#": [(net.sizes[1],)],
        "# of # on the right side": [(right, data.n_samples)],
    })


def test_warp_or_tear(last_frame_scene):
    from nnviz.explain.homeo import layer_homotopy, tear
    scene = last_frame_scene("warp-or-tear")
    cfg = scene.cfg
    trace, _, _ = traced(cfg)
    net = orient(trace.net_at(1.0))
    W, b = net.weights[0], net.biases[0]
    centre = np.clip(np.linalg.solve(W, -b), -0.8, 0.8)  # both neurons 0
    pair = centre + np.array([[-cfg.pair_gap / 2, 0.0], [cfg.pair_gap / 2, 0.0]])
    gap = float(np.linalg.norm(pair[1] - pair[0]))
    warped = layer_homotopy(pair, W, b, 1.0)
    torn = tear(pair, 1.0, offset=float(centre[0]))
    check_screen(read_screen(scene), numbers={}, texts={
        r"\tanh(W x + b),\ \det W = #": [(np.linalg.det(W),)],
        "distance # → #": [(gap, np.linalg.norm(warped[1] - warped[0])),
                           (gap, np.linalg.norm(torn[1] - torn[0]))],
    })


def test_too_few_neurons(last_frame_scene):
    scene = last_frame_scene("too-few-neurons")
    cfg = scene.cfg
    nets = {k: traced(cfg, k) for k in ("few", "enough")}
    few, enough = (nets[k][0] for k in ("few", "enough"))
    check_screen(read_screen(scene), numbers={
        "step": [cfg.steps, cfg.steps],
        "accuracy": [percent(tr.net_at(1.0), data) for tr, data, _ in nets.values()]}, texts={
        "#-#-#: # hidden neurons": [(*sizes_text(tr.sizes), sum(tr.sizes[1:-1]))
                                    for tr, _, _ in nets.values()],
        "# neurons: # points still wrong": [(sum(few.sizes[1:-1]), int(np.sum(
            few.net_at(1.0).predict(nets["few"][1].X) != nets["few"][1].y)))],
        "# neurons: #% right": [(sum(enough.sizes[1:-1]),
                                 percent(enough.net_at(1.0), nets["enough"][1]))],
    })


def test_warp_training(last_frame_scene):
    scene = last_frame_scene("warp-training")
    cfg = scene.cfg
    trace, data, _ = traced(cfg)
    net = trace.net_at(1.0)
    zoom = 1.1 / view_for(hidden_outputs(net, data.X)[-1], minimum=0.02)
    check_screen(read_screen(scene), numbers={
        "step": [cfg.steps], "accuracy": [percent(net, data)], None: [zoom]}, texts={
        # the last layer saturates, so its readout takes the heading's place
        "layer # saturated: #% at the edges": [
            (net.n_layers - 1, 100 * saturation(hidden_outputs(net, data.X)[-1]))],
        r"w \cdot h + b = 0": ONE,
    })
