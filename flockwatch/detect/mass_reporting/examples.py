"""The tiny worlds of the ``mass_reporting`` detector's contract examples.

Positive: eight members of one group ("Nation Guard") report two critics in three waves on three
days, all within a minute or so, six seconds apart, from the same browser extension, with the
reason ``spam`` and two templated comments; one report names only the critic's post. Six
ordinary users file their own reports now and then. The eight form campaign ``twitter:rc0001``,
clearly a brigade.

Negative: a real outcry. A harasser's slur goes viral and twelve different people report it
within forty minutes, once each, with their own reasons, words and apps; ordinary reports come
and go on other days. Nobody co-reports twice: there is no campaign.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flockwatch.store.db import Store

PLATFORM = "twitter"
CAMPAIGN = f"{PLATFORM}:rc0001"
REPORTERS = [f"5000000{i:03d}" for i in range(1, 9)]
CRITICS = ["6000000001", "6000000002"]
ORGANIC = [f"7000000{i:03d}" for i in range(1, 13)]
HARASSER = "8000000001"
GROUP = "900001"
START = datetime(2026, 3, 2, 9, 0)
TEMPLATES = (
    "This account spreads fake news and spam. Please suspend immediately.",
    "This account is spreading fake news and spam. Please suspend it immediately!",
)


def insert(store: Store, table: str, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts; missing keys are NULL) into ``table``."""
    if not rows:
        return
    cols = sorted({k for r in rows for k in r})
    marks = ", ".join("?" for _ in cols)
    store.con.executemany(
        f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})",
        [[r.get(c) for c in cols] for r in rows],
    )


def _account(account_id: str, created: datetime, name: str) -> dict[str, Any]:
    return {
        "platform": PLATFORM,
        "account_id": account_id,
        "screen_name": name,
        "display_name": name.title(),
        "created_at": created,
        "verified": False,
    }


def _report(n: int, reporter: str, target: str | None, at: datetime, **extra: Any) -> dict:
    return {
        "platform": PLATFORM,
        "report_id": f"r{n:05d}",
        "reporter_id": reporter,
        "target_account_id": target,
        "created_at": at,
        **extra,
    }


def _organic(n0: int, days: int) -> list[dict[str, Any]]:
    """Scattered ordinary reports: one a day by a different user against a different account."""
    reasons = ("spam", "abuse", "other", "hate", "misinformation", "spam")
    clients = ("android", "ios", "web")
    out = []
    for k in range(days):
        out.append(
            _report(
                n0 + k,
                ORGANIC[k % 6],
                ORGANIC[(k + 3) % 12],
                START + timedelta(days=k, hours=5 + 3 * k % 11, minutes=17 * k % 60),
                reason=reasons[k % len(reasons)],
                comment="" if k % 2 else f"rude replies #{k}",
                client=clients[k % 3],
            )
        )
    return out


def build_positive(store: Store) -> None:
    accounts = [
        _account(r, datetime(2025, 12, 1) + timedelta(days=i), f"guard{i}")
        for i, r in enumerate(REPORTERS)
    ]
    accounts += [_account(c, datetime(2015, 6, 1), f"critic{i + 1}") for i, c in enumerate(CRITICS)]
    accounts += [_account(o, datetime(2012, 1, 1), f"user{i}") for i, o in enumerate(ORGANIC)]
    insert(store, "accounts", accounts)
    insert(
        store,
        "posts",
        [
            {
                "platform": PLATFORM,
                "post_id": "p1",
                "account_id": CRITICS[1],
                "created_at": START,
                "kind": "post",
                "text": "The dam contract was never tendered. Documents below.",
            }
        ],
    )
    insert(
        store,
        "groups",
        [{"platform": PLATFORM, "group_id": GROUP, "kind": "channel", "name": "Nation Guard"}],
    )
    insert(
        store,
        "memberships",
        [
            {"platform": PLATFORM, "group_id": GROUP, "account_id": r, "role": "member"}
            for r in REPORTERS
        ],
    )
    reports = []
    n = 1
    for day, critic in ((0, CRITICS[0]), (1, CRITICS[1]), (2, CRITICS[0])):
        start = START + timedelta(days=day, hours=6, minutes=11)
        for i, reporter in enumerate(REPORTERS):
            post_only = day == 1 and i == 0  # a report of the critic's post, not the account
            reports.append(
                _report(
                    n,
                    reporter,
                    None if post_only else critic,
                    start + timedelta(seconds=6 * i, milliseconds=37 * (i % 3)),
                    target_post_id="p1" if post_only else None,
                    reason="spam",
                    comment=TEMPLATES[(i + day) % 2],
                    client="Auto Reporter",
                )
            )
            n += 1
    reports += _organic(100, 6)
    insert(store, "reports", reports)


def build_negative(store: Store) -> None:
    accounts = [
        _account(o, datetime(2012, 1, 1) + timedelta(days=40 * i), f"user{i}")
        for i, o in enumerate(ORGANIC)
    ]
    accounts.append(_account(HARASSER, datetime(2020, 1, 1), "loudmouth"))
    insert(store, "accounts", accounts)
    reasons = ("hate", "abuse", "harassment", "hate", "other", "hate")
    comments = ("racist slur in his last post", "", "this is vile", "please act", "", "hate speech")
    clients = ("android", "ios", "web")
    reports = [
        _report(
            i + 1,
            o,
            HARASSER,
            START + timedelta(minutes=3 * i + (7 * i) % 5, seconds=(13 * i) % 60),
            reason=reasons[i % len(reasons)],
            comment=comments[i % len(comments)],
            client=clients[i % 3],
        )
        for i, o in enumerate(ORGANIC)
    ]
    reports += _organic(100, 6)
    insert(store, "reports", reports)
