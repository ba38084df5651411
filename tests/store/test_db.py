from __future__ import annotations

import duckdb
import pytest

from flockwatch.errors import StoreError, StoreVersionError
from flockwatch.store.db import CANONICAL_TABLES, SCHEMA_VERSION, Store, resolve_db_path

CONTRACT = {
    "accounts": "platform account_id screen_name display_name description location url lang "
    "created_at verified protected default_profile_image profile_image_url followers_count "
    "following_count posts_count likes_count listed_count first_seen_at last_seen_at extra",
    "account_snapshots": "platform account_id observed_at followers_count following_count "
    "posts_count likes_count screen_name display_name description",
    "posts": "platform post_id account_id created_at kind text lang client target_post_id "
    "target_account_id hashtags mentions urls media like_count repost_count reply_count "
    "quote_count extra",
    "follows": "platform follower_id followee_id observed_at",
    "reports": "platform report_id reporter_id target_account_id target_post_id reason comment "
    "created_at client",
    "groups": "platform group_id kind name",
    "memberships": "platform group_id account_id role",
    "ingests": "ingest_id path sha256 format started_at finished_at rows_read rows_stored "
    "rows_rejected",
    "rejected_rows": "ingest_id path line reason raw",
}


@pytest.mark.parametrize("table", sorted(CONTRACT))
def test_contract_columns_exist(store, table):
    cols = set(store.columns(table))
    missing = set(CONTRACT[table].split()) - cols
    assert not missing, f"{table} lacks contract columns {missing}"


def test_every_canonical_table_records_its_ingest(store):
    for table in CANONICAL_TABLES:
        assert "ingest_id" in store.columns(table)


def test_times_are_timestamps_and_ids_strings(store):
    types = dict(
        store.con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = 'posts'"
        ).fetchall()
    )
    assert types["created_at"] == "TIMESTAMP"
    assert types["post_id"] == types["account_id"] == "VARCHAR"
    assert types["hashtags"] == "VARCHAR[]"


def test_schema_version_recorded_and_checked(tmp_path):
    path = tmp_path / "s.duckdb"
    Store(path).close()
    con = duckdb.connect(str(path))
    assert con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == (
        SCHEMA_VERSION
    )
    con.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(StoreVersionError) as info:
        Store(path)
    assert "999" in str(info.value) and SCHEMA_VERSION in str(info.value)


def test_foreign_duckdb_file_is_refused(tmp_path):
    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE x (a INT)")
    con.close()
    with pytest.raises(StoreError, match="not a flockwatch store"):
        Store(path)


def test_read_only_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        Store(tmp_path / "nope.duckdb", read_only=True)


def test_db_path_resolution(monkeypatch, tmp_path):
    monkeypatch.delenv("FLOCKWATCH_DB", raising=False)
    assert str(resolve_db_path(None)) == "flockwatch.duckdb"
    monkeypatch.setenv("FLOCKWATCH_DB", str(tmp_path / "env.duckdb"))
    assert resolve_db_path(None) == tmp_path / "env.duckdb"
    assert str(resolve_db_path("x.duckdb")) == "x.duckdb"
