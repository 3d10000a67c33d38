"""Datasets and input pipelines (see ``sources`` for where files come from)."""

from dlcourse.data.loaders import (
    FASHION_MNIST_CLASSES,
    MNIST_CLASSES,
    DataSource,
    clear_cache,
    load_fashion_mnist,
    load_mnist,
    source_of,
)
from dlcourse.data.pipeline import (
    make_dataset,
    preprocess,
    shuffled,
    stratified_subset,
    train_val_split,
    upfront_resize_bytes,
)
from dlcourse.data.sources import DataError

__all__ = [
    "FASHION_MNIST_CLASSES", "MNIST_CLASSES", "DataError", "DataSource", "clear_cache",
    "load_fashion_mnist", "load_mnist", "make_dataset", "preprocess", "shuffled",
    "source_of", "stratified_subset", "train_val_split", "upfront_resize_bytes",
]
