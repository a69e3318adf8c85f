"""How a tanh network warps the plane, one layer at a time (numpy only).

A hidden layer a' = tanh(W a + b) of a width-2 network is three moves of the whole plane:
the linear map W (grown from the identity), the shift by b, and the point-wise squash.
When W is square with |det W| well away from zero and the activation is strictly
monotone, each move is a homeomorphism: it bends the plane without tearing or folding it,
and it can be undone (W^-1, minus b, arctanh). So a straight line that separates the
classes in the last hidden space is carried back, through the inverse moves, to a curve
in the input plane: the network's decision boundary, which `decision_boundary` also
computes directly (marching squares on the output).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.core.activations import get_activation
from nnviz.core.errors import NNVizError
from nnviz.core.network import MLP

STAGES = ("linear", "shift", "squash")
MONOTONE = {"tanh", "sigmoid", "identity"}  # strictly increasing: one-to-one


class NonInvertibleLayer(NNVizError):
    """A layer that folds or collapses the plane, so it is not a warp (homeomorphism)."""


# -- invertibility ---------------------------------------------------------------------

@dataclass(frozen=True)
class LayerCheck:
    """Whether a layer is a homeomorphism, with the numbers that decide it."""

    layer: int
    invertible: bool
    det: float  # det W (NaN when W is not square)
    cond: float  # condition number of W (inf when singular or not square)
    reason: str  # "" when invertible, else one sentence

    def __str__(self) -> str:
        return f"layer {self.layer + 1}: " + ("invertible" if self.invertible else self.reason)


def check_layer(W: np.ndarray, activation: str, layer: int = 0, min_det: float = 1e-2,
                max_cond: float = 100.0) -> LayerCheck:
    """Test one layer a' = f(W a + b): square W, |det W| >= min_det, cond(W) <= max_cond,
    f strictly monotone. The condition bound catches rows that are almost parallel
    even when the weights are large enough to keep the determinant big."""
    W = np.asarray(W, dtype=float)
    n_out, n_in = W.shape
    if n_out != n_in:
        return LayerCheck(layer, False, float("nan"), float("inf"),
                          f"W is {n_out}x{n_in}, not square: the layer changes dimension")
    det = float(np.linalg.det(W))
    cond = float(np.linalg.cond(W)) if abs(det) > 0 else float("inf")
    if activation not in MONOTONE:
        return LayerCheck(layer, False, det, cond,
                          f"{activation} is not strictly monotone: it folds the plane")
    if abs(det) < min_det or not np.isfinite(cond) or cond > max_cond:
        return LayerCheck(layer, False, det, cond,
                          f"det W = {det:.3g} (condition {cond:.3g}): W nearly collapses "
                          "the plane onto a line")
    return LayerCheck(layer, True, det, cond, "")


def check_network(net: MLP, **limits: float) -> list[LayerCheck]:
    """check_layer for every hidden layer (all layers but the output)."""
    return [check_layer(net.weights[k], net.activation, k, **limits)
            for k in range(net.n_layers - 1)]


def require_invertible(check: LayerCheck) -> None:
    """Raise NonInvertibleLayer (one line) unless the layer is a homeomorphism."""
    if not check.invertible:
        raise NonInvertibleLayer(f"Layer {check.layer + 1} is not a warp: {check.reason}.")


def orient(net: MLP) -> MLP:
    """The same function, re-signed so that every square hidden layer has det W > 0.

    A layer with det W < 0 turns the plane over, and any path from the identity to W
    passes through a singular matrix (the whole plane flattened onto a line): not what a
    warp looks like. Hidden unit j can be negated without changing the network's
    function: negate row j of W_k and b_k[j], and column j of W_{k+1}; tanh is odd, so
    the next layer sees the same input; for sigmoid, s(-z) = 1 - s(z), so the next
    layer's bias also takes column j. Negating one unit flips the sign of det W_k and of
    det W_{k+1}, so the layers are fixed in order, the last hidden layer's flip (if any)
    going into the output layer, which is not animated as a warp.
    """
    return resign(net, orient_signs(net))


def orient_signs(net: MLP) -> list[np.ndarray]:
    """The unit signs (+1 / -1 per hidden unit, one array per hidden layer) that `orient`
    applies to `net`. Keep them to re-sign other networks the same way, e.g. every
    recorded step of a training run with the final network's signs, so the picture
    never jumps when a layer's det W changes sign during training."""
    signs = [np.ones(W.shape[0]) for W in net.weights[:-1]]
    Ws = [np.array(W, dtype=float) for W in net.weights]
    for k in range(len(Ws) - 1):
        W = Ws[k]
        if W.shape[0] != W.shape[1] or np.linalg.det(W) >= 0:
            continue
        j = int(np.argmin(np.abs(W).sum(axis=1)))  # the smallest unit: any one will do
        W[j] *= -1.0
        signs[k][j] = -1.0
        Ws[k + 1][:, j] *= -1.0
    return signs


