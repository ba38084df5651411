"""Telegram Desktop "Export chat history" JSON (``telegram_desktop``): one chat's ``result.json``
or the full account export (``chats.list[]``, ``left_chats.list[]``).

The export is one JSON document. It is not loaded whole: :mod:`flockwatch.ingest.jsondoc` streams
each message (memory is bounded by the largest message, not the export), so a broken message is
rejected at its own line and the others load; a document cut short keeps what came before the cut
and records the truncation in ``rejected_rows``.

Mapping (platform ``telegram``):

- each chat or channel -> a ``groups`` row: ``group_id`` is the chat ``id``, ``kind`` is ``chat``
  (personal_chat, bot_chat, saved_messages), ``group`` (private_group, private/public_supergroup)
  or ``channel`` (private/public_channel); the export's own ``type`` is in ``extra``;
- each message -> a post with ``post_id`` ``<chat id>/<message id>`` (message ids are per chat);
  ``from_id`` ("user123", "channel456"; bare numbers of old exports become "user<n>") is the
  account; a forwarded message (``forwarded_from``) is a ``repost`` whose ``target_account_id`` is
  ``forwarded_from_id`` when the export has it, else the origin's name (the origin message id is
  not exported); ``reply_to_message_id`` makes a ``reply`` in the same chat;
- service messages (joins, calls, pins, title changes ...) are posts of kind ``service`` by their
  ``actor_id``, with ``action`` and its details in ``extra``;
- senders -> accounts (``display_name`` = the name shown) and ``memberships`` of the chat (a
  channel posting in its own channel is its ``owner``);
- text is a string or a list of strings and entities: the texts are joined; hashtag, mention
  (and mention_name), link and text_link entities fill hashtags, mentions and urls;
- times: ``date_unixtime`` (UTC) when present, else ``date``, a local time without zone, read in
  the ``--tz`` zone (default UTC); the ingest's assumptions record it when that happened.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flockwatch.errors import InputError
from flockwatch.ingest.base import Head, Reader, Stage
from flockwatch.ingest.jsondoc import End, iter_document
from flockwatch.ingest.sources import Source
from flockwatch.ingest.twitter_v1 import (
    BadValue,
    bad,
    compact,
    get_id,
    get_int,
    get_items,
    get_list,
    get_str,
    missing,
)

CHAT_KINDS = {
    "personal_chat": "chat",
    "bot_chat": "chat",
    "saved_messages": "chat",
    "replies": "chat",
    "verification_codes": "chat",
    "private_group": "group",
    "private_supergroup": "group",
    "public_supergroup": "group",
    "private_channel": "channel",
    "public_channel": "channel",
}
_NOT_INCLUDED = "(File not included"
_MEDIA_KEYS = ("photo", "file", "thumbnail")
_MESSAGE_EXTRA = (
    "media_type",
    "mime_type",
    "sticker_emoji",
    "duration_seconds",
    "width",
    "height",
    "via_bot",
    "saved_from",
    "author",
    "forwarded_from",
    "edited",
    "edited_unixtime",
    "reply_to_peer_id",
    "title",
    "members",
    "message_id",
    "discard_reason",
    "inviter",
    "boosts",
    "poll",
    "contact_information",
    "location_information",
    "reactions",
)

Rows = list[tuple[str, dict]]


def _time(msg: dict, zone: ZoneInfo, notes: dict) -> datetime:
    unix = msg.get("date_unixtime")
    if unix is not None and unix != "":
        if isinstance(unix, bool) or not isinstance(unix, int | str):
            raise bad("date_unixtime", unix, "seconds since 1970")
        text = str(unix).strip()
        if not text.lstrip("-").isdigit():
            raise bad("date_unixtime", unix, "seconds since 1970")
        try:
            return datetime.fromtimestamp(int(text), UTC).replace(tzinfo=None)
        except (OverflowError, OSError, ValueError):
            raise bad("date_unixtime", unix, "seconds since 1970 in range") from None
    local = msg.get("date")
    if local is None or local == "":
        raise missing("date")
    if not isinstance(local, str):
        raise bad("date", local, "a time")
    try:
        dt = datetime.fromisoformat(local.strip())
    except ValueError:
        raise bad("date", local, "a time (YYYY-MM-DDTHH:MM:SS)") from None
    if dt.tzinfo is None:
        notes["date"] = (
            f"'date' without 'date_unixtime' is a local time without zone, read as {zone.key}"
        )
        dt = dt.replace(tzinfo=zone)
    return dt.astimezone(UTC).replace(tzinfo=None)


def _peer(msg: dict, key: str) -> str | None:
    value = msg.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return f"user{value}"  # old exports wrote bare user ids
    if isinstance(value, str):
        return value.strip() or None
    raise bad(key, value, "an id like 'user123'")


def _text(msg: dict) -> tuple[str | None, list[dict]]:
    """The message text and its entities (``text_entities`` when exported, else from ``text``)."""
    raw = msg.get("text")
    parts: list[str] = []
    inline: list[dict] = []
    if isinstance(raw, str):
        parts.append(raw)
    elif isinstance(raw, list):
        for piece in raw:
            if isinstance(piece, str):
                parts.append(piece)
            elif isinstance(piece, dict):
                value = piece.get("text", "")
                if not isinstance(value, str):
                    raise bad("text.text", value, "text")
                parts.append(value)
                inline.append(piece)
            else:
                raise bad("text", piece, "text or an entity")
    elif raw is not None:
        raise bad("text", raw, "text or a list of entities")
    entities = get_items(msg, "text_entities") if "text_entities" in msg else inline
    text = "".join(parts)
    return (text or None), entities


def _entities(entities: list[dict]) -> tuple[list[str], list[str], list[str], list[str]]:
    hashtags, mentions, urls, cashtags = [], [], [], []
    for e in entities:
        kind = get_str(e, "type", "text_entities.")
        text = get_str(e, "text", "text_entities.") or ""
        if kind == "hashtag":
            hashtags.append(text.lstrip("#"))
        elif kind == "cashtag":
            cashtags.append(text.lstrip("$"))
        elif kind == "mention":
            mentions.append(text.lstrip("@"))
        elif kind == "mention_name":
            uid = get_id(e, "user_id", "text_entities.")
            mentions.append(f"user{uid}" if uid else text)
        elif kind == "link":
            urls.append(text)
        elif kind == "text_link":
            href = get_str(e, "href", "text_entities.")
            if href:
                urls.append(href)
    return hashtags, mentions, urls, cashtags


def message_rows(
    msg: Any, chat_id: str, chat_type: str | None, platform: str, zone: ZoneInfo, notes: dict
) -> Rows:
    if not isinstance(msg, dict):
        raise BadValue(f"not a message: a JSON {type(msg).__name__}, not an object")
    msg_id = get_id(msg, "id")
    if msg_id is None:
        raise missing("id")
    try:
        return _message_rows(msg, msg_id, chat_id, chat_type, platform, zone, notes)
    except BadValue as exc:
        raise BadValue(f"message {msg_id}: {exc}") from None


def _message_rows(
    msg: dict,
    msg_id: str,
    chat_id: str,
    chat_type: str | None,
    platform: str,
    zone: ZoneInfo,
    notes: dict,
) -> Rows:
    mtype = get_str(msg, "type") or "message"
    created = _time(msg, zone, notes)
    service = mtype == "service"
    actor, author = _peer(msg, "actor_id"), _peer(msg, "from_id")
    sender = (actor or author) if service else (author or actor)
    name = get_str(msg, "actor" if service else "from", "") or get_str(msg, "from")
    text, entities = _text(msg)
    hashtags, mentions, urls, cashtags = _entities(entities)
    media = []
    for key in _MEDIA_KEYS:
        path = get_str(msg, key)
        if path and not path.startswith(_NOT_INCLUDED):
            media.append(path)
    forwarded = get_str(msg, "forwarded_from")
    forwarded_id = _peer(msg, "forwarded_from_id")
    reply_to = get_id(msg, "reply_to_message_id")
    if service:
        kind, target, target_account = "service", None, None
    elif forwarded is not None or forwarded_id is not None:
        kind, target, target_account = "repost", None, forwarded_id or forwarded
    elif reply_to is not None:
        peer = get_id(msg, "reply_to_peer_id")
        kind, target, target_account = "reply", f"{peer or chat_id}/{reply_to}", None
    else:
        kind, target, target_account = "post", None, None
    extra = compact({k: msg.get(k) for k in _MESSAGE_EXTRA if k in msg})
    extra.update(
        compact(
            {
                "type": mtype if mtype != "message" else None,
                "action": get_str(msg, "action") if service else None,
                "sender_name": name,
                "photo": True if "photo" in msg else None,
                "file": True if "file" in msg else None,
                "cashtags": cashtags,
                "local_date": get_str(msg, "date"),
            }
        )
    )
    if service and "reply_to_message_id" in msg:  # e.g. "pin_message" points at the pinned one
        extra["message_id"] = reply_to
    reactions = get_list(msg, "reactions")
    likes = None
    if reactions:
        likes = sum(
            get_int(r, "count", "reactions.") or 0 for r in reactions if isinstance(r, dict)
        )
    rows: Rows = [
        (
            "posts",
            {
                "platform": platform,
                "post_id": f"{chat_id}/{msg_id}",
                "account_id": sender,
                "created_at": created,
                "kind": kind,
                "text": text,
                "target_post_id": target,
                "target_account_id": target_account,
                "hashtags": hashtags,
                "mentions": mentions,
                "urls": list(dict.fromkeys(urls)),
                "media": media,
                "like_count": likes,
                "time_precision": "second",
                "extra": extra,
            },
        )
    ]
    if sender is not None:
        rows.append(
            (
                "accounts",
                {
                    "platform": platform,
                    "account_id": sender,
                    "display_name": name,
                    "observed_at": created,
                },
            )
        )
        own_channel = chat_type in ("private_channel", "public_channel") and sender == (
            f"channel{chat_id}"
        )
        rows.append(
            (
                "memberships",
                {
                    "platform": platform,
                    "group_id": chat_id,
                    "account_id": sender,
                    "role": "owner" if own_channel else "member",
                },
            )
        )
    return rows


def _chat_row(scalars: dict, platform: str) -> dict:
    chat_type = scalars.get("type") if isinstance(scalars.get("type"), str) else None
    name = scalars.get("name")
    return {
        "platform": platform,
        "group_id": str(scalars["id"]),
        "kind": CHAT_KINDS.get(chat_type or "", chat_type),
        "name": name if isinstance(name, str) else None,
        "extra": compact({"type": chat_type}),
    }


def _is_chat(scalars: dict) -> bool:
    chat_id = scalars.get("id")
    return (
        isinstance(chat_id, int | str)
        and not isinstance(chat_id, bool)
        and isinstance(scalars.get("type"), str)
    )


class TelegramDesktopReader(Reader):
    format = "telegram_desktop"
    description = "Telegram Desktop chat export JSON (one chat's result.json or the full export)"
    primary_table = "posts"

    def sniff(self, head: Head) -> float:
        text = head.text[:65536]
        if not text.lstrip().startswith("{"):
            return 0.0
        if '"about": "Here is the data you requested' in text:
            return 0.95
        chat_type = any(f'"type": "{t}"' in text for t in CHAT_KINDS)
        if '"messages": [' in text and chat_type:
            return 0.95
        if '"chats": {' in text and '"list": [' in text and chat_type:
            return 0.9
        return 0.0

    def read(self, source: Source, stage: Stage) -> None:
        platform = stage.options.platform or "telegram"
        try:
            zone = ZoneInfo(stage.options.tz or "UTC")
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise InputError(f"--tz {stage.options.tz!r}: not a known time zone name") from exc
        notes: dict[str, Any] = {}
        chats: set[str] = set()

        def add_chat(scalars: dict, line: int) -> None:
            row = _chat_row(scalars, platform)
            if row["group_id"] not in chats:
                chats.add(row["group_id"])
                stage.add("groups", row, line)

        for event in iter_document(
            source, {"messages"}, top_level_items=False, progress=stage.progress
        ):
            if isinstance(event, End):
                if _is_chat(event.scalars) and (
                    "messages" in event.arrays or event.scalars.get("type") in CHAT_KINDS
                ):
                    add_chat(event.scalars, event.line)
                elif event.key == "personal_information" and event.scalars.get("user_id"):
                    s = event.scalars
                    names = " ".join(
                        str(s[k]) for k in ("first_name", "last_name") if isinstance(s.get(k), str)
                    )
                    text = {k: v.strip() for k, v in s.items() if isinstance(v, str) and v.strip()}
                    stage.add(
                        "accounts",
                        {
                            "platform": platform,
                            "account_id": f"user{s['user_id']}",
                            "screen_name": text.get("username", "").lstrip("@") or None,
                            "display_name": names or None,
                            "description": text.get("bio"),
                            "extra": {"export_owner": True},
                        },
                        event.line,
                    )
                continue
            stage.count_read()
            if event.error is not None:
                stage.reject(event.line, event.error, event.raw)
                continue
            chat = event.parents[-1] if event.parents else {}
            if not _is_chat(chat):
                stage.reject(
                    event.line,
                    "message outside a chat (no chat id and type before its messages)",
                    event.raw,
                )
                continue
            try:
                rows = message_rows(
                    event.value, str(chat["id"]), chat.get("type"), platform, zone, notes
                )
            except BadValue as exc:
                stage.reject(event.line, str(exc), event.raw)
                continue
            add_chat(chat, event.line)
            for table, row in rows:
                stage.add(table, row, event.line)
        stage.assumptions.update(notes)
