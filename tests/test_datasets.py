"""Seeded data sets: shapes, classes, patterns, digits, and the MNIST IDX reader."""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import numpy as np
import pytest

from nnviz import MLP, NNVizError
from nnviz.core import datasets
from nnviz.core.datasets import DATASETS, read_idx
from nnviz.core.datasets.four_pixel import PATTERNS

PLANAR = ["two_curves", "spirals", "bullseye", "xor"]
SEEDED = PLANAR + ["line_1d", "curve_1d", "four_pixel"]


@pytest.mark.parametrize("name", PLANAR)
def test_planar_sets_are_two_balanced_classes_in_the_plane(name):
    data = datasets.load(name, n=120, seed=0)
    assert data.X.shape == (120, 2) and data.y.shape == (120,)
    assert data.classes == ("A", "B") and data.task == "classification"
    assert np.bincount(data.y).tolist() == [60, 60]
    assert np.abs(data.X).max() < 1.5
    assert data.name == name and data.params["n"] == 120 and data.params["seed"] == 0


@pytest.mark.parametrize("name", SEEDED)
def test_same_seed_same_data_other_seed_other_data(name):
    a, b, c = (datasets.load(name, seed=s, **({"noise": 0.1} if name == "four_pixel" else {}))
               for s in (3, 3, 4))
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    assert not np.array_equal(a.X, c.X)


def test_bullseye_is_a_disk_inside_a_ring():
    data = datasets.load("bullseye", n=200, noise=0.0, seed=1)
    r = np.linalg.norm(data.X, axis=1)
    assert r[data.y == 1].max() <= 0.35 + 1e-9
    assert r[data.y == 0].min() >= 0.6 - 1e-9


def test_xor_opposite_corners_share_a_class():
    data = datasets.load("xor", n=400, noise=0.05, seed=0)
    same_sign = np.sign(data.X[:, 0]) == np.sign(data.X[:, 1])
    assert np.all(data.y[same_sign] == 0) and np.all(data.y[~same_sign] == 1)


def test_line_1d_has_one_class_inside_the_other():
    data = datasets.load("line_1d", n=100, seed=0)
    assert data.X.shape == (100, 1)
    x = data.X[:, 0]
    assert np.abs(x[data.y == 1]).max() < 1 / 3
    assert np.abs(x[data.y == 0]).min() > 1 / 3


def test_curve_1d_is_a_regression_on_minus_one_to_one():
    data = datasets.load("curve_1d", n=40, seed=0)
    assert data.task == "regression" and data.X.shape == (40, 1) and data.y.shape == (40, 1)
    assert np.all(np.abs(data.X) <= 1) and np.all(np.diff(data.X[:, 0]) >= 0)
    assert np.isnan(data.accuracy(MLP((1, 1))))
    np.testing.assert_array_equal(data.targets(MLP((1, 1))), data.y)


def test_four_pixel_patterns_are_the_camera_classes():
    data = datasets.load("four_pixel", n=8)
    assert data.classes == ("solid", "vertical", "diagonal", "horizontal")
    assert data.X.shape == (8, 4) and data.image_shape == (2, 2)
    for row, label in zip(data.X, data.y, strict=True):
        pattern = np.array(PATTERNS[data.classes[label]], float)
        assert np.array_equal(row, pattern) or np.array_equal(row, -pattern)
    # every class appears as a pattern and as its negative
    assert sorted(data.y.tolist()) == [0, 0, 1, 1, 2, 2, 3, 3]
    # pictures: vertical = columns alike, horizontal = rows alike
    v = PATTERNS["vertical"]
    h = PATTERNS["horizontal"]
    assert np.reshape(v, (2, 2))[:, 0].tolist() == [1, 1]
    assert np.reshape(h, (2, 2))[0].tolist() == [1, 1]


def test_four_pixel_noise_stays_in_black_to_white():
    data = datasets.load("four_pixel", n=400, noise=0.5, seed=2)
    assert data.X.min() >= -1.0 and data.X.max() <= 1.0
    assert not np.all(np.isin(data.X, [-1.0, 1.0]))


