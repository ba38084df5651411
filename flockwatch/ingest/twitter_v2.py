"""Twitter API v2 JSON as twarc2 writes it.

Accepted record shapes, one per line (or any shape :func:`iter_json_records` reads):

- a response page: ``{"data": [...], "includes": {"users", "tweets", "media", "places", "polls"},
  "meta", "errors", "__twarc": {"retrieved_at", ...}}`` (``data`` may be one object for lookups,
  and may hold user objects for user lookups);
- a flattened tweet (``twarc2 flatten``): the tweet with ``author``, expanded
  ``referenced_tweets``, ``in_reply_to_user``, ``attachments.media`` and ``__twarc`` inline;
- a bare v2 tweet or user object.

Every tweet held becomes a post: the page's ``data`` and its ``includes.tweets`` (the tweets it
references). Every user object becomes an account and a snapshot observed at
``__twarc.retrieved_at`` when present, else at the newest tweet time on the page (for a flattened
tweet: its own time). Page-level ``errors`` (deleted or protected tweets the API could not return)
are API notices, not bad records: they are counted in the ingest's assumptions. A tweet or user
whose values cannot be converted is rejected on its own, with the field and value in the reason;
the rest of its page is kept.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flockwatch.ingest.base import Head, Reader, Stage
from flockwatch.ingest.jsonrecords import iter_json_records
from flockwatch.ingest.sources import Source
from flockwatch.ingest.twitter_v1 import (
    BadValue,
    bad,
    collection_time,
    compact,
    first_json_object,
    get_bool,
    get_dict,
    get_id,
    get_int,
    get_items,
    get_list,
    get_str,
    get_time,
    is_default_image,
    json_raw,
    missing,
    strip_anchor,
)

Rows = list[tuple[str, dict]]

#: referenced_tweets type -> post kind, in the order that decides a tweet's kind.
_KINDS = {"retweeted": "repost", "replied_to": "reply", "quoted": "quote"}
_USER_EXTRA = ("verified_type", "pinned_tweet_id", "most_recent_tweet_id", "subscription_type")
_TWEET_HINTS = ("author_id", "edit_history_tweet_ids", "public_metrics", "referenced_tweets")


def _is_tweet(obj: Any) -> bool:
    return (
        isinstance(obj, dict)
        and "id" in obj
        and "user" not in obj
        and ("text" in obj or "note_tweet" in obj)
        and any(k in obj for k in _TWEET_HINTS + ("conversation_id", "author", "created_at"))
    )


def _is_user(obj: Any) -> bool:
    return isinstance(obj, dict) and "id" in obj and "username" in obj and "text" not in obj


class _Includes:
    """Lookups into one page's ``includes`` (or into a flattened tweet's inline expansions)."""

    def __init__(self, includes: Any = None) -> None:
        self.tweets: dict[str, dict] = {}
        self.media: dict[str, dict] = {}
        self.places: dict[str, dict] = {}
        self.user_ids: dict[str, str] = {}  # lower-case username -> id
        if includes is None:
            return
        if not isinstance(includes, dict):
            raise bad("includes", includes, "an object")
        for kind, key, target in (
            ("tweets", "id", self.tweets),
            ("media", "media_key", self.media),
            ("places", "id", self.places),
        ):
            for item in get_list(includes, kind, "includes."):
                if isinstance(item, dict) and isinstance(item.get(key), str | int):
                    target[str(item[key])] = item
        for user in get_list(includes, "users", "includes."):
            if isinstance(user, dict):
                self._user(user)

    def _user(self, user: dict) -> None:
        name, uid = user.get("username"), user.get("id")
        if isinstance(name, str) and isinstance(uid, str | int):
            self.user_ids[name.lower()] = str(uid)


def v2_user(
    user: Any, observed_at: datetime | None, platform: str, path: str = ""
) -> tuple[dict, dict | None]:
    """An accounts row (``observed_at`` when known) and a snapshot row (when observed)."""
    if not isinstance(user, dict):
        raise bad(path.rstrip(".") or "user", user, "a user object")
    account_id = get_id(user, "id", path)
    if account_id is None:
        raise missing(path + "id")
    url = None
    url_entities = get_dict(get_dict(user, "entities", path), "url", path + "entities.")
    for item in get_items(url_entities, "urls", path + "entities.url."):
        url = get_str(item, "expanded_url", path + "entities.url.urls.")
        if url:
            break
    url = url or get_str(user, "url", path)
    metrics = get_dict(user, "public_metrics", path)
    mpath = path + "public_metrics."
    followers = get_int(metrics, "followers_count", mpath)
    following = get_int(metrics, "following_count", mpath)
    posts = get_int(metrics, "tweet_count", mpath)
    likes = get_int(metrics, "like_count", mpath)
    image = get_str(user, "profile_image_url", path)
    screen_name = get_str(user, "username", path)
    display_name = get_str(user, "name", path)
    description = get_str(user, "description", path)
    extra = compact({k: user.get(k) for k in _USER_EXTRA})
    withheld = user.get("withheld")
    if withheld:
        extra["withheld"] = withheld
    account = {
        "platform": platform,
        "account_id": account_id,
        "screen_name": screen_name,
        "display_name": display_name,
        "description": description,
        "location": get_str(user, "location", path),
        "url": url,
        "created_at": get_time(user, "created_at", path),
        "verified": get_bool(user, "verified", path),
        "protected": get_bool(user, "protected", path),
        "default_profile_image": is_default_image(image),
        "profile_image_url": image,
        "followers_count": followers,
        "following_count": following,
        "posts_count": posts,
        "likes_count": likes,
        "listed_count": get_int(metrics, "listed_count", mpath),
        "extra": extra or None,
    }
    snapshot = None
    if observed_at is not None:
        account["observed_at"] = observed_at
        values = (followers, following, posts, likes, screen_name, display_name, description)
        if any(v is not None for v in values):
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


def _user_rows(user: Any, observed_at: datetime | None, platform: str, path: str) -> Rows:
    account, snapshot = v2_user(user, observed_at, platform, path)
    rows: Rows = [("accounts", account)]
    if snapshot is not None:
        rows.append(("account_snapshots", snapshot))
    return rows


def _author_of(tweet: dict | None) -> str | None:
    if not isinstance(tweet, dict):
        return None
    author = tweet.get("author_id")
    if author is None and isinstance(tweet.get("author"), dict):
        author = tweet["author"].get("id")
    return str(author) if isinstance(author, str | int) and not isinstance(author, bool) else None


def v2_post(tweet: dict, inc: _Includes, platform: str, path: str = "") -> dict:
    """The posts row of one v2 tweet."""
    post_id = get_id(tweet, "id", path)
    if post_id is None:
        raise missing(path + "id")
    account_id = get_id(tweet, "author_id", path)
    if account_id is None and isinstance(tweet.get("author"), dict):
        account_id = get_id(tweet["author"], "id", path + "author.")
    created = get_time(tweet, "created_at", path)
    note = get_dict(tweet, "note_tweet", path)
    text = get_str(note, "text", path + "note_tweet.") or get_str(tweet, "text", path)
    if "entities" in note:
        entities, epath = get_dict(note, "entities", path + "note_tweet."), path + "note_tweet."
    else:
        entities, epath = get_dict(tweet, "entities", path), path
    epath += "entities."

    refs: dict[str, dict] = {}
    for ref in get_items(tweet, "referenced_tweets", path):
        rtype = get_str(ref, "type", path + "referenced_tweets.")
        if rtype in _KINDS and rtype not in refs:
            refs[rtype] = ref
    reply_user = get_id(tweet, "in_reply_to_user_id", path)
    kind, target_post, target_account = "post", None, None
    for rtype, k in _KINDS.items():
        if rtype in refs:
            ref = refs[rtype]
            kind = k
            target_post = get_id(ref, "id", path + "referenced_tweets.")
            target_account = _author_of(ref) or _author_of(inc.tweets.get(target_post or ""))
            if rtype == "replied_to":
                target_account = reply_user or target_account
            break
    if kind == "post" and reply_user is not None:
        target_account = reply_user  # addressed to an account, not to a tweet

    hashtags = []
    for h in get_items(entities, "hashtags", epath):
        tag = get_str(h, "tag", epath + "hashtags.")
        if tag:
            hashtags.append(tag)
    mentions = []
    for m in get_items(entities, "mentions", epath):
        p = epath + "mentions."
        who = get_id(m, "id", p)
        if who is None:
            name = get_str(m, "username", p)
            who = inc.user_ids.get(name.lower(), name) if name else None
        if who:
            mentions.append(who)
    urls = []
    for u in get_items(entities, "urls", epath):
        p = epath + "urls."
        link = get_str(u, "expanded_url", p) or get_str(u, "unwound_url", p) or get_str(u, "url", p)
        if link:
            urls.append(link)
    attachments = get_dict(tweet, "attachments", path)
    apath = path + "attachments."
    media = []
    inline = get_items(attachments, "media", apath)  # flattened tweets carry the media objects
    if inline:
        for m in inline:
            key = get_str(m, "media_key", apath + "media.")
            link = get_str(m, "url", apath + "media.") or get_str(
                m, "preview_image_url", apath + "media."
            )
            if link or key:
                media.append(link or key)
    else:
        for key in get_list(attachments, "media_keys", apath):
            if not isinstance(key, str | int) or isinstance(key, bool):
                raise bad(apath + "media_keys", key, "a media key")
            found = inc.media.get(str(key), {})
            link = found.get("url") or found.get("preview_image_url")
            media.append(link if isinstance(link, str) and link else str(key))

    metrics = get_dict(tweet, "public_metrics", path)
    mpath = path + "public_metrics."
    extra: dict[str, Any] = {}
    for key in ("conversation_id", "possibly_sensitive", "reply_settings", "withheld"):
        if tweet.get(key) is not None:
            extra[key] = tweet[key]
    for key in ("impression_count", "bookmark_count"):
        value = get_int(metrics, key, mpath)
        if value is not None:
            extra[key] = value
    history = tweet.get("edit_history_tweet_ids")
    if isinstance(history, list) and len(history) > 1:
        extra["edit_history_tweet_ids"] = history
    geo = get_dict(tweet, "geo", path)
    if geo:
        place_id = geo.get("place_id") if isinstance(geo.get("place_id"), str) else None
        place = inc.places.get(place_id or "", geo)
        coords = geo.get("coordinates")
        extra["geo"] = compact(
            {
                "place_id": place_id or place.get("id"),
                "full_name": place.get("full_name"),
                "country_code": place.get("country_code"),
                "place_type": place.get("place_type"),
                "coordinates": coords.get("coordinates") if isinstance(coords, dict) else None,
            }
        )
    if kind != "quote" and "quoted" in refs:
        extra["quoted_post_id"] = refs["quoted"].get("id")
    cashtags = [c.get("tag") for c in get_items(entities, "cashtags", epath) if c.get("tag")]
    if cashtags:
        extra["cashtags"] = cashtags
    return {
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
        "like_count": get_int(metrics, "like_count", mpath),
        "repost_count": get_int(metrics, "retweet_count", mpath),
        "reply_count": get_int(metrics, "reply_count", mpath),
        "quote_count": get_int(metrics, "quote_count", mpath),
        "time_precision": "second",
        "extra": compact(extra) or None,
    }


def _flat_tweet_rows(
    tweet: dict, fetched: datetime | None, inc: _Includes, platform: str, path: str, depth: int
) -> Rows:
    """A tweet's post, plus what a flattened tweet carries inline: its author, the tweets it
    references (with their authors), the account it replies to and the accounts it mentions."""
    seen = fetched or get_time(tweet, "created_at", path)
    rows: Rows = [("posts", v2_post(tweet, inc, platform, path))]
    if isinstance(tweet.get("author"), dict):
        rows += _user_rows(tweet["author"], seen, platform, path + "author.")
    if isinstance(tweet.get("in_reply_to_user"), dict):
        rows += _user_rows(tweet["in_reply_to_user"], seen, platform, path + "in_reply_to_user.")
    entities = tweet.get("entities")
    if isinstance(entities, dict) and isinstance(entities.get("mentions"), list):
        for m in entities["mentions"]:
            if isinstance(m, dict) and "id" in m and ("public_metrics" in m or "created_at" in m):
                rows += _user_rows(m, seen, platform, path + "entities.mentions.")
    if depth < 2:
        for ref in get_items(tweet, "referenced_tweets", path):
            if _is_tweet(ref):
                # An expanded reference; the account it came with was served at the same time.
                rows += _flat_tweet_rows(
                    ref, seen, inc, platform, path + "referenced_tweets.", depth + 1
                )
    return rows


class TwarcV2Reader(Reader):
    format = "twarc2_jsonl"
    description = "Twitter API v2 JSON from twarc2 (response pages, flattened tweets, v2 objects)"
    primary_table = "posts"

    def sniff(self, head: Head) -> float:
        value = first_json_object(head)
        if not isinstance(value, dict):
            return 0.0
        if "__twarc" in value:
            return 1.0
        if "data" in value or "includes" in value:
            data = value.get("data")
            first = data[0] if isinstance(data, list) and data else data
            if _is_tweet(first) or _is_user(first):
                return 0.95
            meta = value.get("meta")
            if "includes" in value or (isinstance(meta, dict) and "result_count" in meta):
                return 0.9
            return 0.0
        if _is_tweet(value):
            return 0.85
        if _is_user(value) and isinstance(value.get("public_metrics"), dict):
            return 0.7
        return 0.0

    def read(self, source: Source, stage: Stage) -> None:
        platform = stage.options.platform or "twitter"

        def reject(line: int | None, reason: str, raw: str | bytes) -> None:
            stage.count_read()
            stage.reject(line, reason, raw)

        add = stage.add
        for line, record in iter_json_records(source, reject, stage.progress):
            if not isinstance(record, dict):
                reject(
                    line,
                    f"not a v2 tweet or page: a JSON {type(record).__name__}",
                    json_raw(record),
                )
                continue
            try:
                if "data" in record or "includes" in record or "errors" in record:
                    parts = self._page(record, platform, stage)
                else:
                    fetched = collection_time(record)
                    parts = [(record, self._item(record, fetched, _Includes(), platform))]
            except BadValue as exc:  # the page as a whole is unusable (bad includes or time)
                reject(line, str(exc), json_raw(record))
                continue
            for item, rows in parts:
                if isinstance(rows, BadValue):
                    reject(line, str(rows), json_raw(item))
                    continue
                stage.count_read()
                for table, row in rows:
                    add(table, row, line)

    def _item(
        self, item: Any, fetched: datetime | None, inc: _Includes, platform: str, path: str = ""
    ) -> Rows | BadValue:
        try:
            if _is_tweet(item) or (isinstance(item, dict) and "text" in item and "id" in item):
                return _flat_tweet_rows(item, fetched, inc, platform, path, 0)
            if _is_user(item):
                return _user_rows(item, fetched, platform, path)
            if isinstance(item, dict):
                keys = ", ".join(map(str, list(item)[:8]))
                return BadValue(f"not a v2 tweet or user (keys: {keys})")
            return BadValue(f"not a v2 tweet or user: a JSON {type(item).__name__}")
        except BadValue as exc:
            return exc

    def _page(self, page: dict, platform: str, stage: Stage) -> list[tuple[Any, Rows | BadValue]]:
        inc = _Includes(page.get("includes"))
        fetched = collection_time(page)
        data = page.get("data")
        if data is None:
            data = []
        elif isinstance(data, dict):
            data = [data]
        elif not isinstance(data, list):
            raise bad("data", data, "a list of tweets")
        _count_api_errors(page.get("errors"), stage)
        if fetched is None:
            # No fetch time: the users were served no earlier than the newest tweet of the page.
            times = []
            for item in data:
                if isinstance(item, dict):
                    try:
                        t = get_time(item, "created_at")
                    except BadValue:
                        continue
                    if t is not None:
                        times.append(t)
            fetched = max(times) if times else None
        parts: list[tuple[Any, Rows | BadValue]] = []
        for item in data:
            parts.append((item, self._item(item, fetched, inc, platform)))
        if not data:
            parts.append((page, []))  # an empty or errors-only page is still a record read
        includes = page.get("includes") or {}
        data_ids = {_id_key(d) for d in data}
        for tweet in get_list(includes, "tweets", "includes."):
            if _id_key(tweet) in data_ids - {None}:
                continue  # the page's own tweet, repeated in includes (lookups do that)
            rows = self._include(
                tweet,
                "includes.tweets.",
                lambda t: [("posts", v2_post(t, inc, platform, "includes.tweets."))],
            )
            parts.append((tweet, rows))
        for user in get_list(includes, "users", "includes."):
            rows = self._include(
                user,
                "includes.users.",
                lambda u: _user_rows(u, fetched, platform, "includes.users."),
            )
            parts.append((user, rows))
        return parts

    @staticmethod
    def _include(item: Any, path: str, build: Any) -> Rows | BadValue:
        if not isinstance(item, dict):
            return bad(path.rstrip("."), item, "an object")
        try:
            return build(item)
        except BadValue as exc:
            return exc


def _id_key(tweet: Any) -> str | None:
    """A tweet's id as a hashable key (None when absent or malformed)."""
    tid = tweet.get("id") if isinstance(tweet, dict) else None
    return str(tid) if isinstance(tid, str | int) else None


def _count_api_errors(errors: Any, stage: Stage) -> None:
    """Page-level API errors (deleted, protected, suspended...) are notices: count them by title."""
    if not isinstance(errors, list) or not errors:
        return
    notes = stage.assumptions.setdefault("api_errors", {"count": 0, "titles": {}})
    notes["count"] += len(errors)
    for err in errors:
        title = err.get("title") if isinstance(err, dict) else None
        title = title if isinstance(title, str) else "error"
        if title in notes["titles"] or len(notes["titles"]) < 20:
            notes["titles"][title] = notes["titles"].get(title, 0) + 1