def resign(net: MLP, signs: list[np.ndarray]) -> MLP:
    """The same function with hidden unit j of layer k negated wherever signs[k][j] < 0:
    row j of W_k and b_k[j], and column j of W_{k+1}. tanh is odd, so the next layer sees
    the same input; for sigmoid, s(-z) = 1 - s(z), so the next layer's bias also takes
    column j."""
    if net.activation not in ("tanh", "sigmoid", "identity"):
        raise NNVizError(f"Cannot re-sign a {net.activation} network: only odd (tanh, "
                         "identity) or sigmoid units can be negated without changing it.")
    out = MLP(net.sizes, net.activation, net.output_activation)
    Ws = [np.array(W, dtype=float) for W in net.weights]
    bs = [np.array(b, dtype=float) for b in net.biases]
    for k, sk in enumerate(signs):
        for j in np.nonzero(np.asarray(sk) < 0)[0]:
            Ws[k][j] *= -1.0
            bs[k][j] *= -1.0
            if net.activation == "sigmoid":
                bs[k + 1] += Ws[k + 1][:, j]
            Ws[k + 1][:, j] *= -1.0
    return out.set_weights(Ws, bs)


SATURATED = 0.95  # |tanh| above this: the point is pressed against the edge of the range


def saturation(a: np.ndarray, activation: str = "tanh", level: float = SATURATED) -> float:
    """The fraction of points (rows of a layer's output `a`) with some coordinate within
    (1 - level) of the edge of the activation's range, rescaled to (-1, 1): the part of
    the plane the layer has pressed into its edges and corners."""
    a = np.asarray(a, dtype=float)
    if activation == "sigmoid":
        a = 2.0 * a - 1.0
    elif activation not in ("tanh",):
        return 0.0
    return float((np.abs(a) > level).any(axis=1).mean()) if len(a) else 0.0


def smallest_det_along(W: np.ndarray, path: str = "polar", n: int = 201) -> float:
    """The smallest |det| of the matrices an animation from the identity to W passes
    through (s = 0..1): near 0 means the plane is flattened onto a line on the way."""
    return float(min(abs(np.linalg.det(linear_path(W, s, path)))
                     for s in np.linspace(0.0, 1.0, n)))


# -- the forward moves, for a batch of points -----------------------------------------

def linear_path(W: np.ndarray, s: float, path: str = "linear") -> np.ndarray:
    """The matrix a fraction s of the way from the identity to W.

    path="linear": (1 - s) I + s W, the straight blend. It can pass through a singular
    matrix (always does when det W < 0). path="polar": W = R P (rotation or reflection
    R, positive definite P); rotate by s times R's angle while stretching by
    (1 - s) I + s P, which stays invertible for det W > 0; a reflection is shown as a
    flip of one axis, cos(pi s), like turning the sheet over.
    """
    W = np.asarray(W, dtype=float)
    n = W.shape[0]
    eye = np.eye(n)
    if path == "linear" or n != 2:
        return (1.0 - s) * eye + s * W
    if path != "polar":
        raise NNVizError(f"Unknown matrix path '{path}'. Valid choices: linear, polar.")
    U, sig, Vt = np.linalg.svd(W)
    R = U @ Vt
    P = Vt.T @ np.diag(sig) @ Vt
    flip = np.eye(2)
    if np.linalg.det(R) < 0:
        flip = np.diag([1.0, np.cos(np.pi * s)])
        R = R @ np.diag([1.0, -1.0])
    angle = np.arctan2(R[1, 0], R[0, 0]) * s
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    return rot @ flip @ ((1.0 - s) * eye + s * P)


