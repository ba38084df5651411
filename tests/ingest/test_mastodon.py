"""Mastodon readers: statuses, accounts, reports (user-facing and Admin::Report).

Fixtures (tests/fixtures/formats/mastodon_*.jsonl), one entity per line:

mastodon_statuses.jsonl
  1. 1001 by alice (local account of social.example: acct "alice"): hashtag, a mention and a link in
     HTML, an image, a client, a card.
  2. 1002 by bob@other.example: a reply to 1001; in_reply_to_account_id "100" is alice's local id,
     resolved through the mentions.
  3. 1003 by Carol (upper case acct): a reblog of 1001 (embedded again), with ``collected_at``.
  4. 1004 by Carol: a Mastodon 4.4 quote of 1002; sensitive with a spoiler.
  5. 1005 by alice, later, with more followers: a poll.
mastodon_accounts.jsonl: alice with collected_at, bob (remote), dan (suspended, collected_at),
  erin (moved to erin2@new.example).
mastodon_reports.jsonl
  1. r1, a user-facing Report (no reporter) of bob and two statuses.
  2. r2, an Admin::Report by the local moderator with the reported status in full and a rule.
  3. r3, an Admin::Report against alice, action taken, two rules.
  4. r4, a user-facing Report of Carol with a rule id and a comment.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from flockwatch.ingest.runner import ingest_paths
from tests.conftest import format_fixture

STATUSES = format_fixture("mastodon_statuses")
ACCOUNTS = format_fixture("mastodon_accounts")
REPORTS = format_fixture("mastodon_reports")


def _row(store, table, where, *params):
    cols = store.columns(table)
    row = store.con.execute(f"SELECT * FROM {table} WHERE {where}", list(params)).fetchone()
    assert row is not None, (table, where, params)
    return dict(zip(cols, row, strict=True))


def _counts(store):
    return {
        t: store.count(t)
        for t in ("posts", "accounts", "account_snapshots", "reports", "rejected_rows")
    }


def test_statuses_fixture(store):
    [result] = ingest_paths(store, [STATUSES])
    assert (result.format, result.rows_read, result.rows_stored, result.rows_rejected) == (
        "mastodon_statuses",
        5,
        5,
        0,
    )
    assert _counts(store) == {
        "posts": 5,
        "accounts": 3,
        "account_snapshots": 6,
        "reports": 0,
        "rejected_rows": 0,
    }
    kinds = dict(store.con.execute("SELECT post_id, kind FROM posts").fetchall())
    assert kinds == {
        "1001": "post",
        "1002": "reply",
        "1003": "repost",
        "1004": "quote",
        "1005": "post",
    }
    ids = [r[0] for r in store.con.execute("SELECT account_id FROM accounts ORDER BY 1").fetchall()]
    assert ids == ["alice@social.example", "bob@other.example", "carol@social.example"]


def test_status_fields(store):
    ingest_paths(store, [STATUSES])
    first = _row(store, "posts", "post_id = '1001'")
    assert first["account_id"] == "alice@social.example"
    assert first["text"] == "Vote today! #vote @bob info.example/how\nSecond line & more"
    assert (first["hashtags"], first["mentions"]) == (["vote"], ["bob@other.example"])
    assert first["urls"] == ["https://info.example/how?a=1&b=2"]  # the card's link is the same
    assert first["media"] == ["https://files.social.example/media/9.png"]
    assert (first["client"], first["lang"]) == ("Tusky", "en")
    assert (first["like_count"], first["repost_count"], first["reply_count"]) == (5, 1, 1)
    assert first["created_at"] == datetime(2023, 3, 1, 10, 0)
    extra = json.loads(first["extra"])
    assert extra["uri"] == "https://social.example/users/alice/statuses/1001"
    assert extra["card_title"] == "How to vote"

    reply = _row(store, "posts", "post_id = '1002'")
    assert (reply["target_post_id"], reply["target_account_id"]) == ("1001", "alice@social.example")
    reblog = _row(store, "posts", "post_id = '1003'")
    assert (reblog["account_id"], reblog["target_post_id"], reblog["target_account_id"]) == (
        "carol@social.example",
        "1001",
        "alice@social.example",
    )
    quote = _row(store, "posts", "post_id = '1004'")
    assert (quote["target_post_id"], quote["target_account_id"]) == ("1002", "bob@other.example")
    assert json.loads(quote["extra"])["spoiler_text"] == "politics"
    poll = json.loads(_row(store, "posts", "post_id = '1005'")["extra"])["poll"]
    assert poll == {"options": ["Sat", "Sun"], "votes_count": 3}


def test_status_accounts_and_snapshots(store):
    ingest_paths(store, [STATUSES])
    alice = _row(store, "accounts", "account_id = 'alice@social.example'")
    assert alice["screen_name"] == "alice"
    assert alice["description"] == "Journalist. alice.example"
    assert alice["followers_count"] == 15  # the latest observation wins
    assert alice["default_profile_image"] is False
    extra = json.loads(alice["extra"])
    assert extra["id"] == "100"
    assert extra["fields"][0] == {
        "name": "Web",
        "value": "alice.example",
        "verified_at": "2022-12-01T00:00:00.000Z",
    }
    bob = _row(store, "accounts", "account_id = 'bob@other.example'")
    assert bob["default_profile_image"] is True  # .../missing.png
    carol = _row(store, "accounts", "account_id = 'carol@social.example'")
    assert carol["screen_name"] == "Carol" and json.loads(carol["extra"])["bot"] is True
    snaps = store.con.execute(
        "SELECT account_id, observed_at, followers_count FROM account_snapshots ORDER BY 1, 2"
    ).fetchall()
    assert snaps == [
        ("alice@social.example", datetime(2023, 3, 1, 10, 0), 10),
        # alice embedded in Carol's reblog, observed when that record was collected
        ("alice@social.example", datetime(2023, 3, 2, 0, 0), 10),
        ("alice@social.example", datetime(2023, 3, 2, 8, 0), 15),
        ("bob@other.example", datetime(2023, 3, 1, 10, 5), 10),
        ("carol@social.example", datetime(2023, 3, 1, 11, 0), 10),
        ("carol@social.example", datetime(2023, 3, 2, 0, 0), 10),
    ]


def test_statuses_as_array_and_single_object(store, tmp_path):
    records = [json.loads(line) for line in STATUSES.read_text("utf-8").splitlines()]
    array = tmp_path / "timeline.json"
    array.write_text(json.dumps(records, indent=2), "utf-8")
    single = tmp_path / "status.json"
    single.write_text(json.dumps(records[0], indent=2), "utf-8")
    results = ingest_paths(store, [array, single])
    assert [r.format for r in results] == ["mastodon_statuses"] * 2
    assert [(r.rows_read, r.rows_stored, r.rows_rejected) for r in results] == [
        (5, 5, 0),
        (1, 0, 0),
    ]


def test_statuses_reingest_is_idempotent(store):
    ingest_paths(store, [STATUSES])
    before = _counts(store)
    [again] = ingest_paths(store, [STATUSES], force=True)
    assert again.rows_stored == 0 and sum(again.tables.values()) == 0
    assert _counts(store) == before


def test_bad_statuses_are_rejected(store, tmp_path):
    lines = STATUSES.read_text("utf-8").splitlines()
    good = json.loads(lines[0])
    body = [
        lines[0],
        json.dumps(dict(good, id="9001", created_at="last tuesday")),
        json.dumps(dict(good, id="9002", account="alice")),
        json.dumps(dict(good, id="9003", favourites_count="many")),
        lines[1][:50],
    ]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(body) + "\n", "utf-8")
    [result] = ingest_paths(store, [path], format="mastodon_statuses")
    assert (result.rows_read, result.rows_stored, result.rows_rejected) == (5, 1, 4)
    reasons = dict(store.con.execute("SELECT line, reason FROM rejected_rows").fetchall())
    assert reasons[2] == "field created_at: value 'last tuesday' is not a time"
    assert reasons[3] == "field account: value 'alice' is not an account object"
    assert reasons[4] == "field favourites_count: value 'many' is not a whole number"
    assert "JSON" in reasons[5]


def test_accounts_fixture(store):
    [result] = ingest_paths(store, [ACCOUNTS])
    assert (result.format, result.rows_read, result.rows_stored, result.rows_rejected) == (
        "mastodon_accounts",
        4,
        4,
        0,
    )
    assert store.count("account_snapshots") == 2  # the two with a collection time
    dan = _row(store, "accounts", "account_id = 'dan@far.example'")
    assert json.loads(dan["extra"])["suspended"] is True
    snap = _row(store, "account_snapshots", "account_id = 'dan@far.example'")
    assert (snap["observed_at"], snap["status"]) == (datetime(2023, 4, 1), "suspended")
    erin = _row(store, "accounts", "account_id = 'erin@social.example'")
    assert json.loads(erin["extra"])["moved_to"] == "erin2@new.example"
    [again] = ingest_paths(store, [ACCOUNTS], force=True)
    assert again.rows_stored == 0 and store.count("account_snapshots") == 2


def test_reports_fixture(store):
    [result] = ingest_paths(store, [REPORTS])
    assert (result.format, result.rows_read, result.rows_stored, result.rows_rejected) == (
        "mastodon_reports",
        4,
        4,
        0,
    )
    rows = store.con.execute(
        "SELECT report_id, reporter_id, target_account_id, target_post_id, reason, comment "
        "FROM reports ORDER BY report_id"
    ).fetchall()
    assert rows == [
        ("r1", None, "bob@other.example", "1002", "spam", "Spam account"),
        ("r2", "mod@social.example", "bob@other.example", "1002", "violation", None),
        ("r3", "brigade1@social.example", "alice@social.example", None, "violation", "same text"),
        ("r4", None, "carol@social.example", None, "other", "impersonates me"),
    ]
    r1 = json.loads(_row(store, "reports", "report_id = 'r1'")["extra"])
    assert r1["status_ids"] == ["1002", "1004"]
    assert r1["reporter"].startswith("unknown")
    r3 = json.loads(_row(store, "reports", "report_id = 'r3'")["extra"])
    assert (r3["rule_ids"], r3["rules"]) == (["3", "4"], ["No harassment", "No spam"])
    assert (r3["action_taken"], r3["action_taken_by"]) == (True, "mod@social.example")
    r4 = json.loads(_row(store, "reports", "report_id = 'r4'")["extra"])
    assert r4["rule_ids"] == ["4"]
    # The status reported in full (r2) is kept as a post.
    assert _row(store, "posts", "post_id = '1002'")["account_id"] == "bob@other.example"
    assert _row(store, "reports", "report_id = 'r1'")["created_at"] == datetime(2023, 3, 3, 9, 0)
    [again] = ingest_paths(store, [REPORTS], force=True)
    assert again.rows_stored == 0 and store.count("reports") == 4


@pytest.mark.parametrize(
    ("name", "fmt", "read", "stored", "posts", "accounts"),
    [
        ("status.json", "mastodon_statuses", 1, 1, 1, 1),
        ("status_with_poll.json", "mastodon_statuses", 1, 1, 1, 1),
        ("status_with_previewcard.json", "mastodon_statuses", 1, 1, 1, 1),
        ("public_timeline.json", "mastodon_statuses", 20, 20, 20, 19),
        ("reports.json", "mastodon_reports", 1, 1, 0, 1),
        ("admin_reports_get_all_reports_success.json", "mastodon_reports", 1, 1, 0, 2),
        ("admin_reports_get_single_report_success.json", "mastodon_reports", 1, 1, 0, 2),
    ],
)
def test_real_samples(store, shared_data, name, fmt, read, stored, posts, accounts):
    path = shared_data / "formats" / "mastodon" / name
    [result] = ingest_paths(store, [path])
    assert (result.format, result.rows_read, result.rows_stored, result.rows_rejected) == (
        fmt,
        read,
        stored,
        0,
    )
    assert (store.count("posts"), store.count("accounts")) == (posts, accounts)
    [again] = ingest_paths(store, [path], force=True)
    assert again.rows_stored == 0 and sum(again.tables.values()) == 0


def test_real_sample_values(store, shared_data):
    folder = shared_data / "formats" / "mastodon"
    results = ingest_paths(store, sorted(folder.glob("*.json")))
    assert sum(r.rows_rejected for r in results) == 0
    assert (store.count("posts"), store.count("reports"), store.count("accounts")) == (22, 3, 24)
    # status.json and status_with_poll.json are the same status 11111: stored once.
    test = _row(store, "posts", "post_id = '11111'")
    assert (test["account_id"], test["text"]) == ("test@mstdn.jp", "Test Status")
    remote = _row(store, "posts", "account_id = 'chrolis@m6n.jp'")
    assert remote["created_at"].year == 2017
    card = _row(store, "posts", "post_id = '111337272989523541'")
    assert card["account_id"] == "jaxwxboss@fosstodon.org"
    assert card["text"].startswith("Just a hot take.\nNo matter how 'advanced' governments")
    assert card["urls"][0] == "https://youtu.be/X_TLztvV4ns?si=uGz-23iyZs0yoe5r"
    user_report = _row(store, "reports", "report_id = 'testId'")
    assert (user_report["reporter_id"], user_report["target_account_id"]) == (
        None,
        "baluke@mastodon.social",
    )
    assert user_report["target_post_id"] == "108882889550545820"
    admin = _row(store, "reports", "report_id = '2'")
    # Local accounts of an Admin::Report carry no URL: their instance is unknown.
    assert (admin["reporter_id"], admin["target_account_id"], admin["reason"]) == (
        "admin",
        "goody",
        "spam",
    )
    notes = store.con.execute(
        "SELECT assumptions FROM ingests WHERE path LIKE '%admin_reports_get_single%'"
    ).fetchone()[0]
    assert "local_accounts" in json.loads(notes)
