"""Loss and accuracy of recorded weights on a whole data set, cheap enough to record every step.

A trace draws, next to the weights of each record, the loss and accuracy of exactly those
weights on the training data. train() evaluates all records after training, a chunk of
records at a time: the first layer of a chunk is one matrix product with the data, and the
heavy vector arithmetic does not run between epochs (on this machine's CPUs that slowed the
following epoch by about as much as the evaluation itself cost).

For the cross-entropy losses the pass runs in float32 (matmul and tanh take half and a fifth
of the float64 time) and the loss is summed from the margins d_j = z_j - z_c of the logits
against the true class c,

    E = log(1 + sum_{j != c} e^{d_j})     (sigmoid + BCE: one margin, z for c = 0, -z for c = 1)

which has no cancellation: its relative error is about the absolute error of the margins,
~1e-7 on the digits (tests hold it to 1e-6 of the float64 loss). The samples are sorted by
class once, so the last layer computes the margins directly with the weights W_j - W_c. A
sample is right when all its margins are negative; samples whose largest margin is within
float32's reach of 0 are re-decided in float64, so the accuracy is the float64 one. Other
losses keep the plain float64 pass: a regression fit's loss tends to 0 and would lose its
digits in float32.
"""

from __future__ import annotations

import numpy as np

from nnviz.core.network import MLP

CHUNK = 8  # records evaluated together; buffers hold CHUNK x width x samples floats
_TOL = 1e-5  # margins within this (times their weights' size) of 0 are re-decided in float64
_FAR_BELOW = -1e30  # a margin that e^d turns into 0 (finite: BLAS never sees 0 * inf)
_IN_PLACE = {  # hidden activations applied in place; a sigmoid arrives as z/2 (see _folded)
    "identity": lambda z: z,
    "sigmoid": lambda z: np.tanh(z, out=z),
    "tanh": lambda z: np.tanh(z, out=z),
    "relu": lambda z: np.maximum(z, 0.0, out=z),
}
_GIVES_ONE = {"identity": 1.0, "relu": 1.0, "tanh": 20.0, "sigmoid": 20.0}  # f(c) = 1 exactly
_BOUNDED = {"tanh", "sigmoid"}  # hidden outputs stored in [-1, 1]


def evaluate(net: MLP, weights: list[np.ndarray], biases: list[np.ndarray], X: np.ndarray,
             Y: np.ndarray, labels: np.ndarray | None, loss: str) -> tuple[np.ndarray, np.ndarray]:
    """(loss, accuracy) of every record r of weights[l][r], biases[l][r] on (X, Y).

    `net` gives the architecture; its own weights are not touched. `labels` are the class
    of each row (None: no accuracy, which is then NaN).
    """
    n_rec = weights[0].shape[0]
    losses, accuracy = np.full(n_rec, np.nan), np.full(n_rec, np.nan)
    probe = net.copy()

    def load(i: int) -> MLP:
        return probe.set_weights([w[i] for w in weights], [b[i] for b in biases])

    plain = range(n_rec)
    if _fast_applies(net, Y, labels, loss):
        forward = _Float32Pass(net, X, labels)
        folded = _folded(net, weights, biases)
        folded[-1], size = _margin_weights(folded[-1])
        with np.errstate(over="ignore", invalid="ignore"):
            for start in range(0, n_rec, CHUNK):
                stop = min(start + CHUNK, n_rec)
                chunk = [f[start:stop] for f in folded[:-1]] + [folded[-1][:, start:stop]]
                losses[start:stop], right, unsure = forward.run(chunk, size)
                for c, at in unsure:  # too close to call in float32: ask float64
                    rows = forward.order[at]
                    right[c, at] = load(start + c).predict(X[rows]) == labels[rows]
                accuracy[start:stop] = np.count_nonzero(right, axis=1) / X.shape[0]
        plain = np.flatnonzero(np.isnan(losses))  # e^d overflowed
    for i in plain:  # the plain float64 pass
        losses[i], predicted = load(i).loss_and_labels(X, Y, loss)
        if labels is not None:
            accuracy[i] = np.mean(predicted == labels)
    return losses, accuracy


def _fast_applies(net: MLP, Y: np.ndarray, y: np.ndarray | None, loss: str) -> bool:
    """Cross-entropy on one-hot (or 0/1) targets, with a hidden activation we run in place."""
    k = net.sizes[-1]
    if y is None or y.ndim != 1 or y.size == 0 or not np.issubdtype(y.dtype, np.integer):
        return False
    if y.min() < 0 or y.max() >= max(k, 2) or net.activation not in _IN_PLACE:
        return False
    if loss == "softmax_cross_entropy" and net.output_activation == "identity" and k > 1:
        return np.array_equal(Y, np.eye(k)[y])
    if loss == "binary_cross_entropy" and net.output_activation == "sigmoid" and k == 1:
        return np.array_equal(Y, y[:, None])
    return False


