"""Handwritten digits: scikit-learn's bundled 8x8 set, resampled 28x28, and real MNIST.

Pixel values are 0 (paper) to 1 (ink), as brightness of the input neurons.
"""

from __future__ import annotations

import gzip
import os
import struct
from pathlib import Path

import numpy as np
from scipy.ndimage import zoom

from nnviz.core.datasets.base import Dataset
from nnviz.core.errors import NNVizError

CLASSES = tuple(str(d) for d in range(10))
MNIST_ENV = "NNVIZ_MNIST"  # the folder of the MNIST IDX files when no path is given


def digits(n: int | None = None, seed: int = 0) -> Dataset:
    """scikit-learn's 1,797 8x8 digits (no download), optionally a seeded subset of n."""
    from sklearn.datasets import load_digits

    raw = load_digits()
    X, y = raw.data / 16.0, raw.target.astype(int)
    X, y = _subset(X, y, n, seed)
    return Dataset("digits", X, y, classes=CLASSES, params={"n": n, "seed": seed},
                   image_shape=(8, 8))


def digits28(n: int | None = None, seed: int = 0) -> Dataset:
    """The 8x8 digits resampled to 20x20 and centred in 28x28, like MNIST: 784 inputs."""
    small = digits(n, seed)
    imgs = small.X.reshape(-1, 8, 8)
    big = np.clip(zoom(imgs, (1, 2.5, 2.5), order=1), 0.0, 1.0)
    X = np.pad(big, ((0, 0), (4, 4), (4, 4))).reshape(len(imgs), 784)
    return Dataset("digits28", X, small.y, classes=CLASSES, params={"n": n, "seed": seed},
                   image_shape=(28, 28))


def _subset(X, y, n, seed):
    if n is None or n >= len(X):
        return X, y
    idx = np.sort(np.random.default_rng(seed).choice(len(X), n, replace=False))
    return X[idx], y[idx]


_IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def read_idx(path: str | Path) -> np.ndarray:
    """Read one IDX file (plain or .gz), the format MNIST is distributed in."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as fh:
            head = fh.read(4)
            if len(head) < 4 or head[0] != 0 or head[1] != 0 or head[2] not in _IDX_TYPES:
                raise NNVizError(f"'{path}' is not an IDX file (bad magic number).")
            ndim = head[3]
            shape = struct.unpack(f">{ndim}I", fh.read(4 * ndim))
            dtype = np.dtype(_IDX_TYPES[head[2]])
            data = np.frombuffer(fh.read(), dtype=dtype)
    except (OSError, struct.error, EOFError) as e:
        raise NNVizError(f"Cannot read IDX file '{path}': {e}.") from None
    if data.size != int(np.prod(shape)):
        raise NNVizError(
            f"IDX file '{path}' is truncated: expected {int(np.prod(shape))} values, "
            f"found {data.size}."
        )
    return data.reshape(shape)


def _find(directory: Path, stem: str) -> Path:
    dotted = stem.replace("-idx", ".idx")
    for name in (stem, dotted, stem + ".gz", dotted + ".gz"):
        if (directory / name).is_file():
            return directory / name
    raise NNVizError(f"No MNIST file '{stem}' (or .gz) in '{directory}'.")


def mnist(path: str = "", split: str = "train", n: int | None = None, seed: int = 0) -> Dataset:
    """Real MNIST from a directory of IDX files (train-images-idx3-ubyte[.gz] and
    train-labels-idx1-ubyte[.gz], or t10k-... for split="test"). Without `path`, the folder
    named by $NNVIZ_MNIST."""
    path = os.path.expanduser(path or os.environ.get(MNIST_ENV, ""))
    if not path:
        raise NNVizError(f"No MNIST folder given: give path=DIR with the IDX files, or set "
                         f"${MNIST_ENV}=DIR.")
    directory = Path(path)
    if not directory.is_dir():
        raise NNVizError(
            f"MNIST directory '{path}' does not exist: give path=DIR with the IDX files "
            f"(or set ${MNIST_ENV})."
        )
    prefix = {"train": "train", "test": "t10k"}.get(split)
    if prefix is None:
        raise NNVizError(f"Unknown MNIST split '{split}'. Valid choices: train, test.")
    images = read_idx(_find(directory, f"{prefix}-images-idx3-ubyte"))
    labels = read_idx(_find(directory, f"{prefix}-labels-idx1-ubyte"))
    if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
        raise NNVizError(f"MNIST files in '{directory}' do not match: images {images.shape}, "
                         f"labels {labels.shape}.")
    if len(images) == 0:
        raise NNVizError(f"The MNIST files in '{directory}' hold no images.")
    if labels.min() < 0 or labels.max() > 9:
        raise NNVizError(f"MNIST labels in '{directory}' must be digits 0-9, found "
                         f"{int(labels.min())}..{int(labels.max())}.")
    h, w = images.shape[1:]
    X, y = _subset(images.reshape(len(images), h * w) / 255.0, labels.astype(int), n, seed)
    params = {"path": str(path), "split": split, "n": n, "seed": seed}
    return Dataset("mnist", X, y, classes=CLASSES, params=params, image_shape=(h, w))
