"""Twitter API v1.1: tweet and user objects as JSON, and CSV files of v1.1 user objects.

JSON (``twitter_v1_tweets``, ``twitter_v1_users``): JSON Lines, a JSON array, or objects separated
by blank lines (the 2014 streaming dumps). A tweet's embedded ``user`` becomes an account row and a
snapshot observed at the record's collection time when it carries one (``collected_at``,
``retrieved_at``, ``crawled_at``, ``__twarc.retrieved_at`` ... on the record or on a wrapper such as
``{"collected_at": ..., "tweet": {...}}``), else at the tweet's ``created_at`` (Twitter served the
user object with the tweet, so its counts are at least that recent). Embedded retweeted and quoted
tweets are staged as posts too, with their own users observed at the same time. Stream notices
(``delete``, ``limit``, ``scrub_geo`` ...) are not tweets and are rejected with what they are.

CSV (``twitter_v1_users_csv``): the labeled bot datasets (cresci-2015 "Fame for sale", cresci-2017
"social spambots" and their mirrors) ship v1.1 user objects as CSV. Quirks handled: booleans are
"1" or empty (empty means false when the column says "1" anywhere in the file, else unknown);
"NULL" for missing values; the observation time is ``crawled_at`` (cresci-2017) or ``updated``
(cresci-2015, written "14-02-2015 10.54", day first, read as UTC); cresci-2017's ``timestamp`` is
the creation time in local time, not an observation, and is only used as one when it is later than
``created_at`` by more than a day. Columns that are not mapped (labels like ``dataset``,
``is_fake``, ``test_set_1``, colours, time zone) are kept in ``extra``.
"""

from __future__ import annotations

import html
import json
import re
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from flockwatch.errors import InputError
from flockwatch.ingest.base import Head, Reader, Stage
from flockwatch.ingest.csvscan import header_of, reject_bad_rows, scan_csv
from flockwatch.ingest.jsonrecords import iter_json_records
from flockwatch.ingest.sources import Source
from flockwatch.ingest.sqlvalues import empty, lit, q, sql_bool, sql_int, sql_str, sql_time
from flockwatch.ingest.values import parse_bool, parse_int, parse_time

# -- shared helpers for the JSON readers (also used by twitter_v2) ------------------------------

#: Fields a collector may put on a record (or on a wrapper around it) saying when it was fetched.
COLLECTION_TIME_KEYS = (
    "collected_at",
    "retrieved_at",
    "crawled_at",
    "observed_at",
    "fetched_at",
    "scraped_at",
    "downloaded_at",
)
_WRAPPER_KEYS = ("tweet", "status", "data", "doc", "_source", "record")
_NOTICES = (
    "delete",
    "limit",
    "scrub_geo",
    "status_withheld",
    "user_withheld",
    "disconnect",
    "warning",
    "event",
    "friends",
    "friends_str",
    "control",
)
_INT64 = 1 << 63


class BadValue(ValueError):
    """A record's field whose value cannot be used; the message names the field and the value."""


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return "'" + (text if len(text) <= 80 else text[:80] + "...") + "'"


def bad(field: str, value: Any, what: str) -> BadValue:
    return BadValue(f"field {field}: value {_shown(value)} is not {what}")


def missing(field: str) -> BadValue:
    return BadValue(f"field {field}: required value is missing")


def get_str(obj: dict, key: str, path: str = "") -> str | None:
    value = obj.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise bad(path + key, value, "text")


def get_id(obj: dict, key: str, path: str = "") -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise bad(path + key, value, "an id")


def get_int(obj: dict, key: str, path: str = "") -> int | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool):
        raise bad(path + key, value, "a whole number")
    try:
        n = parse_int(value)
    except (ValueError, OverflowError):
        raise bad(path + key, value, "a whole number") from None
    if n is not None and not -_INT64 <= n < _INT64:
        raise bad(path + key, value, "a whole number in range")
    return n


