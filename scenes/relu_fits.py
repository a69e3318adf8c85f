"""Fitting is training: a line nudged onto data, and one ReLU neuron as a bent line.

fitting-a-line: the nudge trainer moves y = w x + b onto the data; the errors are the
vertical segments, stacked into their sum, counting down. bent-line: max(0, w x + b)
bends at x = -b/w; sliders move w and b, and a negative output weight flips it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Create,
    DashedLine,
    DecimalNumber,
    Dot,
    FadeIn,
    Line,
    MathTex,
    Text,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    always_redraw,
    linear,
)

from nnviz.core.errors import NNVizError
from nnviz.draw.mobjects.baseline import sit_on
from nnviz.draw.mobjects.function_graph import set_polyline
from nnviz.draw.mobjects.loss_curve import LossCurve
from nnviz.draw.mobjects.slider import Slider
from nnviz.draw.scene import NNVizScene, register
from nnviz.spec.config import SceneConfig, knob, spec


def data_axes(x_range, y_range, width: float, height: float, color: str) -> Axes:
    """Plain axes with a few ticks, in the palette's muted colour."""
    return Axes(x_range=[*x_range, 0.5], y_range=[*y_range, 0.5], x_length=width,
                y_length=height, tips=False,
                axis_config={"color": color, "stroke_width": 2, "include_ticks": True})


# -- 1. fitting a line ----------------------------------------------------------------------

@dataclass
class FittingALineConfig(SceneConfig):
    n_points: int = knob(10, "number of data points", min=3, max=40)
    slope: float = knob(0.8, "slope of the line the data scatter around", min=-10.0, max=10.0)
    intercept: float = knob(0.5, "intercept of the line the data scatter around",
                            min=-10.0, max=10.0)
    noise: float = knob(0.15, "spread of the points around the line", min=0.0, max=2.0)
    trainer: str = knob("nudge", "trainer", choices=("nudge", "sgd", "adam"))
    nudge_step: float = knob(0.1, "nudge: try +step, then -step if worse", min=0.001, max=1.0)
    lr: float = knob(0.05, "learning rate when the trainer is sgd or adam", min=1e-5, max=10.0)
    steps: int = knob(12, "training steps (one nudge sweep over w and b each)", min=1,
                      max=500)
    line_color: str = knob("#ffd34d", "colour of the fitted line")
    error_color: str = knob("#ff6b4a", "colour of the error segments")
    intro_time: float = knob(3.0, "time to draw data, line and errors", min=0.5, max=20.0)
    train_time: float = knob(10.0, "time the training takes on screen", min=1.0, max=60.0)
    hold_time: float = knob(2.0, "pause at the end", min=0.0, max=60.0)

    def traces(self):
        params = {"step": self.nudge_step} if self.trainer == "nudge" else {"lr": self.lr}
        return {"main": spec(
            "linear_1d", (1, 1), activation="identity", output_activation="identity",
            trainer=self.trainer, steps=self.steps, seed=self.seed, record=1,
            loss="absolute_error", trainer_params=params,
            dataset_params={"n": self.n_points, "slope": self.slope,
                            "intercept": self.intercept, "noise": self.noise})}


