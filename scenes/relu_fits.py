"""Fitting is training: a line nudged onto data, and one ReLU neuron as a bent line.

fitting-a-line: the nudge trainer moves y-hat = w x + b onto the data; the errors are the
vertical segments, stacked into their sum. The first sweep is shown try by try (a nudge
kept, a nudge undone and tried the other way), then the rest of training runs, and the
scene ends on the total error before and after. bent-line: max(0, w x + b) bends at
x = -b/w; sliders move w and b, a negative w makes it face the other way, and a negative
output weight v flips it.
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
    Dot,
    FadeIn,
    FadeOut,
    Indicate,
    Line,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    always_redraw,
    linear,
)

from nnviz.core.errors import NNVizError
from nnviz.draw.mobjects import DecimalNumber, MathTex, Text
from nnviz.draw.mobjects.baseline import on_one_baseline, sit_on
from nnviz.draw.mobjects.function_graph import set_polyline
from nnviz.draw.mobjects.latex import tex_number
from nnviz.draw.mobjects.loss_curve import LossCurve
from nnviz.draw.mobjects.slider import Slider
from nnviz.draw.scene import NNVizScene, register
from nnviz.spec.config import SceneConfig, knob, spec
from nnviz.spec.palette import PALETTE


def data_axes(x_range, y_range, width: float, height: float, color: str,
              numbers: bool = False) -> Axes:
    """Plain axes with ticks every 0.5, in the palette's muted colour; `numbers` labels
    the whole numbers so a reader can check positions."""
    def config(lo, hi):
        out = {"color": color, "stroke_width": 2, "include_ticks": True}
        if numbers:
            out.update(numbers_to_include=[k for k in range(int(np.ceil(lo)),
                                                            int(np.floor(hi)) + 1) if k],
                       font_size=24, decimal_number_config={"num_decimal_places": 0,
                                                            "color": color})
        return out

    return Axes(x_range=[*x_range, 0.5], y_range=[*y_range, 0.5], x_length=width,
                y_length=height, tips=False, x_axis_config=config(*x_range),
                y_axis_config=config(*y_range),
                axis_config={"color": color, "stroke_width": 2})


# -- 1. fitting a line ----------------------------------------------------------------------

@dataclass
class FittingALineConfig(SceneConfig):
    n_points: int = knob(10, "number of data points", min=3, max=40)
    slope: float = knob(0.8, "slope of the line the data scatter around", min=-10.0, max=10.0)
    intercept: float = knob(-0.5, "intercept of the line the data scatter around",
                            min=-10.0, max=10.0)
    noise: float = knob(0.15, "spread of the points around the line", min=0.0, max=2.0)
    trainer: str = knob("nudge", "trainer", choices=("nudge", "sgd", "adam"))
    nudge_step: float = knob(0.1, "nudge: try +step, then -step if worse", min=0.001, max=1.0)
    lr: float = knob(0.05, "learning rate when the trainer is sgd or adam", min=1e-5, max=10.0)
    steps: int = knob(12, "training steps (one nudge sweep over w and b each)", min=1,
                      max=500)
    line_color: str = knob(PALETTE["model"], "colour of the fitted line (the model)")
    error_color: str = knob("#ff6b4a", "colour of the error segments")
    intro_time: float = knob(3.0, "time to draw data, line and errors", min=0.5, max=20.0)
    train_time: float = knob(7.0, "time the remaining training takes on screen", min=1.0,
                             max=60.0)
    hold_time: float = knob(2.0, "pause at the end", min=0.0, max=60.0)

    def traces(self):
        params = {"step": self.nudge_step} if self.trainer == "nudge" else {"lr": self.lr}
        return {"main": spec(
            "linear_1d", (1, 1), activation="identity", output_activation="identity",
            trainer=self.trainer, steps=self.steps, seed=self.seed, record=1,
            loss="absolute_error", trainer_params=params,
            dataset_params={"n": self.n_points, "slope": self.slope,
                            "intercept": self.intercept, "noise": self.noise})}


def total_error(X: np.ndarray, Y: np.ndarray, w: float, b: float) -> float:
    """Sum of |y - (w x + b)|: the number fitting-a-line makes small."""
    return float(np.abs(Y - (w * X + b)).sum())


def nudge_tries(X: np.ndarray, Y: np.ndarray, w: float, b: float, step: float
                ) -> list[tuple[str, float, float, float, bool]]:
    """The nudge trainer's first sweep, try by try: (parameter, tried value, total error
    before, total error of the try, kept?). The core's Nudge rule: +step; if not better,
    -step; if still not better, the parameter goes back."""
    out = []
    params = {"w": w, "b": b}
    current = total_error(X, Y, w, b)
    for name in ("w", "b"):
        old = params[name]
        for value in (old + step, old - step):
            trial = dict(params, **{name: value})
            err = total_error(X, Y, trial["w"], trial["b"])
            better = err < current
            out.append((name, value, current, err, better))
            if better:
                params, current = trial, err
                break
    return out


@register("fitting-a-line", "a line y = w x + b nudged onto data; total error counting down")
class FittingALine(NNVizScene):
    Config = FittingALineConfig

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        trace = self.trace("main")
        data, _ = self.trace_data("main")
        X, Y = data.X[:, 0], data.y[:, 0]
        (W0,), (B0,) = trace.record(0)
        w_tr, b_tr = ValueTracker(float(W0[0, 0])), ValueTracker(float(B0[0]))

        def wb() -> tuple[float, float]:
            return w_tr.get_value(), b_tr.get_value()

        def errors() -> np.ndarray:
            w, b = wb()
            return Y - (w * X + b)

        ys = np.concatenate([Y, [0.0]])
        y_lo = np.floor(2 * min(ys.min(), -0.5)) / 2
        y_hi = np.ceil(2 * ys.max() + 1) / 2
        axes = data_axes((-1.2, 1.2), (y_lo, y_hi), 6.0, 5.6, pal["muted"]).to_edge(LEFT)
        axes.shift(0.2 * DOWN)
        ax_labels = VGroup(MathTex("x", font_size=30, color=pal["muted"])
                           .next_to(axes.x_axis.get_right(), UP, buff=0.15),
                           MathTex("y", font_size=30, color=pal["muted"])
                           .next_to(axes.y_axis.get_top(), RIGHT, buff=0.15))
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
        stack_x = base[0] + 0.75
        # the stack keeps the plot's scale unless the first sum would not fit on screen
        first = total_error(X, Y, *wb())
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

        self.stack_label = MathTex(r"\sum", font_size=40, color=cfg.error_color)
        self.stack_label.next_to([stack_x, base[1], 0], DOWN, buff=0.15)
        formula = MathTex(r"\hat y = w\,x + b", font_size=40, color=pal["text"])
        hat_note = Text("ŷ: the line's guess at x", font_size=24, color=pal["muted"])
        w_num = DecimalNumber(0, num_decimal_places=2, include_sign=True, font_size=34,
                              color=cfg.line_color)
        b_num = w_num.copy()
        w_row = VGroup(MathTex("w =", font_size=34, color=pal["text"]), w_num)
        b_row = VGroup(MathTex("b =", font_size=34, color=pal["text"]), b_num)
        for row in (w_row, b_row):
            on_one_baseline(row.arrange(RIGHT))
        rows = VGroup(w_row, b_row).arrange(RIGHT, buff=0.7)
        total = DecimalNumber(0, num_decimal_places=2, font_size=36, color=cfg.error_color)
        total_row = on_one_baseline(VGroup(
            MathTex(r"\textstyle\sum_i |y_i - \hat y_i| =", font_size=34, color=pal["text"]),
            total).arrange(RIGHT))
        step_num = DecimalNumber(0, num_decimal_places=0, font_size=32, color=pal["text"])
        step_row = VGroup(Text("step", font_size=26, color=pal["muted"]), step_num)
        step_row.arrange(RIGHT)
        n = len(X)
        curve = LossCurve(trace.steps, trace.loss * n, width=3.8, height=1.3,
                          label="total error", color=cfg.error_color, progress=0.0)
        training = VGroup(step_row, curve).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        slot = VGroup(training.copy().set_opacity(0))
        column = VGroup(VGroup(formula, hat_note).arrange(DOWN, aligned_edge=LEFT, buff=0.15),
                        rows, total_row, slot)
        column.arrange(DOWN, aligned_edge=LEFT, buff=0.35).to_edge(UP, buff=0.6)
        column.shift((stack_x + 0.8 - column.get_left()[0]) * RIGHT)
        training.move_to(slot, aligned_edge=UP + LEFT)
        self.slot = slot
        step_num.add_updater(lambda m: sit_on(m.next_to(step_row[0], RIGHT), step_row[0]))

        t = ValueTracker(0.0)
        for num, get in ((w_num, lambda: wb()[0]), (b_num, lambda: wb()[1]),
                         (total, lambda: total_error(X, Y, *wb())),
                         (step_num, lambda: trace.step_at(t.get_value()))):
            num.add_updater(lambda m, g=get: m.set_value(g()))
            num.update()  # start at the true value, so no digit appears during a FadeIn
        live_line, live_segments, live_stack = (always_redraw(f) for f in
                                                (line, segments, stack))
        third = cfg.intro_time / 3

        with self.beat("data", "Here are some measurements. We want the straight line that "
                       "runs closest to them."):
            self.play(Create(axes), FadeIn(ax_labels), FadeIn(dots), run_time=self.t(third))
        with self.beat("line", "A line is set by two numbers, its slope w and its offset b. "
                       "Its height at x is its guess, y-hat."):
            self.play(Create(live_line), Write(formula), FadeIn(hat_note), FadeIn(rows),
                      run_time=self.t(third))
            self.read_along(rows, formula, hat_note)
        with self.beat("errors", "At each point the error is the vertical gap between the "
                       "measurement y and the guess y-hat."):
            self.play(Create(live_segments), run_time=self.t(third))
            self.hold(1.0)  # the first sight of the gaps: let it sit before they are stacked
        with self.beat("sum", "Stack the gaps end to end: the bar's height is the total "
                       "error, the one number we want small."):
            self.play(FadeIn(live_stack), FadeIn(self.stack_label), FadeIn(total_row),
                      run_time=self.t(third))
            self.read_along(self.stack_label, total_row)

        self.try_rows = VGroup()
        if cfg.trainer == "nudge":
            self.show_tries(X, Y, w_tr, b_tr)

        k1 = min(1, trace.n_records - 1) if cfg.trainer == "nudge" else 0
        span = max(float(trace.steps[-1] - trace.steps[0]), 1.0)
        t.set_value(float(trace.steps[k1] - trace.steps[0]) / span)
        curve.set_progress(t.get_value())
        (W1,), (B1,) = trace.record(k1)
        w_tr.set_value(float(W1[0, 0]))
        b_tr.set_value(float(B1[0]))

        def follow(_m) -> None:
            W, B = trace.params_at(t.get_value())
            w_tr.set_value(float(W[0][0, 0]))
            b_tr.set_value(float(B[0][0]))

        driver = VMobject().add_updater(follow)
        self.add(driver)
        curve.track(t)
        for num in (w_num, b_num, total, step_num):
            num.update()
        what = ("one sweep of nudges after another" if cfg.trainer == "nudge"
                else f"step after step of {cfg.trainer}")
        with self.beat("train", f"Repeat it, {what}, and the total error keeps falling."):
            fade = [FadeOut(self.try_rows)] if len(self.try_rows) else []
            self.play(*fade, FadeIn(training), run_time=self.t(0.8))
            self.play(t.animate.set_value(1.0), run_time=self.t(cfg.train_time),
                      rate_func=linear)
        driver.clear_updaters()
        self.remove(driver)
        start = total_error(X, Y, float(W0[0, 0]), float(B0[0]))
        end = total_error(X, Y, *wb())
        verdict = MathTex(rf"\text{{total error: }} {tex_number(start)} \to {tex_number(end)}",
                          font_size=34, color=pal["text"])
        why = Text(f"no nudge of {cfg.nudge_step:g} lowers it any more" if cfg.trainer == "nudge"
                   else f"after {cfg.steps} steps of {cfg.trainer}", font_size=24,
                   color=pal["muted"])
        close = VGroup(verdict, why).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        close.next_to(training, DOWN, buff=0.35).align_to(training, LEFT)
        self.verdict = verdict
        text = ("The line has settled: no nudge makes it better, and the total error is a "
                "fraction of where it started." if cfg.trainer == "nudge"
                else "The line has settled on the data.")
        with self.beat("end", text, hold=cfg.hold_time, last=True):
            self.play(FadeIn(close), run_time=self.t(1.2))
            self.read_along(verdict, why)

    def show_tries(self, X, Y, w_tr, b_tr) -> None:
        """The first sweep, one try at a time: the line moves, the bar grows or shrinks,
        and the verdict is read off the total."""
        cfg, pal = self.cfg, self.palette
        tries = nudge_tries(X, Y, w_tr.get_value(), b_tr.get_value(), cfg.nudge_step)
        s, d = f"{cfg.nudge_step:g}", f"{2 * cfg.nudge_step:g}"
        for k, (name, value, before, err, better) in enumerate(tries):
            tracker = w_tr if name == "w" else b_tr
            retry = k > 0 and tries[k - 1][0] == name
            if not retry:
                text = (f"Try nudging {name} up by {s}. The total error "
                        + ("drops, so the nudge is kept." if better
                           else "grows: worse."))
            else:
                text = (f"So go the other way, {d} down from the try: the total drops. Kept."
                        if better else f"Going {d} down is worse too: {name} goes back.")
            row = MathTex(rf"{name} = {tex_number(value)}:\ \ {tex_number(before)} \to "
                          rf"{tex_number(err)}", font_size=30, color=pal["text"])
            tag = Text("better: kept" if better else "worse", font_size=24,
                       color=cfg.line_color if better else cfg.error_color)
            entry = on_one_baseline(VGroup(row, tag).arrange(RIGHT, buff=0.3))
            self.try_rows.add(entry)
            self.try_rows.arrange(DOWN, aligned_edge=LEFT, buff=0.15)
            self.try_rows.move_to(self.slot, aligned_edge=UP + LEFT)
            with self.beat(f"try-{k + 1}", text):
                self.play(tracker.animate.set_value(value), run_time=self.t(1.2))
                self.play(FadeIn(entry), Indicate(self.stack_label, scale_factor=1.15),
                          run_time=self.t(0.6))
                self.read_along(entry)
                back = not better and (k + 1 == len(tries) or tries[k + 1][0] != name)
                if back:
                    self.play(tracker.animate.set_value(value + cfg.nudge_step),
                              run_time=self.t(0.6))


# -- 2. one ReLU neuron is a bent line --------------------------------------------------------

@dataclass
class BentLineConfig(SceneConfig):
    w_values: tuple[float, ...] = knob((1.0, 2.0, 0.6), "slopes w the slider visits in turn",
                                       min=-10.0, max=10.0, max_len=8)
    b_values: tuple[float, ...] = knob((0.0, -0.6, 0.4), "biases b the slider visits in turn",
                                       min=-10.0, max=10.0, max_len=8)
    negative_w: float = knob(-1.2, "a negative slope w, visited after the biases: the bent "
                             "line then faces the other way", min=-10.0, max=0.0)
    flip_weight: float = knob(-1.0, "the output weight v that flips the bent line",
                              min=-10.0, max=10.0)
    w_range: tuple[float, ...] = knob((-3.0, 3.0), "slider range of w",
                                      min=-20.0, max=20.0, max_len=2)
    b_range: tuple[float, ...] = knob((-1.5, 1.5), "slider range of b",
                                      min=-20.0, max=20.0, max_len=2)
    curve_color: str = knob(PALETTE["model"], "colour of the bent line (the model)")
    move_time: float = knob(1.6, "time of each slider move", min=0.2, max=20.0)
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
        lo, hi = self.w_range
        if not lo <= self.negative_w <= hi:
            raise NNVizError(f"Setting 'negative_w' is {self.negative_w}, outside w_range "
                             f"{lo},{hi}: widen w_range or pick a value inside it.")


@register("bent-line", "one ReLU neuron max(0, w x + b): sliders move its slope and its bend")
class BentLine(NNVizScene):
    Config = BentLineConfig

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        w = ValueTracker(cfg.w_values[0])
        b = ValueTracker(cfg.b_values[0])
        v = ValueTracker(1.0)
        axes = data_axes((-2, 2), (-2.5, 2.5), 7.0, 6.2, pal["muted"], numbers=True)
        axes.to_edge(LEFT, buff=0.5).to_edge(DOWN, buff=0.5)
        x_lab = MathTex("x", font_size=32, color=pal["muted"]).next_to(axes.x_axis, RIGHT,
                                                                        buff=0.15)

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

        def raw() -> VMobject:
            """The straight line w x + b before the ReLU (clipped to the plot)."""
            xs = np.linspace(-2, 2, 81)
            ys = w.get_value() * xs + b.get_value()
            keep = np.abs(ys) <= 2.5
            if keep.sum() < 2:
                return VMobject()
            line = DashedLine(axes.c2p(xs[keep][0], ys[keep][0]),
                              axes.c2p(xs[keep][-1], ys[keep][-1]), color=pal["muted"],
                              stroke_width=2.5, dash_length=0.12)
            return line

        def bend_mark() -> VGroup:
            xb = bend()
            if xb is None or not -2 < xb < 2:
                return VGroup()
            return VGroup(Dot(axes.c2p(xb, 0), radius=0.09, color=pal["highlight"]))

        formula = MathTex(r"y = v \cdot \max(0,\ w\,x + b)", font_size=40, color=pal["text"])
        formula.to_corner(UP + RIGHT, buff=0.5)
        raw_key = VGroup(DashedLine(ORIGIN_L, ORIGIN_L + 0.5 * RIGHT, color=pal["muted"],
                                    stroke_width=2.5, dash_length=0.12),
                         MathTex(r"w\,x + b", font_size=30, color=pal["muted"]),
                         Text("before the ReLU", font_size=22, color=pal["muted"]))
        raw_key.arrange(RIGHT, buff=0.15)
        raw_key.next_to(formula, DOWN, buff=0.3).align_to(formula, LEFT)
        sliders = VGroup(
            Slider("w", *cfg.w_range, value=w.get_value()).track(w),
            Slider("b", *cfg.b_range, value=b.get_value()).track(b),
            Slider("v", -1.5, 1.5, value=1.0).track(v),
        ).arrange(DOWN, buff=0.5, aligned_edge=RIGHT)
        sliders.next_to(raw_key, DOWN, buff=0.6).align_to(formula, RIGHT).shift(0.5 * LEFT)
        bend_num = DecimalNumber(0, num_decimal_places=2, include_sign=True, font_size=34,
                                 color=pal["highlight"])
        bend_row = VGroup(MathTex(r"\text{bend at } x = -\tfrac{b}{w} =", font_size=34,
                                  color=pal["text"]), bend_num).arrange(RIGHT)
        bend_row.next_to(sliders, DOWN, buff=0.6).align_to(formula, LEFT)
        bend_num.add_updater(lambda m: m.set_value(bend() if bend() is not None else 0.0))
        slope_num = bend_num.copy().set_color(cfg.curve_color)
        slope_row = VGroup(MathTex(r"\text{slope} = v\,w =", font_size=34, color=pal["text"]),
                           slope_num).arrange(RIGHT)
        slope_row.next_to(bend_row, DOWN, buff=0.4).align_to(bend_row, LEFT)
        slope_num.add_updater(lambda m: m.set_value(v.get_value() * w.get_value()))
        bend_num.update()
        slope_num.update()
        # short lines: manim lays Text out at the first render's pixel width and caches it
        note = VGroup(Text("zero on one side,", font_size=24, color=pal["muted"]),
                      Text("straight on the other", font_size=24, color=pal["muted"]))
        note.arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        note.next_to(slope_row, DOWN, buff=0.5).align_to(formula, LEFT)
        flip = MathTex(r"v < 0:\ \text{flipped}", font_size=34, color=pal["negative"])
        flip.next_to(note, DOWN, buff=0.4).align_to(formula, LEFT)
        right = VGroup(formula, raw_key, sliders, bend_row, slope_row, note, flip)
        right.shift(min(0.0, 6.8 - right.get_right()[0]) * RIGHT)

        graph, mark, dashed = always_redraw(curve), always_redraw(bend_mark), always_redraw(raw)
        with self.beat("neuron", "One ReLU neuron: take the straight line w x plus b and "
                       "replace everything below zero by zero."):
            self.play(Create(axes), FadeIn(x_lab), Write(formula), run_time=self.t(1.2))
            self.play(Create(dashed), FadeIn(raw_key), run_time=self.t(0.8))
            self.play(Create(graph), FadeIn(mark), FadeIn(sliders), run_time=self.t(1.0))
            self.read_along(formula, raw_key, *sliders)
        with self.beat("shape", "What is left is a bent line: flat at zero on one side of the "
                       "bend, straight on the other."):
            self.play(FadeIn(note), FadeIn(bend_row), FadeIn(slope_row),
                      Indicate(mark, color=pal["highlight"]), run_time=self.t(1.0))
            self.read_along(*note, bend_row, slope_row)
        if len(cfg.w_values) > 1:
            with self.beat("slope", "The weight w sets how steeply the straight part climbs."):
                for wv in cfg.w_values[1:]:
                    self.play(w.animate.set_value(wv), run_time=self.t(cfg.move_time))
        if len(cfg.b_values) > 1:
            with self.beat("bend", "The bias b slides the bend along: it sits where w x + b "
                           "crosses zero, at x = -b/w."):
                for bv in cfg.b_values[1:]:
                    self.play(b.animate.set_value(bv), run_time=self.t(cfg.move_time))
        with self.beat("facing", "Make w negative and the neuron faces the other way: it is "
                       "on to the left of the bend and off to the right."):
            self.play(w.animate.set_value(cfg.negative_w), run_time=self.t(cfg.move_time))
        with self.beat("flip", "The output weight v scales the bent line; a negative v turns "
                       "it upside down.", hold=cfg.hold_time, last=True):
            self.play(v.animate.set_value(cfg.flip_weight), run_time=self.t(cfg.move_time))
            if cfg.flip_weight < 0:
                self.play(FadeIn(flip), run_time=self.t(0.5))
                self.read_along(flip)


ORIGIN_L = np.zeros(3)

__all__ = ["FittingALine", "BentLine"]
