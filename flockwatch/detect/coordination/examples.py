"""The tiny worlds of the ``coordination`` detector's contract examples.

Positive: one core account posts six times over three days; six amplifiers created on the same
day (default image, empty bio, one scheduling client) repost every core post within seconds, post
the same slogan together twice and repost one another. Four ordinary accounts repost the same
posts hours later. The amplifiers form cluster ``twitter:c0001``, clearly inauthentic.

Negative: six years-old accounts repost the same six posts, each on its own, hours apart: nobody
co-acts, so there is no cluster.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flockwatch.store.db import Store

PLATFORM = "twitter"
CLUSTER = f"{PLATFORM}:c0001"
CORE = "2000000000"
AMPLIFIERS = [f"20000000{i:02d}" for i in range(1, 7)]
ORGANIC = [f"30000000{i:02d}" for i in range(1, 5)]
START = datetime(2026, 3, 1, 9, 0)


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


def _account(account_id: str, created: datetime, **extra: Any) -> dict[str, Any]:
    return {
        "platform": PLATFORM,
        "account_id": account_id,
        "screen_name": f"user{account_id[-4:]}",
        "created_at": created,
        "verified": False,
        "default_profile_image": False,
        "description": "Gardening, football and family",
        **extra,
    }


def _post(post_id: str, account_id: str, at: datetime, **extra: Any) -> dict[str, Any]:
    return {
        "platform": PLATFORM,
        "post_id": post_id,
        "account_id": account_id,
        "created_at": at,
        "kind": "post",
        "time_precision": "second",
        "hashtags": [],
        "mentions": [],
        "urls": [],
        **extra,
    }


def _repost(post_id: str, account_id: str, at: datetime, target: str, author: str) -> dict:
    return _post(
        post_id,
        account_id,
        at,
        kind="repost",
        target_post_id=target,
        target_account_id=author,
        client="AutoPoster Pro" if account_id in AMPLIFIERS else "Twitter for iPhone",
    )


def build_positive(store: Store) -> None:
    accounts = [_account(CORE, datetime(2025, 2, 1))]
    accounts += [
        _account(a, datetime(2026, 2, 27, 10, i), default_profile_image=True, description=None)
        for i, a in enumerate(AMPLIFIERS)
    ]
    accounts += [_account(a, datetime(2012 + i, 5, 3)) for i, a in enumerate(ORGANIC)]
    insert(store, "accounts", accounts)
    posts = []
    for k in range(6):
        at = START + timedelta(hours=11 * k)
        pid = f"9{k:03d}"
        posts.append(
            _post(
                pid,
                CORE,
                at,
                text=f"Our dam keeps the valley alive, day {k} #DamYes",
                hashtags=["DamYes"],
                client="Twitter Web App",
            )
        )
        for i, amp in enumerate(AMPLIFIERS):
            posts.append(_repost(f"9{k:03d}{i}", amp, at + timedelta(seconds=5 + 7 * i), pid, CORE))
        for i, org in enumerate(ORGANIC):
            posts.append(_repost(f"8{k:03d}{i}", org, at + timedelta(hours=2 + i), pid, CORE))
    for k in range(2):  # the same slogan, together, twice; then they repost each other
        at = START + timedelta(days=1, hours=3 + 6 * k)
        for i, amp in enumerate(AMPLIFIERS):
            pid = f"7{k}{i}"
            posts.append(
                _post(
                    pid,
                    amp,
                    at + timedelta(seconds=3 * i),
                    text="Say YES to the dam! Jobs, water, future. #DamYes",
                    hashtags=["DamYes"],
                    client="AutoPoster Pro",
                )
            )
            other = AMPLIFIERS[(i + 1) % len(AMPLIFIERS)]
            posts.append(_repost(f"6{k}{i}", other, at + timedelta(minutes=30), pid, amp))
    insert(store, "posts", posts)


def build_negative(store: Store) -> None:
    insert(store, "accounts", [_account(CORE, datetime(2014, 1, 1))])
    insert(
        store, "accounts", [_account(a, datetime(2010 + i, 6, 1)) for i, a in enumerate(AMPLIFIERS)]
    )
    posts = []
    for k in range(6):
        at = START + timedelta(hours=11 * k)
        pid = f"9{k:03d}"
        posts.append(_post(pid, CORE, at, text=f"Photos from the valley, day {k}"))
        for i, acc in enumerate(AMPLIFIERS):
            posts.append(_repost(f"9{k:03d}{i}", acc, at + timedelta(hours=1 + 1.5 * i), pid, CORE))
    insert(store, "posts", posts)
