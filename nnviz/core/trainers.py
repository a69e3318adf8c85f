"""Trainers: ways to move the weights downhill on the loss.

Every trainer runs `steps` steps and calls `on_step(step)` after each; a step is one
pass over the training data (one update for full-batch descent, several for
mini-batches, one sweep over all parameters for the nudge search, one iteration of
L-BFGS). Returning False from on_step stops training.

Every trainer takes `l1` (default 0): it then minimises E + l1 * sum |w|, the L1
penalty of nnviz.core.penalty, which drives most weights towards zero. The trace still
records E alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np
from scipy.optimize import minimize

from nnviz.core.errors import NNVizError, choices_hint
from nnviz.core.losses import get_loss
from nnviz.core.network import MLP, Grads
from nnviz.core.penalty import add_l1_slope, l1_penalty

OnStep = Callable[[int], bool]


def _batches(X: np.ndarray, Y: np.ndarray, batch_size: int | None, rng: np.random.Generator):
    """(X, Y) mini-batches of one shuffled pass, or the whole data set for full batch."""
    n = len(X)
    if not batch_size or batch_size >= n:
        yield X, Y
        return
    order = rng.permutation(n)
    Xs, Ys = X[order], Y[order]  # shuffle once per pass; the batches are then slices
    for start in range(0, n, batch_size):
        yield Xs[start : start + batch_size], Ys[start : start + batch_size]


def _flat(net: MLP) -> tuple[np.ndarray, np.ndarray, Grads]:
    """(parameters, gradient, gradient views): one flat vector each, updated in place."""
    params = net.share_flat_params()
    grad = np.zeros_like(params)
    return params, grad, net.param_views(grad)


def _slope(net: MLP, X, Y, spec, views: Grads, l1: float) -> None:
    """d(E + l1 * sum |w|)/dw and d/db into `views`: backprop, then the penalty's slope."""
    net.gradient(X, Y, spec, out=views)
    add_l1_slope(net.weights, views.weights, l1)


@dataclass
class GradientDescent:
    """w <- w - lr * dE/dw, optionally with momentum and mini-batches."""

    lr: float = 0.1
    momentum: float = 0.0
    batch_size: int | None = None
    l1: float = 0.0

    name = "sgd"

    def run(self, net: MLP, X, Y, loss: str, steps: int, rng, on_step: OnStep) -> None:
        spec = get_loss(loss)
        params, grad, views = _flat(net)
        velocity = np.zeros_like(params)
        for step in range(1, steps + 1):
            for Xb, Yb in _batches(X, Y, self.batch_size, rng):
                _slope(net, Xb, Yb, spec, views, self.l1)
                if self.momentum:
                    velocity *= self.momentum
                    velocity -= self.lr * grad
                    params += velocity
                else:
                    params -= self.lr * grad
            if not on_step(step):
                return


@dataclass
class Adam:
    """Adam: gradient descent with per-parameter step sizes from running moments.

    Written as in Kingma & Ba's paper (and scikit-learn): the bias corrections fold into
    the step size, lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t).
    """

    lr: float = 0.01
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    batch_size: int | None = None
    l1: float = 0.0

    name = "adam"

    def run(self, net: MLP, X, Y, loss: str, steps: int, rng, on_step: OnStep) -> None:
        spec = get_loss(loss)
        params, grad, views = _flat(net)
        m = np.zeros_like(params)
        v = np.zeros_like(params)
        t = 0
        for step in range(1, steps + 1):
            for Xb, Yb in _batches(X, Y, self.batch_size, rng):
                t += 1
                _slope(net, Xb, Yb, spec, views, self.l1)
                m *= self.beta1
                m += (1.0 - self.beta1) * grad
                v *= self.beta2
                v += (1.0 - self.beta2) * grad * grad
                lr_t = self.lr * np.sqrt(1.0 - self.beta2**t) / (1.0 - self.beta1**t)
                params -= lr_t * m / (np.sqrt(v) + self.eps)
            if not on_step(step):
                return


