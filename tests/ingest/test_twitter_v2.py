"""Twitter API v2 JSON from twarc2 (format ``twarc2_jsonl``).

The fixture (tests/fixtures/formats/twarc2_jsonl.jsonl), one record per line:

1. A search page retrieved 2023-01-05 10:00: ann's retweet 5001 (its mention has a username only,
   resolved through includes.users) and ben's reply 5002 to cat's 5000; includes hold the three
   users, tweet 5000 and its photo 3_1 (5000 also names a media key with no object: 3_404).
2. A lookup page retrieved a day later with an API error (a deleted tweet): ann's quote 5003,
   whose long text is a note_tweet with its own entities; ann has more followers; 5000 again.
3. A flattened tweet (twarc2 flatten): dan's geotagged reply 5004 to 5003 with its author, the
   expanded reference (ann as served then) and a video inline; ``__twarc`` on the tweet.
4. A users page (twarc2 users): eve, in ``data``.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from flockwatch.ingest.runner import ingest_paths
from tests.conftest import format_fixture

FIXTURE = format_fixture("twarc2_jsonl")


def _row(store, table, where):
    cols = store.columns(table)
    row = store.con.execute(f"SELECT * FROM {table} WHERE {where}").fetchone()
    assert row is not None, (table, where)
    return dict(zip(cols, row, strict=True))


def _counts(store):
    return {t: store.count(t) for t in ("posts", "accounts", "account_snapshots", "rejected_rows")}


def test_fixture_counts(store):
    [result] = ingest_paths(store, [FIXTURE])
    # 12 objects read: 4 data tweets, 1 data user, 2 include tweets, 5 include users.
    assert (result.format, result.rows_read, result.rows_stored, result.rows_rejected) == (
        "twarc2_jsonl",
        12,
        5,
        0,
    )
    assert _counts(store) == {
        "posts": 5,
        "accounts": 5,
        "account_snapshots": 8,
        "rejected_rows": 0,
    }
    kinds = dict(store.con.execute("SELECT post_id, kind FROM posts").fetchall())
    assert kinds == {
        "5000": "post",
        "5001": "repost",
        "5002": "reply",
        "5003": "quote",
        "5004": "reply",
    }
    notes = json.loads(store.con.execute("SELECT assumptions FROM ingests").fetchone()[0])
    assert notes["api_errors"] == {"count": 1, "titles": {"Not Found Error": 1}}


def test_post_fields(store):
    ingest_paths(store, [FIXTURE])
    original = _row(store, "posts", "post_id = '5000'")
    assert original["account_id"] == "7003"
    assert original["created_at"] == datetime(2023, 1, 4, 8, 0)
    assert original["hashtags"] == ["Vote", "Register"]
    assert original["urls"] == ["https://vote.example/register"]
    assert original["media"] == ["https://pbs.twimg.com/media/reg.jpg", "3_404"]
    assert (original["like_count"], original["repost_count"]) == (10, 2)
    assert (original["reply_count"], original["quote_count"]) == (1, 1)

    retweet = _row(store, "posts", "post_id = '5001'")
    assert (retweet["target_post_id"], retweet["target_account_id"]) == ("5000", "7003")
    assert retweet["mentions"] == ["7003"]  # username "Cat_Three" resolved through includes
    assert retweet["client"] == "Twitter for Android"

    reply = _row(store, "posts", "post_id = '5002'")
    assert (reply["target_post_id"], reply["target_account_id"]) == ("5000", "7003")
    assert json.loads(reply["extra"])["conversation_id"] == "5000"

    quote = _row(store, "posts", "post_id = '5003'")
    assert quote["text"].startswith("So true, everyone should register this week")
    assert quote["hashtags"] == ["Vote"]  # from the note_tweet's entities
    assert quote["client"] is None  # no source field
    assert (quote["target_post_id"], quote["target_account_id"]) == ("5000", "7003")
    extra = json.loads(quote["extra"])
    assert extra["impression_count"] == 321
    assert extra["edit_history_tweet_ids"] == ["4990", "5003"]
    assert extra["cashtags"] == ["VOTE"]

    flat = _row(store, "posts", "post_id = '5004'")
    assert (flat["target_post_id"], flat["target_account_id"]) == ("5003", "7001")
    assert flat["media"] == ["https://pbs.twimg.com/ext_tw_video_thumb/9/pu/img/v.jpg"]
    assert json.loads(flat["extra"])["geo"]["full_name"] == "Berlin, Germany"


def test_users_and_snapshots(store):
    ingest_paths(store, [FIXTURE])
    cat = _row(store, "accounts", "account_id = '7003'")
    assert (cat["screen_name"], cat["display_name"], cat["location"]) == (
        "Cat_Three",
        "Cat Three",
        "Berlin",
    )
    assert cat["url"] == "https://cat.example"
    assert (cat["verified"], cat["followers_count"], cat["posts_count"]) == (True, 90000, 8000)
    assert json.loads(cat["extra"]) == {"verified_type": "business", "pinned_tweet_id": "5000"}
    ben = _row(store, "accounts", "account_id = '7002'")
    assert ben["default_profile_image"] is True
    assert _row(store, "accounts", "account_id = '7005'")["protected"] is True
    ann = _row(store, "accounts", "account_id = '7001'")
    assert ann["followers_count"] == 26
    assert (ann["first_seen_at"], ann["last_seen_at"]) == (
        datetime(2023, 1, 5, 10, 0),
        datetime(2023, 1, 7, 13, 0),
    )
    snaps = store.con.execute(
        "SELECT account_id, observed_at, followers_count FROM account_snapshots "
        "ORDER BY account_id, observed_at"
    ).fetchall()
    assert snaps == [
        ("7001", datetime(2023, 1, 5, 10, 0), 20),
        ("7001", datetime(2023, 1, 6, 10, 0), 25),
        ("7001", datetime(2023, 1, 7, 13, 0), 26),  # the flattened tweet's __twarc time
        ("7002", datetime(2023, 1, 5, 10, 0), 5),
        ("7003", datetime(2023, 1, 5, 10, 0), 90000),
        ("7003", datetime(2023, 1, 6, 10, 0), 90000),
        ("7004", datetime(2023, 1, 7, 13, 0), 1),
        ("7005", datetime(2023, 1, 8, 0, 0), 77),
    ]


def test_reingest_is_idempotent(store):
    ingest_paths(store, [FIXTURE])
    before = _counts(store)
    [again] = ingest_paths(store, [FIXTURE], force=True)
    assert again.status == "ingested" and again.rows_stored == 0
    assert _counts(store) == before


def test_page_without_fetch_time_observes_users_at_newest_tweet(store, tmp_path):
    page = json.loads(FIXTURE.read_text("utf-8").splitlines()[0])
    del page["__twarc"]
    path = tmp_path / "page.jsonl"
    path.write_text(json.dumps(page) + "\n", "utf-8")
    [result] = ingest_paths(store, [path])
    assert result.format == "twarc2_jsonl"
    times = store.con.execute("SELECT DISTINCT observed_at FROM account_snapshots").fetchall()
    assert times == [(datetime(2023, 1, 5, 9, 30),)]


def test_bad_records(store, tmp_path):
    lines = FIXTURE.read_text("utf-8").splitlines()
    page = json.loads(lines[0])
    page["data"][1]["created_at"] = "not-a-date"  # only this tweet is refused
    page["includes"]["users"][1]["public_metrics"]["followers_count"] = "x"  # and this user
    body = [
        json.dumps(page),  # 1
        lines[1][:200],  # 2 truncated
        lines[2],  # 3 good flattened tweet
        "[1, 2]",  # 4 not objects
        json.dumps(
            {
                "data": [
                    {
                        "end": "2023-01-02T00:00:00.000Z",
                        "start": "2023-01-01T00:00:00.000Z",
                        "tweet_count": 5,
                    }
                ],
                "meta": {"total_tweet_count": 5},
            }
        ),  # 5
    ]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(body) + "\n", "utf-8")
    [result] = ingest_paths(store, [path], format="twarc2_jsonl")
    rejected = store.con.execute(
        "SELECT line, reason, raw FROM rejected_rows ORDER BY line"
    ).fetchall()
    reasons = [(line, reason) for line, reason, _ in rejected]
    assert reasons == [
        (1, "field created_at: value 'not-a-date' is not a time"),
        (1, "field includes.users.public_metrics.followers_count: value 'x' is not a whole number"),
        (2, "not valid JSON: Unterminated string starting at (column 182)"),
        (4, "not a v2 tweet or page: a JSON list"),
        (5, "not a v2 tweet or user (keys: end, start, tweet_count)"),
    ]
    assert '"not-a-date"' in rejected[0][2]
    assert result.rows_rejected == 5
    posts = {r[0] for r in store.con.execute("SELECT post_id FROM posts").fetchall()}
    assert posts == {"5000", "5001", "5003", "5004"}  # 5002 refused; 5003 came inline with 5004
    assert (
        store.con.execute("SELECT count(*) FROM accounts WHERE account_id = '7002'").fetchone()[0]
        == 0
    )


@pytest.mark.parametrize(
    ("name", "posts", "accounts", "snapshots"),
    [
        ("geo_tweets.jsonl", 3, 4, 4),
        ("media_tweet.jsonl", 1, 1, 1),
        ("mentions_tweet.jsonl", 2, 2, 2),
        ("two_tweets.jsonl", 2, 2, 2),
        ("verified_type.jsonl", 1, 1, 1),
    ],
)
def test_real_twarc2_samples(store, shared_data, name, posts, accounts, snapshots):
    [result] = ingest_paths(store, [shared_data / "formats" / "twarc2_v2" / name])
    assert (result.format, result.rows_stored, result.rows_rejected) == (
        "twarc2_jsonl",
        posts,
        0,
    )
    assert (store.count("accounts"), store.count("account_snapshots")) == (accounts, snapshots)


def test_real_twarc2_values(store, shared_data):
    folder = shared_data / "formats" / "twarc2_v2"
    ingest_paths(store, [folder])
    rt = _row(store, "posts", "post_id = '1394735776701816833'")
    assert (rt["kind"], rt["target_post_id"], rt["target_account_id"]) == (
        "repost",
        "1391677057810288641",
        "1380086327023169540",
    )
    assert rt["mentions"] == ["1380086327023169540"]  # "bibaigna96" resolved through includes
    assert rt["created_at"] == datetime(2021, 5, 18, 19, 24, 56)
    reply = _row(store, "posts", "post_id = '1501963039859363843'")
    assert (reply["kind"], reply["target_account_id"]) == ("reply", "2919151")
    assert reply["mentions"] == ["2919151", "783214"]
    assert json.loads(reply["extra"])["geo"]["full_name"] == "Berlin, Germany"
    media = _row(store, "posts", "post_id = '1558553189766631429'")
    assert media["media"] == [
        "https://pbs.twimg.com/ext_tw_video_thumb/1558552952549277696/pu/img/7VaQu-AvReI8RHkv.jpg"
    ]
    dev = _row(store, "accounts", "account_id = '2244994945'")
    assert json.loads(dev["extra"])["verified_type"] == "business"
    assert dev["first_seen_at"] == datetime(2023, 1, 6, 2, 30, 36)
    # IgorBrigadir is in two files, fetched ten months apart: two snapshots, latest values.
    igor = store.con.execute(
        "SELECT observed_at, followers_count FROM account_snapshots WHERE account_id = '495430242' "
        "ORDER BY 1"
    ).fetchall()
    assert igor == [
        (datetime(2022, 3, 16, 3, 48, 22), 2969),
        (datetime(2023, 1, 5, 13, 55, 17), 3560),
    ]
    assert _row(store, "accounts", "account_id = '495430242'")["followers_count"] == 3560
    assert store.count("posts") == 9 and store.count("rejected_rows") == 0
