"""`flockwatch export accounts` on stores loaded from the real samples (issue 3 §4)."""

from __future__ import annotations

import csv

from flockwatch.cli import main

COLUMNS = {
    "platform",
    "account_id",
    "screen_name",
    "bot_score",
    "bot_explanation",
    "activity_flags",
}


def _export(tmp_path, paths, name):
    db = str(tmp_path / f"{name}.duckdb")
    assert main(["ingest", "--db", db, *map(str, paths)]) == 0
    assert main(["detect", "bot_score", "activity", "--db", db]) == 0
    out = tmp_path / f"{name}.csv"
    assert main(["export", "accounts", "--db", db, "--out", str(out)]) == 0
    with out.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_accounts_export_from_takedown_sample(tmp_path, shared_data):
    rows = _export(tmp_path, [shared_data / "formats" / "twitter_io_archive"], "io")
    assert len(rows) == 37
    assert set(rows[0]) >= COLUMNS
    scored = [r for r in rows if r["bot_score"]]
    assert len(scored) == 37
    assert all(0 <= float(r["bot_score"]) <= 1 and r["bot_explanation"] for r in scored)


def test_accounts_export_from_v1_user_csvs(tmp_path, shared_data):
    folder = shared_data / "training" / "cresci-2015-subset"
    rows = _export(tmp_path, sorted(folder.glob("*.csv")), "cresci")
    assert len(rows) == 1481 + 1337
    assert set(rows[0]) >= COLUMNS
    assert all(r["bot_score"] for r in rows)


def test_accounts_export_formats(tmp_path):
    from tests.conftest import format_fixture

    db = str(tmp_path / "s.duckdb")
    assert main(["ingest", "--db", db, str(format_fixture("twitter_io_tweets"))]) == 0
    for ext in ("csv", "parquet", "json", "jsonl"):
        out = tmp_path / f"accounts.{ext}"
        assert main(["export", "accounts", "--db", db, "--out", str(out)]) == 0
        assert out.stat().st_size > 0
    import json

    data = json.loads((tmp_path / "accounts.json").read_text("utf-8"))
    assert len(data) == 3 and {"platform", "account_id"} <= set(data[0])
    assert main(["export", "accounts", "--db", db, "--out", str(tmp_path / "a.xlsx")]) == 1
