"""Where the image datasets come from, and how each file is verified and cached.

Look-up order for a dataset: ``$DLCOURSE_DATA`` (if that folder exists: it is
never created, a missing one is reported once and skipped), the Keras cache
(``$KERAS_HOME`` or ``~/.keras``, subfolder ``datasets``), the system copy
(Debian's ``dataset-fashion-mnist`` package), then a download with a timeout.
Every file is verified by the SHA-256 of its *content* (for ``.gz`` files, of
the decompressed bytes, so a re-compressed copy still verifies). A download
lands in a temporary file beside its target and replaces it only once
verified: a failed or corrupt download never replaces a good file.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

DOWNLOAD_TIMEOUT_S = 30.0
KERAS_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"


class DataError(RuntimeError):
    """A dataset could not be loaded; the message says what was tried and what to do."""


@dataclass(frozen=True)
class DataFile:
    """One file of a dataset: its path relative to the dataset folder and content hash."""

    name: str
    sha256: str  # of the content (decompressed for .gz files)


@dataclass(frozen=True)
class DatasetSpec:
    """The files of a dataset and where they live in each source."""

    key: str
    subdir: str  # folder under $DLCOURSE_DATA and the Keras cache ("" = directly there)
    files: tuple[DataFile, ...]
    url_base: str
    system_dir: str | None = None


SPECS: dict[str, DatasetSpec] = {
    "mnist": DatasetSpec(
        key="mnist",
        subdir="",
        files=(
            DataFile("mnist.npz", "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"),
        ),
        url_base=KERAS_ORIGIN,
    ),
    "fashion_mnist": DatasetSpec(
        key="fashion_mnist",
        subdir="fashion-mnist",
        files=(
            DataFile("train-labels-idx1-ubyte.gz", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
            DataFile("train-images-idx3-ubyte.gz", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
            DataFile("t10k-labels-idx1-ubyte.gz", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
            DataFile("t10k-images-idx3-ubyte.gz", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
        ),
        url_base=KERAS_ORIGIN + "fashion-mnist/",
        system_dir="/usr/share/datasets/fashion-mnist",
    ),
}


def content_sha256(path: Path) -> tuple[str, bytes]:
    """Read ``path`` (decompressing ``.gz``) and return (SHA-256 hex of content, content)."""
    with open(path, "rb") as raw:
        data = raw.read()
    if path.name.endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as err:  # truncated or not gzip at all
            raise DataError(f"{path} is not a complete gzip file ({err}).") from err
    return hashlib.sha256(data).hexdigest(), data


def verified_content(path: Path, expected: str) -> bytes:
    """Return the file's content if its SHA-256 matches ``expected``; else raise DataError."""
    digest, data = content_sha256(path)
    if digest != expected:
        raise DataError(
            f"{path} has content SHA-256 {digest[:12]}…, expected {expected[:12]}…: "
            "the file is corrupt, truncated or a different dataset."
        )
    return data


def keras_cache_dir() -> Path:
    """The folder where Keras caches datasets (``$KERAS_HOME/datasets`` or ``~/.keras/datasets``)."""
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(home) / "datasets"


# $DLCOURSE_DATA folders already reported missing: one warning per folder per process,
# not one per dataset and per look-up.
_warned_data_roots: set[str] = set()


def dlcourse_data_root() -> Path | None:
    """``$DLCOURSE_DATA`` if it names an existing folder; else None (warning once if set)."""
    value = os.environ.get("DLCOURSE_DATA")
    if not value:
        return None
    root = Path(value).expanduser()
    if root.is_dir():
        return root
    # The folder is the user's to make: creating it here (perhaps as root, perhaps from
    # a typo) would hide the mistake, so it is reported and the other sources are used.
    if str(root) not in _warned_data_roots:
        _warned_data_roots.add(str(root))
        what = "is a file, not a folder" if root.exists() else "does not exist"
        # stdout, as the loaders' other notes: visible on the page, without a stderr block.
        print(
            f"Warning: DLCOURSE_DATA is set to {root}, which {what}; it is ignored, and the "
            f"data comes from the Keras cache ({keras_cache_dir()}), a system copy or a "
            "download instead. To use your own copy, create that folder and put the data "
            "in it, or fix the path; otherwise unset DLCOURSE_DATA."
        )
    return None


def candidate_dirs(spec: DatasetSpec) -> list[tuple[str, Path]]:
    """(source name, folder) pairs to look in, in order, before downloading."""
    dirs: list[tuple[str, Path]] = []
    root = dlcourse_data_root()
    if root is not None:
        dirs.append(("DLCOURSE_DATA", root / spec.subdir))
    dirs.append(("keras-cache", keras_cache_dir() / spec.subdir))
    if spec.system_dir:
        dirs.append(("system", Path(spec.system_dir)))
    return dirs


def download_dir(spec: DatasetSpec) -> Path:
    """Where a download is stored: an existing ``$DLCOURSE_DATA`` folder, else the Keras cache."""
    root = dlcourse_data_root()
    return (root if root is not None else keras_cache_dir()) / spec.subdir


def download_file(spec: DatasetSpec, f: DataFile, target_dir: Path,
                  timeout: float | None = None) -> Path:
    """Download one file with a timeout, verify it, then move it into place atomically.

    The timeout (seconds, per connection attempt and per read) defaults to
    ``$DLCOURSE_DOWNLOAD_TIMEOUT`` or ``DOWNLOAD_TIMEOUT_S``.
    """
    if timeout is None:
        timeout = float(os.environ.get("DLCOURSE_DOWNLOAD_TIMEOUT", DOWNLOAD_TIMEOUT_S))
    try:
        with warnings.catch_warnings():
            # pooch imports tqdm.auto, which warns about notebook widgets.
            warnings.simplefilter("ignore")
            import pooch
    except ImportError as err:
        raise DataError(
            f"{f.name} is not on this machine and downloading it needs pooch: "
            "`pip install pooch`, or put the file in $DLCOURSE_DATA."
        ) from err
    pooch.get_logger().setLevel("WARNING")  # no "Downloading ..." lines on stderr
    base = os.environ.get("DLCOURSE_DATA_URL", spec.url_base)
    if not base.endswith("/"):
        base += "/"
    url = base + f.name
    target_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".partial-", dir=target_dir))
    try:
        try:
            pooch.retrieve(
                url, known_hash=None, fname=f.name, path=staging, progressbar=False,
                downloader=pooch.HTTPDownloader(timeout=timeout, progressbar=False),
            )
        except Exception as err:  # requests' timeouts, HTTP errors, DNS failures
            raise DataError(f"downloading {url} failed: {type(err).__name__}: {err}") from err
        verified_content(staging / f.name, f.sha256)
        final = target_dir / f.name
        os.replace(staging / f.name, final)  # atomic on one filesystem
        return final
    finally:
        shutil.rmtree(staging, ignore_errors=True)
