"""Data look-up order, checksum verification, atomic caching and bad input.

Most tests use a tiny synthetic dataset in IDX format (the real file format)
patched in for Fashion-MNIST, so every failure mode runs in milliseconds; a
loopback HTTP server stands in for the download host.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import http.server
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from dlcourse import data
from dlcourse.data import loaders, sources
from dlcourse.data.sources import DataError, DataFile

N_TRAIN, N_TEST = 12, 6


def _idx(arr: np.ndarray) -> bytes:
    header = (0x0800 + arr.ndim).to_bytes(4, "big")
    header += b"".join(int(d).to_bytes(4, "big") for d in arr.shape)
    return header + arr.astype(np.uint8).tobytes()


def _tiny_files(seed: int = 0) -> dict[str, bytes]:
    rng = np.random.default_rng(seed)
    arrays = {
        "train-images-idx3-ubyte.gz": rng.integers(0, 256, (N_TRAIN, 28, 28)),
        "train-labels-idx1-ubyte.gz": np.arange(N_TRAIN) % 10,
        "t10k-images-idx3-ubyte.gz": rng.integers(0, 256, (N_TEST, 28, 28)),
        "t10k-labels-idx1-ubyte.gz": np.arange(N_TEST) % 10,
    }
    return {name: gzip.compress(_idx(a)) for name, a in arrays.items()}


GOOD = _tiny_files()


@pytest.fixture(autouse=True)
def tiny_fashion(monkeypatch, tmp_path):
    """Patch Fashion-MNIST's spec to the tiny files; isolate every cache folder."""
    files = tuple(DataFile(n, hashlib.sha256(gzip.decompress(b)).hexdigest()) for n, b in GOOD.items())
    spec = dataclasses.replace(sources.SPECS["fashion_mnist"], files=files, system_dir=None,
                               url_base="http://127.0.0.1:9/")
    monkeypatch.setitem(sources.SPECS, "fashion_mnist", spec)
    monkeypatch.setattr(loaders, "SPECS", sources.SPECS)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.delenv("DLCOURSE_DATA", raising=False)
    monkeypatch.delenv("DLCOURSE_DATA_URL", raising=False)
    monkeypatch.setenv("DLCOURSE_DOWNLOAD_TIMEOUT", "2")
    # Each test starts as a fresh process would: no missing folder reported yet.
    monkeypatch.setattr(sources, "_warned_data_roots", set())
    data.clear_cache()
    yield spec
    data.clear_cache()


