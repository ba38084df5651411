"""The tiny worlds of the ``fake_followers`` detector's contract examples, filled with SQL."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pyarrow as pa

from flockwatch.store.db import Store

CUSTOMER = "2000000001"  # 30 old followers, then 60 bought ones in 3 hours and +1,000 in a day
CUSTOMER_2 = "2000000002"  # bought from the same 60 accounts a week later
GENUINE = "3000000001"  # on Instagram: 40 real followers arriving one or two a day
START = datetime(2026, 3, 1)


def insert(store: Store, table: str, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts; a key missing from a row is NULL) into ``table``."""
    if not rows:
        return
    cols = list(dict.fromkeys(c for r in rows for c in r))
    store.con.register(
        "_fw_rows", pa.Table.from_pylist([{c: r.get(c) for c in cols} for r in rows])
    )
    try:
        store.con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _fw_rows")
    finally:
        store.con.unregister("_fw_rows")


def person(platform: str, account_id: str, i: int) -> dict[str, Any]:
    """An ordinary, years-old account with a photo, a bio, posts and likes."""
    return {
        "platform": platform,
        "account_id": account_id,
        "screen_name": f"reader_{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}",
        "display_name": f"Reader {chr(65 + i % 26)}. Example",
        "description": "Books, trains and long walks. Views my own.",
        "url": "https://example.org/me" if i % 3 == 0 else "",
        "created_at": datetime(2014, 1, 1) + timedelta(days=37 * i),
        "verified": False,
        "protected": False,
        "default_profile_image": False,
        "profile_image_url": f"https://img.example/{account_id}.jpg",
        "followers_count": 300 + 7 * i,
        "following_count": 280 + 5 * i,
        "posts_count": 4000 + 50 * i,
        "likes_count": 6000 + 40 * i,
        "listed_count": 3,
        "last_seen_at": START + timedelta(days=30),
    }


def fake(account_id: str, i: int) -> dict[str, Any]:
    """A stock account of a seller: default avatar, no bio, digit handle, follows thousands."""
    return {
        "platform": "twitter",
        "account_id": account_id,
        "screen_name": f"user{48213907 + 7919 * i}",
        "display_name": f"user{48213907 + 7919 * i}",
        "description": "",
        "url": "",
        "created_at": datetime(2025, 11, 2, 3) + timedelta(minutes=13 * i),
        "verified": False,
        "protected": False,
        "default_profile_image": True,
        "followers_count": 2,
        "following_count": 2400 + i,
        "posts_count": 0,
        "likes_count": 0,
        "listed_count": 0,
        "last_seen_at": START + timedelta(days=30),
    }


def _snapshots(
    account_id: str, counts: list[int], platform: str = "twitter"
) -> list[dict[str, Any]]:
    return [
        {
            "platform": platform,
            "account_id": account_id,
            "observed_at": START + timedelta(days=i, hours=12),
            "followers_count": c,
            "following_count": 500,
        }
        for i, c in enumerate(counts)
    ]


def build_positive(store: Store) -> None:
    """Two customers of one seller: 30 organic followers each (seen at the first crawl), then the
    same 60 stock accounts follow each within three hours, with a step in the follower count."""
    organic = [person("twitter", f"1{i:09d}", i) for i in range(60)]
    stock = [fake(f"9{i:09d}", i) for i in range(60)]
    customers = [
        {**person("twitter", CUSTOMER, 1), "screen_name": "glowwithmia", "followers_count": 1412},
        {**person("twitter", CUSTOMER_2, 2), "screen_name": "fitwithraj", "followers_count": 1630},
    ]
    insert(store, "accounts", organic + stock + customers)
    follows = []
    for k, (customer, day) in enumerate(((CUSTOMER, 4), (CUSTOMER_2, 11))):
        for i in range(30):
            follows.append(
                {
                    "platform": "twitter",
                    "follower_id": organic[30 * k + i]["account_id"],
                    "followee_id": customer,
                    "observed_at": START,
                }
            )
        delivery = START + timedelta(days=day, hours=10)
        for i, f in enumerate(stock):
            follows.append(
                {
                    "platform": "twitter",
                    "follower_id": f["account_id"],
                    "followee_id": customer,
                    "observed_at": delivery + timedelta(minutes=3 * i),
                }
            )
    insert(store, "follows", follows)
    insert(
        store,
        "account_snapshots",
        _snapshots(CUSTOMER, [400 + i for i in range(4)] + [1400 + i for i in range(12)]),
    )
    insert(
        store,
        "account_snapshots",
        _snapshots(CUSTOMER_2, [600 + i for i in range(11)] + [1620 + i for i in range(8)]),
    )


def build_negative(store: Store) -> None:
    """An Instagram account whose 40 followers are ordinary people arriving one or two a day."""
    followers = [person("instagram", f"4{i:09d}", i) for i in range(40)]
    insert(store, "accounts", [*followers, person("instagram", GENUINE, 5)])
    insert(
        store,
        "follows",
        [
            {
                "platform": "instagram",
                "follower_id": f["account_id"],
                "followee_id": GENUINE,
                "observed_at": START + timedelta(hours=17 * i),
            }
            for i, f in enumerate(followers)
        ],
    )
    insert(
        store,
        "account_snapshots",
        _snapshots(GENUINE, [335 + 2 * i for i in range(30)], "instagram"),
    )
