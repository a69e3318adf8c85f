"""Manim building blocks fed with plain arrays (weights, activations, points)."""