def test_digits_are_sklearns_8x8_images():
    data = datasets.load("digits")
    assert data.X.shape == (1797, 64) and data.image_shape == (8, 8)
    assert data.X.min() == 0.0 and data.X.max() == 1.0
    assert data.classes == tuple("0123456789") and set(data.y.tolist()) == set(range(10))
    sub = datasets.load("digits", n=100, seed=1)
    assert sub.X.shape == (100, 64)
    assert not np.array_equal(sub.y, datasets.load("digits", n=100, seed=2).y)


def test_digits28_has_784_inputs_like_mnist():
    small = datasets.load("digits", n=30, seed=0)
    big = datasets.load("digits28", n=30, seed=0)
    assert big.X.shape == (30, 784) and big.image_shape == (28, 28)
    np.testing.assert_array_equal(big.y, small.y)
    imgs = big.X.reshape(-1, 28, 28)
    assert imgs.min() >= 0.0 and imgs.max() <= 1.0
    assert np.all(imgs[:, :4, :] == 0) and np.all(imgs[:, :, -4:] == 0)  # 4-pixel margin
    # the 20x20 picture is the 8x8 one enlarged: block means track the original pixels
    centre = imgs[:, 4:24, 4:24]
    down = centre.reshape(30, 4, 5, 4, 5).mean(axis=(2, 4))
    orig = small.X.reshape(30, 8, 8).reshape(30, 4, 2, 4, 2).mean(axis=(2, 4))
    assert np.corrcoef(down.ravel(), orig.ravel())[0, 1] > 0.95


def test_targets_are_one_hot_or_signed_labels():
    data = datasets.load("digits", n=20, seed=0)
    T = data.targets(MLP((64, 10)))
    assert T.shape == (20, 10) and np.all(T.sum(axis=1) == 1)
    np.testing.assert_array_equal(T.argmax(axis=1), data.y)
    xor = datasets.load("xor", n=20)
    assert set(xor.targets(MLP((2, 1), output_activation="tanh"))[:, 0]) == {-1.0, 1.0}
    assert set(xor.targets(MLP((2, 1), output_activation="sigmoid"))[:, 0]) == {0.0, 1.0}


def test_split_is_seeded_disjoint_and_complete():
    data = datasets.load("spirals", n=100, seed=0)
    train, test = data.split(0.2, seed=1)
    assert (train.n_samples, test.n_samples) == (80, 20)
    rows = {tuple(r) for r in np.concatenate([train.X, test.X])}
    assert rows == {tuple(r) for r in data.X}
    again, _ = data.split(0.2, seed=1)
    np.testing.assert_array_equal(again.X, train.X)


def test_unknown_data_sets_and_parameters_name_the_choices():
    with pytest.raises(NNVizError, match="Unknown data set 'spiral'.*'spirals'.*Valid choices"):
        datasets.load("spiral")
    with pytest.raises(NNVizError, match="no parameter 'size'.*Valid choices: n"):
        datasets.load("xor", size=3)
    assert {"two_curves", "spirals", "bullseye", "xor", "line_1d", "curve_1d", "four_pixel",
            "digits", "digits28", "mnist"} <= set(DATASETS)


# -- MNIST IDX files ----------------------------------------------------------------------