def _folded(net: MLP, weights: list[np.ndarray], biases: list[np.ndarray]) -> list[np.ndarray]:
    """Each layer's [W | b] for every record, so that z = [W | b] [a; 1].

    Every hidden layer gets one more neuron, with weights 0 and a bias c where f(c) = 1: it
    supplies the next layer's 1 (no separate bias additions). A hidden sigmoid layer stores
    t = tanh(z/2) instead of a = sigmoid(z) = (1 + t)/2: its z/2 comes from W/2 and b/2, and
    the next layer reads W a + b as (W/2) t + (b + W 1/2), saving three passes over t.
    Hidden layers come in float32; the last stays float64 for _margin_weights.
    """
    out = []
    scale, shift = 1.0, 0.0  # the stored input is t, with a = scale * t + shift
    for layer, (W, b) in enumerate(zip(weights, biases, strict=True)):
        hidden = layer < net.n_layers - 1
        sigmoid = hidden and net.activation == "sigmoid"
        half = 0.5 if sigmoid else 1.0
        n_rec, n_out, n_in = W.shape
        Wb = np.zeros((n_rec, n_out + hidden, n_in + 1), dtype=np.float32 if hidden else float)
        np.multiply(W, half * scale, out=Wb[:, :n_out, :n_in])
        Wb[:, :n_out, n_in] = half * (b + shift * W.sum(axis=2))
        if hidden:
            Wb[:, n_out, n_in] = _GIVES_ONE[net.activation]
        out.append(Wb)
        scale, shift = (0.5, 0.5) if sigmoid else (1.0, 0.0)
    return out


def _margin_weights(Wb: np.ndarray) -> tuple[np.ndarray, float]:
    """For the samples of each class c, the rows [W_j - W_c | b_j - b_c] giving z_j - z_c.

    Wb is the last layer's [W | b], (records, outputs, inputs + 1); the result is float32,
    (classes, records, outputs, inputs + 1). Row c itself gets bias _FAR_BELOW: e^d = 0, so
    the true class drops out of the sum. With one output the margins are z and -z. Also
    returns a bound on the rows' sums of |weights|: the scale of float32's error in a margin.
    """
    n_rec, k, width = Wb.shape
    size = 2.0 * float(np.abs(Wb).sum(axis=2).max())  # bounds sum_m |W_jm - W_cm|
    if k == 1:
        return np.stack([Wb, -Wb]).astype(np.float32), size
    M = np.empty((k, n_rec, k, width), dtype=np.float32)
    np.subtract(Wb[None, :, :, :], Wb.transpose(1, 0, 2)[:, :, None, :], out=M)
    classes = np.arange(k)
    M[classes, :, classes, -1] = _FAR_BELOW
    return M, size


class _Float32Pass:
    """The data sorted by class as float32 [X^T; 1], and buffers for CHUNK records.

    Made once per evaluate(). Layers write their z into two buffers in turn (the margins
    into the free one), so the working set stays small.
    """

    def __init__(self, net: MLP, X: np.ndarray, y: np.ndarray) -> None:
        n = X.shape[0]
        self.net = net
        self.order = np.argsort(y, kind="stable")
        self.bounds = np.searchsorted(y[self.order], np.arange(max(net.sizes[-1], 2) + 1))
        self.X1 = np.ones((X.shape[1] + 1, n), dtype=np.float32)
        self.X1[:-1] = X[self.order].T
        self.x_max = float(np.abs(self.X1).max())
        size = CHUNK * (max(net.sizes[1:]) + 1) * n
        buffers = [np.empty(size, dtype=np.float32) for _ in range(2)]
        shapes = [(CHUNK, width + 1, n) for width in net.sizes[1:-1]] + [(CHUNK, net.sizes[-1], n)]
        self.Z = [buffers[i % 2][: int(np.prod(s))].reshape(s) for i, s in enumerate(shapes)]
        last_in = self.Z[-2] if len(self.Z) > 1 else self.X1
        self.blocks = [(last_in[..., start:stop], self.Z[-1][..., start:stop])  # class by class
                       for start, stop in zip(self.bounds[:-1], self.bounds[1:], strict=True)]

    def run(self, folded: list[np.ndarray], size: float):
        """Per record of a chunk: mean cross-entropy (NaN if e^d overflowed), right answers
        (records, samples), and the (record, sample rows) too close to call."""
        a = self.X1
        n = a.shape[1]
        f = _IN_PLACE[self.net.activation]
        for Wb, z in zip(folded[:-1], self.Z, strict=False):
            z = z[: Wb.shape[0]]
            if a.ndim == 2:  # the data, shared by every record: one product for the chunk
                np.matmul(Wb.reshape(-1, Wb.shape[2]), a, out=z.reshape(-1, n))
            else:
                np.matmul(Wb, a, out=z)
            a = f(z)
        M = folded[-1]
        n_rec = M.shape[1]
        blocks = self.blocks
        if n_rec < CHUNK:
            blocks = [(a_c if a_c.ndim == 2 else a_c[:n_rec], d_c[:n_rec]) for a_c, d_c in blocks]
        for M_c, (a_c, d_c) in zip(M, blocks, strict=True):
            np.matmul(M_c, a_c, out=d_c)  # the margins of class c's samples
        D = self.Z[-1][:n_rec]
        worst = D.max(axis=1)  # each sample's largest margin: < 0 means classified right
        np.exp(D, out=D)
        per_sample = D.sum(axis=1)
        losses = np.log1p(per_sample, out=per_sample).sum(axis=1, dtype=np.float64) / n
        losses[~np.isfinite(losses)] = np.nan  # e^d overflowed float32: the plain pass
        # float32's error in a margin is ~1e-7 of sum_m |M_jm| |a_m|; _TOL leaves plenty
        if a.ndim == 2:
            a_max = self.x_max
        else:
            a_max = 1.0 if self.net.activation in _BOUNDED else float(np.abs(a).max())
        close = np.abs(worst) <= _TOL * (1.0 + size * max(a_max, 1.0))
        unsure = []
        if close.any():
            unsure = [(c, np.flatnonzero(close[c])) for c in np.flatnonzero(close.any(axis=1))]
        return losses, worst < 0, unsure
