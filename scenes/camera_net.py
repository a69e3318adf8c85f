"""The one network the "how networks learn" episode follows from start to end: the
four-pixel camera's classifier (002). Four pixels in (+1 white, -1 black), a hidden tanh
layer, four sigmoid answers (solid, vertical, diagonal, horizontal), trained with Adam on
the episode's one error: the squared error, summed over the four answers.

truth-and-error, gradient-valley, chain-rule, backprop and the episode's training run all
subclass CameraNetConfig and read `self.trace("camera")`, so a viewer meets one network.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.core.network import MLP
from nnviz.spec.config import SceneConfig, knob, spec

N_IMAGES = 8  # the eight patterns: solid, vertical, diagonal, horizontal and their negatives


@dataclass
class CameraNetConfig(SceneConfig):
    hidden: int = knob(6, "hidden neurons of the camera network", min=1, max=12)
    activation: str = knob("tanh", "hidden activation of the camera network",
                           choices=("tanh", "relu", "sigmoid"))
    steps: int = knob(300, "training steps of the camera network", min=1, max=5000)
    lr: float = knob(0.05, "Adam learning rate of the camera network", min=1e-5, max=5.0)

    def camera_spec(self):
        return spec("four_pixel", (4, self.hidden, 4), activation=self.activation,
                    output_activation="sigmoid", loss="squared_error", trainer="adam",
                    steps=self.steps, seed=self.seed, record="log:20",
                    trainer_params={"lr": self.lr}, dataset_params={"n": N_IMAGES})

    def traces(self):
        return {"camera": self.camera_spec()}


def answer_and_error(net: MLP, x: np.ndarray, truth: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray, float]:
    """The network's four answers for image x, each answer's error (truth - answer)^2, and
    the total error E, their sum: the episode's one error definition."""
    answer = net.forward(x[None, :])[0]
    err = (truth - answer) ** 2
    return answer, err, float(err.sum())


__all__ = ["CameraNetConfig", "answer_and_error", "N_IMAGES"]
