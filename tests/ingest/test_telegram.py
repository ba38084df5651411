"""Telegram Desktop export reader.

tests/fixtures/formats/telegram_desktop.json is a full account export (``chats.list``), with the
owner's ``personal_information`` and contact lists (objects the reader must walk past), and:

chat "Daily Truth", public_channel 1500000001
  10 service create_channel by the channel itself.
  11 a post with text as a list of entities (hashtag, text_link, link), a photo, reactions.
  12 a message forwarded from "Other Channel" (no forwarded_from_id), with a mention.
  13 an old-style message with ``date`` only (local time, no zone).
chat "Supporters", private_supergroup 1600000002
  20 service invite_members by Ann.   21 Ann: "hello #Vote".
  22 Ben replies to 21, with a mention_name entity (user_id 111).
  23 Ben: a video file not included in the export, edited.
  24 Ann forwards a message of the channel (forwarded_from_id channel1500000001).
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from flockwatch.errors import InputError
from flockwatch.ingest.base import IngestOptions
from flockwatch.ingest.runner import ingest_paths
from tests.conftest import format_fixture

EXPORT = format_fixture("telegram_desktop")


def _row(store, table, where, *params):
    cols = store.columns(table)
    row = store.con.execute(f"SELECT * FROM {table} WHERE {where}", list(params)).fetchone()
    assert row is not None, (table, where, params)
    return dict(zip(cols, row, strict=True))


def _counts(store):
    return {
        t: store.count(t) for t in ("posts", "accounts", "groups", "memberships", "rejected_rows")
    }


def test_fixture_counts(store):
    [result] = ingest_paths(store, [EXPORT])
    assert (result.format, result.rows_read, result.rows_stored, result.rows_rejected) == (
        "telegram_desktop",
        9,
        9,
        0,
    )
    assert _counts(store) == {
        "posts": 9,
        "accounts": 4,  # the channel, Ann, Ben, and the export's owner
        "groups": 2,
        "memberships": 3,
        "rejected_rows": 0,
    }
    groups = store.con.execute(
        "SELECT group_id, kind, name, extra FROM groups ORDER BY 1"
    ).fetchall()
    assert groups == [
        ("1500000001", "channel", "Daily Truth", '{"type": "public_channel"}'),
        ("1600000002", "group", "Supporters", '{"type": "private_supergroup"}'),
    ]
    kinds = dict(store.con.execute("SELECT post_id, kind FROM posts").fetchall())
    assert kinds == {
        "1500000001/10": "service",
        "1500000001/11": "post",
        "1500000001/12": "repost",
        "1500000001/13": "post",
        "1600000002/20": "service",
        "1600000002/21": "post",
        "1600000002/22": "reply",
        "1600000002/23": "post",
        "1600000002/24": "repost",
    }


def test_message_fields(store):
    ingest_paths(store, [EXPORT])
    post = _row(store, "posts", "post_id = '1500000001/11'")
    assert post["account_id"] == "channel1500000001"
    assert post["text"] == "#Vote for change! https://t.me/dailytruth"
    assert post["hashtags"] == ["Vote"]
    assert post["urls"] == ["https://change.example/x", "https://t.me/dailytruth"]
    assert post["media"] == ["photos/photo_1@01-05-2023_12-00-00.jpg"]
    assert post["like_count"] == 15  # reactions summed; each kept in extra
    assert post["created_at"] == datetime(2023, 5, 1, 12, 0)  # date_unixtime
    forwarded = _row(store, "posts", "post_id = '1500000001/12'")
    assert (forwarded["target_account_id"], forwarded["mentions"]) == (
        "Other Channel",
        ["otherchannel"],
    )
    reply = _row(store, "posts", "post_id = '1600000002/22'")
    assert (reply["target_post_id"], reply["mentions"], reply["text"]) == (
        "1600000002/21",
        ["user111"],
        "Ann, agreed",
    )
    video = _row(store, "posts", "post_id = '1600000002/23'")
    assert video["media"] == []  # "(File not included ...)"
    extra = json.loads(video["extra"])
    assert (extra["media_type"], extra["file"], extra["edited"]) == (
        "video_file",
        True,
        "2023-05-01T10:04:00",
    )
    relay = _row(store, "posts", "post_id = '1600000002/24'")
    assert relay["target_account_id"] == "channel1500000001"
    service = json.loads(_row(store, "posts", "post_id = '1600000002/20'")["extra"])
    assert (service["action"], service["members"]) == ("invite_members", ["Ben"])


def test_accounts_and_memberships(store):
    ingest_paths(store, [EXPORT])
    ann = _row(store, "accounts", "account_id = 'user111'")
    assert ann["display_name"] == "Ann"
    assert (ann["first_seen_at"], ann["last_seen_at"]) == (
        datetime(2023, 5, 1, 10, 0),
        datetime(2023, 5, 1, 12, 6),
    )
    owner = _row(store, "accounts", "account_id = 'user999'")
    assert (owner["screen_name"], owner["display_name"]) == ("ivy", "Ivy Investigator")
    roles = store.con.execute(
        "SELECT group_id, account_id, role FROM memberships ORDER BY 1, 2"
    ).fetchall()
    assert roles == [
        ("1500000001", "channel1500000001", "owner"),
        ("1600000002", "user111", "member"),
        ("1600000002", "user222", "member"),
    ]


def test_local_date_uses_tz_and_is_recorded(store):
    ingest_paths(store, [EXPORT], options=IngestOptions(tz="America/Sao_Paulo"))
    old = _row(store, "posts", "post_id = '1500000001/13'")
    assert old["created_at"] == datetime(2023, 5, 2, 11, 30)  # 08:30 at UTC-3
    # date_unixtime wins over date whatever the zone
    assert _row(store, "posts", "post_id = '1500000001/11'")["created_at"] == datetime(
        2023, 5, 1, 12, 0
    )
    notes = json.loads(store.con.execute("SELECT assumptions FROM ingests").fetchone()[0])
    assert "America/Sao_Paulo" in notes["date"]


def test_unknown_tz_is_a_clear_error(store):
    with pytest.raises(InputError, match="Mars/Olympus"):
        ingest_paths(store, [EXPORT], options=IngestOptions(tz="Mars/Olympus"))


def test_single_chat_export(store, tmp_path):
    doc = json.loads(EXPORT.read_text("utf-8"))
    chat = doc["chats"]["list"][1]
    path = tmp_path / "result.json"
    path.write_text(json.dumps(chat, ensure_ascii=False, indent=1), "utf-8")
    [result] = ingest_paths(store, [path])
    assert (result.format, result.rows_read, result.rows_stored) == ("telegram_desktop", 5, 5)
    assert store.con.execute("SELECT group_id, kind FROM groups").fetchall() == [
        ("1600000002", "group")
    ]


def test_reingest_is_idempotent(store):
    ingest_paths(store, [EXPORT])
    before = _counts(store)
    [again] = ingest_paths(store, [EXPORT], force=True)
    assert again.rows_stored == 0 and sum(again.tables.values()) == 0
    assert _counts(store) == before


def test_bad_messages_are_rejected_at_their_line(store, tmp_path):
    doc = json.loads(EXPORT.read_text("utf-8"))
    msgs = doc["chats"]["list"][1]["messages"]
    msgs[1]["date_unixtime"] = "soon"
    msgs[2]["text"] = {"not": "text"}
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    path = tmp_path / "bad.json"
    path.write_text(text, "utf-8")
    [result] = ingest_paths(store, [path])
    assert (result.rows_read, result.rows_stored, result.rows_rejected) == (9, 7, 2)
    lines = text.splitlines()
    start_21 = next(i for i, ln in enumerate(lines) if '"id": 21,' in ln)  # 0-based "id" line
    start_22 = next(i for i, ln in enumerate(lines) if '"id": 22,' in ln)
    reasons = dict(store.con.execute("SELECT line, reason FROM rejected_rows").fetchall())
    assert reasons == {
        start_21: "message 21: field date_unixtime: value 'soon' is not seconds since 1970",
        start_22: 'message 22: field text: value \'{"not": "text"}\' is not text or a list of entities',
    }
    # A message with bytes that are not UTF-8 is rejected too.
    bad_bytes = text.encode("utf-8").replace(b"Read what", b"Read \xffwhat")
    path.write_bytes(bad_bytes)
    [result] = ingest_paths(store, [path], force=True)
    rejected = store.con.execute(
        "SELECT line, reason FROM rejected_rows WHERE ingest_id = ? ORDER BY line",
        [result.ingest_id],
    ).fetchall()
    start_12 = next(i for i, ln in enumerate(lines) if '"id": 12,' in ln)
    assert rejected[0] == (start_12, "not valid UTF-8")
    assert result.rows_rejected == 3


def test_truncated_export_keeps_what_came_before(store, tmp_path):
    text = EXPORT.read_text("utf-8")
    cut = text.index('"id": 23')
    path = tmp_path / "cut.json"
    path.write_text(text[:cut], "utf-8")
    [result] = ingest_paths(store, [path])
    assert result.rows_stored == 7  # chat 1 whole, messages 20-22 of chat 2
    reasons = [r[0] for r in store.con.execute("SELECT reason FROM rejected_rows").fetchall()]
    assert reasons == ["truncated JSON element at end of file"]
    assert store.count("groups") == 2


def test_not_json_is_a_clear_error(store, tmp_path):
    path = tmp_path / "export.json"
    path.write_text("<html>messages.html</html>", "utf-8")
    with pytest.raises(InputError, match="not a JSON document"):
        ingest_paths(store, [path], format="telegram_desktop")


def test_real_desktop_export(store, shared_data):
    path = shared_data / "formats" / "telegram_desktop" / "DM_2A_7M.json"
    [result] = ingest_paths(store, [path])
    assert (result.format, result.rows_read, result.rows_stored, result.rows_rejected) == (
        "telegram_desktop",
        8,
        8,
        0,
    )
    assert _counts(store) == {
        "posts": 8,
        "accounts": 2,
        "groups": 1,
        "memberships": 2,
        "rejected_rows": 0,
    }
    assert _row(store, "groups", "group_id = '700000000'")["kind"] == "chat"
    kinds = dict(store.con.execute("SELECT kind, count(*) FROM posts GROUP BY 1").fetchall())
    assert kinds == {"service": 2, "post": 6}
    link = _row(store, "posts", "post_id = '700000000/3644'")
    assert (link["text"], link["urls"]) == ("https://google.com 👀", ["https://google.com"])
    assert link["created_at"] == datetime(2019, 7, 12, 16, 55, 32)  # date only: read as UTC
    call = _row(store, "posts", "post_id = '700000000/3674'")
    # date_unixtime (02:11 UTC) wins over the local date (23:11 the day before)
    assert call["created_at"] == datetime(2023, 8, 11, 2, 11, 2)
    assert json.loads(call["extra"])["action"] == "phone_call"
    notes = json.loads(store.con.execute("SELECT assumptions FROM ingests").fetchone()[0])
    assert "UTC" in notes["date"]
    [again] = ingest_paths(store, [path], force=True)
    assert again.rows_stored == 0 and sum(again.tables.values()) == 0
