"""A built-in title card: the episode pipeline puts one before each part.

Not registered (it is not an explainer, so `nnviz list` does not show it); the render
pipeline knows it as the built-in scene 'title-card'.
"""

from __future__ import annotations

from dataclasses import dataclass

from manim import DOWN, UP, FadeIn, FadeOut, Text, VGroup

from nnviz.draw.scene import NNVizScene
from nnviz.spec.config import SceneConfig, knob


@dataclass
class TitleCardConfig(SceneConfig):
    title: str = knob("Title", "the card's main line")
    subtitle: str = knob("", "a smaller line under the title (e.g. the episode's name)")
    hold_time: float = knob(1.5, "seconds the card stays still, at speed 1", min=0.0, max=10.0)


class TitleCard(NNVizScene):
    """The part's title in large type, the episode's name under it."""

    Config = TitleCardConfig
    scene_name = "title-card"

    def construct(self) -> None:
        title = Text(self.cfg.title, font_size=54, color=self.palette["text"])
        if title.width > 12:
            title.scale_to_fit_width(12)
        card = VGroup(title)
        if self.cfg.subtitle:
            sub = Text(self.cfg.subtitle, font_size=30, color=self.palette["muted"])
            if sub.width > 11:
                sub.scale_to_fit_width(11)
            card.add(sub.next_to(title, DOWN, buff=0.4))
        card.move_to([0, 0, 0])
        self.play(FadeIn(card, shift=UP * 0.25), run_time=self.t(0.6))
        self.wait(self.t(self.cfg.hold_time))
        self.play(FadeOut(card), run_time=self.t(0.4))
