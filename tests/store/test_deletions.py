"""Deletions, stubs and relations in the merge, and stores created before these columns existed."""

from __future__ import annotations

from datetime import datetime

import duckdb

from flockwatch.ingest.base import IngestOptions, Stage
from flockwatch.ingest.sources import Source
from flockwatch.store.db import Store

T1, T2, T3 = datetime(2024, 1, 1), datetime(2024, 1, 2), datetime(2024, 1, 3)


def _merge(store: Store, rows: list[tuple[str, dict]], ingest_id: int = 1) -> dict[str, int]:
    store.create_staging()
    stage = Stage(store, Source("x", None), ingest_id, IngestOptions())  # type: ignore[arg-type]
    for table, row in rows:
        stage.add(table, dict(row))
    stage.flush()
    try:
        return store.merge_staging()
    finally:
        store.drop_staging()


def _post(post_id: str, **kw) -> tuple[str, dict]:
    return ("posts", {"platform": "p", "post_id": post_id, "account_id": "a", **kw})


def _deletion(record_id: str, at: datetime) -> tuple[str, dict]:
    return ("deletions", {"platform": "p", "record_id": record_id, "deleted_at": at})


def test_deletion_marks_a_stored_post_and_keeps_it(store):
    _merge(store, [_post("1", text="hello", created_at=T1)])
    added = _merge(store, [_deletion("1", T2)])
    assert added["posts"] == 0 and added["deletions"] == 1
    assert store.con.execute("SELECT text, deleted_at FROM posts").fetchall() == [("hello", T2)]
    _merge(store, [_deletion("1", T3)])  # a second deletion does not move the first
    assert store.con.execute("SELECT deleted_at FROM posts").fetchall() == [(T2,)]


def test_deletion_before_the_post_marks_it_when_it_comes(store):
    _merge(store, [_deletion("1", T2)])
    _merge(store, [_post("1", text="hello", created_at=T1)])
    assert store.con.execute("SELECT text, deleted_at FROM posts").fetchall() == [("hello", T2)]


def test_stub_is_filled_by_the_post_and_a_stub_never_replaces_content(store):
    stub = _post("1", deleted_at=T2, extra={"stub": "deleted before its content was seen"})
    _merge(store, [stub])
    _merge(store, [_post("1", text="hello", created_at=T1, kind="post")])
    row = store.con.execute(
        "SELECT text, kind, created_at, deleted_at, extra FROM posts"
    ).fetchone()
    assert row == ("hello", "post", T1, T2, None)
    _merge(store, [stub])  # the stub again: the content stays
    assert store.con.execute("SELECT text FROM posts").fetchone() == ("hello",)
    # Both in one file, stub first: the full row wins.
    _merge(store, [_post("2", deleted_at=T2, extra={"stub": "x"}), _post("2", text="hi")])
    assert store.con.execute("SELECT text FROM posts WHERE post_id = '2'").fetchone() == ("hi",)


def test_follows_keep_earliest_time_and_latest_record(store):
    follow = {"platform": "p", "follower_id": "a", "followee_id": "b"}
    _merge(store, [("follows", {**follow, "observed_at": T2, "record_id": "f1"})])
    _merge(store, [("follows", {**follow, "observed_at": T1})])
    assert store.con.execute("SELECT observed_at, record_id FROM follows").fetchall() == [
        (T1, "f1")
    ]
    _merge(store, [_deletion("f1", T2)])
    assert store.con.execute("SELECT deleted_at FROM follows").fetchall() == [(T2,)]
    _merge(store, [("follows", {**follow, "observed_at": T3, "record_id": "f2"})])
    assert store.con.execute(
        "SELECT observed_at, record_id, deleted_at FROM follows"
    ).fetchall() == [(T1, "f2", None)]


def test_store_created_before_the_new_columns_gains_them(tmp_path):
    path = tmp_path / "old.duckdb"
    Store(path).close()
    con = duckdb.connect(str(path))
    con.execute("ALTER TABLE posts DROP COLUMN deleted_at")
    con.execute("ALTER TABLE follows DROP COLUMN record_id")
    con.execute("ALTER TABLE follows DROP COLUMN deleted_at")
    con.execute("ALTER TABLE account_snapshots DROP COLUMN status")
    for table in ("likes", "blocks", "deletions", "post_snapshots"):
        con.execute(f"DROP TABLE {table}")
    con.close()
    with Store(path, read_only=True) as store:  # read-only: nothing changes
        assert "deleted_at" not in store.columns("posts")
    with Store(path) as store:
        assert "deleted_at" in store.columns("posts")
        assert {"record_id", "deleted_at"} <= set(store.columns("follows"))
        assert "status" in store.columns("account_snapshots")
        assert store.count("likes") == store.count("deletions") == 0
