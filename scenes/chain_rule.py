"""Issue 8, the chain rule: x -(w1)-> y -(w2)-> E, each small derivative and their product,
with live numbers checked against the core's backpropagation and finite differences; then
the backward step of each building block (weighted link, sum, sigmoid, ReLU).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import *

from nnviz.core.activations import get_activation
from nnviz.core.gradcheck import central_difference
from nnviz.core.network import MLP
from nnviz.draw.mobjects.latex import tex_group as fmt
from nnviz.draw.scene import NNVizScene, register
from nnviz.spec.config import SceneConfig, knob

FS = 32




def paren(x: float, digits: int = 2) -> str:
    """fmt, in parentheses when negative (for products)."""
    return fmt(x, digits) if x >= 0 else r"\left(" + fmt(x, digits) + r"\right)"


def chain_net(w1: float, w2: float) -> MLP:
    """The chain as a core network: 1-1-1, identity activations, no biases: E = w2 w1 x."""
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
class ChainRuleConfig(SceneConfig):
    x: float = knob(1.5, "the input x", min=-5.0, max=5.0)
    w1: float = knob(0.8, "the first weight", min=-5.0, max=5.0)
    w2: float = knob(-1.2, "the second weight", min=-5.0, max=5.0)
    x_end: float = knob(-0.5, "x slides to this value to show the numbers are live",
                        min=-5.0, max=5.0)
    link_weight: float = knob(0.7, "weight of the building-block link", min=-5.0, max=5.0)
    sigmoid_z: float = knob(0.5, "input of the sigmoid example", min=-10.0, max=10.0)
    relu_z: tuple[float, ...] = knob((1.3, -0.7), "inputs of the ReLU examples",
                                     min=-10.0, max=10.0, max_len=6)
    slide_time: float = knob(3.0, "seconds for x to slide", min=0.2, max=20.0)
    show_blocks: bool = knob(True, "end with the building blocks")


@register("chain-rule", "the chain rule on x -> y -> E, then each building block's slope")
class ChainRule(NNVizScene):
    Config = ChainRuleConfig

    def construct(self) -> None:
        self.chain()
        if self.cfg.show_blocks:
            self.blocks()

    def chain(self) -> None:
        cfg, pal = self.cfg, self.palette
        text, hi, muted = pal["text"], pal["highlight"], pal["muted"]
        names = ["x", "y", "E"]
        nodes = VGroup(*[Circle(radius=0.45, color=pal["neuron_stroke"], stroke_width=2)
                         .set_fill(pal["neuron_off"], 1) for _ in names]).arrange(RIGHT, buff=2.6)
        nodes.to_edge(UP, buff=0.9)
        for n, s in zip(nodes, names, strict=True):
            n.add(MathTex(s, font_size=FS + 4, color=text).move_to(n))
        arrows = VGroup(*[Arrow(a.get_right(), b.get_left(), buff=0.1, color=pal["positive"],
                                stroke_width=5)
                          for a, b in zip(nodes[:-1], nodes[1:], strict=True)])
        wl = VGroup(*[MathTex(f"w_{k + 1}", font_size=FS, color=text).next_to(a, UP, 0.1)
                      for k, a in enumerate(arrows)])
        eqs = VGroup(MathTex("y = w_1 x", font_size=FS, color=muted),
                     MathTex("E = w_2 y", font_size=FS, color=muted))
        for eq, a in zip(eqs, arrows, strict=True):
            eq.next_to(a, DOWN, 0.35)
        self.play(FadeIn(nodes), GrowArrow(arrows[0]), GrowArrow(arrows[1]), FadeIn(wl),
                  run_time=self.t(1.0))
        self.play(Write(eqs), run_time=self.t(0.8))

        # the small derivatives, then their product
        d1 = MathTex(r"\frac{dy}{dw_1} = x", font_size=FS, color=hi)
        d2 = MathTex(r"\frac{dE}{dy} = w_2", font_size=FS, color=hi)
        prod = MathTex(r"\frac{dE}{dw_1} = \frac{dE}{dy}\cdot\frac{dy}{dw_1} = w_2\, x",
                       font_size=FS + 2, color=text)
        row = VGroup(d1, d2).arrange(RIGHT, buff=1.6).next_to(eqs, DOWN, buff=0.55)
        prod.next_to(row, DOWN, buff=0.4)
        self.play(FadeIn(d1, shift=DOWN * 0.2), run_time=self.t(0.6))
        self.play(FadeIn(d2, shift=DOWN * 0.2), run_time=self.t(0.6))
        self.play(Write(prod), run_time=self.t(1.0))

        # live numbers
        xt = ValueTracker(cfg.x)
        numbers = VGroup()

        def live() -> VGroup:
            # x ticks in steps of 0.05: every product on screen is exact, and at most ~40
            # distinct formulas are typeset however high the frame rate
            x = round(xt.get_value() * 20) / 20
            y, E = cfg.w1 * x, cfg.w2 * cfg.w1 * x
            core, fd = chain_gradient(x, cfg.w1, cfg.w2)
            lines = VGroup(
                MathTex(rf"x = {fmt(x)},\; w_1 = {fmt(cfg.w1)},\; w_2 = {fmt(cfg.w2)}"
                        rf"\;\Rightarrow\; y = {fmt(y)},\; E = {fmt(E)}", font_size=FS - 2,
                        color=text),
                MathTex(rf"\frac{{dE}}{{dw_1}} = {fmt(cfg.w2)} \cdot {paren(x)} = "
                        rf"{fmt(cfg.w2 * x)}", font_size=FS, color=hi),
                MathTex(rf"\text{{backprop (core): }} {fmt(core, 4)}"
                        rf"\qquad \text{{finite difference: }} {fmt(fd, 4)}",
                        font_size=FS - 6, color=muted),
            ).arrange(DOWN, buff=0.25).next_to(prod, DOWN, buff=0.5)
            return lines

        numbers.become(live())
        self.play(FadeIn(numbers), run_time=self.t(0.8))
        self.wait(self.t(0.8))
        numbers.add_updater(lambda m: m.become(live()))
        self.play(xt.animate.set_value(cfg.x_end), run_time=self.t(cfg.slide_time))
        numbers.clear_updaters()
        self.wait(self.t(1.0))
        self.part1 = VGroup(nodes, arrows, wl, eqs, row, prod, numbers)

    def blocks(self) -> None:
        cfg, pal = self.cfg, self.palette
        text, hi, muted = pal["text"], pal["highlight"], pal["muted"]
        w = cfg.link_weight
        link_fd = float(central_difference(lambda a: float(w * a[0]), np.array([1.0]))[0])
        a1, a2 = 0.3, 0.4
        sum_fd = float(central_difference(lambda a: float(a[0] + a2), np.array([a1]))[0])
        s, ds, ds_fd = local_slope("sigmoid", cfg.sigmoid_z)
        relu = [local_slope("relu", z) for z in cfg.relu_z]

        def panel(title: str, rule: str, example: str, check: str) -> VGroup:
            return VGroup(Text(title, font_size=26, color=muted),
                          MathTex(rule, font_size=FS, color=text),
                          MathTex(example, font_size=FS - 2, color=hi),
                          MathTex(check, font_size=FS - 8, color=muted)).arrange(DOWN, buff=0.2)

        relu_ex = r",\quad ".join(rf"z = {fmt(z)} \Rightarrow {fmt(d, 0)}" for z, (_, d, _) in
                              zip(cfg.relu_z, relu, strict=True))
        relu_fd = r",\;".join(fmt(fd, 3) for _, _, fd in relu)
        panels = VGroup(
            panel("a weighted link", r"B = w A,\quad \frac{dB}{dA} = w",
                  rf"w = {fmt(w)}:\; \frac{{dB}}{{dA}} = {fmt(w)}",
                  rf"\text{{finite difference: }}{fmt(link_fd, 4)}"),
            panel("a sum", r"B = A_1 + A_2,\quad \frac{dB}{dA_1} = 1",
                  rf"A_1 = {fmt(a1, 1)},\; A_2 = {fmt(a2, 1)}:\; B = {fmt(a1 + a2)},\;"
                  r"\frac{dB}{dA_1} = 1", rf"\text{{finite difference: }}{fmt(sum_fd, 4)}"),
            panel("the sigmoid", r"s = \sigma(z),\quad \frac{ds}{dz} = s(1 - s)",
                  rf"z = {fmt(cfg.sigmoid_z)}:\; s = {fmt(s, 3)},\; s(1-s) = {fmt(ds, 4)}",
                  rf"\text{{finite difference: }}{fmt(ds_fd, 4)}"),
            panel("ReLU", r"r = \max(0, z),\quad \frac{dr}{dz} = 1 \text{ or } 0", relu_ex,
                  rf"\text{{finite difference: }}{relu_fd}"),
        ).arrange_in_grid(rows=2, cols=2, buff=(0.9, 0.8))
        heading = Text("backpropagation, one building block at a time", font_size=30,
                       color=text).to_edge(UP, buff=0.45)
        panels.next_to(heading, DOWN, buff=0.6)
        self.play(FadeOut(self.part1), FadeIn(heading), run_time=self.t(0.8))
        for p in panels:
            self.play(FadeIn(p, shift=UP * 0.2), run_time=self.t(0.8))
            self.wait(self.t(0.6))
        self.wait(self.t(1.0))
