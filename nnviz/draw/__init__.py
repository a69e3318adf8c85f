"""Drawing with Manim: the scene base class (nnviz.draw.scene), mobjects fed with plain
arrays (nnviz.draw.mobjects), and every change to Manim's behaviour (nnviz.draw.patches).
"""
