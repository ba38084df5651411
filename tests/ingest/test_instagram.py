"""Instagram "download your information" follower lists.

tests/fixtures/formats/instagram_follows.json is a followers_1.json (a top-level array, pretty
printed as Instagram writes it):
  1. "Alice" in ``value`` (older layout), mixed case.   2. "bob" in ``value``.
  3. "carol.c" in the entry's ``title`` (newer layout), no ``value``.
  4. neither: the username only in the ``href`` (".../_u/dave_d").
  5. " ALICE " again, padded and upper case, later: the same follow as 1.
"""

from __future__ import annotations

import json
import zipfile
from datetime import datetime

from flockwatch.ingest.runner import ingest_paths
from tests.conftest import format_fixture

FOLLOWERS = format_fixture("instagram_follows")


def _counts(store):
    return {t: store.count(t) for t in ("follows", "accounts", "rejected_rows")}


def _follows(store):
    return store.con.execute(
        "SELECT follower_id, followee_id, observed_at FROM follows ORDER BY 1, 2"
    ).fetchall()


def test_followers_fixture(store):
    [result] = ingest_paths(store, [FOLLOWERS])
    assert (result.format, result.rows_read, result.rows_stored, result.rows_rejected) == (
        "instagram_follows",
        5,
        4,
        0,
    )
    assert _follows(store) == [
        ("alice", "self", datetime(2021, 1, 1)),  # the earliest of the two entries
        ("bob", "self", datetime(2022, 1, 1)),
        ("carol.c", "self", datetime(2023, 1, 1)),
        ("dave_d", "self", datetime(2024, 1, 1)),
    ]
    assert store.con.execute("SELECT DISTINCT platform FROM follows").fetchall() == [("instagram",)]
    owner = store.con.execute("SELECT extra FROM accounts WHERE account_id = 'self'").fetchone()
    assert json.loads(owner[0]) == {"export_owner": True}
    notes = json.loads(store.con.execute("SELECT assumptions FROM ingests").fetchone()[0])
    assert "'self' stands for the account that downloaded" in notes["owner"]
    assert notes["relation"] == "followers: each entry follows the owner"


def test_following_layout_and_owner_from_the_archive_name(store, tmp_path):
    following = {
        "relationships_following": [
            {"title": "Alice", "string_list_data": [{"href": "https://www.instagram.com/alice", "timestamp": 1609459200}]},
            {"title": "new.one", "string_list_data": [{"href": "https://www.instagram.com/new.one", "timestamp": 1704067200}]},
        ]
    }  # fmt: skip
    archive = tmp_path / "instagram-ivy.inv-2025-01-15-AbCdEf.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(FOLLOWERS, "connections/followers_and_following/followers_1.json")
        zf.writestr(
            "connections/followers_and_following/following.json", json.dumps(following, indent=2)
        )
    results = ingest_paths(store, [archive])
    assert [(r.format, r.rows_stored) for r in results] == [
        ("instagram_follows", 4),
        ("instagram_follows", 2),
    ]
    assert ("ivy.inv", "alice", datetime(2021, 1, 1)) in _follows(store)
    assert ("alice", "ivy.inv", datetime(2021, 1, 1)) in _follows(store)  # mutual
    notes = json.loads(store.con.execute("SELECT assumptions FROM ingests").fetchone()[0])
    assert notes["owner"] == "'ivy.inv', from the export's folder or archive name"


def test_bad_entries_are_rejected_at_their_line(store, tmp_path):
    entries = json.loads(FOLLOWERS.read_text("utf-8"))
    entries[1]["string_list_data"][0]["timestamp"] = "yesterday"
    entries[2]["title"] = "not a username!"
    entries.append({"title": "", "string_list_data": []})
    path = tmp_path / "followers_1.json"
    text = json.dumps(entries, indent=2)
    path.write_text(text, "utf-8")
    [result] = ingest_paths(store, [path])
    assert (result.rows_read, result.rows_stored, result.rows_rejected) == (6, 2, 3)
    starts = [i + 1 for i, line in enumerate(text.splitlines()) if line == "  {"]
    reasons = dict(store.con.execute("SELECT line, reason FROM rejected_rows").fetchall())
    assert reasons == {
        starts[1]: "field string_list_data.timestamp: value 'yesterday' is not seconds since 1970",
        starts[2]: "field title: value 'not a username!' is not an Instagram username",
        starts[5]: "field string_list_data.value: required value is missing (no username)",
    }


def test_reingest_is_idempotent(store):
    ingest_paths(store, [FOLLOWERS])
    before = _counts(store)
    [again] = ingest_paths(store, [FOLLOWERS], force=True)
    assert again.rows_stored == 0 and sum(again.tables.values()) == 0
    assert _counts(store) == before


def test_real_followers_and_following(store, shared_data):
    folder = shared_data / "formats" / "instagram_dyi"
    results = ingest_paths(store, [folder / "followers_1.json", folder / "following.json"])
    assert [(r.format, r.rows_read, r.rows_stored, r.rows_rejected) for r in results] == [
        ("instagram_follows", 4, 3, 0),
        ("instagram_follows", 4, 4, 0),
    ]
    assert _follows(store) == [
        ("alice", "self", datetime(2021, 1, 1)),  # "Alice" and " ALICE " are one account
        ("bob", "self", datetime(2022, 1, 1)),
        ("fan.only", "self", datetime(2023, 1, 1)),
        ("self", "alice", datetime(2021, 1, 1)),
        ("self", "bob", datetime(2022, 1, 1)),
        ("self", "old.friend", datetime(2017, 7, 14, 2, 40)),
        ("self", "one.way", datetime(2024, 1, 1)),
    ]
    assert store.count("accounts") == 6
    again = ingest_paths(
        store, [folder / "followers_1.json", folder / "following.json"], force=True
    )
    assert [r.rows_stored for r in again] == [0, 0]
