"""Bluesky Jetstream v1 events (``bluesky_jetstream``): JSON Lines as Jetstream serves them.

Ids: a DID (``did:plc:...``) is an account id; an AT-URI (``at://DID/COLLECTION/RKEY``) is the id of
a post, repost, like, follow or block record. ``time_us`` (when Jetstream saw the event, in
microseconds) is when accounts were seen and when deletions happened; a record's own
``createdAt`` (set by the client) is its ``created_at`` and is kept apart from ``seen_at`` in
``extra``, since backdated records are themselves a signal.

What goes where:

- ``app.bsky.feed.post`` -> ``posts``: a reply (``record.reply.parent``) has kind ``reply`` and
  targets the parent; a quote (embed ``app.bsky.embed.record`` or ``recordWithMedia`` of a post)
  has kind ``quote``; images and videos -> ``media`` (CDN URLs built from the blob CIDs), external
  cards -> ``urls``; facets -> hashtags (with the record's ``tags``), mentions (DIDs) and links.
- ``app.bsky.feed.repost`` -> ``posts`` of kind ``repost`` targeting the subject.
- ``app.bsky.feed.like`` -> ``likes`` (not posts: a like has no text, and detectors of posting
  behaviour must not count it as activity of the same kind).
- ``app.bsky.graph.follow`` -> ``follows`` (``record_id`` = the follow's AT-URI);
  ``app.bsky.graph.block`` -> ``blocks``.
- ``app.bsky.graph.list`` / ``listitem`` -> ``groups`` (kind ``list``) / ``memberships``.
- ``app.bsky.actor.profile`` -> an account row and a snapshot of its names and description.
- A delete -> ``deletions`` (nothing is removed: the matching post, like, follow or block gets
  ``deleted_at``). A deleted post or repost never seen is kept as a stub post (``extra.stub``), its
  ``created_at`` read from the record key (a TID holds the creation time); a later ingest of the
  post itself fills the stub in.
- ``identity`` events (handle changes) and ``account`` events (deactivation, takedown...) -> an
  account row and a snapshot (``screen_name`` or ``status``).
- Other collections (statuses, feed generators, third-party lexicons) are counted in the ingest's
  assumptions as ignored; the account that wrote them is still recorded as seen.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from flockwatch.ingest.base import Head, Reader, Stage
from flockwatch.ingest.jsonrecords import iter_json_records
from flockwatch.ingest.sources import Source
from flockwatch.ingest.twitter_v1 import (
    BadValue,
    bad,
    compact,
    first_json_object,
    get_dict,
    get_items,
    get_list,
    get_str,
    get_time,
    json_raw,
    missing,
)

POST = "app.bsky.feed.post"
REPOST = "app.bsky.feed.repost"
LIKE = "app.bsky.feed.like"
FOLLOW = "app.bsky.graph.follow"
BLOCK = "app.bsky.graph.block"
LIST = "app.bsky.graph.list"
LISTITEM = "app.bsky.graph.listitem"
PROFILE = "app.bsky.actor.profile"
#: What a deletion in each collection deletes (deletions.record_kind).
DELETABLE = {
    POST: "post",
    REPOST: "repost",
    LIKE: "like",
    FOLLOW: "follow",
    BLOCK: "block",
    LIST: "list",
    LISTITEM: "listitem",
}
_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
_TID_EARLIEST = datetime(2022, 11, 1)  # Bluesky's first records
_IMAGE_CDN = "https://cdn.bsky.app/img/feed_fullsize/plain/{did}/{cid}@jpeg"
_VIDEO_CDN = "https://video.bsky.app/watch/{did}/{cid}/playlist.m3u8"

Rows = list[tuple[str, dict]]


def tid_time(rkey: str) -> datetime | None:
    """The creation time a TID record key holds (53 bits of microseconds), if it is a TID."""
    if len(rkey) != 13 or any(c not in _TID_ALPHABET for c in rkey):
        return None
    value = 0
    for c in rkey:
        value = value * 32 + _TID_ALPHABET.index(c)
    try:
        return datetime.fromtimestamp((value >> 10) / 1e6, UTC).replace(tzinfo=None)
    except (OverflowError, OSError, ValueError):
        return None


def did_of(uri: str | None) -> str | None:
    """The account (authority) of an AT-URI."""
    if not uri or not uri.startswith("at://"):
        return None
    return uri[5:].split("/", 1)[0] or None


def collection_of(uri: str | None) -> str | None:
    if not uri or not uri.startswith("at://"):
        return None
    parts = uri[5:].split("/")
    return parts[1] if len(parts) > 1 else None


def _did(obj: dict, key: str, path: str = "") -> str:
    value = get_str(obj, key, path)
    if value is None:
        raise missing(path + key)
    if not value.startswith("did:"):
        raise bad(path + key, value, "a DID")
    return value


def _uri(obj: dict, key: str, path: str) -> str:
    value = get_str(obj, key, path)
    if value is None:
        raise missing(path + key)
    if not value.startswith("at://"):
        raise bad(path + key, value, "an AT-URI")
    return value


def _seen(event: dict) -> datetime:
    value = event.get("time_us")
    if value is None:
        raise missing("time_us")
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad("time_us", value, "microseconds since 1970 (a whole number)")
    try:
        return datetime(1970, 1, 1) + timedelta(microseconds=value)
    except OverflowError:
        raise bad("time_us", value, "microseconds since 1970 in range") from None


def _blob_cid(blob: Any, path: str) -> str | None:
    if blob is None:
        return None
    if not isinstance(blob, dict):
        raise bad(path, blob, "a blob")
    ref = blob.get("ref")
    if isinstance(ref, dict):
        return get_str(ref, "$link", path + ".ref.")
    return get_str(blob, "cid", path + ".") or (ref if isinstance(ref, str) else None)


def _embed(embed: dict, did: str, path: str, out: dict[str, Any]) -> None:
    """Collect what an embed holds: quoted record, media, external links."""
    kind = get_str(embed, "$type", path)
    out["embed_types"].append(kind)
    if kind == "app.bsky.embed.images":
        for i, image in enumerate(get_items(embed, "images", path)):
            cid = _blob_cid(image.get("image"), f"{path}images.{i}.image")
            if cid:
                out["media"].append(_IMAGE_CDN.format(did=did, cid=cid))
            alt = get_str(image, "alt", f"{path}images.")
            if alt:
                out["alt"].append(alt)
    elif kind == "app.bsky.embed.video":
        cid = _blob_cid(embed.get("video"), path + "video")
        if cid:
            out["media"].append(_VIDEO_CDN.format(did=did, cid=cid))
        alt = get_str(embed, "alt", path)
        if alt:
            out["alt"].append(alt)
    elif kind == "app.bsky.embed.external":
        external = get_dict(embed, "external", path)
        link = get_str(external, "uri", path + "external.")
        if link:
            out["urls"].append(link)
        title = get_str(external, "title", path + "external.")
        if title:
            out["card_title"] = title
    elif kind == "app.bsky.embed.record":
        ref = get_dict(embed, "record", path)
        uri = _uri(ref, "uri", path + "record.")
        if collection_of(uri) == POST:
            out["quote"] = uri
        else:  # a list, feed generator, starter pack ... shared in the post
            out["embedded_record"] = uri
    elif kind == "app.bsky.embed.recordWithMedia":
        _embed(get_dict(embed, "record", path), did, path + "record.", out)
        media = get_dict(embed, "media", path)
        if media:
            _embed(media, did, path + "media.", out)


def _post(record: dict, did: str, uri: str, created: datetime, seen: datetime, platform: str):
    p = "commit.record."
    text = get_str(record, "text", p)
    langs = [v for v in get_list(record, "langs", p) if isinstance(v, str)]
    hashtags: list[str] = []
    mentions: list[str] = []
    urls: list[str] = []
    for i, facet in enumerate(get_items(record, "facets", p)):
        for feature in get_items(facet, "features", f"{p}facets.{i}."):
            fp = f"{p}facets.{i}.features."
            kind = get_str(feature, "$type", fp) or ""
            if kind.endswith("#tag"):
                tag = get_str(feature, "tag", fp)
                if tag:
                    hashtags.append(tag)
            elif kind.endswith("#mention"):
                who = get_str(feature, "did", fp)
                if who:
                    mentions.append(who)
            elif kind.endswith("#link"):
                link = get_str(feature, "uri", fp)
                if link:
                    urls.append(link)
    for tag in get_list(record, "tags", p):
        if not isinstance(tag, str):
            raise bad(p + "tags", tag, "text")
        hashtags.append(tag)
    found: dict[str, Any] = {"embed_types": [], "media": [], "urls": [], "alt": []}
    embed = get_dict(record, "embed", p)
    if embed:
        _embed(embed, did, p + "embed.", found)
    reply = get_dict(record, "reply", p)
    parent = (
        _uri(get_dict(reply, "parent", p + "reply."), "uri", p + "reply.parent.") if reply else None
    )
    root = (
        get_str(get_dict(reply, "root", p + "reply."), "uri", p + "reply.root.") if reply else None
    )
    quote = found.get("quote")
    kind = "reply" if parent else "quote" if quote else "post"
    target = parent or quote
    labels = [
        get_str(v, "val", p + "labels.values.")
        for v in get_items(get_dict(record, "labels", p), "values", p + "labels.")
    ]
    extra = compact(
        {
            "seen_at": seen.isoformat(),
            "reply_root": root if root != parent else None,
            "quoted": quote if kind == "reply" else None,
            "embed": found["embed_types"],
            "embedded_record": found.get("embedded_record"),
            "card_title": found.get("card_title"),
            "alt": found["alt"],
            "langs": langs if len(langs) > 1 else None,
            "labels": [v for v in labels if v],
        }
    )
    return {
        "platform": platform,
        "post_id": uri,
        "account_id": did,
        "created_at": created,
        "kind": kind,
        "text": text,
        "lang": langs[0] if langs else None,
        "target_post_id": target,
        "target_account_id": did_of(target),
        "hashtags": list(dict.fromkeys(hashtags)),
        "mentions": list(dict.fromkeys(mentions)),
        "urls": list(dict.fromkeys(urls + found["urls"])),
        "media": found["media"],
        "time_precision": "second",
        "extra": extra,
    }


def _commit(event: dict, did: str, seen: datetime, platform: str, ignored: Counter) -> Rows:
    commit = event.get("commit")
    if not isinstance(commit, dict):
        raise missing("commit") if commit is None else bad("commit", commit, "an object")
    op = get_str(commit, "operation", "commit.")
    collection = get_str(commit, "collection", "commit.")
    rkey = get_str(commit, "rkey", "commit.")
    if op not in ("create", "update", "delete"):
        raise bad("commit.operation", op, "create, update or delete")
    if collection is None:
        raise missing("commit.collection")
    if rkey is None:
        raise missing("commit.rkey")
    uri = f"at://{did}/{collection}/{rkey}"
    rows: Rows = []
    if op == "delete":
        if collection not in DELETABLE:
            ignored[f"{collection} (delete)"] += 1
            return rows
        what = DELETABLE[collection]
        rows.append(
            (
                "deletions",
                {
                    "platform": platform,
                    "record_id": uri,
                    "account_id": did,
                    "record_kind": what,
                    "deleted_at": seen,
                },
            )
        )
        if what in ("post", "repost"):
            # Kept even if the post was never seen: that it existed and vanished is evidence.
            made = tid_time(rkey)
            if made is not None and not _TID_EARLIEST <= made <= seen + timedelta(days=1):
                made = None
            rows.append(
                (
                    "posts",
                    {
                        "platform": platform,
                        "post_id": uri,
                        "account_id": did,
                        "created_at": made,
                        "kind": "repost" if what == "repost" else None,
                        "time_precision": "second" if made else None,
                        "deleted_at": seen,
                        "extra": compact(
                            {
                                "stub": "deleted before its content was seen",
                                "created_at_from": "record key (TID)" if made else None,
                            }
                        ),
                    },
                )
            )
        return rows
    record = commit.get("record")
    if not isinstance(record, dict):
        raise (
            missing("commit.record")
            if record is None
            else bad("commit.record", record, "an object")
        )
    p = "commit.record."
    created = get_time(record, "createdAt", p) or seen
    note = {"operation": "update"} if op == "update" else {}
    if collection == POST:
        row = _post(record, did, uri, created, seen, platform)
        row["extra"].update(compact({"cid": get_str(commit, "cid", "commit.")}), **note)
        rows.append(("posts", row))
    elif collection == REPOST:
        subject = get_dict(record, "subject", p)
        if not subject:
            raise missing(p + "subject")
        target = _uri(subject, "uri", p + "subject.")
        via = get_dict(record, "via", p)
        rows.append(
            (
                "posts",
                {
                    "platform": platform,
                    "post_id": uri,
                    "account_id": did,
                    "created_at": created,
                    "kind": "repost",
                    "target_post_id": target,
                    "target_account_id": did_of(target),
                    "time_precision": "second",
                    "extra": compact(
                        {
                            "seen_at": seen.isoformat(),
                            "via": get_str(via, "uri", p + "via."),
                            **note,
                        }
                    ),
                },
            )
        )
    elif collection == LIKE:
        subject = get_dict(record, "subject", p)
        if not subject:
            raise missing(p + "subject")
        target = _uri(subject, "uri", p + "subject.")
        via = get_dict(record, "via", p)
        rows.append(
            (
                "likes",
                {
                    "platform": platform,
                    "like_id": uri,
                    "account_id": did,
                    "target_post_id": target,
                    "target_account_id": did_of(target),
                    "created_at": created,
                    "extra": compact(
                        {
                            "seen_at": seen.isoformat(),
                            "via": get_str(via, "uri", p + "via."),
                            "subject_kind": (
                                collection_of(target) if collection_of(target) != POST else None
                            ),
                        }
                    ),
                },
            )
        )
    elif collection in (FOLLOW, BLOCK):
        subject = _did(record, "subject", p)
        if collection == FOLLOW:
            row = {"platform": platform, "follower_id": did, "followee_id": subject}
            table = "follows"
        else:
            row = {"platform": platform, "blocker_id": did, "blocked_id": subject}
            table = "blocks"
        row.update(observed_at=created, record_id=uri)
        rows.append((table, row))
    elif collection == LIST:
        rows.append(
            (
                "groups",
                {
                    "platform": platform,
                    "group_id": uri,
                    "kind": "list",
                    "name": get_str(record, "name", p),
                    "description": get_str(record, "description", p),
                    "created_at": created,
                    "extra": compact({"purpose": get_str(record, "purpose", p), "owner": did}),
                },
            )
        )
        rows.append(
            (
                "memberships",
                {"platform": platform, "group_id": uri, "account_id": did, "role": "owner"},
            )
        )
    elif collection == LISTITEM:
        group = _uri(record, "list", p)
        member = _did(record, "subject", p)
        rows.append(
            (
                "memberships",
                {"platform": platform, "group_id": group, "account_id": member, "role": "member"},
            )
        )
    elif collection == PROFILE:
        display = get_str(record, "displayName", p)
        description = get_str(record, "description", p)
        avatar = _blob_cid(record.get("avatar"), p + "avatar")
        rows.append(
            (
                "accounts",
                {
                    "platform": platform,
                    "account_id": did,
                    "display_name": display,
                    "description": description,
                    "profile_image_url": _IMAGE_CDN.format(did=did, cid=avatar) if avatar else None,
                    "default_profile_image": avatar is None,
                    "observed_at": seen,
                    "extra": compact(
                        {
                            "pinned_post": get_str(get_dict(record, "pinnedPost", p), "uri", p),
                            "profile_created_at": (
                                made.isoformat()
                                if (made := get_time(record, "createdAt", p))
                                else None
                            ),
                        }
                    ),
                },
            )
        )
        rows.append(
            (
                "account_snapshots",
                {
                    "platform": platform,
                    "account_id": did,
                    "observed_at": seen,
                    "display_name": display,
                    "description": description,
                },
            )
        )
    else:
        ignored[collection] += 1
    return rows


def _identity(event: dict, did: str, seen: datetime, platform: str) -> Rows:
    body = get_dict(event, "identity")
    handle = get_str(body, "handle", "identity.")
    get_time(body, "time", "identity.")  # checked: a bad time is a bad event
    rows: Rows = [
        (
            "accounts",
            {"platform": platform, "account_id": did, "screen_name": handle, "observed_at": seen},
        )
    ]
    if handle:
        rows.append(
            (
                "account_snapshots",
                {
                    "platform": platform,
                    "account_id": did,
                    "observed_at": seen,
                    "screen_name": handle,
                },
            )
        )
    return rows


def _account(event: dict, did: str, seen: datetime, platform: str) -> Rows:
    body = get_dict(event, "account")
    active = body.get("active")
    if active is not None and not isinstance(active, bool):
        raise bad("account.active", active, "true/false")
    status = get_str(body, "status", "account.") or (
        "active" if active else "inactive" if active is False else None
    )
    at = get_time(body, "time", "account.")
    return [
        (
            "accounts",
            {
                "platform": platform,
                "account_id": did,
                "observed_at": seen,
                "extra": compact(
                    {"active": active, "status": status, "status_at": (at or seen).isoformat()}
                ),
            },
        ),
        (
            "account_snapshots",
            {"platform": platform, "account_id": did, "observed_at": seen, "status": status},
        ),
    ]


def event_rows(event: Any, platform: str, ignored: Counter) -> Rows:
    """The canonical rows of one Jetstream event; :class:`BadValue` when it cannot be used."""
    if not isinstance(event, dict):
        raise BadValue(f"not a Jetstream event: a JSON {type(event).__name__}, not an object")
    did = _did(event, "did")
    seen = _seen(event)
    kind = get_str(event, "kind")
    seen_row = ("accounts", {"platform": platform, "account_id": did, "observed_at": seen})
    if kind == "commit":
        return [seen_row, *_commit(event, did, seen, platform, ignored)]
    if kind == "identity":
        return _identity(event, did, seen, platform)
    if kind == "account":
        return _account(event, did, seen, platform)
    raise bad("kind", kind, "commit, identity or account")


class BlueskyJetstreamReader(Reader):
    format = "bluesky_jetstream"
    description = "Bluesky Jetstream v1 events as JSON Lines (posts, reposts, likes, follows, blocks, deletes, identity and account events)"
    primary_table = "posts"

    def sniff(self, head: Head) -> float:
        value = first_json_object(head)
        if (
            isinstance(value, dict)
            and isinstance(value.get("did"), str)
            and value.get("kind") in ("commit", "identity", "account")
            and "time_us" in value
        ):
            return 0.95
        return 0.0

    def read(self, source: Source, stage: Stage) -> None:
        platform = stage.options.platform or "bluesky"
        ignored: Counter = Counter()

        def reject(line: int | None, reason: str, raw: str | bytes) -> None:
            stage.count_read()
            stage.reject(line, reason, raw)

        for line, event in iter_json_records(source, reject, stage.progress):
            stage.count_read()
            try:
                rows = event_rows(event, platform, ignored)
            except BadValue as exc:
                stage.reject(line, str(exc), json_raw(event))
                continue
            for table, row in rows:
                stage.add(table, row, line)
        if ignored:
            stage.assumptions["ignored_collections"] = dict(sorted(ignored.items()))
