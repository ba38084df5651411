"""The tiny worlds of the ``activity`` detector's contract examples, filled with SQL inserts."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from flockwatch.store.db import Store

PLATFORM = "twitter"
LEAPER = "1000000001"  # posts 2,3,2,2,3 a day, then 80 and 90; +3,000 followers in one day
STEADY = "1000000002"  # 2 or 3 posts a day for two weeks, +2 followers a day
BURST_DAYS = (date(2026, 3, 5), date(2026, 3, 6))


def insert(store: Store, table: str, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts; a key missing from a row is NULL) into ``table``."""
    if not rows:
        return
    cols = list(dict.fromkeys(c for r in rows for c in r))
    marks = ", ".join("?" for _ in cols)
    store.con.executemany(
        f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})",
        [[r.get(c) for c in cols] for r in rows],
    )


def account(account_id: str, created_at: datetime, platform: str = PLATFORM) -> dict[str, Any]:
    return {"platform": platform, "account_id": account_id, "created_at": created_at}


def daily_posts(
    account_id: str, start: date, counts: list[int], platform: str = PLATFORM, **extra: Any
) -> list[dict[str, Any]]:
    """``counts[i]`` posts on day ``start + i``, a minute apart from 08:00 (minute precision)."""
    rows = []
    for offset, count in enumerate(counts):
        day = start + timedelta(days=offset)
        for i in range(count):
            rows.append(
                {
                    "platform": platform,
                    "post_id": f"{account_id}-{day:%Y%m%d}-{i:03d}",
                    "account_id": account_id,
                    "created_at": datetime(day.year, day.month, day.day, 8) + timedelta(minutes=i),
                    "kind": "post",
                    "time_precision": "minute",
                    **extra,
                }
            )
    return rows


def daily_snapshots(
    account_id: str, start: date, followers: list[int], following: int, platform: str = PLATFORM
) -> list[dict[str, Any]]:
    """One snapshot a day at noon."""
    return [
        {
            "platform": platform,
            "account_id": account_id,
            "observed_at": datetime(start.year, start.month, start.day, 12) + timedelta(days=i),
            "followers_count": count,
            "following_count": following,
        }
        for i, count in enumerate(followers)
    ]


def build_positive(store: Store) -> None:
    """A leaping account, and 30 accounts created on two days among 60 spread over two years."""
    background = [
        account(f"20{i:08d}", datetime(2024, 5, 1, 9) + timedelta(days=10 * i)) for i in range(60)
    ]
    burst = [
        account(f"3{d}{i:08d}", datetime(day.year, day.month, day.day, 10, i))
        for d, day in enumerate(BURST_DAYS)
        for i in range(15)
    ]
    insert(store, "accounts", [account(LEAPER, datetime(2025, 1, 10)), *background, *burst])
    insert(store, "posts", daily_posts(LEAPER, date(2026, 3, 1), [2, 3, 2, 2, 3, 80, 90]))
    for a in burst:  # the cohort shares a campaign hashtag
        insert(
            store,
            "posts",
            daily_posts(a["account_id"], date(2026, 3, 7), [1], hashtags=["LaunchDay"]),
        )
    followers = [100, 102, 104, 106, 108, 110, 3110, 3112]
    insert(store, "account_snapshots", daily_snapshots(LEAPER, date(2026, 3, 1), followers, 50))


def build_negative(store: Store) -> None:
    """A steady account: 2 or 3 posts a day, +2 followers a day, for two weeks."""
    insert(store, "accounts", [account(STEADY, datetime(2023, 6, 1))])
    insert(store, "posts", daily_posts(STEADY, date(2026, 3, 1), [2, 3] * 7))
    followers = [500 + 2 * i for i in range(14)]
    insert(store, "account_snapshots", daily_snapshots(STEADY, date(2026, 3, 1), followers, 80))
