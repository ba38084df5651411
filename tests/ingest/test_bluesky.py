"""Bluesky Jetstream reader, and the deletion rules of the store it needs.

tests/fixtures/formats/bluesky_jetstream.jsonl, one event per line, and why each is there:
  1. A posts: tag, link and mention facets, extra ``tags``, two langs, an image with alt text.
  2. B replies to 1 with an external card.      3. C quotes 1 with an image (recordWithMedia).
  4. D reposts 1.   5. B likes 1.   6. B follows A.   7. C blocks D.
  8. B deletes its reply (2): kept, marked deleted.
  9. E deletes a post never seen: a stub post, created_at from its TID record key.
 10. B deletes the follow of 6: kept, marked deleted.
 11. identity: A's handle.   12. account: D deactivated.   13. A updates its profile.
 14. A creates a moderation list; 15. adds D to it.
 16. a threadgate, a collection flockwatch does not store: counted as ignored.
"""

from __future__ import annotations

import json
from datetime import datetime

from flockwatch.ingest.base import IngestOptions
from flockwatch.ingest.bluesky import tid_time
from flockwatch.ingest.runner import ingest_paths
from tests.conftest import format_fixture

EVENTS = format_fixture("bluesky_jetstream")
A = "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa"
B = "did:plc:bbbbbbbbbbbbbbbbbbbbbbbb"
C = "did:plc:cccccccccccccccccccccccc"
D = "did:plc:dddddddddddddddddddddddd"
E = "did:plc:eeeeeeeeeeeeeeeeeeeeeeee"
P1 = f"at://{A}/app.bsky.feed.post/3mptbyoeyc22k"
P2 = f"at://{B}/app.bsky.feed.post/3mptbyp7lu223"
TABLES = (
    "posts",
    "accounts",
    "account_snapshots",
    "likes",
    "follows",
    "blocks",
    "deletions",
    "groups",
    "memberships",
    "rejected_rows",
)


def _row(store, table, where, *params):
    cols = store.columns(table)
    row = store.con.execute(f"SELECT * FROM {table} WHERE {where}", list(params)).fetchone()
    assert row is not None, (table, where, params)
    return dict(zip(cols, row, strict=True))


def _counts(store):
    return {t: store.count(t) for t in TABLES}


def _lines(path):
    return path.read_text("utf-8").splitlines()


def test_fixture_counts(store):
    [result] = ingest_paths(store, [EVENTS])
    assert (result.format, result.rows_read, result.rows_stored, result.rows_rejected) == (
        "bluesky_jetstream",
        16,
        5,  # 3 posts, 1 repost, 1 stub of a deleted post never seen
        0,
    )
    assert _counts(store) == {
        "posts": 5,
        "accounts": 5,
        "account_snapshots": 3,
        "likes": 1,
        "follows": 1,
        "blocks": 1,
        "deletions": 3,
        "groups": 1,
        "memberships": 2,
        "rejected_rows": 0,
    }
    kinds = dict(store.con.execute("SELECT post_id, kind FROM posts").fetchall())
    assert kinds == {
        P1: "post",
        P2: "reply",
        f"at://{C}/app.bsky.feed.post/3mptbypfywk2v": "quote",
        f"at://{D}/app.bsky.feed.repost/3mptbypowzs2e": "repost",
        f"at://{E}/app.bsky.feed.post/3mpt73z3ejc2p": None,  # a stub: what it was is unknown
    }
    notes = json.loads(store.con.execute("SELECT assumptions FROM ingests").fetchone()[0])
    assert notes == {"ignored_collections": {"app.bsky.feed.threadgate": 1}}


def test_post_fields(store):
    ingest_paths(store, [EVENTS])
    post = _row(store, "posts", "post_id = ?", P1)
    assert post["platform"] == "bluesky" and post["account_id"] == A
    assert post["created_at"] == datetime(2026, 7, 4, 14, 38, 6, 240000)  # the record's createdAt
    assert post["text"] == "#Vote now: example.org/a with @bob.test"
    assert (post["hashtags"], post["mentions"]) == (["Vote", "Election"], [B])
    assert post["urls"] == ["https://example.org/a"]
    assert post["media"] == [f"https://cdn.bsky.app/img/feed_fullsize/plain/{A}/bafkreiimage1@jpeg"]
    assert post["lang"] == "en"
    extra = json.loads(post["extra"])
    assert extra["langs"] == ["en", "pt"] and extra["alt"] == ["a ballot"]
    assert extra["seen_at"] == "2026-07-04T14:38:08.001000"  # time_us, kept apart
    assert post["deleted_at"] is None

    reply = _row(store, "posts", "post_id = ?", P2)
    assert (reply["target_post_id"], reply["target_account_id"]) == (P1, A)
    assert reply["urls"] == ["https://news.example/story"]
    assert json.loads(reply["extra"])["card_title"] == "A story"

    quote = _row(store, "posts", "kind = 'quote'")
    assert (quote["target_post_id"], quote["target_account_id"]) == (P1, A)
    assert quote["media"] == [
        f"https://cdn.bsky.app/img/feed_fullsize/plain/{C}/bafkreiimage2@jpeg"
    ]

    repost = _row(store, "posts", "kind = 'repost'")
    assert (repost["account_id"], repost["target_post_id"], repost["target_account_id"]) == (
        D,
        P1,
        A,
    )


