"""Hand-made stores for the fake_followers tests: ordinary people, a seller's stock, customers.

Every account, follow and snapshot is added on purpose by the test that calls these helpers;
the profiles are the detector's own contract-example profiles (``examples.person`` and
``examples.fake``), which the bot profile model scores about 0.0 and 1.0.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flockwatch.detect.fake_followers.examples import fake, insert, person
from flockwatch.store.db import Store

START = datetime(2026, 3, 1)


def people(prefix: str, n: int, platform: str = "twitter") -> list[dict[str, Any]]:
    return [person(platform, f"{prefix}{i:05d}", i) for i in range(n)]


def stock(prefix: str, n: int) -> list[dict[str, Any]]:
    return [{**fake(f"{prefix}{i:05d}", i)} for i in range(n)]


def follows(
    followers: list[dict[str, Any]], followee: str, start: datetime, step: timedelta
) -> list[dict[str, Any]]:
    """``followers`` follow ``followee``, first observed at ``start``, ``step`` apart."""
    return [
        {
            "platform": f["platform"],
            "follower_id": f["account_id"],
            "followee_id": followee,
            "observed_at": start + i * step,
        }
        for i, f in enumerate(followers)
    ]


def snapshots(account: str, counts: list[int], platform: str = "twitter") -> list[dict[str, Any]]:
    """One snapshot a day at noon from START."""
    return [
        {
            "platform": platform,
            "account_id": account,
            "observed_at": START + timedelta(days=i, hours=12),
            "followers_count": c,
        }
        for i, c in enumerate(counts)
    ]


def account(account_id: str, platform: str = "twitter", **extra: Any) -> dict[str, Any]:
    return {**person(platform, account_id, 7), **extra}


def build(store: Store, accounts=(), follow_rows=(), snapshot_rows=(), posts=()) -> Store:
    insert(store, "accounts", list(accounts))
    insert(store, "follows", list(follow_rows))
    insert(store, "account_snapshots", list(snapshot_rows))
    insert(store, "posts", list(posts))
    return store
