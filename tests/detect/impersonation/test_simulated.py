"""On the simulator's world: the impersonators are flagged against the celebrity they copy.

Figures on seed 7 (this test: 1,000 accounts, 14 days; the default world, 2,000 accounts and
30 days, gives the same): precision and recall of "flagged (score >= 0.5)" for the accounts
labelled ``impersonator`` are 1.0, and each is matched to the celebrity of its group.
"""

from __future__ import annotations

import csv

import pytest

from flockwatch.detect.runner import run_detectors
from flockwatch.ingest.runner import ingest_paths
from flockwatch.simulate import simulate
from flockwatch.store.db import Store


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    out = tmp_path_factory.mktemp("world")
    simulate(out, seed=7, accounts=1000, days=14)
    with open(out / "truth.csv", newline="", encoding="utf-8") as f:
        truth = {r["account_id"]: (r["label"], r["group"]) for r in csv.DictReader(f)}
    store = Store(":memory:")
    # truth.csv and manifest.json are the answer key, not data
    ingest_paths(
        store, [p for p in sorted(out.iterdir()) if p.name not in ("truth.csv", "manifest.json")]
    )
    run_detectors(store, ["impersonation", "mass_reporting"])
    yield store, truth
    store.close()


def test_impersonators_found_with_precision_and_recall(world):
    store, truth = world
    rows = store.con.execute(
        "SELECT subject_id, score, json_extract_string(details, '$.impersonated_account_id') "
        "FROM latest_findings WHERE detector = 'impersonation'"
    ).fetchall()
    flagged = {a for a, score, _ in rows if score >= 0.5}
    planted = {a for a, (label, _) in truth.items() if label == "impersonator"}
    hit = flagged & planted
    precision, recall = len(hit) / max(len(flagged), 1), len(hit) / len(planted)
    assert precision >= 0.9 and recall >= 0.9, (precision, recall)
    for account_id, _, original in rows:
        if account_id in hit:
            assert truth[account_id][1] == f"celebrity_{original}"


def test_celebrities_and_fans_are_not_flagged(world):
    store, truth = world
    flagged = store.con.execute(
        "SELECT subject_id FROM latest_findings WHERE detector = 'impersonation' AND score >= 0.5"
    ).fetchall()
    assert not {truth[a][0] for (a,) in flagged} & {"celebrity", "fan", "organic"}
