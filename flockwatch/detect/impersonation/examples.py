"""The tiny worlds of the ``impersonation`` detector's contract examples.

Positive: a verified actor (``Raveena Tandon``, @raveenatandon, 2.1 million followers, since 2011)
and an account created in 2021 that shows her name with a Cyrillic 'а', the handle
``raveenatandon_0fficial``, her bio with one line added and her profile picture. It must be
flagged as impersonating her.

Negative: the same actor and a fan account that says so: its own name ("Priya | Raveena's fan"),
its own handle, picture and bio. It must not be flagged. An ordinary account with an unrelated
name is there too, so the search has something to skip.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flockwatch.store.db import Store

PLATFORM = "twitter"
ORIGINAL = "1100000001"
IMPOSTOR = "1100000002"
FAN = "1100000003"
OTHER = "1100000004"
BIO = "Actor. Official account of Raveena Tandon. Mother, dreamer, foodie."
IMAGE = "https://pbs.twimg.com/profile_images/1345/rt_portrait_k9x_normal.jpg"


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


def account(account_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "platform": PLATFORM,
        "account_id": account_id,
        "verified": False,
        "default_profile_image": False,
        **fields,
    }


def original() -> dict[str, Any]:
    return account(
        ORIGINAL,
        screen_name="raveenatandon",
        display_name="Raveena Tandon",
        description=BIO,
        created_at=datetime(2011, 4, 2, 10, 0),
        verified=True,
        followers_count=2_100_000,
        profile_image_url=IMAGE,
    )


def other() -> dict[str, Any]:
    return account(
        OTHER,
        screen_name="gardenbee",
        display_name="Mohan Rao",
        description="Roses, tomatoes and a very old dog.",
        created_at=datetime(2015, 1, 9),
        followers_count=210,
        profile_image_url="https://pbs.twimg.com/profile_images/77/garden_rao_normal.jpg",
    )


def build_positive(store: Store) -> None:
    impostor = account(
        IMPOSTOR,
        screen_name="raveenatandon_0fficial",
        display_name="R\u0430veena Tandon",  # Cyrillic а
        description=BIO + " DM for collabs.",
        created_at=datetime(2021, 6, 5, 18, 30),
        followers_count=150,
        profile_image_url=IMAGE,
    )
    insert(store, "accounts", [original(), impostor, other()])


def build_negative(store: Store) -> None:
    fan = account(
        FAN,
        screen_name="priya_loves_rt",
        display_name="Priya | Raveena's fan",
        description="Biggest fan of Raveena Tandon. Fan account, not affiliated.",
        created_at=datetime(2019, 2, 14),
        followers_count=890,
        profile_image_url="https://pbs.twimg.com/profile_images/88/priya_selfie_normal.jpg",
    )
    insert(store, "accounts", [original(), fan, other()])
