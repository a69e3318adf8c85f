"""The episode's last scene: the camera network it has followed, trained. The recorded
run replayed: weights on the edges, the four answers for each of the eight images beside
the truth, and the mean error falling, all driven by one tracker through the camera
trace's records (Trace.params_at)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import *

from nnviz.core.datasets.four_pixel import CLASSES
from nnviz.draw.mobjects import DecimalNumber, Integer, Text, weight_legend
from nnviz.draw.mobjects.baseline import on_one_baseline
from nnviz.draw.mobjects.loss_curve import LossCurve
from nnviz.draw.mobjects.network import NetworkDiagram
from nnviz.draw.mobjects.pixel_grid import PixelGrid
from nnviz.draw.scene import NNVizScene, register
from nnviz.spec.config import knob
from nnviz.spec.palette import hex_to_rgb

from .camera_net import CameraNetConfig

CELL = 0.42


def all_answers(net, X: np.ndarray) -> np.ndarray:
    """(classes, images): every image's four answers, one column per image."""
    return net.forward(X).T


@dataclass
class CameraTrainingConfig(CameraNetConfig):
    train_time: float = knob(12.0, "seconds of training", min=0.5, max=120.0)
    early: float = knob(0.65, "fraction of the records shown in the first training beat",
                        min=0.05, max=0.95)


@register("camera-training", "the camera network trained: weights, answers against the "
                             "truth for all eight images, the error falling")
