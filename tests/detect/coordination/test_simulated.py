"""On the simulator's world: the operation's accounts land in clusters with high
inauthenticity, the fans' clusters score low, and roles match the planted ones.

Figures on seed 7, 600 accounts (``python -m`` the benchmark scripts for larger worlds): the
operation (6 core + 48 amplifier accounts) is one cluster scoring about 0.8; precision and recall
of "in a cluster scoring >= 0.5" for operation accounts are 1.0; the three fan clusters score
below 0.1; role accuracy is 1.0.
"""

from __future__ import annotations

import csv

import pytest

from flockwatch.detect.coordination import CoordinationDetector
from flockwatch.ingest.runner import ingest_paths
from flockwatch.simulate import simulate
from flockwatch.store.db import Store

OPERATION = {"io_core", "io_amplifier"}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    out = tmp_path_factory.mktemp("world")
    simulate(out, seed=7, accounts=600, days=30)
    with open(out / "truth.csv", newline="", encoding="utf-8") as f:
        truth = {r["account_id"]: r["label"] for r in csv.DictReader(f)}
    store = Store(":memory:")
    # truth.csv and manifest.json are the answer key, not data
    ingest_paths(
        store, [p for p in sorted(out.iterdir()) if p.name not in ("truth.csv", "manifest.json")]
    )
    findings = CoordinationDetector(seed=0).run(store).findings
    yield truth, findings
    store.close()


def _clusters(findings):
    return {f.subject_id: f for f in findings if f.subject_kind == "cluster"}


def test_operation_found_with_high_inauthenticity(world):
    truth, findings = world
    clusters = _clusters(findings)
    flagged = {
        m["account_id"] for c in clusters.values() if c.score >= 0.5 for m in c.details["members"]
    }
    operation = {a for a, label in truth.items() if label in OPERATION}
    hit = flagged & operation
    precision, recall = len(hit) / max(len(flagged), 1), len(hit) / len(operation)
    assert precision >= 0.9 and recall >= 0.9, (precision, recall)


def test_fans_are_coordinated_but_score_low(world):
    truth, findings = world
    fans = {a for a, label in truth.items() if label == "fan"}
    fan_clusters = [
        c
        for c in _clusters(findings).values()
        if {m["account_id"] for m in c.details["members"]} & fans
    ]
    assert fan_clusters, "the fans co-repost within seconds: they form clusters"
    assert all(c.score < 0.3 and c.label == "coordinated" for c in fan_clusters)


def test_roles_match_the_planted_ones(world):
    truth, findings = world
    roles = {
        f.subject_id: f.label
        for f in findings
        if f.subject_kind == "account" and truth.get(f.subject_id) in OPERATION
    }
    right = sum((truth[a] == "io_core") == (r == "core") for a, r in roles.items())
    assert right / len(roles) >= 0.9