def get_bool(obj: dict, key: str, path: str = "") -> bool | None:
    value = obj.get(key)
    if value is None:
        return None
    try:
        return parse_bool(value)
    except ValueError:
        raise bad(path + key, value, "true/false") from None


_V1_TIME = re.compile(
    r"[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d\d) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d) (\d{4})"
)
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1
    )
}


@lru_cache(maxsize=1 << 16)
def _text_time(text: str) -> datetime | None:
    """A time string as naive UTC; v1.1 times ("Wed Aug 27 13:08:45 +0000 2008") without strptime.

    Cached: tweets of one stream share their seconds, and an account's created_at recurs."""
    m = _V1_TIME.fullmatch(text)
    if m and m.group(1) in _MONTHS:
        mon, day, hh, mm, ss, sign, oh, om, year = m.groups()
        dt = datetime(int(year), _MONTHS[mon], int(day), int(hh), int(mm), int(ss))
        offset = timedelta(hours=int(oh), minutes=int(om))
        return dt - offset if sign == "+" else dt + offset
    return parse_time(text)


def get_time(obj: dict, key: str, path: str = "") -> datetime | None:
    value = obj.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool | dict | list):
        raise bad(path + key, value, "a time")
    try:
        return _text_time(value) if isinstance(value, str) else parse_time(value)
    except (ValueError, OverflowError, OSError):
        raise bad(path + key, value, "a time") from None


def get_dict(obj: dict, key: str, path: str = "") -> dict:
    value = obj.get(key)
    if value is None:
        return {}
    if isinstance(value, dict):
        return value
    raise bad(path + key, value, "an object")


def get_list(obj: dict, key: str, path: str = "") -> list:
    value = obj.get(key)
    if value is None:
        return []
    if isinstance(value, list):
        return value
    raise bad(path + key, value, "a list")


def get_items(obj: dict, key: str, path: str = "") -> list[dict]:
    """A list of objects (entities and the like); anything else in it is a bad value."""
    items = get_list(obj, key, path)
    for item in items:
        if not isinstance(item, dict):
            raise bad(path + key, item, "an object")
    return items


def collection_time(record: dict) -> datetime | None:
    """When the record was fetched, if the collector wrote it down."""
    for key in COLLECTION_TIME_KEYS:
        if record.get(key) not in (None, ""):
            return get_time(record, key)
    meta = record.get("__twarc")
    if isinstance(meta, dict) and meta.get("retrieved_at") not in (None, ""):
        return get_time(meta, "retrieved_at", "__twarc.")
    return None


def compact(d: dict) -> dict:
    """``d`` without empty values (for ``extra``)."""
    return {k: v for k, v in d.items() if v or v is False or type(v) in (int, float)}