class CameraTraining(NNVizScene):
    Config = CameraTrainingConfig

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        text, muted, hi = pal["text"], pal["muted"], pal["highlight"]
        trace = self.trace("camera")
        data, _ = self.trace_data("camera")
        X, labels = data.X, data.y.astype(int)
        net = trace.net_at(0.0)

        title = Text("Training the camera network", font_size=36, color=text)
        title.to_corner(UL, buff=0.4)
        w_scale = [float(np.abs(w).max()) for w in trace.weights]
        diagram = NetworkDiagram(net.sizes, net.weights, net.biases, None, width=4.4,
                                 height=4.8, neuron_radius=0.22, palette=pal,
                                 weight_scale=w_scale, activation_range=(-1.0, 1.0),
                                 max_width=6.0)
        diagram.move_to(LEFT * 4.1 + DOWN * 0.3)
        legend = weight_legend(pal, font_size=20, direction=DOWN)
        legend.next_to(diagram, DOWN, buff=0.3).align_to(diagram, LEFT)

        # the answers: one column per image, one row per class; truth outlined
        off, on = hex_to_rgb(pal["neuron_off"]), hex_to_rgb(pal["neuron_on"])
        n_img, n_cls = len(X), net.sizes[-1]
        x0, y0 = 0.9, 2.0
        icons = VGroup(*[PixelGrid(X[k], (2, 2), value_range=(-1.0, 1.0), width=CELL * 1.2,
                                   stroke_width=1.0)
                         .move_to([x0 + k * CELL * 1.6, y0 + 0.55, 0]) for k in range(n_img)])
        cells = [[Square(side_length=CELL, stroke_width=1.0, stroke_color=muted)
                  .set_fill(pal["neuron_off"], 1.0)
                  .move_to([x0 + k * CELL * 1.6, y0 - 0.3 - c * CELL * 1.15, 0])
                  for k in range(n_img)] for c in range(n_cls)]
        grid = VGroup(*[sq for row in cells for sq in row])
        names = VGroup(*[Text(CLASSES[c], font_size=22, color=muted)
                         .next_to(cells[c][0], LEFT, buff=0.25) for c in range(n_cls)])
        truth = VGroup(*[SurroundingRectangle(cells[labels[k]][k], buff=0.04, color=hi,
                                              stroke_width=3) for k in range(n_img)])
        truth_key = VGroup(Square(side_length=0.22, stroke_color=hi, stroke_width=3),
                           Text("truth: the answer that should light up", font_size=20,
                                color=muted)).arrange(RIGHT, buff=0.15)
        truth_key.next_to(grid, DOWN, buff=0.3).align_to(names, LEFT)

        curve = LossCurve(trace.steps, trace.loss, log=True, width=5.4, height=2.0,
                          label="mean E", font_size=22, progress=0.0)
        # the step axis in numbers, one under each of the axis's ticks
        first = int(trace.steps[0])
        tick = max(int(round(curve.axes.x_range[2])), 1)
        step_ticks = VGroup(*[
            Integer(first + s, font_size=26, color=muted)
            .next_to(curve.axes.c2p(s, 0), DOWN, buff=0.12)
            for s in range(0, int(trace.steps[-1]) - first + 1, tick)])
        curve.x_label.next_to(step_ticks, DOWN, buff=0.08).align_to(curve.axes, RIGHT)
        curve.label.next_to(curve.axes.y_axis, RIGHT, buff=0.25).align_to(curve.axes, UP)
        curve.add(step_ticks)
        curve.to_corner(DR, buff=0.4)
        step = Integer(int(trace.steps[-1]), font_size=30, color=text)
        err = DecimalNumber(8.888, num_decimal_places=3, font_size=30, color=text)
        readout = on_one_baseline(VGroup(Text("step", font_size=24, color=muted), step,
                                         Text("mean error E", font_size=24, color=muted),
                                         err).arrange(RIGHT, buff=0.18))
        readout[2].shift(RIGHT * 0.3)
        readout[3].shift(RIGHT * 0.3)
        readout.next_to(title, DOWN, buff=0.2).align_to(title, LEFT)

        u = ValueTracker(0.0)

        def refresh(_m: Mobject) -> None:
            t = u.get_value()
            weights, biases = trace.params_at(t, by="record")
            net.set_weights(weights, biases)
            diagram.set_state(weights, biases)
            answers = all_answers(net, X)
            for c in range(n_cls):
                for k in range(n_img):
                    a = float(np.clip(answers[c, k], 0.0, 1.0))
                    cells[c][k].fill_rgbas = np.array([[*(off + a * (on - off)), 1.0]])
            curve.set_progress(trace.step_at(t, by="record") / max(float(trace.steps[-1]), 1.0))
            step.set_value(round(trace.step_at(t, by="record")))
            err.set_value(trace.value_at(trace.loss, t, by="record"))

        refresh(grid)
        with self.beat("start", "Now train the network we have followed, from its random "
                                "start."):
            self.play(FadeIn(title), FadeIn(diagram), run_time=self.t(1.0))
            self.play(FadeIn(legend), run_time=self.t(1.0))
        with self.beat("images", "It sees all eight images; for each, its four answers."):
            self.play(LaggedStart(*[FadeIn(i, shift=DOWN * 0.1) for i in icons],
                                  lag_ratio=0.15), run_time=self.t(1.2))
            self.play(FadeIn(grid), FadeIn(names), run_time=self.t(0.8))
        with self.beat("error", "Above, the step and the mean error; below, the error over "
                                "training."):
            self.play(FadeIn(readout), run_time=self.t(0.8))
            self.play(FadeIn(curve), run_time=self.t(1.4))
            self.play(Indicate(step_ticks, color=hi, scale_factor=1.1), run_time=self.t(1.2))
            self.play(Indicate(readout[3], color=hi), run_time=self.t(1.4))
        with self.beat("truth", "Each column is one image's four answers, bright for one. "
                                "The outlined cell is the truth."):
            self.play(Create(truth), FadeIn(truth_key), run_time=self.t(1.2))
            self.play(Indicate(VGroup(icons[6], *[cells[c][6] for c in range(n_cls)]),
                               color=hi, scale_factor=1.05), run_time=self.t(1.0))

        live = VGroup(diagram, grid, curve, readout)
        live.add_updater(refresh)
        self.add(live)
        self.add(truth)
        with self.beat("early", "Every step runs the images forward, backpropagates the "
                                "error and moves each weight a little downhill."):
            self.play(u.animate.set_value(cfg.early), run_time=self.t(cfg.train_time * 0.5),
                      rate_func=linear)
        with self.beat("late", "The weights grow, the error falls, and the bright cells "
                               "settle onto the truth."):
            self.play(u.animate.set_value(1.0), run_time=self.t(cfg.train_time * 0.5),
                      rate_func=linear)
        live.clear_updaters()
        refresh(live)
        with self.beat("end", "Every image now lights up its own answer.", last=True):
            self.play(Indicate(truth, color=hi, scale_factor=1.1), run_time=self.t(1.0))
        self.shown = {"net": net, "cells": cells, "X": X}
