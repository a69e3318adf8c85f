"""What to make, as plain values: typed scene configs and their knobs, trace specs, the
trace store (trained once, kept by the spec's hash), the palette, qualities and the
scene registry. No Manim.
"""
