"""Small builders shared by the coordination tests: rows for posts and accounts, a brute-force
reference of co-action pairs."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from flockwatch.detect.coordination.examples import insert
from flockwatch.store.db import Store

T0 = datetime(2026, 3, 1, 12, 0)
WINDOW_S = 60


def post(
    post_id: str,
    account: str,
    seconds: float,
    *,
    kind: str = "post",
    target: str | None = None,
    minute: bool = False,
    **extra: Any,
) -> dict[str, Any]:
    """A post ``seconds`` after :data:`T0`; minute precision truncates to the minute."""
    at = T0 + timedelta(seconds=seconds)
    if minute:
        at = at.replace(second=0, microsecond=0)
    return {
        "platform": "twitter",
        "post_id": post_id,
        "account_id": account,
        "created_at": at,
        "kind": kind,
        "target_post_id": target,
        "time_precision": "minute" if minute else "second",
        "hashtags": [],
        "mentions": [],
        "urls": [],
        **extra,
    }


def store_with(posts: list[dict[str, Any]], accounts: list[dict[str, Any]] | None = None) -> Store:
    store = Store(":memory:")
    insert(store, "posts", posts)
    if accounts:
        insert(store, "accounts", accounts)
    return store


def within(t1: datetime, w1: int, t2: datetime, w2: int, window_s: float) -> bool:
    """The interval rule: ``[t, t + w]`` intervals at most ``window_s`` apart."""
    d = (t2 - t1).total_seconds()
    return d <= window_s + w1 and -d <= window_s + w2


def width(p: dict[str, Any]) -> int:
    return 60 if p["time_precision"] == "minute" else 0


def brute_force_reposts(posts: list[dict[str, Any]], window_s: float) -> dict[tuple, dict]:
    """Reference co-repost edges: ``{(a, b): {"n_actions", "weight", "n_targets", "first",
    "last", "pairs"}}`` with a < b (``first``/``last``: earliest and latest time of a matched
    action)."""
    accounts = {p["account_id"] for p in posts}
    reposts = [p for p in posts if p["kind"] == "repost" and p["target_post_id"]]
    actors: dict[str, set[str]] = {}
    for p in reposts:
        actors.setdefault(p["target_post_id"], set()).add(p["account_id"])
    per: dict[tuple, dict[str, set]] = {}
    pairs: dict[tuple, set] = {}
    for i, x in enumerate(reposts):
        for y in reposts[i + 1 :]:
            if x["target_post_id"] != y["target_post_id"] or x["account_id"] == y["account_id"]:
                continue
            if not within(x["created_at"], width(x), y["created_at"], width(y), window_s):
                continue
            (pa, pb) = (x, y) if x["account_id"] < y["account_id"] else (y, x)
            key = (pa["account_id"], pb["account_id"])
            slot = per.setdefault((*key, x["target_post_id"]), {"a": set(), "b": set(), "t": []})
            slot["a"].add(pa["post_id"])
            slot["b"].add(pb["post_id"])
            slot["t"] += [x["created_at"], y["created_at"]]
            pairs.setdefault(key, set()).add((pa["post_id"], pb["post_id"]))
    out: dict[tuple, dict] = {}
    for (a, b, target), slot in per.items():
        m = min(len(slot["a"]), len(slot["b"]))
        idf = math.log(1 + len(accounts) / len(actors[target]))
        e = out.setdefault(
            (a, b),
            {"n_actions": 0, "weight": 0.0, "n_targets": 0, "first": None, "last": None},
        )
        e["pairs"] = pairs[(a, b)]
        e["n_actions"] += m
        e["weight"] += m * idf
        e["n_targets"] += 1
        e["first"] = min(slot["t"]) if e["first"] is None else min(e["first"], *slot["t"])
        e["last"] = max(slot["t"]) if e["last"] is None else max(e["last"], *slot["t"])
    return out