@dataclass
class Nudge:
    """The coordinate search of the ReLU explainer: no gradients at all.

    For each parameter: add `step`; if the loss got worse, subtract 2*step instead;
    if that is still worse than before, put the parameter back.
    """

    step: float = 0.1
    l1: float = 0.0

    name = "nudge"

    def run(self, net: MLP, X, Y, loss: str, steps: int, rng, on_step: OnStep) -> None:
        arrays = net.weights + net.biases

        def objective() -> float:
            return net.loss(X, Y, loss) + l1_penalty(net.weights, self.l1)

        current = objective()
        for step in range(1, steps + 1):
            for arr in arrays:
                flat = arr.reshape(-1)
                for k in range(flat.size):
                    old = flat[k]
                    flat[k] = old + self.step
                    trial = objective()
                    if not trial < current:  # worse, equal, or NaN
                        flat[k] = old - self.step
                        trial = objective()
                        if not trial < current:
                            flat[k] = old
                            continue
                    current = trial
            if not on_step(step):
                return


@dataclass
class LBFGS:
    """scipy.optimize.minimize(method='L-BFGS-B'); each iteration is one step."""

    tol: float = 1e-10
    l1: float = 0.0

    name = "lbfgs"

    def run(self, net: MLP, X, Y, loss: str, steps: int, rng, on_step: OnStep) -> None:
        def fun(flat: np.ndarray) -> tuple[float, np.ndarray]:
            net.set_params(flat)
            value, grads = net.loss_and_grads(X, Y, loss)
            add_l1_slope(net.weights, grads.weights, self.l1)
            return value + l1_penalty(net.weights, self.l1), net.flat_grads(grads)

        state = {"step": 0, "x": None}

        def callback(intermediate_result) -> None:
            net.set_params(intermediate_result.x)
            state["step"] += 1
            going = on_step(state["step"])
            state["x"] = net.get_params()  # accepted (or, if stopped, restored) weights
            if not going:
                raise StopIteration

        result = minimize(
            fun,
            net.get_params(),
            jac=True,
            method="L-BFGS-B",
            callback=callback,
            options={"maxiter": steps, "gtol": self.tol, "ftol": self.tol},
        )
        # leave the net at the last weights on_step saw, not at a line-search trial point
        net.set_params(result.x if state["x"] is None else state["x"])


TRAINERS: dict[str, type] = {
    "sgd": GradientDescent,
    "momentum": GradientDescent,
    "adam": Adam,
    "nudge": Nudge,
    "lbfgs": LBFGS,
}


GRADIENT_TRAINERS = ("adam", "sgd", "momentum", "lbfgs")  # those that follow dE/dw


# Each trainer parameter's open/closed range: (low, low_included, high, high_included).
PARAM_BOUNDS: dict[str, tuple[float, bool, float, bool]] = {
    "lr": (0.0, False, 1000.0, True),
    "momentum": (0.0, True, 1.0, False),
    "beta1": (0.0, True, 1.0, False),
    "beta2": (0.0, True, 1.0, False),
    "eps": (0.0, False, 1.0, True),
    "step": (0.0, False, 100.0, True),
    "tol": (0.0, False, 1.0, True),
    "batch_size": (1, True, 10**6, True),
    "l1": (0.0, True, 100.0, True),
}


def check_param(trainer: str, key: str, value) -> None:
    """One line if a trainer parameter is not finite or outside its range (a negative
    learning rate climbs the loss; beta1 >= 1 never forgets; both look like training)."""
    if value is None or key not in PARAM_BOUNDS:
        return
    lo, lo_in, hi, hi_in = PARAM_BOUNDS[key]
    try:
        ok = np.isfinite(value) and (value >= lo if lo_in else value > lo) and (
            value <= hi if hi_in else value < hi)
    except TypeError:
        ok = False
    if not ok:
        span = f"{'[' if lo_in else '('}{lo:g}, {hi:g}{']' if hi_in else ')'}"
        raise NNVizError(f"Trainer '{trainer}' parameter {key}={value!r} is outside its "
                         f"range {span}.")


def make_trainer(name: str, **params):
    """A trainer by name; 'momentum' is sgd with momentum 0.9 unless given."""
    if name not in TRAINERS:
        raise NNVizError(f"Unknown trainer '{name}'." + choices_hint(name, list(TRAINERS)))
    cls = TRAINERS[name]
    if name == "momentum":
        params.setdefault("momentum", 0.9)
    fields = set(cls.__dataclass_fields__)
    bad = sorted(set(params) - fields)
    if bad:
        raise NNVizError(
            f"Trainer '{name}' has no parameter '{bad[0]}'. Valid: {', '.join(sorted(fields))}."
        )
    for key, value in params.items():
        check_param(name, key, value)
    return cls(**params)


def trainer_params(trainer) -> dict:
    return asdict(trainer)