def test_likes_follows_blocks_lists(store):
    ingest_paths(store, [EVENTS])
    like = _row(store, "likes", "account_id = ?", B)
    assert like["like_id"] == f"at://{B}/app.bsky.feed.like/3mptbyplj5d2a"
    assert (like["target_post_id"], like["target_account_id"]) == (P1, A)
    assert like["created_at"] == datetime(2026, 7, 4, 14, 38, 8, 999000)
    block = _row(store, "blocks", "blocker_id = ?", C)
    assert block["blocked_id"] == D
    assert block["record_id"] == f"at://{C}/app.bsky.graph.block/3mptbypkpqx2g"
    group = _row(store, "groups", "kind = 'list'")
    assert (group["name"], json.loads(group["extra"])["purpose"]) == (
        "Spammers",
        "app.bsky.graph.defs#modlist",
    )
    members = store.con.execute(
        "SELECT account_id, role FROM memberships WHERE group_id = ? ORDER BY role",
        [group["group_id"]],
    ).fetchall()
    assert members == [(D, "member"), (A, "owner")]


def test_deletes_mark_and_keep_rows(store):
    ingest_paths(store, [EVENTS])
    reply = _row(store, "posts", "post_id = ?", P2)
    assert reply["text"] == "Agreed"  # the content stays: vanishing content is evidence
    assert reply["deleted_at"] == datetime(2026, 7, 4, 14, 38, 8, 8000)
    stub = _row(store, "posts", "account_id = ?", E)
    assert stub["deleted_at"] == datetime(2026, 7, 4, 14, 38, 8, 9000)
    assert stub["created_at"] == datetime(2026, 7, 4, 13, 46, 16, 897000)  # from the TID key
    assert json.loads(stub["extra"])["stub"] == "deleted before its content was seen"
    follow = _row(store, "follows", "follower_id = ?", B)
    assert follow["followee_id"] == A
    assert follow["deleted_at"] == datetime(2026, 7, 4, 14, 38, 8, 10000)
    kinds = store.con.execute(
        "SELECT record_kind, account_id FROM deletions ORDER BY deleted_at"
    ).fetchall()
    assert kinds == [("post", B), ("post", E), ("follow", B)]
    assert store.con.execute("SELECT count(*) FROM posts WHERE deleted_at IS NULL").fetchone() == (
        3,
    )


def test_delete_ingested_before_the_post_it_deletes(store, tmp_path):
    """Files can come in any order: the stub is filled in, the follow marked, nothing lost."""
    lines = _lines(EVENTS)
    deletes, creates = tmp_path / "later.jsonl", tmp_path / "earlier.jsonl"
    deletes.write_text("\n".join(lines[7:10]) + "\n", "utf-8")
    creates.write_text("\n".join(lines[:7]) + "\n", "utf-8")
    ingest_paths(store, [deletes])
    stub = _row(store, "posts", "post_id = ?", P2)
    assert (stub["text"], stub["kind"]) == (None, None)
    assert json.loads(stub["extra"])["stub"]
    ingest_paths(store, [creates])
    reply = _row(store, "posts", "post_id = ?", P2)
    assert (reply["text"], reply["kind"], reply["target_post_id"]) == ("Agreed", "reply", P1)
    assert reply["deleted_at"] == datetime(2026, 7, 4, 14, 38, 8, 8000)
    assert "stub" not in json.loads(reply["extra"])
    follow = _row(store, "follows", "follower_id = ?", B)
    assert follow["deleted_at"] == datetime(2026, 7, 4, 14, 38, 8, 10000)
    assert store.count("posts") == 5


def test_follow_again_after_unfollow_is_active(store, tmp_path):
    lines = _lines(EVENTS)
    again = json.loads(lines[5])
    again["time_us"] += 100_000_000
    again["commit"]["rkey"] = "3mptc2aaaaa2a"
    again["commit"]["record"]["createdAt"] = "2026-07-04T15:00:00.000Z"
    path = tmp_path / "refollow.jsonl"
    path.write_text(json.dumps(again) + "\n", "utf-8")
    ingest_paths(store, [EVENTS])
    ingest_paths(store, [path])
    follow = _row(store, "follows", "follower_id = ?", B)
    assert follow["deleted_at"] is None
    assert follow["record_id"] == f"at://{B}/app.bsky.graph.follow/3mptc2aaaaa2a"
    assert follow["observed_at"] == datetime(2026, 7, 4, 14, 38, 7, 396000)  # earliest kept
    ingest_paths(store, [EVENTS], force=True)  # the old file again changes nothing
    assert _row(store, "follows", "follower_id = ?", B)["deleted_at"] is None
    assert store.count("deletions") == 3