def _idx(array: np.ndarray, code: int = 0x08) -> bytes:
    head = bytes([0, 0, code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return head + array.astype(array.dtype.newbyteorder(">")).tobytes()


def _write_mnist(folder: Path, n: int = 6, gz: bool = False, dotted: bool = False,
                 prefix: str = "train") -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, n, dtype=np.uint8)
    folder.mkdir(parents=True, exist_ok=True)
    for kind, arr in (("images-idx3-ubyte", images), ("labels-idx1-ubyte", labels)):
        name = f"{prefix}-{kind}".replace("-idx", ".idx") if dotted else f"{prefix}-{kind}"
        data = _idx(arr)
        if gz:
            (folder / f"{name}.gz").write_bytes(gzip.compress(data, mtime=0))
        else:
            (folder / name).write_bytes(data)
    return images, labels


@pytest.mark.parametrize(("gz", "dotted"), [(False, False), (True, False), (False, True),
                                            (True, True)])
def test_mnist_reads_plain_and_gzipped_idx_files(tmp_path, gz, dotted):
    images, labels = _write_mnist(tmp_path, gz=gz, dotted=dotted)
    data = datasets.load("mnist", path=str(tmp_path))
    assert data.X.shape == (6, 784) and data.image_shape == (28, 28)
    np.testing.assert_allclose(data.X, images.reshape(6, 784) / 255.0)
    np.testing.assert_array_equal(data.y, labels)
    assert data.params["split"] == "train"


def test_mnist_test_split_and_subset(tmp_path):
    _, labels = _write_mnist(tmp_path, n=10, prefix="t10k")
    data = datasets.load("mnist", path=str(tmp_path), split="test", n=4, seed=0)
    assert data.X.shape == (4, 784) and set(data.y) <= set(labels)
    with pytest.raises(NNVizError, match="No MNIST file 'train-images"):
        datasets.load("mnist", path=str(tmp_path))
    with pytest.raises(NNVizError, match="Unknown MNIST split 'dev'.*train, test"):
        datasets.load("mnist", path=str(tmp_path), split="dev")


def test_read_idx_keeps_dtype_and_shape(tmp_path):
    arr = np.arange(24, dtype=">i4").reshape(2, 3, 4) - 5
    (tmp_path / "x.idx").write_bytes(_idx(arr, 0x0C))
    np.testing.assert_array_equal(read_idx(tmp_path / "x.idx"), arr)


def test_truncated_idx_files_are_named(tmp_path):
    images, _ = _write_mnist(tmp_path)
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(NNVizError, match=r"train-images-idx3-ubyte.*truncated"):
        datasets.load("mnist", path=str(tmp_path))
    path.write_bytes(path.read_bytes()[:6])  # cut inside the header
    with pytest.raises(NNVizError, match="train-images-idx3-ubyte"):
        read_idx(path)
    gz = tmp_path / "cut.gz"
    gz.write_bytes(gzip.compress(_idx(images))[:200])
    with pytest.raises(NNVizError, match=r"cut\.gz"):
        read_idx(gz)


def test_foreign_files_are_not_idx(tmp_path):
    png = tmp_path / "picture.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    with pytest.raises(NNVizError, match=r"picture\.png.*not an IDX file"):
        read_idx(png)
    fake_gz = tmp_path / "fake.gz"
    fake_gz.write_bytes(b"not gzip at all")
    with pytest.raises(NNVizError, match=r"fake\.gz"):
        read_idx(fake_gz)


def test_mismatched_mnist_files_are_an_error(tmp_path):
    _write_mnist(tmp_path, n=6)
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(_idx(np.zeros(5, np.uint8)))
    with pytest.raises(NNVizError, match="do not match"):
        datasets.load("mnist", path=str(tmp_path))


def test_missing_mnist_folder_is_named(tmp_path):
    with pytest.raises(NNVizError, match=r"nowhere.*does not exist"):
        datasets.load("mnist", path=str(tmp_path / "nowhere"))
    with pytest.raises(NNVizError, match="give path=DIR"):
        datasets.load("mnist")


def test_mnist_folder_from_the_environment(tmp_path, monkeypatch):
    images, labels = _write_mnist(tmp_path / "mnist", gz=True)
    monkeypatch.setenv("NNVIZ_MNIST", str(tmp_path / "mnist"))
    data = datasets.load("mnist")
    np.testing.assert_array_equal(data.y, labels)
    monkeypatch.delenv("NNVIZ_MNIST")
    with pytest.raises(NNVizError, match=r"No MNIST folder given.*NNVIZ_MNIST"):
        datasets.load("mnist")


def test_mnist_labels_must_be_digits(tmp_path):
    _write_mnist(tmp_path, n=6)
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(_idx(np.full(6, 12, np.uint8)))
    with pytest.raises(NNVizError, match="digits 0-9"):
        datasets.load("mnist", path=str(tmp_path))


def test_two_curves_waves_weave_the_curves_so_a_line_falls_short():
    from nnviz.explain.separable import best_line_accuracy
    default = datasets.load("two_curves", n=200, seed=0)
    same = datasets.load("two_curves", n=200, seed=0, waves=2.6)
    np.testing.assert_array_equal(default.X, same.X)  # the default data did not change
    assert default.params["waves"] == 2.6
    assert best_line_accuracy(default.X, default.y) > 0.95  # almost separable
    woven = datasets.load("two_curves", n=200, seed=0, waves=4.5)
    assert 0.7 <= best_line_accuracy(woven.X, woven.y) <= 0.85