def json_raw(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def first_json_object(head: Head) -> Any:
    value = head.json_first
    if isinstance(value, list):
        value = value[0] if value else None
    return value


def is_default_image(url: str | None) -> bool | None:
    return None if url is None else "default_profile_image" in url


_TAG = re.compile(r"<[^>]*>")


def strip_anchor(source: str | None) -> str | None:
    """``<a href="...">Twitter for iPhone</a>`` -> ``Twitter for iPhone``."""
    if source is None or "<" not in source:
        return source
    return html.unescape(_TAG.sub("", source)).strip() or None


# -- v1.1 objects ------------------------------------------------------------------------------

_USER_EXTRA = (
    "time_zone",
    "utc_offset",
    "geo_enabled",
    "default_profile",
    "profile_banner_url",
    "profile_use_background_image",
    "is_translator",
    "translator_type",
    "contributors_enabled",
    "has_extended_profile",
    "withheld_in_countries",
    "withheld_scope",
)


def v1_user(
    user: Any, observed_at: datetime | None, platform: str, path: str = "user."
) -> tuple[dict, dict | None]:
    """An accounts row (with ``observed_at`` when known) and a snapshot row (when observed)."""
    if not isinstance(user, dict):
        raise bad(path.rstrip("."), user, "a user object")
    account_id = get_id(user, "id_str", path) or get_id(user, "id", path)
    if account_id is None:
        raise missing(path + "id_str")
    url = None
    url_urls = get_dict(get_dict(user, "entities", path), "url", path + "entities.")
    for item in get_items(url_urls, "urls", path + "entities.url."):
        url = get_str(item, "expanded_url", path + "entities.url.urls.")
        if url:
            break
    url = url or get_str(user, "url", path)
    image = get_str(user, "profile_image_url_https", path) or get_str(
        user, "profile_image_url", path
    )
    default_image = get_bool(user, "default_profile_image", path)
    if default_image is None:
        default_image = is_default_image(image)
    screen_name = get_str(user, "screen_name", path)
    display_name = get_str(user, "name", path)
    description = get_str(user, "description", path)
    followers = get_int(user, "followers_count", path)
    following = get_int(user, "friends_count", path)
    posts = get_int(user, "statuses_count", path)
    likes = get_int(user, "favourites_count", path)
    extra = compact({k: user.get(k) for k in _USER_EXTRA})
    account = {
        "platform": platform,
        "account_id": account_id,
        "screen_name": screen_name,
        "display_name": display_name,
        "description": description,
        "location": get_str(user, "location", path),
        "url": url,
        "lang": get_str(user, "lang", path),
        "created_at": get_time(user, "created_at", path),
        "verified": get_bool(user, "verified", path),
        "protected": get_bool(user, "protected", path),
        "default_profile_image": default_image,
        "profile_image_url": image,
        "followers_count": followers,
        "following_count": following,
        "posts_count": posts,
        "likes_count": likes,
        "listed_count": get_int(user, "listed_count", path),
        "extra": extra or None,
    }
    snapshot = None
    if observed_at is not None:
        account["observed_at"] = observed_at
    observed_values = (followers, following, posts, likes, screen_name, display_name, description)
    if observed_at is not None and any(v is not None for v in observed_values):
        snapshot = {
            "platform": platform,
            "account_id": account_id,
            "observed_at": observed_at,
            "followers_count": followers,
            "following_count": following,
            "posts_count": posts,
            "likes_count": likes,
            "screen_name": screen_name,
            "display_name": display_name,
            "description": description,
        }
    return account, snapshot


def _add_user(
    out: list[tuple[str, dict]], user: Any, observed_at: datetime | None, platform: str, path: str
) -> str:
    account, snapshot = v1_user(user, observed_at, platform, path)
    out.append(("accounts", account))
    if snapshot is not None:
        out.append(("account_snapshots", snapshot))
    return account["account_id"]


def _tweet_id(tweet: dict, path: str) -> str | None:
    return get_id(tweet, "id_str", path) or get_id(tweet, "id", path)


def _embedded(tweet: dict, key: str, path: str) -> dict | None:
    value = tweet.get(key)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise bad(path + key, value, "a tweet object")
    return value


def v1_tweet(
    tweet: dict,
    observed_at: datetime | None,
    platform: str,
    out: list[tuple[str, dict]],
    path: str = "",
    account_id: str | None = None,
    depth: int = 0,
) -> None:
    """Append the rows of one v1.1 tweet (its post, its user, and the tweets it embeds) to ``out``.

    ``observed_at`` is when the record was fetched; ``None`` means "at the tweet's created_at".
    """
    post_id = _tweet_id(tweet, path)
    if post_id is None:
        raise missing(path + "id_str")
    created = get_time(tweet, "created_at", path)
    if created is None and tweet.get("timestamp_ms") is not None:
        created = get_time(tweet, "timestamp_ms", path)
    seen = observed_at or created
    if tweet.get("user") is not None:
        account_id = _add_user(out, tweet["user"], seen, platform, path + "user.")

    ext = get_dict(tweet, "extended_tweet", path)
    ext_path = path + "extended_tweet."
    text = (
        get_str(ext, "full_text", ext_path)
        or get_str(tweet, "full_text", path)
        or get_str(tweet, "text", path)
    )
    if "entities" in ext:
        entities, ent_path = get_dict(ext, "entities", ext_path), ext_path + "entities."
    else:
        entities, ent_path = get_dict(tweet, "entities", path), path + "entities."
    if "extended_entities" in ext:
        media_src = get_dict(ext, "extended_entities", ext_path)
    else:
        media_src = get_dict(tweet, "extended_entities", path) or entities
    hashtags = [
        h
        for h in (
            get_str(t, "text", ent_path + "hashtags.")
            for t in get_items(entities, "hashtags", ent_path)
        )
        if h
    ]
    mentions = []
    for m in get_items(entities, "user_mentions", ent_path):
        p = ent_path + "user_mentions."
        who = get_id(m, "id_str", p) or get_id(m, "id", p) or get_str(m, "screen_name", p)
        if who:
            mentions.append(who)
    urls = []
    for u in get_items(entities, "urls", ent_path):
        p = ent_path + "urls."
        link = get_str(u, "expanded_url", p) or get_str(u, "url", p)
        if link:
            urls.append(link)
    media = []
    for m in get_items(media_src, "media", path + "extended_entities."):
        p = path + "media."
        link = (
            get_str(m, "media_url_https", p)
            or get_str(m, "media_url", p)
            or get_str(m, "expanded_url", p)
        )
        if link:
            media.append(link)

    retweeted = _embedded(tweet, "retweeted_status", path)
    quoted = _embedded(tweet, "quoted_status", path)
    reply_to = get_id(tweet, "in_reply_to_status_id_str", path) or get_id(
        tweet, "in_reply_to_status_id", path
    )
    reply_user = get_id(tweet, "in_reply_to_user_id_str", path) or get_id(
        tweet, "in_reply_to_user_id", path
    )
    quoted_id = get_id(tweet, "quoted_status_id_str", path) or get_id(
        tweet, "quoted_status_id", path
    )
    if quoted_id is None and quoted is not None:
        quoted_id = _tweet_id(quoted, path + "quoted_status.")
    quoted_user = _user_id_of(quoted, path + "quoted_status.")
    if retweeted is not None:
        kind = "repost"
        target_post = _tweet_id(retweeted, path + "retweeted_status.")
        target_account = _user_id_of(retweeted, path + "retweeted_status.")
    elif reply_to is not None:
        kind, target_post, target_account = "reply", reply_to, reply_user
    elif quoted_id is not None:
        kind, target_post, target_account = "quote", quoted_id, quoted_user
    else:
        # A tweet addressed to a user (@name at the start) but not to a tweet: kept as a post, with
        # the addressed account as its target (as the takedown reader does).
        kind, target_post, target_account = "post", None, reply_user

    extra: dict[str, Any] = {}
    coordinates = tweet.get("coordinates")
    if isinstance(coordinates, dict) and coordinates.get("coordinates") is not None:
        extra["coordinates"] = coordinates.get("coordinates")  # [longitude, latitude]
    elif isinstance(tweet.get("geo"), dict) and tweet["geo"].get("coordinates") is not None:
        extra["geo"] = tweet["geo"].get("coordinates")  # [latitude, longitude]
    place = tweet.get("place")
    if isinstance(place, dict):
        extra["place"] = compact(
            {k: place.get(k) for k in ("id", "full_name", "country_code", "place_type")}
        )
    for key in (
        "filter_level",
        "in_reply_to_screen_name",
        "possibly_sensitive",
        "withheld_in_countries",
        "scopes",
    ):
        if tweet.get(key) is not None:
            extra[key] = tweet[key]
    if kind != "quote" and quoted_id is not None:
        extra["quoted_post_id"] = quoted_id
    cashtags = [s.get("text") for s in get_items(entities, "symbols", ent_path) if s.get("text")]
    if cashtags:
        extra["cashtags"] = cashtags

    out.append(
        (
            "posts",
            {
                "platform": platform,
                "post_id": post_id,
                "account_id": account_id,
                "created_at": created,
                "kind": kind,
                "text": text,
                "lang": get_str(tweet, "lang", path),
                "client": strip_anchor(get_str(tweet, "source", path)),
                "target_post_id": target_post,
                "target_account_id": target_account,
                "hashtags": hashtags,
                "mentions": mentions,
                "urls": urls,
                "media": media,
                "like_count": get_int(tweet, "favorite_count", path),
                "repost_count": get_int(tweet, "retweet_count", path),
                "reply_count": get_int(tweet, "reply_count", path),
                "quote_count": get_int(tweet, "quote_count", path),
                "time_precision": "second",
                "extra": compact(extra) or None,
            },
        )
    )
    # The tweets this one embeds are data we hold: stage them with their users, who were served
    # (and so observed) together with the outer tweet.
    if depth < 3:
        for key, inner in (("retweeted_status", retweeted), ("quoted_status", quoted)):
            if inner is not None and _tweet_id(inner, f"{path}{key}.") is not None:
                v1_tweet(inner, seen, platform, out, f"{path}{key}.", depth=depth + 1)


def _user_id_of(tweet: dict | None, path: str) -> str | None:
    if tweet is None:
        return None
    user = tweet.get("user")
    if not isinstance(user, dict):
        return None
    return get_id(user, "id_str", path + "user.") or get_id(user, "id", path + "user.")


def _notice(record: dict) -> str | None:
    """The kind of stream notice a record is, if it is one."""
    if "user" in record or "id_str" in record:
        return None
    for key in _NOTICES:
        if key in record:
            return key
    return None


def _not_a(what: str, record: Any) -> BadValue:
    if isinstance(record, dict):
        keys = ", ".join(map(str, list(record)[:8]))
        return BadValue(f"not a v1.1 {what}: no 'user' object (keys: {keys})")
    return BadValue(f"not a v1.1 {what}: a JSON {type(record).__name__}, not an object")


def _find_tweet(record: dict) -> dict | None:
    """The tweet in a record: the record itself, or a wrapper's member (``{"tweet": {...}}``)."""
    if isinstance(record.get("user"), dict):
        return record
    for key in _WRAPPER_KEYS:
        inner = record.get(key)
        if isinstance(inner, dict) and isinstance(inner.get("user"), dict):
            return inner
    return None


def _unwrap(record: dict) -> tuple[dict | None, datetime | None]:
    """The tweet in a record and the record's collection time (on the wrapper or the tweet)."""
    tweet = _find_tweet(record)
    if tweet is None:
        return None, None
    fetched = collection_time(record)
    if fetched is None and tweet is not record:
        fetched = collection_time(tweet)
    return tweet, fetched


def _is_tweet(obj: dict) -> bool:
    return any(k in obj for k in ("id_str", "id", "text", "full_text", "extended_tweet"))


def _tweet_record_rows(record: Any, platform: str) -> list[tuple[str, dict]]:
    if not isinstance(record, dict):
        raise _not_a("tweet", record)
    notice = _notice(record)
    if notice:
        raise BadValue(f"{notice} notice (not a tweet)")
    tweet, fetched = _unwrap(record)
    if tweet is None:
        raise _not_a("tweet", record)
    out: list[tuple[str, dict]] = []
    if not _is_tweet(tweet):
        # ``{"created_at": ..., "user": {...}}``: an observation of the user at that time.
        seen = fetched or get_time(tweet, "created_at")
        _add_user(out, tweet.get("user"), seen, platform, "user.")
        return out
    v1_tweet(tweet, fetched, platform, out)
    return out


def _user_record_rows(record: Any, platform: str) -> list[tuple[str, dict]]:
    if not isinstance(record, dict):
        raise _not_a("user", record)
    notice = _notice(record)
    if notice:
        raise BadValue(f"{notice} notice (not a user)")
    out: list[tuple[str, dict]] = []
    fetched = collection_time(record)
    user: Any = record
    path = ""
    if isinstance(record.get("user"), dict):
        user, path = record["user"], "user."
        if fetched is None and (_is_tweet(record) or "created_at" in record):
            # A tweet (or a {"created_at", "user"} observation): the user as of the tweet.
            fetched = get_time(record, "created_at")
    elif not ("screen_name" in record or "id_str" in record or "followers_count" in record):
        for key in _WRAPPER_KEYS + ("profile",):
            inner = record.get(key)
            if isinstance(inner, dict) and "screen_name" in inner:
                user, path = inner, key + "."
                fetched = fetched or collection_time(inner)
                break
        else:
            raise BadValue(
                "not a v1.1 user: no screen_name or id_str (keys: "
                + ", ".join(map(str, list(record)[:8]))
                + ")"
            )
    account_id = _add_user(out, user, fetched, platform, path)
    status = user.get("status")
    if status is not None:
        # users/lookup and users/show embed the user's latest tweet (without its user).
        if not isinstance(status, dict):
            raise bad(path + "status", status, "a tweet object")
        if _tweet_id(status, path + "status.") is not None:
            v1_tweet(status, fetched, platform, out, path + "status.", account_id=account_id)
    return out


class _V1JsonReader(Reader):
    def _rows(self, record: Any, platform: str) -> list[tuple[str, dict]]:
        raise NotImplementedError

    def read(self, source: Source, stage: Stage) -> None:
        platform = stage.options.platform or "twitter"

        def reject(line: int | None, reason: str, raw: str | bytes) -> None:
            stage.count_read()
            stage.reject(line, reason, raw)

        add = stage.add
        for line, record in iter_json_records(source, reject, stage.progress):
            stage.count_read()
            try:
                rows = self._rows(record, platform)
            except BadValue as exc:
                stage.reject(line, str(exc), json_raw(record))
                continue
            for table, row in rows:
                add(table, row, line)


class TwitterV1TweetsReader(_V1JsonReader):
    format = "twitter_v1_tweets"
    description = "Twitter API v1.1 tweets as JSON (JSON Lines, arrays, blank-line separated dumps)"
    primary_table = "posts"

    def sniff(self, head: Head) -> float:
        value = first_json_object(head)
        if not isinstance(value, dict):
            return 0.0
        tweet = _find_tweet(value)
        if tweet is not None:
            user = tweet["user"]
            if not ("screen_name" in user or "id_str" in user):
                return 0.0
            if _is_tweet(tweet):
                return 0.95
            return 0.8 if "created_at" in tweet else 0.0
        notice = _notice(value)
        if notice == "delete" and isinstance(value["delete"], dict) and "status" in value["delete"]:
            return 0.7  # a v1.1 stream that starts with a deletion notice
        if notice == "limit" and isinstance(value["limit"], dict) and "track" in value["limit"]:
            return 0.7
        return 0.0

    def _rows(self, record: Any, platform: str) -> list[tuple[str, dict]]:
        return _tweet_record_rows(record, platform)


class TwitterV1UsersReader(_V1JsonReader):
    format = "twitter_v1_users"
    description = "Twitter API v1.1 user objects as JSON (users/lookup, follower dumps)"
    primary_table = "accounts"

    def sniff(self, head: Head) -> float:
        value = first_json_object(head)
        if not isinstance(value, dict):
            return 0.0
        user = value
        if isinstance(value.get("user"), dict) and not _is_tweet(value):
            if "created_at" in value:
                return 0.0  # {"created_at", "user"}: the tweets reader's observation records
            user = value["user"]
        elif "user" in value:
            return 0.0
        counts = ("followers_count", "friends_count", "statuses_count")
        if "screen_name" in user and any(k in user for k in counts) and "username" not in user:
            return 0.9
        return 0.0

    def _rows(self, record: Any, platform: str) -> list[tuple[str, dict]]:
        return _user_record_rows(record, platform)


# -- CSV of v1.1 user objects -------------------------------------------------------------------

_CSV_COUNTS = {
    "statuses_count": "posts_count",
    "followers_count": "followers_count",
    "friends_count": "following_count",
    "favourites_count": "likes_count",
    "listed_count": "listed_count",
}
_CSV_BOOLS = ("verified", "protected", "default_profile_image")
_CSV_TEXT = {
    "screen_name": "screen_name",
    "name": "display_name",
    "description": "description",
    "location": "location",
    "url": "url",
    "lang": "lang",
}
#: Columns that say when the row was observed, best first. ``timestamp`` is handled apart.
_OBSERVED = ("crawled_at", "collected_at", "retrieved_at", "observed_at", "updated")
_TIME_COLUMNS = ("created_at", "timestamp") + _OBSERVED
#: Day-first local times seen in the cresci-2015 ``updated`` column ("14-02-2015 10.54").
_DAY_FIRST = ["%d-%m-%Y %H.%M", "%d-%m-%Y %H:%M", "%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H.%M.%S"]
_DAY_FIRST_RE = r"\d{2}-\d{2}-\d{4} \d{2}[.:]\d{2}([.:]\d{2})?"
_NOT_USERS = {
    "tweetid",
    "userid",
    "account_id",
    "post_id",
    "author_id",
    "user_id",
    "text",
    "full_text",
    "tweet_id",
}


class TwitterV1UsersCsvReader(Reader):
    format = "twitter_v1_users_csv"
    description = "CSV of Twitter v1.1 user objects (cresci-2015/2017 labeled bot datasets)"
    primary_table = "accounts"

    def sniff(self, head: Head) -> float:
        cols = set(head.csv_header)
        if cols & _NOT_USERS or any(c.startswith(("author.", "__twarc")) for c in cols):
            return 0.0
        return 0.9 if {"id", "screen_name", "followers_count", "friends_count"} <= cols else 0.0

    def read(self, source: Source, stage: Stage) -> None:
        header = header_of(source)
        if "id" not in header and "id_str" not in header:
            raise InputError(f"{source.name}: v1.1 users CSV lacks column 'id'")
        names = scan_csv(stage, source, header, "raw")
        stage.progress(source.size // 2)
        con = stage.con
        # Day-first times ("14-02-2015 10.54") -> ISO, so the shared checks and converters apply.
        for col in (c for c in _TIME_COLUMNS if c in names):
            t = f"trim({q(col)})"
            fixed = con.execute(
                f"UPDATE raw SET {q(col)} = strftime(try_strptime({t}, {_DAY_FIRST!r}), "
                f"'%Y-%m-%d %H:%M:%S') WHERE regexp_full_match({t}, '{_DAY_FIRST_RE}') "
                f"AND try_strptime({t}, {_DAY_FIRST!r}) IS NOT NULL"
            ).fetchone()[0]
            if fixed:
                stage.assumptions[f"{col}_format"] = "DD-MM-YYYY HH.MM, read as UTC"
        key = "id_str" if "id_str" in names else "id"
        typed = {c: "time" for c in _TIME_COLUMNS if c in names}
        typed.update({c: "int" for c in _CSV_COUNTS if c in names})
        typed.update({c: "bool" for c in _CSV_BOOLS if c in names})
        reject_bad_rows(stage, "raw", names, typed, [key])

        c = lambda n: q(n) if n in names else "NULL::VARCHAR"  # noqa: E731
        platform = lit(stage.options.platform or "twitter")
        # Booleans are "1" or empty in these exports: empty is false where the column says "1"
        # anywhere, and unknown where the whole column is empty.
        bools = {}
        used = {}
        for col in _CSV_BOOLS:
            if col not in names:
                bools[col], used[col] = "NULL::BOOLEAN", False
                continue
            used[col] = con.execute(f"SELECT bool_or(NOT {empty(q(col))}) FROM raw").fetchone()[0]
            bools[col] = f"coalesce({sql_bool(q(col))}, false)" if used[col] else sql_bool(q(col))
            if used[col]:
                stage.assumptions["empty_booleans"] = "false where the column has a true value"
        image = sql_str_nonempty(
            f"coalesce({sql_str(c('profile_image_url_https'))}, {sql_str(c('profile_image_url'))})"
        )
        # The image URL says it too: Twitter's default images live under default_profile_images/.
        by_url = f"({image} LIKE '%default_profile_image%')"
        if used["default_profile_image"]:
            default_image = f"({bools['default_profile_image']} OR coalesce({by_url}, false))"
        else:
            default_image = f"coalesce({bools['default_profile_image']}, {by_url})"
        created = sql_time(c("created_at"))
        observed = [sql_time(q(o)) for o in _OBSERVED if o in names]
        used_obs = [o for o in _OBSERVED if o in names][:1]
        if used_obs:
            stage.assumptions["observed_at"] = f"{used_obs[0]}, a time without zone read as UTC"
        if "timestamp" in names:
            # cresci-2017's ``timestamp`` is created_at in local time; only a later time observes.
            observed.append(
                f"CASE WHEN {sql_time(q('timestamp'))} > {created} + INTERVAL 1 DAY "
                f"OR {created} IS NULL THEN {sql_time(q('timestamp'))} END"
            )
        obs = f"coalesce({', '.join(observed)})" if observed else "NULL::TIMESTAMP"
        ident = f"regexp_replace(trim({q(key)}), '^(\\d+)\\.0+$', '\\1')"
        mapped = (
            {"id", "id_str", "created_at", "profile_image_url", "profile_image_url_https"}
            | set(_CSV_COUNTS)
            | set(_CSV_BOOLS)
            | set(_CSV_TEXT)
            | set(used_obs)
        )
        extra_cols = [n for n in names if n not in mapped]
        extra = (
            "NULLIF(json_merge_patch('{}', json_object("
            + ", ".join(f"{lit(n)}, {sql_str_nonempty(q(n))}" for n in extra_cols)
            + "))::VARCHAR, '{}')"
            if extra_cols
            else "NULL::VARCHAR"
        )
        seq0 = stage.next_seq(0)
        con.execute("DROP TABLE IF EXISTS v1u")
        con.execute(
            f"""
            CREATE TEMP TABLE v1u AS
            SELECT {platform} AS platform, {ident} AS account_id,
                   {", ".join(f"{sql_str_nonempty(c(s))} AS {d}" for s, d in _CSV_TEXT.items())},
                   {created} AS created_at,
                   {bools["verified"]} AS verified, {bools["protected"]} AS protected,
                   {default_image} AS default_profile_image,
                   {image} AS profile_image_url,
                   {", ".join(f"{sql_int(c(src))} AS {dst}" for src, dst in _CSV_COUNTS.items())},
                   {obs} AS observed_at,
                   {extra} AS extra,
                   {seq0} + rowid AS _seq
            FROM raw
            """
        )
        con.execute("DROP TABLE raw")
        stage.progress(source.size * 3 // 4)
        iid = stage.ingest_id
        con.execute(
            f"""
            INSERT INTO stg_accounts BY NAME
            SELECT * EXCLUDE (observed_at, extra), extra::JSON AS extra,
                   observed_at AS first_seen_at, observed_at AS last_seen_at, {iid} AS ingest_id
            FROM v1u
            """
        )
        con.execute(
            f"""
            INSERT INTO stg_account_snapshots BY NAME
            SELECT platform, account_id, observed_at, followers_count, following_count,
                   posts_count, likes_count, screen_name, display_name, description,
                   {iid} AS ingest_id, _seq
            FROM v1u WHERE observed_at IS NOT NULL
            """
        )
        con.execute("DROP TABLE v1u")


def sql_str_nonempty(col: str) -> str:
    """A text cell, NULL when empty or a null word ("NULL", "nan" ...)."""
    return f"CASE WHEN {empty(col)} THEN NULL ELSE {col} END"
