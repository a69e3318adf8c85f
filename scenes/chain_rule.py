"""The chain rule (002): first the seed's two-link chain x -(w1)-> y -(w2)-> E, a nudge of
w1 flowing through it; then one real path through the camera network (pixel -> w1 ->
hidden neuron -> w2 -> answer -> E) with every local slope and their product; then the
four building blocks' slopes (weighted link, sum, sigmoid, and the hidden squash: tanh, or
ReLU for other activations) as small pictures.

Every number of the camera path comes from the network (scenes/camera_grads.py); the
tests check them against the core's backpropagation and finite differences.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import *

from nnviz.core.activations import get_activation
from nnviz.core.gradcheck import central_difference
from nnviz.core.network import MLP
from nnviz.draw.mobjects import MathTex, Text, weight_legend
from nnviz.draw.mobjects.latex import tex_number as fmt
from nnviz.draw.mobjects.network import NetworkDiagram
from nnviz.draw.mobjects.pixel_grid import PixelGrid
from nnviz.draw.scene import NNVizScene, register
from nnviz.spec.config import knob

from .camera_grads import best_path, example, path_gradient
from .camera_net import CameraNetConfig, answer_and_error

FS = 30

# how each hidden activation's slope is written, in terms of its output h
SQUASH_SLOPE = {"tanh": r"1 - h^2", "sigmoid": r"h(1 - h)", "relu": r"1 \text{ or } 0"}


def paren(x: float, digits: int = 2) -> str:
    """A number for a product: in parentheses when negative."""
    return fmt(x, digits) if x >= 0 else r"(" + fmt(x, digits) + r")"


def chain_net(w1: float, w2: float) -> MLP:
    """The seed's chain as a core network: 1-1-1, identity activations, no biases:
    E = w2 w1 x."""
    net = MLP((1, 1, 1), activation="identity", output_activation="identity")
    net.set_weights([np.array([[w1]]), np.array([[w2]])], [np.zeros(1), np.zeros(1)])
    return net


def chain_gradient(x: float, w1: float, w2: float) -> tuple[float, float]:
    """dE/dw1 of the chain by the core's backprop and by central differences.

    The core differentiates a loss; with the absolute error against a target just below
    the output, the loss is E - target, whose slope is exactly dE/dw1.
    """
    net = chain_net(w1, w2)
    X = np.array([[x]])
    E = float(net.forward(X)[0, 0])
    _, g = net.loss_and_grads(X, np.array([[E - 1.0]]), loss="absolute_error")

    def output(w: np.ndarray) -> float:
        return float(chain_net(float(w[0]), w2).forward(X)[0, 0])

    return float(g.weights[0][0, 0]), float(central_difference(output, np.array([w1]))[0])


def local_slope(name: str, z: float) -> tuple[float, float, float]:
    """(f(z), f'(z) from the core's activation, f'(z) by central differences)."""
    act = get_activation(name)
    a = float(act(np.array([z]))[0])
    df = float(act.df(np.array([z]), np.array([a]))[0])
    fd = float(central_difference(lambda v: float(act(v)[0]), np.array([z]))[0])
    return a, df, fd


@dataclass
class ChainRuleConfig(CameraNetConfig):
    x: float = knob(1.5, "the input x of the two-link chain", min=-5.0, max=5.0)
    w1: float = knob(0.8, "the chain's first weight", min=-5.0, max=5.0)
    w2: float = knob(-1.2, "the chain's second weight", min=-5.0, max=5.0)
    nudge: float = knob(0.1, "the nudge given to w1", min=1e-3, max=1.0)
    image: int = knob(7, "which camera image the path carries (0-7)", min=0, max=7)
    at: float = knob(0.0, "where in training to take the camera network (0 = untrained)",
                     min=0.0, max=1.0)
    link_weight: float = knob(0.7, "weight of the building-block link", min=-5.0, max=5.0)
    show_blocks: bool = knob(True, "end with the building blocks")


@register("chain-rule", "a nudge through x -> y -> E, then one real path through the "
                        "camera network: the product of local slopes; the building blocks")
class ChainRule(NNVizScene):
    Config = ChainRuleConfig

    def sign_colour(self, w: float) -> str:
        return self.palette["positive"] if w >= 0 else self.palette["negative"]

    def construct(self) -> None:
        self.simple_chain()
        self.camera_path()
        if self.cfg.show_blocks:
            self.blocks()

    # -- the seed's chain -------------------------------------------------------------
    def simple_chain(self) -> None:
        cfg, pal = self.cfg, self.palette
        text, hi, muted = pal["text"], pal["highlight"], pal["muted"]
        x, w1, w2, d = cfg.x, cfg.w1, cfg.w2, cfg.nudge
        y, E = w1 * x, w2 * w1 * x
        c1, c2 = self.sign_colour(w1), self.sign_colour(w2)
        nodes = VGroup(*[Circle(radius=0.5, color=pal["neuron_stroke"], stroke_width=2)
                         .set_fill(pal["neuron_off"], 1) for _ in range(3)])
        nodes.arrange(RIGHT, buff=3.2).move_to(UP * 1.9)
        for n, s in zip(nodes, "xyE", strict=True):
            n.add(MathTex(s, font_size=FS + 6, color=text).move_to(n))
        arrows = VGroup(*[Arrow(a.get_right(), b.get_left(), buff=0.1, color=c,
                                stroke_width=6)
                          for a, b, c in zip(nodes[:-1], nodes[1:], (c1, c2), strict=True)])
        wl = VGroup(*[MathTex(f"w_{k + 1} = " + fmt(w), font_size=FS, color=c)
                      .next_to(a, UP, 0.15)
                      for k, (a, w, c) in enumerate(zip(arrows, (w1, w2), (c1, c2),
                                                        strict=True))])
        values = VGroup(*[MathTex(f"{s} = " + fmt(v), font_size=FS - 2, color=muted)
                          .next_to(n, DOWN, 0.25)
                          for n, s, v in zip(nodes, "xyE", (x, y, E), strict=True)])
        eqs = VGroup(MathTex("y = w_1 x", font_size=FS, color=text),
                     MathTex("E = w_2 y", font_size=FS, color=text))
        for eq, a in zip(eqs, arrows, strict=True):
            eq.next_to(a, DOWN, 0.5)
        legend = weight_legend(pal, font_size=20).to_edge(DOWN, buff=0.35)
        with self.beat("simple", "Start with the smallest chain: x times w one gives y, and y "
                                "times w two gives the error E."):
            self.play(FadeIn(nodes), GrowArrow(arrows[0]), GrowArrow(arrows[1]),
                      run_time=self.t(1.0))
            self.play(FadeIn(wl), run_time=self.t(0.9))
            self.play(FadeIn(legend), run_time=self.t(0.9))
            self.play(Write(eqs), run_time=self.t(0.9))
            self.play(FadeIn(values), run_time=self.t(0.9))

        dw = MathTex(r"\Delta w_1 = " + fmt(d), font_size=FS, color=hi)
        dy = MathTex(r"\Delta y = x\,\Delta w_1 = " + fmt(x * d, 3), font_size=FS, color=hi)
        dE = MathTex(r"\Delta E = w_2\,\Delta y = " + fmt(w2 * x * d, 3), font_size=FS,
                     color=hi)
        row = VGroup(dw, dy, dE).arrange(RIGHT, buff=0.9).move_to(DOWN * 0.6)
        dot = Dot(arrows[0].get_start(), radius=0.11, color=hi)
        with self.beat("nudge", "Nudge w one. y moves by x times the nudge, and E moves by w "
                                "two times that."):
            self.play(FadeIn(dot, scale=0.5), Write(dw), run_time=self.t(0.7))
            self.play(dot.animate.move_to(arrows[0].get_end()), run_time=self.t(0.8))
            self.play(Write(dy), Indicate(nodes[1], color=hi), run_time=self.t(0.9))
            self.play(dot.animate.move_to(arrows[1].get_end()), run_time=self.t(0.8))
            self.play(Write(dE), Indicate(nodes[2], color=hi), run_time=self.t(0.9))

        prod = MathTex(r"\frac{dE}{dw_1} = ", "x", r"\cdot", "w_2",
                       "= " + fmt(x) + r"\cdot" + paren(w2) + " = " + fmt(x * w2),
                       font_size=FS + 4, color=text)
        prod[1].set_color(c1)
        prod[3].set_color(c2)
        prod.move_to(DOWN * 1.75)
        note = Text("the slope of each step, multiplied", font_size=26, color=muted)
        note.next_to(prod, DOWN, buff=0.35)
        with self.beat("product", "So the slope of the whole chain is the slope of each step, "
                                  "multiplied: x times w two."):
            self.play(FadeOut(dot), Write(prod), run_time=self.t(1.2))
            self.play(Indicate(prod[1], color=hi), Indicate(dy, color=hi), run_time=self.t(1.0))
            self.play(Indicate(prod[3], color=hi), Indicate(dE, color=hi), run_time=self.t(1.0))
            self.play(FadeIn(note), run_time=self.t(0.8))
        self.part1 = VGroup(nodes, arrows, wl, values, eqs, legend, row, prod, note)

    # -- one real path through the camera network ------------------------------------
    def camera_path(self) -> None:
        cfg, pal = self.cfg, self.palette
        text, hi, muted = pal["text"], pal["highlight"], pal["muted"]
        trace = self.trace("camera")
        data, _ = self.trace_data("camera")
        net = trace.net_at(cfg.at)
        x, truth = example(data, cfg.image)
        _, _, E = answer_and_error(net, x, truth)
        p = best_path(net, x, truth)
        self.path = p
        self.net_activation = net.activation

        title = Text("one path through the camera network", font_size=30, color=text)
        title.to_corner(UL, buff=0.4)
        err_def = MathTex(r"E = \sum (\text{truth} - \text{answer})^2 = " + fmt(E, 3),
                          font_size=FS - 2, color=muted)
        err_def.next_to(title, DOWN, buff=0.3).align_to(title, LEFT)
        acts = [x, *[o.a[0] for o in net.layer_outputs(x[None, :])]]
        diagram = NetworkDiagram(net.sizes, net.weights, net.biases, acts, width=2.8,
                                 height=2.4, neuron_radius=0.12, palette=pal,
                                 activation_range=(-1.0, 1.0), max_width=3.0)
        diagram.to_corner(UR, buff=0.35)
        image = PixelGrid(x, (2, 2), value_range=(-1.0, 1.0), width=0.8, stroke_width=1.5)
        image.next_to(diagram, LEFT, buff=0.35)
        corner = VGroup(diagram, image)
        corner_at = corner.get_center()
        corner.scale(2.0).move_to(DOWN * 0.5)  # big while the path is found, then aside
        e1, e2 = diagram.edge(0, p.j, p.i), diagram.edge(1, p.m, p.j)
        others = VGroup(*[e for layer in diagram.edges for e in layer if e not in (e1, e2)])

        # the chain: w1 -> z -> h -> z' -> a -> E
        names = ["w_1", "z", "h", "z'", "a", "E"]
        vals = [p.w1, p.z, p.h, p.zo, p.a, E]
        ys = 0.45
        xs = np.linspace(-5.8, 5.8, 6)
        nodes = VGroup()
        for k, (n, xx) in enumerate(zip(names, xs, strict=True)):
            if k == 0:
                shape = RoundedRectangle(corner_radius=0.12, width=0.95, height=0.75,
                                         color=self.sign_colour(p.w1), stroke_width=3)
            else:
                shape = Circle(radius=0.4, color=pal["neuron_stroke"], stroke_width=2)
            shape.set_fill(pal["neuron_off"], 1).move_to([xx, ys, 0])
            shape.add(MathTex(n, font_size=FS + 2, color=text).move_to(shape))
            nodes.add(shape)
        node_vals = VGroup(*[MathTex(fmt(v), font_size=FS - 4, color=muted)
                             .next_to(nd, DOWN, buff=0.2) for nd, v in zip(nodes, vals,
                                                                          strict=True)])
        # only w2 is a weight: the first link multiplies by the pixel value x, so it keeps
        # the neutral colour (a blue "x = -1.00" would read as positive)
        link_col = [text, text, self.sign_colour(p.w2), text, muted]
        arrows = VGroup(*[Arrow(a.get_right(), b.get_left(), buff=0.08, color=c,
                                stroke_width=5, max_tip_length_to_length_ratio=0.18)
                          for a, b, c in zip(nodes[:-1], nodes[1:], link_col, strict=True)])
        steps = VGroup(MathTex(r"\cdot x", font_size=FS - 4, color=muted),
                       MathTex(r"\tanh" if net.activation == "tanh" else r"\text{squash}",
                               font_size=FS - 4 if net.activation == "tanh" else FS - 8,
                               color=muted),
                       MathTex(r"\cdot w_2", font_size=FS - 4, color=muted),
                       MathTex(r"\sigma", font_size=FS - 4, color=muted),
                       MathTex(r"(\text{t} - a)^2", font_size=FS - 8, color=muted))
        for s, a in zip(steps, arrows, strict=True):
            s.next_to(a, UP, buff=0.12)
        with self.beat("path", "Now a real path: the camera network, before training, "
                               "looking at one image. Follow one weight to the error."):
            self.play(FadeIn(title), FadeIn(diagram), FadeIn(image), FadeOut(self.part1),
                      run_time=self.t(1.0))
            self.play(others.animate.set_stroke(opacity=0.12),
                      e1.animate.set_stroke(width=6, opacity=1.0),
                      e2.animate.set_stroke(width=6, opacity=1.0), run_time=self.t(1.2))
            self.play(Write(err_def), run_time=self.t(1.0))
            self.play(Indicate(image, color=hi, scale_factor=1.1), run_time=self.t(0.8))
        with self.beat("chain", "Lay that path out in a row: the weight, the hidden neuron's "
                                "sum and squash, the answer's sum and sigmoid, the error."):
            self.play(corner.animate.scale(0.5).move_to(corner_at), run_time=self.t(1.0))
            self.play(LaggedStart(*[FadeIn(m) for m in (*nodes, *arrows)], lag_ratio=0.15),
                      run_time=self.t(1.5))
            self.play(FadeIn(steps), run_time=self.t(1.0))
            self.play(FadeIn(node_vals), run_time=self.t(1.0))
            for a in arrows:
                self.play(ShowPassingFlash(Line(a.get_start(), a.get_end())
                                           .set_stroke(hi, 6), time_width=0.6),
                          run_time=self.t(0.5))

        # local slopes, each in its link's colour
        hidden = "relu" if net.activation == "relu" else net.activation
        sym = [r"x", SQUASH_SLOPE[hidden], r"w_2", r"a(1 - a)",
               r"2(a - " + fmt(p.truth, 0) + ")"]
        slope_tex = VGroup(*[MathTex(s + " = " + fmt(v), font_size=FS - 4, color=c)
                             for s, v, c in zip(sym, p.slopes, link_col, strict=True)])
        row_y = ys - 1.2
        for s, a in zip(slope_tex, arrows, strict=True):
            s.move_to([a.get_center()[0], row_y, 0])
        slope_tex[1::2].shift(DOWN * 0.45)  # stagger: neighbours never touch
        with self.beat("slopes", "Every step has its own little slope: the pixel value, the "
                                 "squash's slope, the weight w two, the sigmoid's, the "
                                 "error's."):
            for s in slope_tex:
                self.play(FadeIn(s, shift=DOWN * 0.15), run_time=self.t(0.6))

        # the nudge flows along the chain
        d = cfg.nudge
        deltas = [d]
        for s in p.slopes:
            deltas.append(deltas[-1] * s)
        dnames = [r"\Delta w_1", r"\Delta z", r"\Delta h", r"\Delta z'", r"\Delta a",
                  r"\Delta E"]
        delta_tex = VGroup(*[MathTex(n + (" = " if k == 0 else r" \approx ") + fmt(v, 3),
                                     font_size=FS - 6, color=hi)
                             for k, (n, v) in enumerate(zip(dnames, deltas, strict=True))])
        for t, nd in zip(delta_tex, nodes, strict=True):
            t.move_to([nd.get_center()[0], row_y - 1.1, 0])
        delta_tex[1::2].shift(DOWN * 0.4)
        dot = Dot(nodes[0].get_center(), radius=0.12, color=hi)
        with self.beat("flow", "Nudge w one: each step passes the nudge on, multiplied by "
                               "its slope, all the way to the error."):
            self.play(FadeIn(dot, scale=0.5), Write(delta_tex[0]), run_time=self.t(0.6))
            for k in range(5):
                self.play(dot.animate.move_to(nodes[k + 1].get_center()),
                          Indicate(slope_tex[k], color=hi, scale_factor=1.1),
                          run_time=self.t(0.6))
                self.play(FadeIn(delta_tex[k + 1]), run_time=self.t(0.45))
            self.play(Indicate(delta_tex[-1], color=hi), run_time=self.t(0.6))

        parts = [r"\text{this path: }"]  # dE/dw1 is the sum over all paths (next beat)
        for k, v in enumerate(p.slopes):
            parts += ([] if k == 0 else [r"\cdot"]) + [paren(v)]
        prod = MathTex(*parts, "= " + fmt(p.product, 3), font_size=FS + 2, color=text)
        for k, c in enumerate(link_col):
            prod[1 + 2 * k].set_color(c)
        prod[-1].set_color(hi)
        prod.to_edge(DOWN, buff=0.4)
        with self.beat("multiply", "So the slope along this path is the product of the little "
                                   "slopes.", hold=2.5):
            self.play(FadeOut(dot), Write(prod), run_time=self.t(1.4))
            self.play(LaggedStart(*[Indicate(prod[1 + 2 * k], color=hi)
                                    for k in range(len(link_col))], lag_ratio=0.3),
                      run_time=self.t(1.5))
            self.play(Indicate(prod[-1], color=hi), Indicate(delta_tex[-1], color=hi),
                      run_time=self.t(0.8))

        # the hidden neuron reaches E through every answer: add the paths
        per_answer = [path_gradient(net, x, truth, p.i, p.j, m) for m in range(net.sizes[2])]
        total = float(sum(per_answer))
        parts = [r"\frac{dE}{dw_1} = "]
        for m, v in enumerate(per_answer):
            parts += ([] if m == 0 else ["+"]) + [paren(v, 3)]
        paths = MathTex(*parts, "= " + fmt(total, 3), font_size=FS, color=text)
        paths[1 + 2 * p.m].set_color(hi)
        paths.move_to([0, delta_tex.get_center()[1], 0])
        fan = VGroup(*[diagram.edge(1, m, p.j) for m in range(net.sizes[2]) if m != p.m])
        with self.beat("paths", "But h feeds every answer, so w one reaches the error along "
                                "one path per answer: add them up.", last=not cfg.show_blocks):
            self.play(fan.animate.set_stroke(width=5, opacity=1.0), FadeOut(delta_tex),
                      run_time=self.t(0.8))
            self.play(Write(paths), run_time=self.t(1.4))
            self.play(Indicate(paths[1 + 2 * p.m], color=hi), Indicate(prod[-1], color=hi),
                      run_time=self.t(0.8))
            self.play(Indicate(paths[-1], color=hi), run_time=self.t(0.8))
        self.shown_path = {"slopes": p.slopes, "deltas": deltas, "product": p.product,
                           "per_answer": per_answer, "total": total, "E": E}
        self.part2 = VGroup(title, err_def, diagram, image, nodes, node_vals, arrows, steps,
                            slope_tex, delta_tex, prod, paths)

    # -- the building blocks --------------------------------------------------------------
    def blocks(self) -> None:
        cfg, pal = self.cfg, self.palette
        text, hi, muted = pal["text"], pal["highlight"], pal["muted"]
        p = self.path
        heading = Text("every step's slope, from four building blocks", font_size=30,
                       color=text).to_edge(UP, buff=0.4)

        def tile(picture: Mobject, name: str, rule: str) -> VGroup:
            words = VGroup(Text(name, font_size=26, color=muted),
                           MathTex(rule, font_size=FS + 2, color=text))
            words.arrange(DOWN, buff=0.25, aligned_edge=LEFT)
            return VGroup(picture, words).arrange(RIGHT, buff=0.45)

        w = cfg.link_weight
        cw = self.sign_colour(w)
        # a weighted link: A -(w)-> B, and the line B = wA
        a_dot = Circle(radius=0.25, color=pal["neuron_stroke"]).add(
            MathTex("A", font_size=FS - 4, color=text))
        b_dot = Circle(radius=0.25, color=pal["neuron_stroke"]).add(
            MathTex("B", font_size=FS - 4, color=text))
        VGroup(a_dot, b_dot).arrange(RIGHT, buff=1.3)
        link = Arrow(a_dot.get_right(), b_dot.get_left(), buff=0.05, color=cw, stroke_width=5)
        link_w = MathTex("w = " + fmt(w), font_size=FS - 6, color=cw).next_to(link, UP, 0.08)
        link_pic = VGroup(a_dot, b_dot, link, link_w)
        # a sum: A1, A2 -> +
        s_in = VGroup(*[Circle(radius=0.22, color=pal["neuron_stroke"]).add(
            MathTex(f"A_{k}", font_size=FS - 8, color=text)) for k in (1, 2)])
        s_in.arrange(DOWN, buff=0.35)
        s_out = Circle(radius=0.3, color=pal["neuron_stroke"]).add(
            MathTex("+", font_size=FS, color=text)).next_to(s_in, RIGHT, buff=1.0)
        s_arrows = VGroup(*[Arrow(c.get_right(), s_out.get_left(), buff=0.05, color=muted,
                                  stroke_width=4) for c in s_in])
        z_arrow = Arrow(s_out.get_right(), s_out.get_right() + RIGHT * 0.7, buff=0.05,
                        color=muted, stroke_width=4)
        z_lab = MathTex("Z", font_size=FS - 4, color=text).next_to(z_arrow, RIGHT, 0.08)
        sum_pic = VGroup(s_in, s_out, s_arrows, z_arrow, z_lab)

        def curve_pic(f, x_range, y_range, tangent_at: float | None,
                      slope: float | None) -> VGroup:
            ax = Axes(x_range=[*x_range, 1], y_range=[*y_range, 1], x_length=2.4,
                      y_length=1.5, tips=False,
                      axis_config={"color": muted, "stroke_width": 1.5,
                                   "include_ticks": False})
            graph = ax.plot(f, x_range=x_range, color=text, stroke_width=3)
            out = VGroup(ax, graph)
            if tangent_at is not None:
                y0 = f(tangent_at)
                half = 1.2
                tan = Line(ax.c2p(tangent_at - half, y0 - half * slope),
                           ax.c2p(tangent_at + half, y0 + half * slope), color=hi,
                           stroke_width=3)
                out.add(tan, Dot(ax.c2p(tangent_at, y0), radius=0.06, color=hi))
            return out

        sig = lambda v: 1.0 / (1.0 + np.exp(-v))  # noqa: E731
        sig_pic = curve_pic(sig, (-4, 4), (0, 1), p.zo, p.da)
        relu_ax = Axes(x_range=[-2, 2, 1], y_range=[0, 2, 1], x_length=2.4, y_length=1.5,
                       tips=False, axis_config={"color": muted, "stroke_width": 1.5,
                                                "include_ticks": False})
        left = Line(relu_ax.c2p(-2, 0), relu_ax.c2p(0, 0), color=hi, stroke_width=4)
        right = Line(relu_ax.c2p(0, 0), relu_ax.c2p(2, 2), color=text, stroke_width=4)
        relu_pic = VGroup(relu_ax, left, right,
                          MathTex("0", font_size=FS - 6, color=hi).next_to(left, UP, 0.1),
                          MathTex("1", font_size=FS - 6, color=text)
                          .next_to(right.get_center(), UL, 0.1))
        # the camera network squashes its hidden layer with tanh: then its slope is the block
        # the path used (1 - h^2), shown at the path's hidden neuron; otherwise ReLU
        tanh_hidden = self.net_activation == "tanh"
        tanh_pic = curve_pic(np.tanh, (-3, 3), (-1, 1), p.z, p.dh)
        tiles = VGroup(
            tile(link_pic, "a weighted link", r"\frac{dB}{dA} = w"),
            tile(sum_pic, "a sum", r"\frac{dZ}{dA_1} = 1"),
            tile(sig_pic, "the sigmoid", r"\sigma' = \sigma(1 - \sigma)"),
            tile(tanh_pic, "tanh", r"\tanh' = 1 - \tanh^2")
            if tanh_hidden else tile(relu_pic, "ReLU", r"\text{slope } 0 \text{ or } 1"),
        ).arrange_in_grid(rows=2, cols=2, buff=(0.8, 0.9), col_alignments="ll")
        tiles.scale(1.1)
        if tiles.width > 13.2:  # never off the frame, whatever the tiles' words
            tiles.scale_to_fit_width(13.2)
        tiles.next_to(heading, DOWN, buff=0.7)
        sig_val = MathTex(r"\text{at } z' = " + fmt(p.zo) + r":\; " + fmt(p.a) + r"\cdot"
                          + fmt(1 - p.a) + " = " + fmt(p.da), font_size=FS - 2, color=hi)
        sig_val.next_to(tiles[2], DOWN, buff=0.3).align_to(tiles[2], LEFT)
        tanh_val = MathTex(r"\text{at } z = " + fmt(p.z) + r":\; 1 - " + paren(p.h) + "^2 = "
                           + fmt(p.dh), font_size=FS - 2, color=hi)
        tanh_val.next_to(tiles[3], DOWN, buff=0.3).align_to(tiles[3], LEFT)
        pulse = Dot(a_dot.get_center(), radius=0.09, color=hi)
        with self.beat("link", "Backpropagation needs only a few kinds of step. A weighted "
                               "link's slope is its weight."):
            self.play(FadeOut(self.part2), FadeIn(heading), run_time=self.t(0.8))
            self.play(FadeIn(tiles[0], shift=UP * 0.2), run_time=self.t(1.0))
            self.play(FadeIn(pulse, scale=0.5), run_time=self.t(0.3))
            self.play(pulse.animate.move_to(b_dot.get_center()), run_time=self.t(1.0))
            self.play(FadeOut(pulse), Indicate(tiles[0][1][1], color=hi), run_time=self.t(1.0))
        with self.beat("sum", "A sum passes a slope through unchanged: one more in, one more "
                              "out."):
            self.play(FadeIn(tiles[1], shift=UP * 0.2), run_time=self.t(1.0))
            self.play(Indicate(s_in[0], color=hi), Indicate(s_out, color=hi),
                      run_time=self.t(1.4))
        with self.beat("sigmoid", "The sigmoid's slope is itself times one minus itself: here, "
                                  "at the path's answer neuron."):
            self.play(FadeIn(tiles[2], shift=UP * 0.2), run_time=self.t(1.0))
            self.play(FadeIn(sig_val), run_time=self.t(0.8))
            self.play(Indicate(sig_pic[2], color=hi), run_time=self.t(1.5))
        if tanh_hidden:
            with self.beat("tanh", "And the hidden layer's tanh: its slope is one minus its "
                                   "output squared, here at the path's hidden neuron.",
                           last=True):
                self.play(FadeIn(tiles[3], shift=UP * 0.2), run_time=self.t(1.0))
                self.play(FadeIn(tanh_val), run_time=self.t(0.8))
                self.play(Indicate(tanh_pic[2], color=hi), run_time=self.t(1.5))
        else:
            with self.beat("relu", "And ReLU's slope is zero where it is flat, one where it "
                                   "rises.", last=True):
                self.play(FadeIn(tiles[3], shift=UP * 0.2), run_time=self.t(1.0))
                self.play(Indicate(left, color=hi), run_time=self.t(0.8))
                self.play(Indicate(right, color=hi), run_time=self.t(0.8))
