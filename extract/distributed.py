"""Per-file extraction on a Dask cluster (dask.distributed), for collections beyond one machine.

    policygraph build corpus/ --dask tcp://scheduler:8786   # an existing cluster
    policygraph build corpus/ --dask local                  # a LocalCluster on this machine

Each worker runs `extract_file` on a path, so the input paths must be readable on the workers
(a shared filesystem, as on most clusters). The results are merged here exactly as the
process-pool results are, so the graph is byte-identical to a local build.
"""
from __future__ import annotations

from typing import Callable

from policygraph.errors import InputError
from policygraph.extract.pipeline import FileResult, Progress, default_workers, extract_file


def _client(address: str):
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise InputError("--dask needs dask.distributed: pip install 'dask[distributed]'.") from None
    if address == "local":
        cluster = LocalCluster(n_workers=default_workers(), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        return Client(cluster), cluster
    try:
        return Client(address, timeout="10s"), None
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(f"No Dask scheduler answers at {address} ({type(exc).__name__}): "
                         "give tcp://host:8786 of a running scheduler, or --dask local.") from None


def map_on_dask(files: list[str], address: str | object, progress: Progress | None = None,
                extract_one: Callable[[str], FileResult] = extract_file) -> list[FileResult]:
    """`extract_file` over the files on the cluster at `address` ("local", "tcp://…", or an
    existing dask.distributed Client). Results come back in the files' order."""
    if not isinstance(address, str):
        return _gather(address, files, progress, extract_one)
    client, cluster = _client(address)
    try:
        return _gather(client, files, progress, extract_one)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _gather(client, files: list[str], progress: Progress | None, extract_one) -> list[FileResult]:
    from dask.distributed import as_completed

    futures = client.map(extract_one, files, pure=False)
    index = {f.key: i for i, f in enumerate(futures)}
    results: list[FileResult | None] = [None] * len(files)
    for future in as_completed(futures):
        i = index[future.key]
        results[i] = future.result()
        future.release()  # the worker may drop it: memory stays bounded by what is still running
        if progress:
            progress(files[i])
    return results  # type: ignore[return-value]
