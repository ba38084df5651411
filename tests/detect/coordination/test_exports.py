"""Edges reach the store through the runner (side table ``coordination_edges``, with the run
id), and the exports read them: clusters, edges, accounts, and the graph for Gephi."""

from __future__ import annotations

import csv
import json

import networkx as nx
import pytest

from flockwatch.detect.coordination import EDGES_TABLE, CoordinationDetector
from flockwatch.detect.runner import run_one
from flockwatch.errors import ParameterError
from flockwatch.export import coordination as export_coordination
from flockwatch.export.graph import write_graph
from flockwatch.export.tables import write

from .test_detector import AMPS, fans_and_operation

CLUSTER_COLUMNS = [
    "cluster_id",
    "size",
    "n_core",
    "n_amplifier",
    "inauthenticity_score",
    "explanation",
    "top_hashtags",
    "top_mentions",
    "top_domains",
    "first_seen",
    "last_seen",
]
EDGE_COLUMNS = [
    "account_a",
    "account_b",
    "network",
    "weight",
    "n_actions",
    "first_at",
    "last_at",
    "evidence",
]


@pytest.fixture(scope="module")
def ran():
    store = fans_and_operation()
    first = run_one(store, CoordinationDetector(seed=0))
    second = run_one(store, CoordinationDetector(seed=0))
    return store, first, second


def _csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_runner_appends_edges_with_the_run_id(ran):
    store, first, second = ran
    rows = store.con.execute(
        f"SELECT run_id, count(*) FROM {EDGES_TABLE} GROUP BY run_id ORDER BY run_id"
    ).fetchall()
    assert [r[0] for r in rows] == [first.run_id, second.run_id] and rows[0][1] == rows[1][1] > 0
    message = store.con.execute(
        "SELECT message FROM detector_runs WHERE run_id = ?", [first.run_id]
    ).fetchall()[0][0]
    assert {c["network"] for c in json.loads(message)["cutoffs"]} >= {"co_repost", "sync"}
    assert export_coordination.EDGES_TABLE == EDGES_TABLE


def test_export_clusters(ran, tmp_path):
    store, _, _ = ran
    n = write(store, "clusters", tmp_path / "c.csv")
    rows = _csv(tmp_path / "c.csv")
    assert n == len(rows) == 2
    assert list(rows[0]) == CLUSTER_COLUMNS
    top = rows[0]
    assert float(top["inauthenticity_score"]) >= 0.5 and top["top_hashtags"] == "damyes"
    assert int(top["n_core"]) + int(top["n_amplifier"]) == int(top["size"])
    assert top["first_seen"] <= top["last_seen"]


def test_export_edges_latest_run_only(ran, tmp_path):
    store, first, _ = ran
    n = write(store, "edges", tmp_path / "e.csv")
    rows = _csv(tmp_path / "e.csv")
    assert list(rows[0]) == EDGE_COLUMNS
    per_run = store.con.execute(
        f"SELECT count(*) FROM {EDGES_TABLE} WHERE run_id = ?", [first.run_id]
    ).fetchall()[0][0]
    assert n == per_run
    for r in rows:
        assert r["account_a"] < r["account_b"]
        assert all(len(pair) == 2 for pair in json.loads(r["evidence"]))


def test_export_edges_before_any_run(tmp_path):
    from flockwatch.store.db import Store

    n = write(Store(":memory:"), "edges", tmp_path / "e.csv")
    assert n == 0


def test_export_accounts_has_cluster_and_role(ran, tmp_path):
    store, _, _ = ran
    write(store, "accounts", tmp_path / "a.csv")
    rows = {r["account_id"]: r for r in _csv(tmp_path / "a.csv")}
    assert rows["amp0"]["coordination_role"] == "amplifier"
    assert rows["core1"]["coordination_role"] == "core"
    assert rows["amp0"]["cluster_id"] == rows["core1"]["cluster_id"] != ""
    assert rows["star"]["cluster_id"] == "" and rows["star"]["coordination_role"] == ""


@pytest.mark.parametrize("suffix", [".gexf", ".graphml"])
def test_graph_loads_back_with_networkx(ran, tmp_path, suffix):
    store, _, _ = ran
    out = tmp_path / f"g{suffix}"
    nodes, edges = write_graph(store, out)
    graph = nx.read_gexf(out) if suffix == ".gexf" else nx.read_graphml(out)
    assert graph.number_of_nodes() == nodes and graph.number_of_edges() == edges > 0
    amp = graph.nodes[AMPS[0]]
    assert amp["role"] == "amplifier" and amp["cluster"].startswith("twitter:c")
    assert float(amp["inauthenticity"]) >= 0.5 and amp["screen_name"] == AMPS[0]
    assert graph.nodes["core1"]["role"] == "core"
    some = next(iter(graph.edges(data=True)))[2]
    assert float(some["weight"]) > 0 and some["networks"]


def test_graph_refuses_other_formats(ran, tmp_path):
    with pytest.raises(ParameterError, match="gexf"):
        write_graph(ran[0], tmp_path / "g.csv")