@register("fitting-a-line", "a line y = w x + b nudged onto data; total error counting down")
class FittingALine(NNVizScene):
    Config = FittingALineConfig

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        trace = self.trace("main")
        data, _ = self.trace_data("main")
        X, Y = data.X[:, 0], data.y[:, 0]
        t = ValueTracker(0.0)

        def wb() -> tuple[float, float]:
            W, B = trace.params_at(t.get_value())
            return float(W[0][0, 0]), float(B[0][0])

        def errors() -> np.ndarray:
            w, b = wb()
            return Y - (w * X + b)

        ys = np.concatenate([Y, [0.0]])
        y_lo = np.floor(2 * min(ys.min(), -0.5)) / 2
        y_hi = np.ceil(2 * ys.max() + 1) / 2
        axes = data_axes((-1.2, 1.2), (y_lo, y_hi), 6.0, 5.6, pal["muted"]).to_edge(LEFT)
        axes.shift(0.2 * DOWN)
        dots = VGroup(*[Dot(axes.c2p(x, y), radius=0.07, color=pal["text"])
                        for x, y in zip(X, Y, strict=True)])

        def line() -> Line:
            w, b = wb()
            return Line(axes.c2p(-1.2, w * -1.2 + b), axes.c2p(1.2, w * 1.2 + b),
                        color=cfg.line_color, stroke_width=5)

        def segments() -> VGroup:
            e = errors()
            return VGroup(*[Line(axes.c2p(x, y), axes.c2p(x, y - ei), color=cfg.error_color,
                                 stroke_width=4) for x, y, ei in zip(X, Y, e, strict=True)])

        base = axes.c2p(1.2, y_lo)
        stack_x = base[0] + 0.7
        # the stack keeps the plot's scale unless the first sum would not fit on screen
        first = float(np.abs(Y - trace.params_at(0.0)[0][0][0, 0] * X
                             - trace.params_at(0.0)[1][0][0]).sum())
        unit = min(axes.c2p(0, 1)[1] - axes.c2p(0, 0)[1], 5.0 / max(first, 1e-9))

        def stack() -> VGroup:
            """The |errors| stacked end to end: their sum as one bar."""
            out, y = VGroup(), base[1]
            for ei in np.abs(errors()):
                out.add(Line([stack_x, y, 0], [stack_x, y + ei * unit, 0],
                             color=cfg.error_color, stroke_width=10))
                y += ei * unit
                out.add(Line([stack_x - 0.12, y, 0], [stack_x + 0.12, y, 0],
                             color=pal["background"], stroke_width=3))
            return out

        stack_label = MathTex(r"\sum", font_size=36, color=cfg.error_color)
        stack_label.move_to([stack_x, base[1] - 0.35, 0])
        formula = MathTex(r"y = w\,x + b", font_size=40, color=pal["text"])
        w_num = DecimalNumber(0, num_decimal_places=2, include_sign=True, font_size=34,
                              color=cfg.line_color)
        b_num = w_num.copy()
        w_row = VGroup(MathTex("w =", font_size=34, color=pal["text"]), w_num).arrange(RIGHT)
        b_row = VGroup(MathTex("b =", font_size=34, color=pal["text"]), b_num).arrange(RIGHT)
        rows = VGroup(w_row, b_row).arrange(DOWN, aligned_edge=LEFT)
        total = DecimalNumber(0, num_decimal_places=2, font_size=36, color=cfg.error_color)
        total_row = VGroup(MathTex(r"\textstyle\sum_i |y_i - \hat y_i| =", font_size=34,
                                   color=pal["text"]), total).arrange(RIGHT)
        rule = Text(f"nudge: +{cfg.nudge_step:g}, or -{2 * cfg.nudge_step:g} if worse",
                    font_size=24, color=pal["muted"])
        if cfg.trainer != "nudge":
            rule = Text(f"trainer: {cfg.trainer}", font_size=24, color=pal["muted"])
        step_num = DecimalNumber(0, num_decimal_places=0, font_size=32, color=pal["text"])
        step_row = VGroup(Text("step", font_size=26, color=pal["muted"]), step_num)
        step_row.arrange(RIGHT)
        n = len(X)
        curve = LossCurve(trace.steps, trace.loss * n, width=3.6, height=1.5,
                          label="total error", color=cfg.error_color, progress=0.0)
        column = VGroup(formula, rows, total_row, rule, step_row, curve)
        column.arrange(DOWN, aligned_edge=LEFT, buff=0.3).to_edge(RIGHT, buff=0.4)
        step_num.add_updater(lambda m: sit_on(m.next_to(step_row[0], RIGHT), step_row[0]))

        for num, get in ((w_num, lambda: wb()[0]), (b_num, lambda: wb()[1]),
                         (total, lambda: float(np.abs(errors()).sum())),
                         (step_num, lambda: trace.step_at(t.get_value()))):
            num.add_updater(lambda m, g=get: m.set_value(g()))
            num.update()  # start at the true value, so no digit appears during a FadeIn
        curve.track(t)
        live_line, live_segments, live_stack = (always_redraw(f) for f in
                                                (line, segments, stack))

        self.play(Create(axes), FadeIn(dots), run_time=self.t(cfg.intro_time / 3))
        self.play(Create(live_line), Write(formula), FadeIn(rows),
                  run_time=self.t(cfg.intro_time / 3))
        self.play(Create(live_segments), FadeIn(live_stack), FadeIn(stack_label), FadeIn(total_row),
                  FadeIn(rule), FadeIn(step_row), FadeIn(curve),
                  run_time=self.t(cfg.intro_time / 3))
        self.play(t.animate.set_value(1.0), run_time=self.t(cfg.train_time),
                  rate_func=linear)
        self.wait(self.t(cfg.hold_time))


# -- 2. one ReLU neuron is a bent line --------------------------------------------------------

@dataclass
class BentLineConfig(SceneConfig):
    w_values: tuple[float, ...] = knob((1.0, 2.0, 0.6), "slopes w the slider visits in turn",
                                       min=-10.0, max=10.0, max_len=8)
    b_values: tuple[float, ...] = knob((0.0, -0.6, 0.4), "biases b the slider visits in turn",
                                       min=-10.0, max=10.0, max_len=8)
    flip_weight: float = knob(-1.0, "the output weight v that flips the bent line",
                              min=-10.0, max=10.0)
    w_range: tuple[float, ...] = knob((-3.0, 3.0), "slider range of w",
                                      min=-20.0, max=20.0, max_len=2)
    b_range: tuple[float, ...] = knob((-1.5, 1.5), "slider range of b",
                                      min=-20.0, max=20.0, max_len=2)
    curve_color: str = knob("#ffb000", "colour of the bent line")
    move_time: float = knob(2.0, "time of each slider move", min=0.2, max=20.0)
    hold_time: float = knob(1.5, "pause at the end", min=0.0, max=60.0)

    def __post_init__(self) -> None:
        super().__post_init__()
        for key in ("w_range", "b_range"):
            lo_hi = getattr(self, key)
            if len(lo_hi) != 2 or not lo_hi[0] < lo_hi[1]:
                raise NNVizError(f"Setting '{key}' must be two numbers lo,hi with lo < hi, "
                                 f"got {','.join(map(str, lo_hi))}.")

    def check(self) -> None:
        """The slider must be able to show every value it visits."""
        super().check()
        for values, key in (("w_values", "w_range"), ("b_values", "b_range")):
            lo, hi = getattr(self, key)
            outside = [v for v in getattr(self, values) if not lo <= v <= hi]
            if outside:
                raise NNVizError(f"Setting '{values}' has {outside[0]}, outside {key} "
                                 f"{lo},{hi}: widen {key} or pick values inside it.")


