"""Scale paths on real text: Dask extraction, skipped files, the SQLite store, lineage read
from the store's indexes. (Speed is measured by benchmarks/scale.py, never here.)"""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from policygraph.errors import GraphStoreError, InputError

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "north_china_2023.txt"


@pytest.fixture(scope="module")
def two_files(tmp_path_factory) -> list[Path]:
    lines = CORPUS.read_text(encoding="utf-8").split("\n")
    folder = tmp_path_factory.mktemp("parts")
    a, b = folder / "beijing.txt", folder / "rest.txt"
    a.write_text("\n".join(lines[:1345]), encoding="utf-8")  # documents 1-7
    b.write_text("\n".join(lines[1345:3320]), encoding="utf-8")  # documents 8-10
    return [a, b]


def _graph_bytes(extraction) -> bytes:
    from policygraph.graph.build import graph_data
    from policygraph.graph.store_nx import to_networkx, to_sqlite_bytes

    return to_sqlite_bytes(to_networkx(graph_data(extraction)))


def test_dask_local_cluster_gives_the_serial_graph(two_files):
    from dask.distributed import Client, LocalCluster

    from policygraph.extract.pipeline import extract_corpus, warm_up

    serial = _graph_bytes(extract_corpus(two_files, workers=1))
    warm_up()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        on_dask = _graph_bytes(extract_corpus(two_files[::-1], dask=client))
    assert on_dask == serial


def test_unreachable_dask_scheduler_is_one_sentence(two_files, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "policygraph", "build", str(two_files[0]), "--graph",
                           str(tmp_path / "g.db"), "--dask", "tcp://127.0.0.1:9", "--quiet"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.startswith("Error: No Dask scheduler answers at tcp://127.0.0.1:9")
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "g.db").exists()


def test_an_unreadable_file_is_skipped_with_its_reason(two_files, tmp_path):
    from policygraph.extract.pipeline import extract_corpus

    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    extraction = extract_corpus([two_files[0], empty], workers=2)
    assert [s.path for s in extraction.skipped] == [str(empty)]
    assert extraction.skipped[0].reason.startswith("empty")
    assert extraction.sources == [str(two_files[0])]
    assert sum(1 for d in extraction.documents if not d.stub) == 7
    with pytest.raises(InputError, match="is empty"):
        extract_corpus([empty])  # nothing left to extract: the reason, as an error
    small = extract_corpus(two_files, workers=2, read_options={"max_bytes": 2_000_000})
    assert not small.skipped
    with pytest.raises(InputError, match="limit"):
        extract_corpus(two_files, workers=2, read_options={"max_bytes": 1000})  # read options reach the workers


# ------------------------------------------------------------------ the store


@pytest.fixture(scope="module")
def saved(graph, tmp_path_factory) -> Path:
    from policygraph.graph.store_nx import save

    return save(graph, tmp_path_factory.mktemp("store") / "graph.db")


def test_store_round_trip_is_exact(graph, saved):
    from policygraph.graph.store_nx import load

    again = load(saved)
    assert list(again.nodes(data=True)) == list(graph.nodes(data=True))
    assert list(again.edges(keys=True, data=True)) == list(graph.edges(keys=True, data=True))


def test_counts_from_the_store_tables(graph, saved):
    from policygraph.graph.store_nx import counts, saved_counts

    assert saved_counts(saved) == counts(graph)


@pytest.mark.parametrize("query", ["国办发〔2022〕30号", "京政办发〔2023〕5号", "一业一证", "营商环境",
                                   "国务院办公厅关于", "一网通办"])
def test_lineage_from_the_store_indexes_equals_the_whole_graph(graph, saved, query):
    from policygraph.extract.docnumber import canonical
    from policygraph.graph.lineage import lineage_report
    from policygraph.graph.store_nx import load_lineage_scope

    scope = load_lineage_scope(saved, query)
    if canonical(query):  # a 发文字号 names its root through the saved index: only its lineage is read
        assert scope.number_of_nodes() < graph.number_of_nodes()
    assert lineage_report(scope, query) == lineage_report(graph, query)


def test_lineage_of_nothing_is_the_same_one_sentence(saved):
    from policygraph.errors import QueryError
    from policygraph.graph.lineage import lineage_report
    from policygraph.graph.store_nx import load_lineage_scope

    with pytest.raises(QueryError, match="Nothing matches"):
        lineage_report(load_lineage_scope(saved, "不存在的文件标题"), "不存在的文件标题")


def _fifo(path: Path) -> None:
    os.mkfifo(path)


@pytest.mark.parametrize("make", [
    lambda p: p.write_bytes(b"[]"),
    lambda p: p.write_bytes(orjson.dumps({"nodes": [{"id": "a", "key": "a"}], "edges": []})),
    lambda p: p.write_bytes(orjson.dumps({"nodes": [{"id": "a", "key": "a", "label": "Document"}],
                                          "edges": [{"source": "a", "target": "b", "type": "CITES"}]})),
    lambda p: p.write_bytes("不是 JSON".encode()),
    lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200),  # truncated store
    lambda p: sqlite3.connect(p).execute("CREATE TABLE t (x)").connection.commit(),  # another database
    _fifo,
    lambda p: p.mkdir(),
], ids=["list", "no-label", "dangling-edge", "not-json", "truncated", "other-sqlite", "fifo", "folder"])
def test_a_saved_graph_of_the_wrong_shape_is_one_sentence(tmp_path, make):
    from policygraph.graph.store_nx import load, load_lineage_scope

    path = tmp_path / "graph.db"
    make(path)
    for read in (load, lambda p: load_lineage_scope(p, "国办发〔2022〕30号")):
        with pytest.raises(GraphStoreError) as err:
            read(path)
        assert str(err.value).count(".") >= 1 and "\n" not in str(err.value)
        assert str(path) in str(err.value)


def test_cli_lineage_on_a_damaged_graph(tmp_path):
    path = tmp_path / "graph.db"
    path.write_bytes(b"[]")
    proc = subprocess.run([sys.executable, "-m", "policygraph", "lineage", "一业一证", "--graph", str(path)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        f"Error: The saved graph at {path} is damaged or not a policygraph graph: run `policygraph build` again."]


def test_saving_through_a_symlink_keeps_the_link_and_mode(graph, tmp_path):
    from policygraph.graph.store_nx import load, save

    target = tmp_path / "real.db"
    target.write_bytes(b"old")
    target.chmod(0o640)
    link = tmp_path / "graph.db"
    link.symlink_to(target)
    save(graph, link)
    assert link.is_symlink() and (target.stat().st_mode & 0o777) == 0o640
    assert load(link).number_of_nodes() == graph.number_of_nodes()
