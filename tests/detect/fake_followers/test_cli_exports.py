"""``flockwatch export audits|pools`` (columns are a contract) and ``flockwatch audit``."""

from __future__ import annotations

import csv

import pytest

from flockwatch.cli import main
from flockwatch.detect.fake_followers.examples import CUSTOMER, CUSTOMER_2, build_positive
from flockwatch.detect.runner import run_detectors
from flockwatch.store.db import Store

AUDIT_COLUMNS = [
    "platform",
    "account_id",
    "followers_seen",
    "fake_share",
    "ci_low",
    "ci_high",
    "bursts",
    "pool_ids",
    "explanation",
]
POOL_COLUMNS = ["pool_id", "size", "n_customers", "customers", "sample_members", "explanation"]


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        build_positive(store)
        run_detectors(store, ["fake_followers"])
    return path


def _rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_export_audits(db, tmp_path):
    out = tmp_path / "audits.csv"
    assert main(["export", "audits", "--db", str(db), "--out", str(out)]) == 0
    rows = _rows(out)
    assert list(rows[0]) == AUDIT_COLUMNS
    by_id = {r["account_id"]: r for r in rows}
    assert set(by_id) == {CUSTOMER, CUSTOMER_2}
    r = by_id[CUSTOMER]
    assert (r["platform"], r["followers_seen"], r["fake_share"]) == ("twitter", "90", "0.6667")
    assert (r["ci_low"], r["ci_high"], r["pool_ids"]) == ("0.5642", "0.7555", "pool-1")
    assert r["bursts"].startswith("+997 followers on 2026-03-05 (one step); 60 follows within 3 h")
    assert r["explanation"].startswith("~67% of 90 known followers look fake")


def test_export_pools(db, tmp_path):
    out = tmp_path / "pools.csv"
    assert main(["export", "pools", "--db", str(db), "--out", str(out)]) == 0
    rows = _rows(out)
    assert list(rows[0]) == POOL_COLUMNS
    assert len(rows) == 1
    r = rows[0]
    assert (r["pool_id"], r["size"], r["n_customers"]) == ("pool-1", "60", "2")
    assert r["customers"].split(", ") == [CUSTOMER, CUSTOMER_2]
    assert r["sample_members"].split(", ")[:2] == ["9000000000", "9000000001"]


def test_exports_of_a_store_without_the_detector_are_empty(tmp_path):
    path = tmp_path / "e.duckdb"
    Store(path).close()
    for name, cols in (("audits", AUDIT_COLUMNS), ("pools", POOL_COLUMNS)):
        out = tmp_path / f"{name}.csv"
        assert main(["export", name, "--db", str(path), "--out", str(out)]) == 0
        assert out.read_text().splitlines() == [",".join(cols)]


def test_audit_prints_the_stored_audit(db, capsys):
    assert main(["audit", "@glowwithmia", "--db", str(db)]) == 0
    text = capsys.readouterr().out
    assert f"Follower audit of @glowwithmia (twitter {CUSTOMER})" in text
    assert "Stored finding of run r00001-fake_followers" in text
    assert "67% (95% CI 56%–76%)" in text and "pool-1" in text


def test_audit_runs_the_audit_when_none_is_stored(tmp_path, capsys):
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        build_positive(store)
    assert main(["audit", CUSTOMER, "--platform", "twitter", "--db", str(path)]) == 0
    text = capsys.readouterr().out
    assert "Computed now" in text
    assert "~67% of 90 known followers look fake" in " ".join(text.split())
    with Store(path, read_only=True) as store:  # nothing was written
        assert store.count("findings") == 0


def test_audit_of_an_unknown_or_ambiguous_account(db, tmp_path, capsys):
    assert main(["audit", "@nobody", "--db", str(db)]) == 1
    assert "no account '@nobody'" in capsys.readouterr().err
    with Store(db) as store:
        store.con.execute(
            "INSERT INTO accounts (platform, account_id, screen_name) "
            "VALUES ('mastodon', 'm1', 'glowwithmia')"
        )
    assert main(["audit", "@glowwithmia", "--db", str(db)]) == 1
    assert "--platform" in capsys.readouterr().err
    assert main(["audit", "@glowwithmia", "--platform", "mastodon", "--db", str(db)]) == 0
    assert "no known followers" in capsys.readouterr().out