def test_identity_account_and_profile_events(store):
    ingest_paths(store, [EVENTS])
    alice = _row(store, "accounts", "account_id = ?", A)
    assert (alice["screen_name"], alice["display_name"], alice["description"]) == (
        "alice.example",
        "Alice",
        "Voting matters",
    )
    assert alice["profile_image_url"].endswith("/bafkreiavatar@jpeg")
    dave = _row(store, "accounts", "account_id = ?", D)
    assert json.loads(dave["extra"])["status"] == "deactivated"
    snaps = store.con.execute(
        "SELECT account_id, screen_name, display_name, status FROM account_snapshots "
        "ORDER BY observed_at"
    ).fetchall()
    assert snaps == [
        (A, "alice.example", None, None),
        (D, None, None, "deactivated"),
        (A, None, "Alice", None),
    ]


def test_reingest_is_idempotent(store):
    ingest_paths(store, [EVENTS])
    before = _counts(store)
    marked = store.con.execute("SELECT post_id, deleted_at FROM posts ORDER BY 1").fetchall()
    [again] = ingest_paths(store, [EVENTS], force=True)
    assert again.status == "ingested" and again.rows_stored == 0
    assert sum(again.tables.values()) == 0
    assert _counts(store) == before
    assert (
        store.con.execute("SELECT post_id, deleted_at FROM posts ORDER BY 1").fetchall() == marked
    )


def test_platform_override(store):
    ingest_paths(store, [EVENTS], options=IngestOptions(platform="bsky-mirror"))
    assert store.con.execute("SELECT DISTINCT platform FROM posts").fetchall() == [("bsky-mirror",)]
    assert store.con.execute("SELECT DISTINCT platform FROM likes").fetchall() == [("bsky-mirror",)]


def test_bad_events_are_rejected_with_reason(store, tmp_path):
    lines = _lines(EVENTS)
    good = json.loads(lines[0])
    no_time = {k: v for k, v in good.items() if k != "time_us"}
    bad_did = dict(good, did="alice")
    bad_subject = json.loads(lines[5])
    bad_subject["commit"]["record"]["subject"] = {"uri": "x"}
    bad_date = json.loads(lines[0])
    bad_date["commit"]["record"]["createdAt"] = "the day after"
    body = [
        lines[0],  # 1 good
        json.dumps(no_time),  # 2
        json.dumps(bad_did),  # 3
        json.dumps(bad_subject),  # 4
        json.dumps(bad_date),  # 5
        json.dumps({"did": A, "time_us": 1, "kind": "sync"}),  # 6
        lines[1][:40],  # 7 truncated
        "[1, 2]",  # 8
    ]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(body) + "\n", "utf-8")
    [result] = ingest_paths(store, [path], format="bluesky_jetstream")
    assert (result.rows_read, result.rows_stored, result.rows_rejected) == (8, 1, 7)
    reasons = dict(store.con.execute("SELECT line, reason FROM rejected_rows").fetchall())
    assert reasons[2] == "field time_us: required value is missing"
    assert reasons[3] == "field did: value 'alice' is not a DID"
    assert reasons[4] == ('field commit.record.subject: value \'{"uri": "x"}\' is not text')
    assert reasons[5] == "field commit.record.createdAt: value 'the day after' is not a time"
    assert reasons[6] == "field kind: value 'sync' is not commit, identity or account"
    assert "JSON" in reasons[7]
    assert "not an object" in reasons[8]


def test_tid_time():
    assert tid_time("3mptbyoeyc22k") == datetime(2026, 7, 4, 14, 38, 6, 240000)
    assert tid_time("self") is None


def test_real_jetstream_sample(store, shared_data):
    path = shared_data / "formats" / "bluesky_jetstream" / "expected_v1.jsonl"
    [result] = ingest_paths(store, [path])
    assert (result.format, result.rows_read, result.rows_stored, result.rows_rejected) == (
        "bluesky_jetstream",
        152,  # every line of the file (SOURCE.md says 153 events; the file has 152 lines)
        33,  # 17 posts, 15 reposts, 1 stub of the deleted post
        0,
    )
    assert {t: store.count(t) for t in TABLES} == {
        "posts": 33,
        "accounts": 149,
        "account_snapshots": 1,
        "likes": 105,
        "follows": 6,
        "blocks": 1,
        "deletions": 4,
        "groups": 0,
        "memberships": 0,
        "rejected_rows": 0,
    }
    kinds = dict(
        store.con.execute("SELECT coalesce(kind, '?'), count(*) FROM posts GROUP BY 1").fetchall()
    )
    assert kinds == {"post": 9, "reply": 8, "repost": 15, "?": 1}
    assert store.con.execute(
        "SELECT count(*) FROM deletions WHERE record_kind = 'follow'"
    ).fetchone() == (3,)
    assert store.con.execute(
        "SELECT count(*) FROM posts WHERE deleted_at IS NOT NULL"
    ).fetchone() == (1,)
    notes = json.loads(store.con.execute("SELECT assumptions FROM ingests").fetchone()[0])
    assert notes["ignored_collections"] == {
        "app.bsky.actor.status": 1,
        "fm.teal.alpha.actor.status": 1,
    }
    [again] = ingest_paths(store, [path], force=True)
    assert again.rows_stored == 0 and sum(again.tables.values()) == 0