@register("bent-line", "one ReLU neuron max(0, w x + b): sliders move its slope and its bend")
class BentLine(NNVizScene):
    Config = BentLineConfig

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        w = ValueTracker(cfg.w_values[0])
        b = ValueTracker(cfg.b_values[0])
        v = ValueTracker(1.0)
        axes = data_axes((-2, 2), (-2.5, 2.5), 7.0, 6.0, pal["muted"]).to_edge(LEFT)
        x_lab = MathTex("x", font_size=32, color=pal["muted"]).next_to(axes.x_axis, RIGHT)

        def f(x: np.ndarray) -> np.ndarray:
            return v.get_value() * np.maximum(0.0, w.get_value() * x + b.get_value())

        def bend() -> float | None:
            return -b.get_value() / w.get_value() if w.get_value() != 0 else None

        def curve() -> VMobject:
            xs = [-2.0, 2.0]
            xb = bend()
            if xb is not None and -2 < xb < 2:
                xs = [-2.0, xb, 2.0]
            xs = np.array(xs)
            return set_polyline(VMobject(stroke_color=cfg.curve_color, stroke_width=6),
                                axes, xs, f(xs))

        def bend_mark() -> VGroup:
            xb = bend()
            if xb is None or not -2 < xb < 2:
                return VGroup()
            top = axes.c2p(xb, 2.5)
            return VGroup(DashedLine(axes.c2p(xb, -2.5), top, color=pal["muted"],
                                     stroke_width=2),
                          Dot(axes.c2p(xb, 0), radius=0.09, color=pal["highlight"]))

        formula = MathTex(r"y = v \cdot \max(0,\ w\,x + b)", font_size=40, color=pal["text"])
        formula.to_corner(UP + RIGHT).shift(0.3 * LEFT)
        sliders = VGroup(
            Slider("w", *cfg.w_range, value=w.get_value()).track(w),
            Slider("b", *cfg.b_range, value=b.get_value()).track(b),
            Slider("v", -1.5, 1.5, value=1.0).track(v),
        ).arrange(DOWN, buff=0.45, aligned_edge=RIGHT)
        sliders.next_to(formula, DOWN, buff=0.6).align_to(formula, RIGHT).shift(0.6 * LEFT)
        bend_num = DecimalNumber(0, num_decimal_places=2, include_sign=True, font_size=34,
                                 color=pal["highlight"])
        bend_row = VGroup(MathTex(r"\text{bend at } x = -\tfrac{b}{w} =", font_size=34,
                                  color=pal["text"]), bend_num).arrange(RIGHT)
        bend_row.next_to(sliders, DOWN, buff=0.6).align_to(formula, LEFT)
        bend_num.add_updater(lambda m: m.set_value(bend() if bend() is not None else 0.0))
        slope_num = bend_num.copy().set_color(cfg.curve_color)
        slope_row = VGroup(MathTex(r"\text{slope} = v\,w =", font_size=34, color=pal["text"]),
                           slope_num).arrange(RIGHT)
        slope_row.next_to(bend_row, DOWN, buff=0.35).align_to(bend_row, LEFT)
        slope_num.add_updater(lambda m: m.set_value(v.get_value() * w.get_value()))
        bend_num.update()
        slope_num.update()
        note = Text("zero on one side of the bend, straight on the other", font_size=24,
                    color=pal["muted"]).to_edge(DOWN).align_to(axes, LEFT)

        graph, mark = always_redraw(curve), always_redraw(bend_mark)
        self.play(Create(axes), FadeIn(x_lab), Write(formula), run_time=self.t(1.5))
        self.play(Create(graph), FadeIn(mark), FadeIn(sliders), FadeIn(bend_row),
                  FadeIn(slope_row), run_time=self.t(1.5))
        self.play(FadeIn(note), run_time=self.t(0.5))
        for wv in cfg.w_values[1:]:
            self.play(w.animate.set_value(wv), run_time=self.t(cfg.move_time))
        for bv in cfg.b_values[1:]:
            self.play(b.animate.set_value(bv), run_time=self.t(cfg.move_time))
        flip = MathTex(r"v < 0:\ \text{flipped}", font_size=36, color=pal["negative"])
        flip.next_to(slope_row, DOWN, buff=0.5).align_to(slope_row, LEFT)
        self.play(v.animate.set_value(cfg.flip_weight), FadeIn(flip),
                  run_time=self.t(cfg.move_time))
        self.wait(self.t(cfg.hold_time))


__all__ = ["FittingALine", "BentLine"]
