"""Every trainer moves the weights downhill on an easy problem, seeded and stoppable."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz import MLP, NNVizError, make_trainer, train
from nnviz.core import datasets
from nnviz.core.trainers import TRAINERS

EASY = {
    "sgd": dict(lr=0.5),
    "sgd-minibatch": dict(lr=0.2, batch_size=10),
    "momentum": dict(lr=0.1, batch_size=20),
    "adam": dict(lr=0.05, batch_size=16),
    "nudge": dict(step=0.05),
    "lbfgs": {},
}


def _easy(name: str):
    trainer = name.split("-")[0]
    data = datasets.load("two_curves", n=80, seed=1)
    net = MLP((2, 5, 1), activation="tanh", output_activation="sigmoid", seed=2)
    steps = 10 if trainer in ("nudge", "lbfgs") else 60
    return train(net, data, trainer, steps=steps, record=1, seed=5, **EASY[name]), net, data


@pytest.mark.parametrize("name", list(EASY))
def test_trainer_lowers_the_loss(name):
    trace, net, data = _easy(name)
    assert trace.stopped is None
    assert trace.final_loss < 0.8 * trace.loss[0], trace.loss
    assert trace.final_accuracy >= 0.8
    assert trace.meta["trainer"] == name.split("-")[0]


def test_full_batch_descent_never_goes_uphill_with_a_small_step():
    data = datasets.load("curve_1d", n=30, seed=0)
    net = MLP((1, 6, 1), activation="tanh", seed=0)
    trace = train(net, data, "sgd", steps=40, lr=0.05)
    assert np.all(np.diff(trace.loss) <= 1e-12)
    assert trace.final_loss < trace.loss[0]


def test_nudge_never_raises_the_loss_and_moves_each_parameter_by_one_step_at_most():
    data = datasets.load("curve_1d", n=30, seed=0)
    net = MLP((1, 4, 1), activation="relu", seed=0)
    trace = train(net, data, "nudge", steps=6, step=0.1)
    assert np.all(np.diff(trace.loss) <= 1e-12)
    assert trace.final_loss < trace.loss[0]
    for arr in trace.weights + trace.biases:
        moved = np.abs(np.diff(arr, axis=0))
        # each sweep visits every parameter once: it moves by 0 or exactly one step
        assert np.all(np.isclose(moved, 0.0) | np.isclose(moved, 0.1))


def test_lbfgs_records_one_step_per_iteration_and_stops_at_the_budget():
    data = datasets.load("xor", n=60, seed=0)
    net = MLP((2, 4, 1), activation="tanh", output_activation="sigmoid", seed=0)
    trace = train(net, data, "lbfgs", steps=7)
    assert trace.steps.tolist() == list(range(8))
    assert np.all(np.diff(trace.loss) <= 1e-12)  # L-BFGS-B only accepts downhill steps
    # the network is left exactly where the last record is
    np.testing.assert_array_equal(net.weights[0], trace.weights[0][-1])


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam", "nudge", "lbfgs"])
def test_returning_false_from_on_step_stops_every_trainer(name):
    data = datasets.load("xor", n=40, seed=0)
    net = MLP((2, 3, 1), activation="tanh", output_activation="sigmoid", seed=0)
    seen: list[int] = []

    def on_step(step: int) -> bool:
        seen.append(step)
        return step < 3

    X, Y = data.X, data.targets(net)
    make_trainer(name).run(net, X, Y, "binary_cross_entropy", 50, np.random.default_rng(0),
                           on_step)
    assert seen == [1, 2, 3]


def test_mini_batches_are_seeded():
    def run(seed: int) -> np.ndarray:
        data = datasets.load("xor", n=64, seed=0)
        net = MLP((2, 3, 1), activation="tanh", output_activation="sigmoid", seed=0)
        return train(net, data, "adam", steps=5, seed=seed, batch_size=8).weights[0][-1]

    np.testing.assert_array_equal(run(1), run(1))
    assert not np.array_equal(run(1), run(2))


def test_momentum_defaults_to_point_nine():
    assert make_trainer("momentum").momentum == 0.9
    assert make_trainer("momentum", momentum=0.5).momentum == 0.5
    assert make_trainer("sgd").momentum == 0.0


def test_unknown_trainers_and_parameters_name_the_choices():
    with pytest.raises(NNVizError, match="Unknown trainer 'adma'.*'adam'.*sgd, momentum"):
        make_trainer("adma")
    with pytest.raises(NNVizError, match="no parameter 'learning_rate'.*lr"):
        make_trainer("adam", learning_rate=0.1)
    assert set(TRAINERS) == {"sgd", "momentum", "adam", "nudge", "lbfgs"}


def test_training_checks_the_input_width_and_step_count():
    data = datasets.load("xor", n=20)
    with pytest.raises(NNVizError, match="has 2 inputs.*first width 2"):
        train(MLP((3, 2, 1)), data, "sgd", steps=1)
    with pytest.raises(NNVizError, match="Steps"):
        train(MLP((2, 2, 1)), data, "sgd", steps=-1)


def test_zero_steps_records_only_the_untrained_network():
    data = datasets.load("xor", n=20)
    net = MLP((2, 2, 1), seed=4)
    before = [w.copy() for w in net.weights]
    trace = train(net, data, "adam", steps=0)
    assert trace.steps.tolist() == [0]
    np.testing.assert_array_equal(trace.weights[0][0], before[0])
    np.testing.assert_array_equal(trace.params_at(0.5)[0][0], before[0])


def test_default_losses_follow_the_output_layer():
    xor = datasets.load("xor", n=20)
    curve = datasets.load("curve_1d", n=20)
    digits = datasets.load("digits", n=50)
    cases = [
        (MLP((2, 2, 1), output_activation="sigmoid"), xor, "binary_cross_entropy"),
        (MLP((2, 2, 1), output_activation="tanh"), xor, "squared_error"),
        (MLP((64, 10), output_activation="identity"), digits, "softmax_cross_entropy"),
        (MLP((64, 10), output_activation="sigmoid"), digits, "squared_error"),
        (MLP((1, 3, 1)), curve, "squared_error"),
    ]
    for net, data, loss in cases:
        assert train(net, data, "sgd", steps=1).meta["loss"] == loss


def test_training_checks_the_output_width():
    with pytest.raises(NNVizError, match="10 classes but the network has 3 outputs.*width 10"):
        train(MLP((64, 3)), datasets.load("digits", n=30), "sgd", steps=1)
    with pytest.raises(NNVizError, match="2 classes.*4 outputs.*1 or 2"):
        train(MLP((2, 4)), datasets.load("xor", n=20), "sgd", steps=1)
    with pytest.raises(NNVizError, match="1 target value.*2 outputs.*width 1"):
        train(MLP((1, 2)), datasets.load("curve_1d", n=20), "sgd", steps=1)
    train(MLP((2, 2)), datasets.load("xor", n=20), "sgd", steps=1)  # one-hot two classes is fine
