"""The numeric core: networks, activations, losses, trainers, train(), traces, data sets.

numpy and scipy only; nothing here imports Manim (an import-linter contract checks it).
It reads like the math it implements: one concept a file, names from the videos.
"""
