"""``flockwatch export takedown``: accounts to act on, with reasons and evidence (issue 5 §2)."""

from __future__ import annotations

import csv

import pytest

from flockwatch.cli import main
from flockwatch.errors import ParameterError
from flockwatch.export.tables import write
from flockwatch.store.db import Store
from tests.report.conftest import build_world


@pytest.fixture
def world_db(tmp_path):
    path = tmp_path / "w.duckdb"
    with Store(path) as store:
        build_world(store)
    return path


def _rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_takedown_lists_flagged_accounts_with_reasons_and_evidence(world_db, tmp_path):
    out = tmp_path / "takedown.csv"
    assert main(["export", "takedown", "--db", str(world_db), "--out", str(out)]) == 0
    rows = _rows(out)
    assert list(rows[0]) == [
        "platform",
        "account_id",
        "screen_name",
        "score",
        "detectors",
        "reasons",
        "finding_ids",
        "evidence_post_ids",
    ]
    by_id = {r["account_id"]: r for r in rows}
    # The fan (scores 0.1) and the ordinary account are not listed; cohort membership alone
    # (a3 is in the creation burst) does not list an account, but a3's cluster finding does.
    assert set(by_id) == {"a1", "a2", "a3", "a4"}
    a2 = by_id["a2"]
    assert a2["platform"] == "twitter" and a2["screen_name"] == "amp_two"
    assert a2["detectors"] == "bot_score, brigade_test, coordination"
    assert a2["reasons"].split(" | ") == [
        "coordination: amplifier of cluster c1.",
        "bot_score: Bot score 0.85.",
        "brigade_test: Filed 12 reports against f1 within an hour.",
    ]
    assert len(a2["finding_ids"].split(";")) == 3
    assert all(f.endswith("/a2") and "/account/" in f for f in a2["finding_ids"].split(";"))
    assert a2["evidence_post_ids"].split(";") == ["p0", "r1a2"]
    assert float(a2["score"]) == pytest.approx(0.9)
    assert [r["account_id"] for r in rows][0] in {"a1", "a2", "a3", "a4"}
    assert [float(r["score"]) for r in rows] == sorted(
        (float(r["score"]) for r in rows), reverse=True
    )


def test_min_score_raises_the_bar(world_db, tmp_path):
    out = tmp_path / "t.csv"
    assert (
        main(
            ["export", "takedown", "--db", str(world_db), "--out", str(out), "--min-score", "0.88"]
        )
        == 0
    )
    assert {r["account_id"] for r in _rows(out)} == {"a1", "a2", "a3", "a4"}  # via coordination 0.9
    assert (
        main(
            ["export", "takedown", "--db", str(world_db), "--out", str(out), "--min-score", "0.95"]
        )
        == 0
    )
    assert _rows(out) == []
    assert (
        main(
            ["export", "takedown", "--db", str(world_db), "--out", str(out), "--min-score", "0.05"]
        )
        == 0
    )
    assert "f1" in {r["account_id"] for r in _rows(out)}


def test_min_score_is_checked(world_db, tmp_path):
    out = tmp_path / "t.csv"
    assert (
        main(["export", "takedown", "--db", str(world_db), "--out", str(out), "--min-score", "1.5"])
        == 1
    )
    assert (
        main(["export", "posts", "--db", str(world_db), "--out", str(out), "--min-score", "0.5"])
        == 1
    )
    with Store(world_db, read_only=True) as store, pytest.raises(ParameterError, match="min-score"):
        write(store, "takedown", out, min_score=-1)


def test_takedown_as_json_and_parquet(world_db, tmp_path):
    with Store(world_db, read_only=True) as store:
        assert write(store, "takedown", tmp_path / "t.json") == 4
        assert write(store, "takedown", tmp_path / "t.parquet") == 4


def test_on_the_simulated_world_the_operation_and_spam_are_listed_and_no_fan(tmp_path):
    """Issue 5, done-when: the takedown export lists the simulator's operation and spam
    accounts and none of its fans (all real detectors, default parameters and min score)."""
    from flockwatch.detect.runner import run_detectors
    from flockwatch.ingest.runner import ingest_paths
    from flockwatch.simulate import simulate

    summary = simulate(tmp_path / "data", seed=7, accounts=600, days=14)
    with Store(tmp_path / "s.duckdb") as store:
        ingest_paths(store, [tmp_path / "data"])
        run_detectors(store, seed=7)
        write(store, "takedown", tmp_path / "takedown.csv")
    listed = {r["account_id"] for r in _rows(tmp_path / "takedown.csv")}
    with open(summary.files["truth"], newline="", encoding="utf-8") as fh:
        truth = {r["account_id"]: r["label"] for r in csv.DictReader(fh)}
    by_label: dict[str, set[str]] = {}
    for account, label in truth.items():
        by_label.setdefault(label, set()).add(account)
    for label in ("io_core", "io_amplifier", "spam_bot"):
        assert by_label[label] <= listed, f"{len(by_label[label] - listed)} {label} missing"
    assert not by_label["fan"] & listed
    assert not by_label["celebrity"] & listed
    organic = by_label["organic"] & listed
    assert len(organic) <= 0.01 * len(by_label["organic"])