def apply_stage(points: np.ndarray, W: np.ndarray, b: np.ndarray, activation: str,
                stage: str, s: float = 1.0, path: str = "linear") -> np.ndarray:
    """Points (n, d) of the layer's input moved a fraction s through one stage.

    stage "linear": M(s) a; "shift": W a + s b; "squash": (1 - s) z + s f(z) with
    z = W a + b. At s = 1 the stages give W a, W a + b and f(W a + b) in turn.
    """
    pts = np.asarray(points, dtype=float)
    W = np.asarray(W, dtype=float)
    if stage == "linear":
        return pts @ linear_path(W, s, path).T
    z = pts @ W.T
    if stage == "shift":
        return z + s * np.asarray(b, dtype=float)
    if stage == "squash":
        z = z + b
        return (1.0 - s) * z + s * get_activation(activation)(z)
    raise NNVizError(f"Unknown warp stage '{stage}'. Valid choices: {', '.join(STAGES)}.")


def layer_stages(points: np.ndarray, W: np.ndarray, b: np.ndarray,
                 activation: str) -> list[np.ndarray]:
    """[W a, W a + b, f(W a + b)]: the three stages of one layer at s = 1."""
    return [apply_stage(points, W, b, activation, st) for st in STAGES]


def warp_at(points: np.ndarray, net: MLP, u: float, path: str = "linear") -> np.ndarray:
    """The input points moved through the hidden layers up to position u.

    u runs from 0 (input plane) to 3 * n_hidden: each whole unit is one stage
    (linear, shift, squash) of one layer, and the fraction is how far through it.
    """
    pts = np.asarray(points, dtype=float)
    n_hidden = net.n_layers - 1
    u = float(np.clip(u, 0.0, 3 * n_hidden))
    for k in range(n_hidden):
        W, b = net.weights[k], net.biases[k]
        local = u - 3 * k
        if local <= 0:
            return pts
        if local >= 3:
            pts = apply_stage(pts, W, b, net.activation, "squash")
            continue
        j = int(local)
        s = local - j
        if s == 0:  # exactly at the end of stage j - 1
            return apply_stage(pts, W, b, net.activation, STAGES[j - 1], 1.0, path)
        return apply_stage(pts, W, b, net.activation, STAGES[j], s, path)
    return pts


def hidden_outputs(net: MLP, X: np.ndarray) -> list[np.ndarray]:
    """[input, a_1, ..., a_last_hidden]: the point cloud after each hidden layer."""
    outs = net.layer_outputs(X)
    return [np.asarray(X, dtype=float).reshape(len(outs[0].a), -1)] + [o.a for o in outs[:-1]]


# -- the inverse moves -----------------------------------------------------------------

def inverse_activation(activation: str, a: np.ndarray) -> np.ndarray:
    """f^-1 for a strictly monotone activation; values outside its range are NaN."""
    a = np.asarray(a, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        if activation == "tanh":
            out = np.arctanh(a)
            out[np.abs(a) >= 1] = np.nan
            return out
        if activation == "sigmoid":
            out = np.log(a) - np.log1p(-a)
            out[(a <= 0) | (a >= 1)] = np.nan
            return out
        if activation == "identity":
            return a.copy()
    raise NonInvertibleLayer(f"{activation} is not strictly monotone: it cannot be undone.")


def invert_layer(points: np.ndarray, W: np.ndarray, b: np.ndarray, activation: str,
                 layer: int = 0) -> np.ndarray:
    """The layer's input a from its output a' = f(W a + b): W^-1 (f^-1(a') - b)."""
    require_invertible(check_layer(W, activation, layer))
    z = inverse_activation(activation, points) - np.asarray(b, dtype=float)
    return np.linalg.solve(np.asarray(W, dtype=float), z.T).T


def pull_back(points: np.ndarray, net: MLP, layer: int | None = None) -> np.ndarray:
    """Carry points from the output space of hidden layer `layer` (default: the last
    hidden layer) back to the input plane through the inverse warps."""
    layer = net.n_layers - 2 if layer is None else layer
    pts = np.asarray(points, dtype=float)
    for k in range(layer, -1, -1):
        pts = invert_layer(pts, net.weights[k], net.biases[k], net.activation, k)
    return pts


# -- the separating line and the decision boundary -------------------------------------

def output_threshold(net: MLP) -> float:
    """The output value on the decision boundary: 0.5 for sigmoid, 0 otherwise."""
    return 0.5 if net.output_activation == "sigmoid" else 0.0


def _line_in_box(w: np.ndarray, b: float, lo_box: float,
                 hi_box: float) -> tuple[np.ndarray, np.ndarray, float, float] | None:
    """The line w . h + b = 0 as p0 + t d with unit d, and its t-range inside the square
    [lo_box, hi_box]^2 (Liang-Barsky clipping); None when it misses the square."""
    w = np.asarray(w, dtype=float).ravel()
    norm = np.hypot(*w)
    if norm == 0:
        return None
    p0 = -b * w / norm**2
    d = np.array([-w[1], w[0]]) / norm
    lo, hi = -np.inf, np.inf
    for i in range(2):
        if abs(d[i]) < 1e-15:
            if not lo_box <= p0[i] <= hi_box:
                return None
            continue
        t1, t2 = (lo_box - p0[i]) / d[i], (hi_box - p0[i]) / d[i]
        lo, hi = max(lo, min(t1, t2)), min(hi, max(t1, t2))
    if not lo < hi or not np.isfinite(lo) or not np.isfinite(hi):
        return None
    return p0, d, float(lo), float(hi)


ACTIVATION_RANGE = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0), "identity": (-1e6, 1e6)}