def _write(folder: Path, files: dict[str, bytes]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (folder / name).write_bytes(content)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


class _Server:
    """A loopback HTTP server: serve bytes by path, or hang without answering."""

    def __init__(self, files: dict[str, bytes] | None = None, hang: bool = False):
        outer = self
        self.files, self.hang, self.requests = files or {}, hang, 0

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                outer.requests += 1
                if outer.hang:
                    time.sleep(6)
                    return
                body = outer.files.get(self.path.rsplit("/", 1)[-1])
                if body is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    made = []

    def make(**kw):
        s = _Server(**kw)
        made.append(s)
        return s

    yield make
    for s in made:
        s.close()


def test_loads_from_dlcourse_data_first(tmp_path, monkeypatch):
    _write(tmp_path / "mine" / "fashion-mnist", GOOD)
    _write(tmp_path / "keras" / "datasets" / "fashion-mnist", GOOD)
    monkeypatch.setenv("DLCOURSE_DATA", str(tmp_path / "mine"))
    (x, y), (xt, yt) = data.load_fashion_mnist()
    assert x.shape == (N_TRAIN, 28, 28) and x.dtype == np.uint8 and y.tolist() == list(range(10)) + [0, 1]
    assert xt.shape == (N_TEST, 28, 28)
    assert data.source_of("fashion_mnist").source == "DLCOURSE_DATA"


def test_keras_cache_used_when_no_dlcourse_data(tmp_path):
    _write(tmp_path / "keras" / "datasets" / "fashion-mnist", GOOD)
    data.load_fashion_mnist()
    assert data.source_of("fashion_mnist").source == "keras-cache"


@pytest.mark.parametrize("damage", ["truncated", "wrong_checksum", "not_gzip", "empty"])
def test_corrupt_copy_is_skipped_named_and_left_untouched(tmp_path, monkeypatch, capsys, damage):
    bad = dict(GOOD)
    name = "train-images-idx3-ubyte.gz"
    bad[name] = {
        "truncated": GOOD[name][: len(GOOD[name]) // 2],
        "wrong_checksum": _tiny_files(seed=1)[name],
        "not_gzip": b"<html>404</html>",
        "empty": b"",
    }[damage]
    mine = tmp_path / "mine" / "fashion-mnist"
    _write(mine, bad)
    _write(tmp_path / "keras" / "datasets" / "fashion-mnist", GOOD)
    monkeypatch.setenv("DLCOURSE_DATA", str(tmp_path / "mine"))
    before = _snapshot(mine)
    data.load_fashion_mnist()
    assert data.source_of("fashion_mnist").source == "keras-cache"
    assert "skipping DLCOURSE_DATA copy" in capsys.readouterr().out
    assert _snapshot(mine) == before, "a bad copy in the user's folder must not be modified"


def test_nothing_anywhere_and_offline_gives_actionable_error(monkeypatch):
    monkeypatch.setenv("DLCOURSE_OFFLINE", "1")
    with pytest.raises(DataError) as err:
        data.load_fashion_mnist()
    msg = str(err.value)
    assert "DLCOURSE_OFFLINE=1" in msg and "$DLCOURSE_DATA" in msg and "dataset-fashion-mnist" in msg


def test_missing_file_is_reported(tmp_path, monkeypatch):
    partial = {k: v for k, v in GOOD.items() if not k.startswith("t10k-images")}
    _write(tmp_path / "mine" / "fashion-mnist", partial)
    monkeypatch.setenv("DLCOURSE_DATA", str(tmp_path / "mine"))
    monkeypatch.setenv("DLCOURSE_OFFLINE", "1")
    with pytest.raises(DataError, match="missing t10k-images-idx3-ubyte.gz"):
        data.load_fashion_mnist()


def test_download_verifies_and_caches(tmp_path, monkeypatch, server):
    srv = server(files=GOOD)
    monkeypatch.setenv("DLCOURSE_DATA_URL", srv.url)
    (tmp_path / "mine").mkdir()  # the user's folder exists; its dataset subfolder is ours
    monkeypatch.setenv("DLCOURSE_DATA", str(tmp_path / "mine"))
    (x, _), _ = data.load_fashion_mnist()
    assert x.shape == (N_TRAIN, 28, 28)
    assert data.source_of("fashion_mnist").source == "download"
    folder = tmp_path / "mine" / "fashion-mnist"
    assert _snapshot(folder) == GOOD, "the cache holds exactly the verified files, no partials"
    data.clear_cache()
    data.load_fashion_mnist()  # second time: from the cache, no new request
    assert data.source_of("fashion_mnist").source == "DLCOURSE_DATA"
    assert srv.requests == 4


def test_missing_dlcourse_data_is_reported_once_not_created_and_skipped(tmp_path, monkeypatch, capsys):
    _write(tmp_path / "keras" / "datasets" / "fashion-mnist", GOOD)
    missing = tmp_path / "typo"
    monkeypatch.setenv("DLCOURSE_DATA", str(missing))
    (x, _), _ = data.load_fashion_mnist()
    assert x.shape == (N_TRAIN, 28, 28)
    assert data.source_of("fashion_mnist").source == "keras-cache"
    out = capsys.readouterr().out
    assert f"DLCOURSE_DATA is set to {missing}, which does not exist" in out
    assert "create that folder" in out and "unset DLCOURSE_DATA" in out
    assert not missing.exists(), "a folder the user named must never be created"
    data.clear_cache()
    data.load_fashion_mnist()
    assert "DLCOURSE_DATA" not in capsys.readouterr().out, "one warning per folder per process"
    other = tmp_path / "other-typo"
    monkeypatch.setenv("DLCOURSE_DATA", str(other))
    data.clear_cache()
    data.load_fashion_mnist()
    assert f"DLCOURSE_DATA is set to {other}, which does not exist" in capsys.readouterr().out


def test_missing_dlcourse_data_downloads_into_the_keras_cache(tmp_path, monkeypatch, server, capsys):
    srv = server(files=GOOD)
    monkeypatch.setenv("DLCOURSE_DATA_URL", srv.url)
    missing = tmp_path / "not-there" / "data"
    monkeypatch.setenv("DLCOURSE_DATA", str(missing))
    (x, _), _ = data.load_fashion_mnist()
    assert x.shape == (N_TRAIN, 28, 28)
    assert data.source_of("fashion_mnist").source == "download"
    assert _snapshot(tmp_path / "keras" / "datasets" / "fashion-mnist") == GOOD
    assert not (tmp_path / "not-there").exists(), "neither the folder nor its parent may be created"
    assert f"DLCOURSE_DATA is set to {missing}, which does not exist" in capsys.readouterr().out


def test_dlcourse_data_that_is_a_file_is_reported_and_skipped(tmp_path, monkeypatch, capsys):
    _write(tmp_path / "keras" / "datasets" / "fashion-mnist", GOOD)
    not_a_folder = tmp_path / "data.txt"
    not_a_folder.write_text("not a folder")
    monkeypatch.setenv("DLCOURSE_DATA", str(not_a_folder))
    data.load_fashion_mnist()
    assert data.source_of("fashion_mnist").source == "keras-cache"
    assert f"{not_a_folder}, which is a file, not a folder" in capsys.readouterr().out
    assert not_a_folder.read_text() == "not a folder"


def test_corrupt_download_never_replaces_good_files(tmp_path, monkeypatch, server):
    """One good file is cached; the server sends a corrupt copy of a missing one."""
    folder = tmp_path / "keras" / "datasets" / "fashion-mnist"
    good_one = "train-labels-idx1-ubyte.gz"
    _write(folder, {good_one: GOOD[good_one]})
    served = dict(GOOD)
    served["train-images-idx3-ubyte.gz"] = GOOD["train-images-idx3-ubyte.gz"][:100]
    srv = server(files=served)
    monkeypatch.setenv("DLCOURSE_DATA_URL", srv.url)
    with pytest.raises(DataError, match="not a complete gzip file"):
        data.load_fashion_mnist()
    assert _snapshot(folder) == {good_one: GOOD[good_one]}, "no corrupt or partial file may be left"


def test_hanging_download_times_out_with_a_clear_message(monkeypatch, server):
    srv = server(hang=True)
    monkeypatch.setenv("DLCOURSE_DATA_URL", srv.url)
    monkeypatch.setenv("DLCOURSE_DOWNLOAD_TIMEOUT", "1")
    start = time.monotonic()
    with pytest.raises(DataError, match="(?i)timed? ?out"):
        data.load_fashion_mnist()
    assert time.monotonic() - start < 5


def test_unreachable_host_fails_fast(monkeypatch):
    monkeypatch.setenv("DLCOURSE_DATA_URL", "http://127.0.0.1:9/")  # discard port: refused
    with pytest.raises(DataError, match="downloading http://127.0.0.1:9/.* failed"):
        data.load_fashion_mnist()


def test_loaded_arrays_are_copies(tmp_path):
    _write(tmp_path / "keras" / "datasets" / "fashion-mnist", GOOD)
    (x, _), _ = data.load_fashion_mnist()
    x[:] = 0
    (x2, _), _ = data.load_fashion_mnist()
    assert x2.any(), "mutating a returned array must not change the cached data"


def test_source_of_before_loading_is_an_error():
    with pytest.raises(LookupError, match="has not been loaded"):
        data.source_of("fashion_mnist")
