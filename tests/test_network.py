"""The MLP: layers a' = f(W a + b), shapes, parameters, activations and losses."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from nnviz import ACTIVATIONS, MLP, NNVizError, get_activation, get_loss
from nnviz.core.activations import sigmoid
from nnviz.core.losses import softmax


def test_each_layer_is_f_of_w_a_plus_b():
    net = MLP((3, 4, 2), activation="tanh", output_activation="sigmoid", seed=1)
    X = np.random.default_rng(0).normal(size=(5, 3))
    outs = net.layer_outputs(X)
    z1 = X @ net.weights[0].T + net.biases[0]
    np.testing.assert_allclose(outs[0].z, z1)
    np.testing.assert_allclose(outs[0].a, np.tanh(z1))
    z2 = np.tanh(z1) @ net.weights[1].T + net.biases[1]
    np.testing.assert_allclose(outs[1].z, z2)
    np.testing.assert_allclose(outs[1].a, 1.0 / (1.0 + np.exp(-z2)))
    np.testing.assert_allclose(net.forward(X), outs[1].a)
    np.testing.assert_allclose(net(X), outs[1].a)


def test_weights_are_out_by_in_and_biases_per_neuron():
    net = MLP((784, 16, 16, 10))
    assert [w.shape for w in net.weights] == [(16, 784), (16, 16), (10, 16)]
    assert net.n_layers == 3
    assert net.weights[0][3].reshape(28, 28).shape == (28, 28)  # a neuron's weights as a picture


def test_initial_weights_are_seeded():
    a, b, c = MLP((4, 5, 3), seed=7), MLP((4, 5, 3), seed=7), MLP((4, 5, 3), seed=8)
    np.testing.assert_array_equal(a.get_params(), b.get_params())
    assert not np.array_equal(a.get_params(), c.get_params())
    # He scaling for ReLU is wider than Glorot for tanh
    wide = MLP((400, 400), activation="relu").weights[0].std()
    narrow = MLP((400, 400), activation="tanh").weights[0].std()
    assert wide == pytest.approx(np.sqrt(2 / 400), rel=0.05)
    assert narrow == pytest.approx(np.sqrt(2 / 800), rel=0.05)


def test_one_dimensional_inputs_are_read_as_samples_or_one_sample():
    net1 = MLP((1, 3, 1), seed=0)
    assert net1.forward(np.array([0.1, 0.2, 0.3])).shape == (3, 1)
    net3 = MLP((3, 2), seed=0)
    assert net3.forward(np.array([0.1, 0.2, 0.3])).shape == (1, 2)


def test_wrong_input_width_is_a_clear_error():
    with pytest.raises(NNVizError, match=r"shape \(4, 2\).*takes 3 inputs"):
        MLP((3, 2)).forward(np.zeros((4, 2)))


@pytest.mark.parametrize("sizes", [(2,), (), (2, 0, 1), (3, -1)])
def test_bad_widths_are_user_errors(sizes):
    with pytest.raises(NNVizError, match="Bad layer widths"):
        MLP(sizes)


def test_unknown_activation_names_the_choices():
    with pytest.raises(NNVizError, match="Unknown activation 'sigmod'.*'sigmoid'.*Valid choices"):
        MLP((2, 2), activation="sigmod")
    with pytest.raises(NNVizError, match="Unknown loss"):
        get_loss("hinge")


def test_params_round_trip_and_copy_is_independent():
    net = MLP((3, 4, 2), seed=3)
    flat = net.get_params()
    assert flat.size == net.n_params == 3 * 4 + 4 + 4 * 2 + 2
    other = MLP((3, 4, 2), seed=9)
    other.set_params(flat)
    np.testing.assert_array_equal(other.get_params(), flat)
    twin = net.copy()
    twin.weights[0][0, 0] += 1.0
    assert net.weights[0][0, 0] != twin.weights[0][0, 0]
    with pytest.raises(NNVizError, match="Expected 26 parameters, got 3"):
        net.set_params(np.zeros(3))


def test_set_weights_loads_in_place_and_chains():
    net = MLP((2, 2, 1), seed=0)
    first = net.weights[0]
    W = [np.ones((2, 2)), np.full((1, 2), 2.0)]
    b = [np.zeros(2), np.array([-1.0])]
    assert net.set_weights(W, b) is net
    assert net.weights[0] is first  # views held by trainers stay valid
    assert net.forward(np.array([[1.0, 1.0]]))[0, 0] == pytest.approx(2 * 2 * np.tanh(2) - 1)


def test_predict_thresholds_and_argmax():
    X = np.array([[-1.0], [1.0]])
    sig = MLP((1, 1), output_activation="sigmoid").set_weights([np.ones((1, 1))], [np.zeros(1)])
    assert sig.predict(X).tolist() == [0, 1]
    ident = MLP((1, 1), output_activation="identity").set_weights([np.ones((1, 1))], [np.zeros(1)])
    assert ident.predict(X).tolist() == [0, 1]
    many = MLP((1, 3)).set_weights([np.array([[1.0], [0.0], [-1.0]])], [np.zeros(3)])
    assert many.predict(X).tolist() == [2, 0]


def test_repr_names_widths_and_activations():
    assert repr(MLP((784, 16, 16, 10), "sigmoid")) == "MLP(784-16-16-10, sigmoid -> identity)"


# -- activations and losses --------------------------------------------------------------


def test_activation_ranges():
    z = np.linspace(-50, 50, 1001)
    assert np.all((sigmoid(z) >= 0) & (sigmoid(z) <= 1))
    assert sigmoid(np.array([0.0]))[0] == 0.5
    assert np.all(np.abs(np.tanh(z)) <= 1)
    assert get_activation("relu")(np.array([-2.0, 0.0, 3.0])).tolist() == [0.0, 0.0, 3.0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warnings at extreme inputs
        out = sigmoid(np.array([-1000.0, 1000.0]))
    assert out.tolist() == [0.0, 1.0]


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_derivatives_match_the_slope(name):
    act = get_activation(name)
    z = np.array([-2.3, -0.7, 0.4, 1.9])
    h = 1e-6
    numeric = (act(z + h) - act(z - h)) / (2 * h)
    np.testing.assert_allclose(act.df(z, act(z)), numeric, rtol=1e-6, atol=1e-8)


def test_loss_values_on_known_numbers():
    a = np.array([[0.5, 1.0], [0.0, -1.0]])
    y = np.array([[1.0, 1.0], [0.0, 1.0]])
    assert get_loss("squared_error").value(a, y) == pytest.approx((0.25 + 4.0) / 2)
    assert get_loss("absolute_error").value(a, y) == pytest.approx((0.5 + 2.0) / 2)
    p = np.array([[0.8], [0.1]])
    t = np.array([[1.0], [0.0]])
    bce = get_loss("binary_cross_entropy").value(p, t)
    assert bce == pytest.approx(-(np.log(0.8) + np.log(0.9)) / 2)
    z = np.array([[2.0, 0.0, -1.0]])
    ce = get_loss("softmax_cross_entropy").value(z, np.array([[0.0, 1.0, 0.0]]))
    assert ce == pytest.approx(-np.log(np.exp(0.0) / np.exp(z).sum()))
    np.testing.assert_allclose(softmax(np.array([[1000.0, 1000.0]])), [[0.5, 0.5]])


def test_net_loss_matches_loss_and_grads_for_every_loss():
    net = MLP((2, 3, 2), output_activation="sigmoid", seed=0)
    X = np.random.default_rng(1).normal(size=(6, 2))
    Y = np.random.default_rng(2).uniform(size=(6, 2))
    for loss in ("squared_error", "absolute_error", "binary_cross_entropy"):
        assert net.loss(X, Y, loss) == pytest.approx(net.loss_and_grads(X, Y, loss)[0])


def test_sigmoid_accepts_scalars_lists_and_is_accurate():
    from scipy.special import expit

    assert float(sigmoid(0.0)) == 0.5
    assert sigmoid([2.0, -2.0]).tolist() == pytest.approx([expit(2.0), expit(-2.0)], rel=1e-15)
    z = np.linspace(-40, 40, 801)
    assert np.abs(sigmoid(z) - expit(z)).max() <= 3e-16  # about one rounding step of 1.0


def test_softmax_cross_entropy_is_exact_for_far_apart_rows():
    """Rows whose logits are 1000 apart must not underflow to log(0)."""
    z = np.array([[1000.0, 999.0, 998.0], [0.0, -1.0, 2.0], [-900.0, -901.0, -905.0]])
    y = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
    want = np.mean([-np.log(softmax(z[i : i + 1])[0] @ y[i]) for i in range(3)])
    assert get_loss("softmax_cross_entropy").value(z, y) == pytest.approx(want, rel=1e-12)
    soft = np.array([[0.2, 0.3, 0.5]])  # soft targets weigh each log-probability
    row = np.array([[1.0, 2.0, 3.0]])
    assert get_loss("softmax_cross_entropy").value(row, soft) == pytest.approx(
        -(soft * np.log(softmax(row))).sum(), rel=1e-12)


def test_gradient_into_flat_views_matches_loss_and_grads():
    net = MLP((3, 4, 2), activation="sigmoid", output_activation="identity", seed=2)
    X = np.random.default_rng(0).normal(size=(5, 3))
    Y = np.eye(2)[[0, 1, 1, 0, 1]]
    value, grads = net.loss_and_grads(X, Y, "softmax_cross_entropy")
    flat = np.zeros(net.n_params)
    views = net.param_views(flat)
    net.gradient(X, Y, "softmax_cross_entropy", out=views)
    np.testing.assert_allclose(flat, net.flat_grads(grads), rtol=1e-12)
    loss, labels = net.loss_and_labels(X, Y, "softmax_cross_entropy")
    assert loss == pytest.approx(value) and labels.tolist() == net.predict(X).tolist()


def test_share_flat_params_keeps_the_values_and_links_the_vector():
    net = MLP((3, 4, 2), seed=5)
    before = net.get_params()
    flat = net.share_flat_params()
    np.testing.assert_array_equal(flat, before)
    flat += 1.0  # one vector update moves every weight and bias
    np.testing.assert_array_equal(net.get_params(), before + 1.0)
    assert net.weights[1].shape == (2, 4) and net.biases[0].shape == (4,)
