"""Painting the neurons into a raster frame: opaque discs onto a canvas kept from the last
frame (only layers whose colours changed are redrawn), or composited with straight alpha."""

from __future__ import annotations

import numpy as np

from nnviz.draw.mobjects.raster.geometry import Geometry


def rim_blend(geo: Geometry, idx: np.ndarray, under: np.ndarray, packed: np.ndarray,
              ring8: np.ndarray) -> np.ndarray:
    """Opaque rim pixels geo.rim_px[idx] over `under` (RGBA uint8 rows), in integer
    arithmetic: under * ku + fill * kf + ring * kr, weights summing to 256."""
    ku, kf, kr = (k[idx] for k in geo.rim_k)
    node = geo.rim_node[idx]
    rgb = under[:, :3] * ku
    rgb += packed[node, :3] * kf
    rgb += ring8[node] * kr
    rgb >>= 8
    out = np.empty((len(idx), 4), dtype=np.uint8)
    out[:, :3] = rgb
    out[:, 3] = 255
    return out.view(np.uint32).ravel()


def draw_nodes(geo: Geometry, layer: np.ndarray, colours: tuple, drawn: dict[int, bytes],
               backdrop: np.uint32) -> None:
    """Opaque neurons onto a canvas kept from the last frame: a layer whose colours
    did not change (the 784 inputs while a trace plays) is left as it is; the rims
    that edges pass under are blended again."""
    fill_rgb, ring_rgb, _ = colours
    packed = np.empty((geo.n_nodes, 4), dtype=np.uint8)
    packed[:, :3] = np.clip(fill_rgb * 255 + 0.5, 0, 255)
    packed[:, 3] = 255
    ring8 = np.clip(ring_rgb * 255 + 0.5, 0, 255).astype(np.uint16)
    flat = packed.view(np.uint32).ravel()
    starts = [*geo.node_start, geo.n_nodes]
    for k, (inner, still) in enumerate(zip(geo.inner_by_group, geo.still_by_group,
                                           strict=True)):
        a, b = starts[k], starts[k + 1]
        sig = flat[a:b].tobytes() + ring8[a:b].tobytes()
        if drawn.get(k) == sig:
            continue
        layer[geo.inner_px[inner]] = flat[geo.inner_node[inner]]
        under = np.broadcast_to(np.array([backdrop], np.uint32).view(np.uint8),
                                (len(still), 4))
        layer[geo.rim_px[still]] = rim_blend(geo, still, under, packed, ring8)
        drawn[k] = sig
    moving = geo.rim_moving
    under = layer[geo.rim_px[moving]].view(np.uint8).reshape(-1, 4)
    layer[geo.rim_px[moving]] = rim_blend(geo, moving, under, packed, ring8)


def composite_nodes(geo: Geometry, layer: np.ndarray, colours: tuple, opacity: float,
                    opaque: bool) -> None:
    """Neuron fills and rings over the edges: the insides of the discs by one gather,
    the anti-aliased rims and rings blended on the few pixels they touch."""
    fill_rgb, ring_rgb, ring_a = colours
    n = geo.n_nodes
    o = 1.0 if opaque else opacity
    packed = np.empty((n, 4), dtype=np.uint8)
    packed[:, :3] = np.clip(fill_rgb * 255 + 0.5, 0, 255)
    packed[:, 3] = int(round(255 * o))
    layer[geo.inner_px] = packed.view(np.uint32).ravel()[geo.inner_node]
    under = layer[geo.rim_px].view(np.uint8).reshape(-1, 4).astype(np.float32) / 255.0
    alpha = under[:, 3] / max(o, 1e-6)  # before the global opacity
    col = under[:, :3] * alpha[:, None]  # premultiplied
    node = geo.rim_node
    fc = geo.rim_fill
    col = col * (1 - fc[:, None]) + fill_rgb[node] * fc[:, None]
    alpha = alpha * (1 - fc) + fc
    rc = geo.rim_ring * ring_a[node]
    col = col * (1 - rc[:, None]) + ring_rgb[node] * rc[:, None]
    alpha = np.clip(alpha * (1 - rc) + rc, 0.0, 1.0)
    out = np.empty((len(alpha), 4), dtype=np.uint8)
    out[:, :3] = np.clip(col / np.maximum(alpha, 1e-6)[:, None] * 255 + 0.5, 0, 255)
    out[:, 3] = np.clip(alpha * o * 255 + 0.5, 0, 255)
    layer[geo.rim_px] = out.view(np.uint32).ravel()
