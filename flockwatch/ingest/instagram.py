"""Instagram "Download your information" follower lists (``instagram_follows``): ``followers_1.json``
(a top-level array) and ``following.json`` (``{"relationships_following": [...]}``; older exports
also wrote ``{"relationships_followers": [...]}``).

Each entry names one account in ``string_list_data``: older exports put the username in
``value``, newer ones (2024-25) in the entry's ``title`` and omit ``value``; the profile link
(``href``) is the last resort. Usernames are Instagram's case-insensitive handles, stored lower case
and trimmed (the same account listed twice is one follow). ``timestamp`` (when the follow began, as
Instagram reports it) is the follow's ``observed_at``.

The export does not say whose it is. The owner's id is taken from an ``instagram-<username>-<date>``
folder or archive name in the file's path (how Instagram names the download) and is otherwise the
placeholder ``self``; the ingest's assumptions say which. A followers file gives follows
``<entry> -> owner``; a following file ``owner -> <entry>``; a bare array is a followers file
unless its name says "following". Both kinds of file are read as the document streams, so an entry
with a bad value is rejected at its own line and the others load.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from flockwatch.ingest.base import Head, Reader, Stage
from flockwatch.ingest.jsondoc import iter_document
from flockwatch.ingest.sources import Source
from flockwatch.ingest.twitter_v1 import BadValue, bad, get_items, get_str

FOLLOWERS = "relationships_followers"
FOLLOWING = "relationships_following"
_USERNAME = re.compile(r"[a-z0-9._]{1,30}")
_OWNER = re.compile(r"instagram-([A-Za-z0-9._]{1,30})-\d{4}-\d{2}-\d{2}")
PLACEHOLDER_OWNER = "self"


def owner_of(name: str) -> str | None:
    """The export owner's username from an ``instagram-<username>-YYYY-MM-DD...`` path part."""
    m = _OWNER.search(name.replace("\\", "/"))
    return m.group(1).lower() if m else None


def _username(entry: dict) -> tuple[str, str | None, datetime | None]:
    items = get_items(entry, "string_list_data")
    data = items[0] if items else {}
    p = "string_list_data."
    raw = get_str(data, "value", p) or get_str(entry, "title")
    href = get_str(data, "href", p)
    if raw is None and href:
        path = urlsplit(href).path.strip("/")
        raw = path.split("/")[-1] if path else None
        if path.startswith("_u/"):
            raw = path[3:]
    if raw is None:
        raise BadValue("field string_list_data.value: required value is missing (no username)")
    user = raw.strip().lstrip("@").lower()
    if not _USERNAME.fullmatch(user):
        raise bad(
            "string_list_data.value" if data.get("value") else "title", raw, "an Instagram username"
        )
    stamp = data.get("timestamp")
    when = None
    if stamp not in (None, "", 0):
        if isinstance(stamp, bool) or not isinstance(stamp, int | str) or not str(stamp).isdigit():
            raise bad(p + "timestamp", stamp, "seconds since 1970")
        try:
            when = datetime.fromtimestamp(int(stamp), UTC).replace(tzinfo=None)
        except (OverflowError, OSError, ValueError):
            raise bad(p + "timestamp", stamp, "seconds since 1970 in range") from None
    return user, href, when


class InstagramFollowsReader(Reader):
    format = "instagram_follows"
    description = "Instagram 'download your information' followers/following JSON"
    primary_table = "follows"

    def sniff(self, head: Head) -> float:
        text = head.text.lstrip()
        if '"string_list_data"' not in text[:65536]:
            return 0.0
        if text.startswith("[") or f'"{FOLLOWERS}"' in text[:200] or f'"{FOLLOWING}"' in text[:200]:
            return 0.95
        return 0.0

    def read(self, source: Source, stage: Stage) -> None:
        platform = stage.options.platform or "instagram"
        owner = owner_of(source.name)
        if owner is None:
            owner = PLACEHOLDER_OWNER
            stage.assumptions["owner"] = (
                f"the export's owner is not named in the file or its path: '{PLACEHOLDER_OWNER}' "
                f"stands for the account that downloaded {source.name.rsplit('/', 1)[-1]}"
            )
        else:
            stage.assumptions["owner"] = f"'{owner}', from the export's folder or archive name"
        bare_following = "following" in source.name.rsplit("/", 1)[-1].lower()
        owner_added = False
        seen: set[str] = set()
        for item in iter_document(source, {FOLLOWERS, FOLLOWING}, progress=stage.progress):
            if not hasattr(item, "value"):
                continue  # an object closing: nothing to take from it
            stage.count_read()
            if item.error is not None:
                stage.reject(item.line, item.error, item.raw)
                continue
            entry: Any = item.value
            try:
                if not isinstance(entry, dict):
                    raise BadValue(
                        f"not a follower entry: a JSON {type(entry).__name__}, not an object"
                    )
                user, href, when = _username(entry)
            except BadValue as exc:
                stage.reject(item.line, str(exc), item.raw)
                continue
            following = item.key == FOLLOWING or (item.key is None and bare_following)
            follower, followee = (owner, user) if following else (user, owner)
            seen.add(
                "following: the owner follows each entry"
                if following
                else "followers: each entry follows the owner"
            )
            stage.add(
                "follows",
                {
                    "platform": platform,
                    "follower_id": follower,
                    "followee_id": followee,
                    "observed_at": when,
                },
                item.line,
            )
            stage.add(
                "accounts",
                {"platform": platform, "account_id": user, "screen_name": user, "url": href},
                item.line,
            )
            if not owner_added:
                owner_added = True
                stage.add(
                    "accounts",
                    {
                        "platform": platform,
                        "account_id": owner,
                        "screen_name": None if owner == PLACEHOLDER_OWNER else owner,
                        "extra": {"export_owner": True},
                    },
                    item.line,
                )
        if seen:
            stage.assumptions["relation"] = "; ".join(sorted(seen))
