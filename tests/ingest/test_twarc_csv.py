"""twarc-csv's flattened CSV (format ``twarc_csv``).

The fixture (tests/fixtures/formats/twarc_csv.csv) has twarc-csv's 84 default tweet columns:

1. 6001 by ivy, fetched 10:00: hashtags / mentions (with id) / urls as JSON arrays of objects.
2. 6002 by jay: a retweet of 6001 as twarc-csv writes it (the original's text, entities, metrics).
3. 6003 by kim: a reply to 6001 whose text has a line break written as ``\\n``, and a cashtag.
4. 6004 by ivy a day later, fetched later with more followers: a quote of 6003.
5. 6005 by jay: a geotagged post with a photo (attachments.media objects and media keys).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

from flockwatch.ingest.runner import ingest_paths
from tests.conftest import format_fixture

FIXTURE = format_fixture("twarc_csv")


def _row(store, table, where):
    cols = store.columns(table)
    row = store.con.execute(f"SELECT * FROM {table} WHERE {where}").fetchone()
    assert row is not None, (table, where)
    return dict(zip(cols, row, strict=True))


def _counts(store):
    return {t: store.count(t) for t in ("posts", "accounts", "account_snapshots", "rejected_rows")}


def _rows() -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(FIXTURE.read_text("utf-8"), newline=""))
    return list(reader.fieldnames or []), list(reader)


def _write(path, header, rows):
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return path


def test_fixture_counts(store):
    [result] = ingest_paths(store, [FIXTURE])
    assert (result.format, result.rows_read, result.rows_stored, result.rows_rejected) == (
        "twarc_csv",
        5,
        5,
        0,
    )
    assert _counts(store) == {
        "posts": 5,
        "accounts": 3,
        "account_snapshots": 5,
        "rejected_rows": 0,
    }
    kinds = dict(store.con.execute("SELECT post_id, kind FROM posts").fetchall())
    assert kinds == {
        "6001": "post",
        "6002": "repost",
        "6003": "reply",
        "6004": "quote",
        "6005": "post",
    }


def test_post_fields(store):
    ingest_paths(store, [FIXTURE])
    first = _row(store, "posts", "post_id = '6001'")
    assert (first["account_id"], first["created_at"]) == ("8001", datetime(2023, 3, 1, 9, 0))
    assert first["hashtags"] == ["Vote", "Lagos"]
    assert first["mentions"] == ["8003"]
    assert first["urls"] == ["https://rally.example/noon"]
    assert (first["like_count"], first["repost_count"], first["client"]) == (
        12,
        1,
        "Twitter Web App",
    )
    assert json.loads(first["extra"])["impression_count"] == 900

    retweet = _row(store, "posts", "post_id = '6002'")
    assert (retweet["target_post_id"], retweet["target_account_id"]) == ("6001", "8001")
    assert retweet["like_count"] is None  # twarc-csv copied the original's metrics
    assert json.loads(retweet["extra"])["retweeted_username"] == "ivy_one"

    reply = _row(store, "posts", "post_id = '6003'")
    assert reply["text"] == "@ivy_one see you there\nbring water $H2O"
    assert (reply["target_post_id"], reply["target_account_id"]) == ("6001", "8001")
    assert json.loads(reply["extra"])["cashtags"] == ["H2O"]

    quote = _row(store, "posts", "post_id = '6004'")
    assert (quote["target_post_id"], quote["target_account_id"]) == ("6003", "8003")

    photo = _row(store, "posts", "post_id = '6005'")
    assert photo["media"] == ["https://pbs.twimg.com/media/crowd.jpg"]
    geo = json.loads(photo["extra"])["geo"]
    assert geo == {
        "place_id": "05ca2c1ed1b8c2a3",
        "full_name": "Lagos, Nigeria",
        "country_code": "NG",
        "place_type": "city",
    }


def test_authors_and_snapshots(store):
    ingest_paths(store, [FIXTURE])
    ivy = _row(store, "accounts", "account_id = '8001'")
    assert (ivy["screen_name"], ivy["display_name"], ivy["location"]) == (
        "ivy_one",
        "Ivy One",
        "Lagos",
    )
    assert ivy["description"] == "Organizer.\nViews my own"
    assert (ivy["followers_count"], ivy["posts_count"], ivy["listed_count"]) == (180, 1500, 3)
    assert (ivy["first_seen_at"], ivy["last_seen_at"]) == (
        datetime(2023, 3, 1, 10, 0),
        datetime(2023, 3, 2, 9, 0),
    )
    assert ivy["created_at"] == datetime(2019, 4, 1)
    jay = _row(store, "accounts", "account_id = '8002'")
    assert jay["default_profile_image"] is True
    assert _row(store, "accounts", "account_id = '8003'")["verified"] is True
    snaps = store.con.execute(
        "SELECT account_id, observed_at, followers_count FROM account_snapshots "
        "ORDER BY account_id, observed_at"
    ).fetchall()
    assert snaps == [
        ("8001", datetime(2023, 3, 1, 10, 0), 150),
        ("8001", datetime(2023, 3, 2, 9, 0), 180),
        ("8002", datetime(2023, 3, 1, 10, 0), 0),
        ("8002", datetime(2023, 3, 2, 13, 0), 0),
        ("8003", datetime(2023, 3, 1, 10, 0), 4100),
    ]


def test_reingest_is_idempotent(store):
    ingest_paths(store, [FIXTURE])
    before = _counts(store)
    [again] = ingest_paths(store, [FIXTURE], force=True)
    assert again.status == "ingested" and again.rows_stored == 0
    assert _counts(store) == before


def test_bad_cells_are_rejected_with_field_and_value(store, tmp_path):
    header, rows = _rows()
    rows[0]["entities.hashtags"] = '[{"tag": "Vote"'  # cut JSON
    rows[2]["created_at"] = "last tuesday"
    rows[3]["entities.mentions"] = '{"username": "kim_three"}'  # an object, not an array
    rows[4]["author.public_metrics.followers_count"] = "1.2k"
    path = _write(tmp_path / "bad.csv", header, rows)
    [result] = ingest_paths(store, [path])
    assert (result.rows_read, result.rows_stored, result.rows_rejected) == (5, 1, 4)
    reasons = dict(store.con.execute("SELECT line, reason FROM rejected_rows").fetchall())
    assert reasons[2] == 'field entities.hashtags: value \'[{"tag": "Vote"\' is not a JSON array'
    assert reasons[4].startswith("field created_at: value 'last tuesday' is not a time")
    assert reasons[5] == (
        'field entities.mentions: value \'{"username": "kim_three"}\' is not a JSON array'
    )
    assert reasons[6] == (
        "field author.public_metrics.followers_count: value '1.2k' is not a whole number"
    )
    assert [r[0] for r in store.con.execute("SELECT post_id FROM posts").fetchall()] == ["6002"]


def test_processed_entities_and_old_layout(store, tmp_path):
    header, rows = _rows()
    # twarc-csv's entity processing writes strings; older releases had one referenced_tweets
    # column and JSON-encoded text cells.
    old_header = [h for h in header if not h.startswith("referenced_tweets.")]
    old_header.append("referenced_tweets")
    for row in rows:
        refs = [
            {"type": t, "id": row.pop(f"referenced_tweets.{t}.id")}
            for t in ("replied_to", "retweeted", "quoted")
        ]
        row["referenced_tweets"] = json.dumps([r for r in refs if r["id"]])
        row["text"] = json.dumps(row["text"].replace("\\n", "\n"))
    rows[0]["entities.hashtags"] = json.dumps(["#Vote", "#Lagos"])
    rows[0]["entities.mentions"] = json.dumps(["@kim_three"])
    rows[0]["entities.urls"] = json.dumps(["https://rally.example/noon"])
    path = _write(tmp_path / "old.csv", old_header, rows)
    [result] = ingest_paths(store, [path])
    assert (result.format, result.rows_stored, result.rows_rejected) == ("twarc_csv", 5, 0)
    first = _row(store, "posts", "post_id = '6001'")
    assert (first["hashtags"], first["mentions"]) == (["Vote", "Lagos"], ["kim_three"])
    assert first["urls"] == ["https://rally.example/noon"]
    assert first["text"] == "Rally at noon #Vote #Lagos @kim_three https://t.co/a"
    kinds = dict(store.con.execute("SELECT post_id, kind FROM posts").fetchall())
    assert kinds == {
        "6001": "post",
        "6002": "repost",
        "6003": "reply",
        "6004": "quote",
        "6005": "post",
    }
    assert _row(store, "posts", "post_id = '6003'")["text"] == (
        "@ivy_one see you there\nbring water $H2O"
    )
    assert _row(store, "posts", "post_id = '6004'")["target_account_id"] == "8003"
