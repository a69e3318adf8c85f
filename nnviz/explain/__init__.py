"""What a trained network does, computed from the core: linear pieces and bent lines of
ReLU networks, sawtooth nets, receptive fields, one neuron's weighted sum, and the warps
of the plane (stages, invertibility, inverse maps). numpy only, no Manim.
"""
