"""Mastodon REST entities: Status (``mastodon_statuses``), Account (``mastodon_accounts``) and
Report / Admin::Report (``mastodon_reports``), as single objects, JSON arrays or JSON Lines.

Account ids carry their instance: ``user@instance`` (lower case), from ``acct`` when it names a
domain, else from the host of the account's ``url`` (or ``uri``): a local account of mstdn.jp,
``acct`` "iorin0225", becomes ``iorin0225@mstdn.jp``. An account whose instance cannot be told
(Admin::Account of a local user without URL) keeps its bare username, and the ingest's assumptions
say so. Status and report ids are those of the instance the data was fetched from (replies and
reports point at statuses by those ids); the global ``uri`` is kept in ``extra``.

Statuses: HTML ``content`` becomes plain text (links kept in ``urls``, mention and hashtag links
excepted); a reblog is a post of kind ``repost`` targeting the reblogged status, which is staged as
a post too; ``in_reply_to_id`` makes a reply (its account resolved through the mentions when it is
not the author); a Mastodon 4.4 ``quote`` makes a quote. The embedded account becomes an account
row and a snapshot observed at the collection time when the record carries one, else at the
status's ``created_at`` (as for tweets).

Reports: Admin::Report names the reporter (``account``); a user-facing Report does not (it is the
account that fetched it), so ``reporter_id`` is empty and ``extra.reporter`` says why. One row per
report: ``target_post_id`` is the first reported status, all of them are in ``extra.status_ids``;
``category`` is the reason; rule ids (and texts) go to ``extra``. Reported statuses that come as
full objects (Admin::Report ``statuses``) are staged as posts.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

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
    json_raw,
    missing,
)

Rows = list[tuple[str, dict]]

_ACCOUNT_EXTRA = (
    "bot",
    "group",
    "discoverable",
    "noindex",
    "suspended",
    "limited",
    "memorial",
    "indexable",
    "hide_collections",
    "last_status_at",
)


# -- text ---------------------------------------------------------------------------------------

_BREAK = re.compile(r"<br\s*/?>|</p>\s*<p[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_ANCHOR = re.compile(r"<a\s[^>]*>", re.IGNORECASE)
_HREF = re.compile(r"""href\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_CLASS = re.compile(r"""class\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


def html_text(content: str | None) -> str | None:
    """Mastodon's HTML (``<p>``, ``<br>``, links) as plain text."""
    if content is None:
        return None
    text = html.unescape(_TAG.sub("", _BREAK.sub("\n", content))).strip()
    return text or None


def html_links(content: str | None) -> list[str]:
    """Links in the HTML that are neither mentions nor hashtags."""
    out = []
    for anchor in _ANCHOR.findall(content or ""):
        cls = _CLASS.search(anchor)
        classes = cls.group(1).split() if cls else []
        if "mention" in classes or "hashtag" in classes:
            continue
        href = _HREF.search(anchor)
        if href:
            out.append(html.unescape(href.group(1)))
    return out


# -- accounts -------------------------------------------------------------------------------------


def _host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.lower() if host else None


def account_id_of(account: dict, path: str, notes: dict[str, Any] | None = None) -> str:
    """``user@instance`` for an Account (or Admin::Account) object."""
    acct = get_str(account, "acct", path)
    username = get_str(account, "username", path)
    if acct and "@" in acct.strip("@"):
        user, _, domain = acct.strip("@").partition("@")
        return f"{user}@{domain}".lower()
    name = acct or username
    if name is None:
        raise missing(path + "acct")
    domain = get_str(account, "domain", path)
    host = domain or _host(get_str(account, "url", path)) or _host(get_str(account, "uri", path))
    if host is None:
        inner = account.get("account")
        if isinstance(inner, dict):
            host = _host(get_str(inner, "url", path + "account.")) or _host(
                get_str(inner, "uri", path + "account.")
            )
    if host is None:
        if notes is not None:
            notes["local_accounts"] = (
                "accounts of the serving instance without a URL keep their bare username"
            )
        return name.lower()
    return f"{name}@{host}".lower()


def account_rows(
    account: Any, observed: datetime | None, platform: str, path: str, notes: dict
) -> tuple[str, Rows]:
    """The accounts row (and a snapshot when observed) of an Account object."""
    if not isinstance(account, dict):
        raise bad(path.rstrip("."), account, "an account object")
    if "account" in account and "username" in account and "email" in account:
        # Admin::Account: the public Account is nested inside.
        inner = account.get("account")
        merged = dict(inner) if isinstance(inner, dict) else {}
        for k, v in account.items():
            merged.setdefault(k, v)
        account = merged
    account_id = account_id_of(account, path, notes)
    avatar = get_str(account, "avatar", path)
    followers = get_int(account, "followers_count", path)
    following = get_int(account, "following_count", path)
    posts = get_int(account, "statuses_count", path)
    screen_name = get_str(account, "username", path) or get_str(account, "acct", path)
    display = get_str(account, "display_name", path)
    note = html_text(get_str(account, "note", path))
    fields = [
        compact(
            {
                "name": get_str(f, "name", path + "fields."),
                "value": html_text(get_str(f, "value", path + "fields.")),
                "verified_at": get_str(f, "verified_at", path + "fields."),
            }
        )
        for f in get_items(account, "fields", path)
    ]
    moved = account.get("moved")
    extra = compact({k: account.get(k) for k in _ACCOUNT_EXTRA})
    extra.update(
        compact(
            {
                "id": get_id(account, "id", path),
                "fields": fields,
                "moved_to": account_id_of(moved, path + "moved.")
                if isinstance(moved, dict)
                else None,
                "header": get_str(account, "header", path),
                "role": account.get("role")
                if isinstance(account.get("role"), dict | str)
                else None,
            }
        )
    )
    row = {
        "platform": platform,
        "account_id": account_id,
        "screen_name": screen_name,
        "display_name": display,
        "description": note,
        "url": get_str(account, "url", path),
        "created_at": get_time(account, "created_at", path),
        "protected": get_bool(account, "locked", path),
        "default_profile_image": None if avatar is None else "missing.png" in avatar,
        "profile_image_url": avatar,
        "followers_count": followers,
        "following_count": following,
        "posts_count": posts,
        "extra": extra,
    }
    rows: Rows = [("accounts", row)]
    if observed is not None:
        row["observed_at"] = observed
        status = (
            "suspended"
            if account.get("suspended") is True
            else "limited"
            if account.get("limited") is True
            else None
        )
        values = (followers, following, posts, screen_name, display, note, status)
        if any(v is not None for v in values):
            rows.append(
                (
                    "account_snapshots",
                    {
                        "platform": platform,
                        "account_id": account_id,
                        "observed_at": observed,
                        "followers_count": followers,
                        "following_count": following,
                        "posts_count": posts,
                        "screen_name": screen_name,
                        "display_name": display,
                        "description": note,
                        "status": status,
                    },
                )
            )
    return account_id, rows


# -- statuses -------------------------------------------------------------------------------------


def _status_id(status: dict, path: str) -> str:
    sid = get_id(status, "id", path)
    if sid is None:
        raise missing(path + "id")
    return sid


def status_rows(
    status: Any,
    fetched: datetime | None,
    platform: str,
    notes: dict,
    path: str = "",
    depth: int = 0,
) -> tuple[str, Rows]:
    """Rows of one Status (its post, account and the statuses it embeds); returns its id."""
    if not isinstance(status, dict):
        raise bad(path.rstrip(".") or "status", status, "a status object")
    post_id = _status_id(status, path)
    created = get_time(status, "created_at", path)
    account = status.get("account")
    if account is None:
        raise missing(path + "account")
    account_id, rows = account_rows(account, fetched or created, platform, path + "account.", notes)
    local_ids = {get_id(account, "id", path + "account."): account_id}

    mentions = []
    for m in get_items(status, "mentions", path):
        who = account_id_of(m, path + "mentions.")
        mentions.append(who)
        local_ids[get_id(m, "id", path + "mentions.")] = who
    hashtags = [
        t
        for t in (get_str(t, "name", path + "tags.") for t in get_items(status, "tags", path))
        if t
    ]
    media = []
    for m in get_items(status, "media_attachments", path):
        link = get_str(m, "url", path + "media_attachments.") or get_str(
            m, "remote_url", path + "media_attachments."
        )
        if link:
            media.append(link)
    content = get_str(status, "content", path)
    card = get_dict(status, "card", path)
    card_url = get_str(card, "url", path + "card.")
    urls = list(dict.fromkeys(html_links(content) + ([card_url] if card_url else [])))
    application = get_dict(status, "application", path)

    kind, target, target_account = "post", None, None
    reblog = status.get("reblog")
    reply_to = get_id(status, "in_reply_to_id", path)
    quote = get_dict(status, "quote", path)
    quoted = quote.get("quoted_status") if quote else None
    if quoted is not None and not isinstance(quoted, dict):
        raise bad(path + "quote.quoted_status", quoted, "a status object")
    if reblog is not None:
        if not isinstance(reblog, dict):
            raise bad(path + "reblog", reblog, "a status object")
        kind = "repost"
        if depth < 2:
            target, inner = status_rows(
                reblog, fetched, platform, notes, path + "reblog.", depth + 1
            )
            rows += inner
        else:
            target = _status_id(reblog, path + "reblog.")
        target_account = account_id_of(
            get_dict(reblog, "account", path + "reblog."), path + "reblog.account."
        )
    elif reply_to is not None:
        kind, target = "reply", reply_to
        target_account = local_ids.get(get_id(status, "in_reply_to_account_id", path))
    elif quoted:
        kind = "quote"
        if depth < 2:
            target, inner = status_rows(
                quoted, fetched, platform, notes, path + "quote.quoted_status.", depth + 1
            )
            rows += inner
        else:
            target = _status_id(quoted, path + "quote.quoted_status.")
        target_account = account_id_of(
            get_dict(quoted, "account", path + "quote.quoted_status."),
            path + "quote.quoted_status.account.",
        )
    poll = get_dict(status, "poll", path)
    extra = compact(
        {
            "uri": get_str(status, "uri", path),
            "url": get_str(status, "url", path),
            "visibility": get_str(status, "visibility", path),
            "sensitive": status.get("sensitive")
            if isinstance(status.get("sensitive"), bool)
            else None,
            "spoiler_text": get_str(status, "spoiler_text", path),
            "edited_at": get_str(status, "edited_at", path),
            "in_reply_to_account_id": (
                get_id(status, "in_reply_to_account_id", path)
                if kind == "reply" and target_account is None
                else None
            ),
            "card_title": get_str(card, "title", path + "card."),
            "poll": compact(
                {
                    "options": [
                        get_str(o, "title", path + "poll.options.")
                        for o in get_items(poll, "options", path + "poll.")
                    ],
                    "votes_count": get_int(poll, "votes_count", path + "poll."),
                }
            ),
            "quote_state": get_str(quote, "state", path + "quote.") if quote else None,
            "fetched_at": fetched.isoformat() if fetched else None,
        }
    )
    rows.append(
        (
            "posts",
            {
                "platform": platform,
                "post_id": post_id,
                "account_id": account_id,
                "created_at": created,
                "kind": kind,
                "text": html_text(content),
                "lang": get_str(status, "language", path),
                "client": get_str(application, "name", path + "application."),
                "target_post_id": target,
                "target_account_id": target_account,
                "hashtags": hashtags,
                "mentions": mentions,
                "urls": urls,
                "media": media,
                "like_count": get_int(status, "favourites_count", path),
                "repost_count": get_int(status, "reblogs_count", path),
                "reply_count": get_int(status, "replies_count", path),
                "quote_count": get_int(status, "quotes_count", path),
                "time_precision": "second",
                "extra": extra,
            },
        )
    )
    return post_id, rows


# -- reports --------------------------------------------------------------------------------------


def report_rows(report: Any, platform: str, notes: dict) -> Rows:
    if not isinstance(report, dict):
        raise BadValue(f"not a Mastodon report: a JSON {type(report).__name__}, not an object")
    report_id = get_id(report, "id")
    if report_id is None:
        raise missing("id")
    created = get_time(report, "created_at")
    rows: Rows = []
    reporter = None
    admin = "account" in report  # Admin::Report names who filed it
    if admin:
        reporter, acc_rows = account_rows(report.get("account"), None, platform, "account.", notes)
        rows += acc_rows
    target_obj = report.get("target_account")
    if target_obj is None:
        raise missing("target_account")
    target, acc_rows = account_rows(target_obj, None, platform, "target_account.", notes)
    rows += acc_rows
    status_ids: list[str] = []
    for value in get_list(report, "status_ids"):
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise bad("status_ids", value, "a status id")
        status_ids.append(str(value))
    for status in get_items(report, "statuses"):
        sid, srows = status_rows(status, None, platform, notes, "statuses.")
        rows += srows
        if sid not in status_ids:
            status_ids.append(sid)
    rule_ids: list[str] = []
    for value in get_list(report, "rule_ids"):
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise bad("rule_ids", value, "a rule id")
        rule_ids.append(str(value))
    rules = []
    for rule in get_items(report, "rules"):
        rid = get_id(rule, "id", "rules.")
        if rid and rid not in rule_ids:
            rule_ids.append(rid)
        text = get_str(rule, "text", "rules.")
        if text:
            rules.append(text)
    taken_by = report.get("action_taken_by_account")
    assigned = report.get("assigned_account")
    extra = compact(
        {
            "reporter": None
            if admin
            else "unknown: a user-facing Report is the fetching account's own report",
            "status_ids": status_ids,
            "rule_ids": rule_ids,
            "rules": rules,
            "action_taken": get_bool(report, "action_taken"),
            "action_taken_at": get_str(report, "action_taken_at"),
            "forwarded": get_bool(report, "forwarded"),
            "updated_at": get_str(report, "updated_at"),
            "assigned_to": account_id_of(assigned, "assigned_account.", notes)
            if isinstance(assigned, dict)
            else None,
            "action_taken_by": account_id_of(taken_by, "action_taken_by_account.", notes)
            if isinstance(taken_by, dict)
            else None,
        }
    )
    rows.append(
        (
            "reports",
            {
                "platform": platform,
                "report_id": report_id,
                "reporter_id": reporter,
                "target_account_id": target,
                "target_post_id": status_ids[0] if status_ids else None,
                "reason": get_str(report, "category"),
                "comment": get_str(report, "comment"),
                "created_at": created,
                "extra": extra,
            },
        )
    )
    return rows


# -- readers --------------------------------------------------------------------------------------


def _is_account(obj: Any) -> bool:
    return (
        isinstance(obj, dict)
        and "acct" in obj
        and "username" in obj
        and ("followers_count" in obj or "statuses_count" in obj or "url" in obj)
    )


def _is_status(obj: Any) -> bool:
    return (
        isinstance(obj, dict)
        and _is_account(obj.get("account"))
        and ("content" in obj or "reblog" in obj)
    )


def _is_report(obj: Any) -> bool:
    return (
        isinstance(obj, dict)
        and isinstance(obj.get("target_account"), dict)
        and ("category" in obj or "action_taken" in obj)
    )


class _MastodonReader(Reader):
    what = "record"

    def rows(self, record: Any, platform: str, notes: dict) -> Rows:
        raise NotImplementedError

    def read(self, source: Source, stage: Stage) -> None:
        platform = stage.options.platform or "mastodon"
        notes: dict[str, Any] = {}

        def reject(line: int | None, reason: str, raw: str | bytes) -> None:
            stage.count_read()
            stage.reject(line, reason, raw)

        for line, record in iter_json_records(source, reject, stage.progress):
            stage.count_read()
            try:
                rows = self.rows(record, platform, notes)
            except BadValue as exc:
                stage.reject(line, str(exc), json_raw(record))
                continue
            for table, row in rows:
                stage.add(table, row, line)
        stage.assumptions.update(notes)


def _not_a(what: str, record: Any) -> BadValue:
    if isinstance(record, dict):
        return BadValue(f"not a Mastodon {what} (keys: {', '.join(map(str, list(record)[:8]))})")
    return BadValue(f"not a Mastodon {what}: a JSON {type(record).__name__}, not an object")


class MastodonStatusesReader(_MastodonReader):
    format = "mastodon_statuses"
    description = "Mastodon Status entities (JSON object, array or JSON Lines)"
    primary_table = "posts"

    def sniff(self, head: Head) -> float:
        return 0.95 if _is_status(first_json_object(head)) else 0.0

    def rows(self, record: Any, platform: str, notes: dict) -> Rows:
        if not isinstance(record, dict) or "account" not in record:
            raise _not_a("status", record)
        _, rows = status_rows(record, collection_time(record), platform, notes)
        return rows


class MastodonAccountsReader(_MastodonReader):
    format = "mastodon_accounts"
    description = "Mastodon Account entities (followers/following lists, account lookups)"
    primary_table = "accounts"

    def sniff(self, head: Head) -> float:
        value = first_json_object(head)
        if _is_account(value) and "content" not in value and "target_account" not in value:
            return 0.9
        return 0.0

    def rows(self, record: Any, platform: str, notes: dict) -> Rows:
        if not isinstance(record, dict) or not ("acct" in record or "username" in record):
            raise _not_a("account", record)
        _, rows = account_rows(record, collection_time(record), platform, "", notes)
        return rows


class MastodonReportsReader(_MastodonReader):
    format = "mastodon_reports"
    description = "Mastodon Report and Admin::Report entities (abuse reports)"
    primary_table = "reports"

    def sniff(self, head: Head) -> float:
        return 0.95 if _is_report(first_json_object(head)) else 0.0

    def rows(self, record: Any, platform: str, notes: dict) -> Rows:
        return report_rows(record, platform, notes)
