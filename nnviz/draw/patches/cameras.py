"""nnviz's cameras: manim's Camera and ThreeDCamera with the frame hand-off and the
drawing hooks (see frame_handoff and camera_hooks)."""

from __future__ import annotations

from manim.camera.camera import Camera
from manim.camera.three_d_camera import ThreeDCamera

from nnviz.draw.patches.camera_hooks import DrawHooks
from nnviz.draw.patches.frame_handoff import HandoffCamera


class NNVizCameraMixin(DrawHooks, HandoffCamera):
    """Everything nnviz changes in a camera; goes before the manim camera class."""


class NNVizCamera(NNVizCameraMixin, Camera):
    """manim's Camera, as nnviz scenes use it."""


class NNVizThreeDCamera(NNVizCameraMixin, ThreeDCamera):
    """manim's ThreeDCamera, as NNVizThreeDScene uses it."""