def _clustered(lo: float, hi: float, n: int) -> np.ndarray:
    """n parameters in [lo, hi], spaced geometrically towards both ends (down to 1e-15
    of the range): tanh has squeezed most of the plane into a thin rim of the square."""
    half = np.geomspace(1e-15, 0.5, max(n // 2, 2))
    frac = np.unique(np.concatenate([[0.0], half, 1.0 - half, [1.0]]))
    return lo + (hi - lo) * frac


def separating_line(w: np.ndarray, b: float, box: float = 1.0, n: int = 400) -> np.ndarray:
    """Points of the line w . h + b = 0 inside the square [-box, box]^2 (the range of
    tanh), dense near the square's edges. Returns (m, 2); m = 0 when the line misses."""
    found = _line_in_box(w, b, -box, box)
    if found is None:
        return np.zeros((0, 2))
    p0, d, lo, hi = found
    return p0 + _clustered(lo, hi, n)[:, None] * d


def boundary_pulled_back(net: MLP, n: int = 600, rounds: int = 12) -> np.ndarray:
    """The output neuron's line w . h + b = f_out^-1(threshold), drawn in the last hidden
    space and carried back to the input plane: the decision boundary.

    Only part of the line lies in the image of the plane (the warps squeeze the whole
    plane into a small region of the square), so the sampling zooms in, round by round,
    on the part of the line whose points come back finite."""
    w, b = net.weights[-1][0], float(net.biases[-1][0])
    level = inverse_activation(net.output_activation, np.array([output_threshold(net)]))[0]
    found = _line_in_box(w, b - level, *ACTIVATION_RANGE.get(net.activation, (-1e6, 1e6)))
    if found is None:
        return np.zeros((0, 2))
    p0, d, lo, hi = found
    for _ in range(rounds):
        t = _clustered(lo, hi, n)
        back = pull_back(p0 + t[:, None] * d, net)
        ok = np.nonzero(np.isfinite(back).all(axis=1))[0]
        if len(ok) == 0:
            return np.zeros((0, 2))
        new_lo, new_hi = t[max(ok[0] - 1, 0)], t[min(ok[-1] + 1, len(t) - 1)]
        if (new_lo, new_hi) == (lo, hi):
            break
        lo, hi = new_lo, new_hi
    return back[ok]


def output_grid(net: MLP, xlim: tuple[float, float], ylim: tuple[float, float],
                n: int = 160) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(xs, ys, values): the network's single output on an n x n grid, values[j, i]
    at (xs[i], ys[j])."""
    xs = np.linspace(*xlim, n)
    ys = np.linspace(*ylim, n)
    gx, gy = np.meshgrid(xs, ys)
    out = net.forward(np.column_stack([gx.ravel(), gy.ravel()]))[:, 0]
    return xs, ys, out.reshape(n, n)


def contour(xs: np.ndarray, ys: np.ndarray, values: np.ndarray,
            level: float) -> list[np.ndarray]:
    """Marching squares: the curves where `values` (len(ys), len(xs)) cross `level`,
    as polylines (m, 2), with crossing points linearly interpolated along cell edges.

    Cells, crossings and links are found with numpy; only the walk along each chain is a
    Python loop over integers (an updater draws a boundary every frame). Chains are
    walked from their open ends first, then closed loops, in the order cells come in
    row by row; a saddle cell is decided by its centre value."""
    v = np.asarray(values, dtype=float) - level
    xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    ny, nx = v.shape
    above = v > 0
    corners = above[:-1, :-1] * 1 + above[:-1, 1:] * 2 + above[1:, 1:] * 4 + above[1:, :-1] * 8
    js, is_ = np.nonzero((corners != 0) & (corners != 15))
    if len(js) == 0:
        return []
    # edge ids: horizontal (j, i)-(j, i+1) -> j (nx-1) + i; vertical (j, i)-(j+1, i) ->
    # H + j nx + i; per cell in the order bottom, right, top, left
    n_h = ny * (nx - 1)
    edges = np.column_stack([js * (nx - 1) + is_, n_h + js * nx + is_ + 1,
                             (js + 1) * (nx - 1) + is_, n_h + js * nx + is_])
    crossed = np.column_stack([above[js, is_] != above[js, is_ + 1],
                               above[js, is_ + 1] != above[js + 1, is_ + 1],
                               above[js + 1, is_] != above[js + 1, is_ + 1],
                               above[js, is_] != above[js + 1, is_]])
    saddle = crossed.all(axis=1)
    first_two = np.argsort(~crossed, axis=1, kind="stable")[:, :2]
    pair = np.take_along_axis(edges, first_two, axis=1)  # the two crossed edges, in order
    second = np.zeros_like(pair)
    for k in np.nonzero(saddle)[0]:
        j, i = js[k], is_[k]
        b, r, t, left = edges[k]
        if (v[j : j + 2, i : i + 2].mean() > 0) == above[j, i]:
            pair[k], second[k] = (b, r), (t, left)
        else:
            pair[k], second[k] = (b, left), (t, r)
    count = 1 + saddle
    at = np.cumsum(count) - count
    links = np.empty((int(count.sum()), 2), dtype=np.int64)
    links[at] = pair
    links[at[saddle] + 1] = second[saddle]
    # neighbours of each edge, in link order; edges in the order they were first linked
    src = links.ravel()
    dst = links[:, ::-1].ravel()
    ids, first = np.unique(src, return_index=True)
    order = ids[np.argsort(first, kind="stable")]
    by_src = np.argsort(src, kind="stable")
    s_src, s_dst = src[by_src], dst[by_src]
    starts_at = np.searchsorted(s_src, ids)
    degree = np.diff(np.append(starts_at, len(s_src)))
    # neighbours as rows of ids (ids is sorted), -1 where an edge has only one
    nb0 = np.searchsorted(ids, s_dst[starts_at]).tolist()
    nb1 = np.where(degree > 1, np.searchsorted(
        ids, s_dst[np.minimum(starts_at + 1, len(s_dst) - 1)]), -1).tolist()
    # the crossing on each linked edge: a / (a - b) of the way from its first corner
    horiz = ids < n_h
    j0 = np.where(horiz, ids // (nx - 1), (ids - n_h) // nx)
    i0 = np.where(horiz, ids % (nx - 1), (ids - n_h) % nx)
    j1, i1 = j0 + ~horiz, i0 + horiz
    a, b = v[j0, i0], v[j1, i1]
    t = a / (a - b)
    points = np.column_stack([xs[i0] + t * (xs[i1] - xs[i0]), ys[j0] + t * (ys[j1] - ys[j0])])
    deg = degree.tolist()
    seen = bytearray(len(ids))
    lines = []
    walk = np.searchsorted(ids, order).tolist()
    for start in [k for k in walk if deg[k] == 1] + walk:
        if seen[start]:
            continue
        chain, prev, cur = [start], -1, start
        seen[start] = 1
        while True:
            a0, a1 = nb0[cur], nb1[cur]
            if a0 != prev and not seen[a0]:
                nxt = a0
            elif a1 >= 0 and a1 != prev and not seen[a1]:
                nxt = a1
            else:
                if len(chain) > 2 and prev >= 0 and start in (a0, a1):
                    chain.append(start)  # closed loop
                break
            prev, cur = cur, nxt
            seen[cur] = 1
            chain.append(cur)
        if len(chain) >= 2:
            lines.append(points[chain])
    return lines


def decision_boundary(net: MLP, xlim: tuple[float, float] = (-1.5, 1.5),
                      ylim: tuple[float, float] = (-1.5, 1.5), n: int = 160) -> list[np.ndarray]:
    """The curves where the network's output equals its threshold, on a grid."""
    xs, ys, values = output_grid(net, xlim, ylim, n)
    return contour(xs, ys, values, output_threshold(net))


def refine_boundary(net: MLP, curves: list[np.ndarray], step: float,
                    iterations: int = 60) -> list[np.ndarray]:
    """Move each point of the polylines `curves` (e.g. from `decision_boundary`) onto the
    exact decision boundary: bisect along the curve's normal, within +-step, for the point
    where the output crosses its threshold. Marching squares interpolates linearly inside a
    grid cell, which is far off where a saturated network's output jumps from 0 to 1;
    after this, each point maps (through the hidden layers) onto the output's straight
    line to floating-point accuracy. Points with no crossing within +-step are dropped
    (each curve is split there)."""
    level = output_threshold(net)
    out: list[np.ndarray] = []
    for c in curves:
        c = np.asarray(c, dtype=float)
        if len(c) < 2:
            continue
        tangent = np.gradient(c, axis=0)
        norm = np.hypot(tangent[:, 0], tangent[:, 1])
        ok = norm > 0
        normal = np.zeros_like(c)
        normal[ok] = np.column_stack([-tangent[ok, 1], tangent[ok, 0]]) / norm[ok, None]
        a, b = c - step * normal, c + step * normal
        fa = net.forward(a)[:, 0] - level
        fb = net.forward(b)[:, 0] - level
        good = ok & (np.sign(fa) != np.sign(fb)) & (fa != 0) & (fb != 0)
        lo, hi = a.copy(), b.copy()
        for _ in range(iterations):
            mid = 0.5 * (lo + hi)
            fm = net.forward(mid)[:, 0] - level
            same = np.sign(fm) == np.sign(fa)
            lo = np.where(same[:, None], mid, lo)
            hi = np.where(same[:, None], hi, mid)
        out += _runs(0.5 * (lo + hi), good)
    return out


def clip_polyline(points: np.ndarray, xlim: tuple[float, float],
                  ylim: tuple[float, float]) -> list[np.ndarray]:
    """Split a polyline into the runs of finite points inside the box."""
    pts = np.asarray(points, dtype=float)
    inside = (np.isfinite(pts).all(axis=1) & (pts[:, 0] >= xlim[0]) & (pts[:, 0] <= xlim[1])
              & (pts[:, 1] >= ylim[0]) & (pts[:, 1] <= ylim[1]))
    return _runs(pts, inside)


def _runs(pts: np.ndarray, keep: np.ndarray) -> list[np.ndarray]:
    """The runs of consecutive kept points (two or more) of a polyline."""
    runs, start = [], None
    for k, ok in enumerate(np.append(keep, False)):
        if ok and start is None:
            start = k
        elif not ok and start is not None:
            if k - start >= 2:
                runs.append(pts[start:k])
            start = None
    return runs


def distance_to_curves(points: np.ndarray, curves: list[np.ndarray]) -> np.ndarray:
    """Distance from each point to the nearest segment of any of the polylines."""
    pts = np.asarray(points, dtype=float)
    best = np.full(len(pts), np.inf)
    for c in curves:
        a, b = c[:-1], c[1:]
        ab = b - a
        denom = np.maximum((ab**2).sum(axis=1), 1e-300)
        t = np.clip(((pts[:, None, :] - a[None]) * ab[None]).sum(-1) / denom, 0.0, 1.0)
        closest = a[None] + t[..., None] * ab[None]
        best = np.minimum(best, np.sqrt(((pts[:, None, :] - closest) ** 2).sum(-1)).min(axis=1))
    return best


# -- grids ------------------------------------------------------------------------------

def grid_lines(xlim: tuple[float, float] = (-1.5, 1.5), ylim: tuple[float, float] = (-1.5, 1.5),
               n_lines: int = 21, samples: int = 120) -> np.ndarray:
    """A square grid as polylines: array (2 * n_lines, samples, 2), vertical lines first.
    Sampled densely so that a warp bends each line smoothly."""
    xs = np.linspace(*xlim, n_lines)
    ys = np.linspace(*ylim, n_lines)
    ts_y = np.linspace(*ylim, samples)
    ts_x = np.linspace(*xlim, samples)
    vertical = np.stack([np.column_stack([np.full(samples, x), ts_y]) for x in xs])
    horizontal = np.stack([np.column_stack([ts_x, np.full(samples, y)]) for y in ys])
    return np.concatenate([vertical, horizontal])


def max_jump(lines: np.ndarray) -> float:
    """Largest distance between consecutive points along any polyline (n, m, 2): a tear
    shows up as a jump much larger than the spacing of a smooth curve."""
    lines = np.asarray(lines, dtype=float)
    return float(np.sqrt((np.diff(lines, axis=1) ** 2).sum(-1)).max())


def view_for(points: np.ndarray, minimum: float = 1.1, pad: float = 1.15) -> float:
    """A zoom (data half-width of a square view) that keeps every finite point inside."""
    pts = np.asarray(points, dtype=float)
    finite = pts[np.isfinite(pts).all(axis=1)]
    return max(minimum, pad * float(np.abs(finite).max())) if len(finite) else minimum


def stage_view(points: np.ndarray, net: MLP, u0: float, u1: float, path: str = "linear",
               minimum: float = 0.05, samples: int = 9) -> float:
    """One zoom that keeps every point inside for the whole move from warp position u0 to
    u1: hold it while the stage plays, so a squash is seen shrinking the plane instead of
    being hidden by a zoom that follows it."""
    return max(view_for(warp_at(points, net, u, path), minimum=minimum)
               for u in np.linspace(u0, u1, samples))


def half_plane_polygon(w: np.ndarray, b: float, lim: float) -> np.ndarray:
    """The part of the square [-lim, lim]^2 where w . x + b >= 0, as polygon vertices
    (k, 2) (Sutherland-Hodgman clipping of the square by one line)."""
    square = np.array([[-lim, -lim], [lim, -lim], [lim, lim], [-lim, lim]], dtype=float)
    w = np.asarray(w, dtype=float)
    out = []
    for p, q in zip(square, np.roll(square, -1, axis=0), strict=True):
        fp, fq = p @ w + b, q @ w + b
        if fp >= 0:
            out.append(p)
        if (fp >= 0) != (fq >= 0):
            out.append(p + fp / (fp - fq) * (q - p))
    return np.array(out).reshape(-1, 2)


def plane_in_cube(w: np.ndarray, b: float, lim: float = 1.0) -> np.ndarray:
    """The polygon where the plane w . h + b = 0 cuts the cube [-lim, lim]^3 (the range
    of a width-3 tanh layer), vertices (k, 3) in order around it; k = 0 if it misses."""
    w = np.asarray(w, dtype=float)
    corners = np.array([[x, y, z] for x in (-lim, lim) for y in (-lim, lim)
                        for z in (-lim, lim)], dtype=float)
    vals = corners @ w + b
    pts = []
    for i in range(8):
        for j in range(i + 1, 8):
            if np.sum(corners[i] != corners[j]) != 1:
                continue  # not a cube edge
            if (vals[i] > 0) != (vals[j] > 0):
                t = vals[i] / (vals[i] - vals[j])
                pts.append(corners[i] + t * (corners[j] - corners[i]))
    if len(pts) < 3:
        return np.zeros((0, 3))
    pts = np.array(pts)
    centre = pts.mean(axis=0)
    n = w / np.linalg.norm(w)
    u = np.cross(n, [1.0, 0, 0] if abs(n[0]) < 0.9 else [0, 1.0, 0])
    u /= np.linalg.norm(u)
    v = np.cross(n, u)
    angle = np.arctan2((pts - centre) @ v, (pts - centre) @ u)
    return pts[np.argsort(angle)]
