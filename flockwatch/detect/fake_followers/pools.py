"""Seller pools: accounts that follow many of the same customers and look alike.

A seller fills every order from one stock of accounts, so its customers share followers far
beyond chance. The pools are found from the customers' side, which scales with the number of
audited accounts rather than with the square of their followers:

1. **Customer graph.** Two audited accounts are linked when they share at least
   :data:`MIN_SHARED` followers, with cosine ``shared / sqrt(followers_a * followers_b)`` at
   least :data:`MIN_COSINE`. (A follower counts for about :data:`MAX_TARGETS_PER_FOLLOWER`
   audited accounts at most, chosen by seeded hash, so one account following thousands does not
   make millions of pairs.)
2. **Groups.** Leiden (``leidenalg``, modularity, with the seed) on that graph.
3. **Members.** The followers of a group's accounts that follow at least
   :data:`MEMBER_SHARE` of them (and 2); the group's **customers** are its accounts followed by
   at least :data:`CUSTOMER_SHARE` of the members (members are recounted on them). Pools of
   fewer than ``min_pool_size`` members are dropped; pools sharing most members
   (:data:`MERGE_OVERLAP`) are one stock and are merged.
4. **Look-alike evidence** (see :func:`pool_score`): members scored fake, created on burst days,
   without a bio, with digit-run handles, following in the customers' delivery bursts, and
   whether members engage with the customers' posts (sold followers do not).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from flockwatch.detect.coordination.network import leiden
from flockwatch.detect.fake_followers.arrivals import Burst

__all__ = [
    "CUSTOMER_SHARE",
    "MAX_TARGETS_PER_FOLLOWER",
    "MEMBER_SHARE",
    "MIN_COSINE",
    "MIN_SHARED",
    "Pool",
    "find_pools",
    "pool_score",
]

#: Fewest shared followers for a link between two audited accounts.
MIN_SHARED = 3
#: Fewest cosine overlap of two accounts' followers for a link (0.1: one in ten followers in
#: common for accounts of equal size; organic audiences of unrelated accounts share far fewer).
MIN_COSINE = 0.1
#: Audited accounts per follower used for the customer graph.
MAX_TARGETS_PER_FOLLOWER = 50
#: A member follows at least this share of its group's accounts: a seller fills each order
#: with a large part of its stock, so its accounts follow many of the same customers.
MEMBER_SHARE = 0.25
#: A customer is followed by at least this share of the pool's members (camouflage follows of
#: famous accounts by some pool accounts do not make them customers; a seller fills even a
#: small order with about a third of its stock).
CUSTOMER_SHARE = 0.25
#: Pools sharing this share of the smaller one's members are one stock, merged: a big seller
#: serves its customers from parts of its stock, and Leiden may cut the customers into groups.
MERGE_OVERLAP = 0.5
#: Days holding at least this many members, and :data:`BURST_DAY_RATIO` times the members'
#: mean per day over their creation span (at least :data:`MIN_SPAN_DAYS`: members all created
#: within a few days are the strongest burst, not a flat background), are creation-burst days.
BURST_DAY_MIN = 3
BURST_DAY_RATIO = 10.0
MIN_SPAN_DAYS = 365
#: A handle with a run of this many digits looks generated (``PoojaPa89844380``).
DIGIT_RUN = 3
#: Members named in a pool's summary, and member->customer follows cited as its evidence.
SAMPLE_MEMBERS = 10
EVIDENCE_FOLLOWS = 50
#: Weights of the look-alike evidence (renormalised over the parts that are known).
WEIGHTS: dict[str, float] = {
    "fake": 0.35,
    "created_together": 0.2,
    "no_bio": 0.15,
    "digit_handles": 0.1,
    "delivered_in_bursts": 0.2,
}


@dataclass
class Pool:
    """One seller pool, before it is numbered."""

    platform: str
    members: list[str]
    customers: list[str]
    follows_per_customer: dict[str, int]
    evidence: dict[str, float | None] = field(default_factory=dict)
    engaged_share: float = 0.0
    burst_days: list[str] = field(default_factory=list)
    mean_customers_followed: float = 0.0
    sample_members: list[str] = field(default_factory=list)
    follows: list[list[str]] = field(default_factory=list)
    score: float = 0.0
    pool_id: str = ""


def _pairs_sql() -> str:
    # Followers and audited accounts as integers (a 64-bit hash, the target number ``k``):
    # the self-join of every follower's follows is the costly part, and joins on integers are
    # several times faster than on strings.
    return """
    WITH e AS (
      SELECT hash(f.platform, f.follower_id) AS u, t.k
      FROM follows f
      JOIN _fw_targets t ON f.platform = t.platform AND f.followee_id = t.account_id
    ), d AS (
      SELECT u, count(*) AS d FROM e GROUP BY u HAVING count(*) >= 2
    ), multi AS (
      SELECT e.u, e.k FROM e JOIN d USING (u)
      WHERE d.d <= $cap OR hash(e.k, e.u, $seed) % d.d < $cap
    ), pairs AS (
      SELECT a.k AS a, b.k AS b, count(*) AS shared
      FROM multi a JOIN multi b ON a.u = b.u AND a.k < b.k
      GROUP BY ALL HAVING count(*) >= $min_shared
    )
    SELECT ta.platform AS pl, ta.account_id AS a, tb.account_id AS b, p.shared,
           p.shared / sqrt(ta.followers_seen * tb.followers_seen) AS cosine
    FROM pairs p
    JOIN _fw_targets ta ON ta.k = p.a
    JOIN _fw_targets tb ON tb.k = p.b
    WHERE ta.platform = tb.platform
    ORDER BY 1, 2, 3
    """


def _groups(cur: duckdb.DuckDBPyConnection, seed: int) -> pd.DataFrame:
    """``pl, node, community`` of the audited accounts linked in the customer graph."""
    pairs = cur.sql(
        _pairs_sql(),
        params={"seed": int(seed), "cap": MAX_TARGETS_PER_FOLLOWER, "min_shared": MIN_SHARED},
    ).df()
    pairs = pairs[pairs["cosine"] >= MIN_COSINE]
    if pairs.empty:
        return pd.DataFrame({"pl": [], "node": [], "community": []})
    # Nodes are account ids; the platform goes into the node name so platforms never mix.
    edges = pd.DataFrame(
        {
            "pl": pairs["pl"],
            "a": pairs["pl"] + "\x00" + pairs["a"],
            "b": pairs["pl"] + "\x00" + pairs["b"],
            "weight": pairs["cosine"].astype(float),
        }
    )
    part = leiden(edges, resolution=1.0, seed=seed)
    part["node"] = [n.split("\x00", 1)[1] for n in part["node"]]
    return part


def _members(edges: pd.DataFrame, customers: set[str]) -> pd.Series:
    """Followers following at least ``MEMBER_SHARE`` of ``customers`` (and 2): counts."""
    sub = edges[edges["followee_id"].isin(customers)]
    counts = sub.groupby("follower_id").size()
    need = max(2, math.ceil(MEMBER_SHARE * len(customers)))
    return counts[counts >= need]


def _candidate_pools(
    cur: duckdb.DuckDBPyConnection, groups: pd.DataFrame, min_pool_size: int
) -> list[tuple[str, list[str], pd.DataFrame]]:
    """``(platform, customers, member edges)`` of each group that keeps a pool."""
    grouped = groups.groupby(["pl", "community"])["node"].apply(sorted)
    keys = pa.table(
        {
            "platform": groups["pl"].astype(str).tolist(),
            "account_id": groups["node"].astype(str).tolist(),
        }
    )
    cur.register("_fw_grouped", keys)
    try:
        edges = cur.sql(
            """
            SELECT f.platform, f.follower_id, f.followee_id, epoch(f.observed_at) AS t
            FROM follows f
            JOIN _fw_grouped g ON g.platform = f.platform AND g.account_id = f.followee_id
            ORDER BY 1, 2, 3
            """
        ).df()
    finally:
        cur.unregister("_fw_grouped")
    found: list[tuple[str, set[str], set[str]]] = []
    for (pl, _), nodes in grouped.items():
        if len(nodes) < 2:
            continue
        mine = edges[(edges["platform"] == pl) & edges["followee_id"].isin(nodes)]
        members = _members(mine, set(nodes))
        followed = mine[mine["follower_id"].isin(members.index)].groupby("followee_id").size()
        customers = sorted(c for c in nodes if followed.get(c, 0) >= CUSTOMER_SHARE * len(members))
        if len(customers) < 2:
            continue
        members = _members(mine, set(customers))
        if len(members) >= min_pool_size:
            found.append((str(pl), set(customers), set(members.index)))
    out = []
    for pl, customers, members in _merged(found):
        member_edges = edges[
            (edges["platform"] == pl)
            & edges["follower_id"].isin(members)
            & edges["followee_id"].isin(customers)
        ]
        out.append((pl, sorted(customers), member_edges))
    return out


def _merged(pools: list[tuple[str, set[str], set[str]]]) -> list[tuple[str, set[str], set[str]]]:
    """Pools that share :data:`MERGE_OVERLAP` of the smaller one's members, merged (one stock
    serving several groups of customers), until none do."""
    pools = list(pools)
    merged = True
    while merged:
        merged = False
        for i in range(len(pools)):
            for j in range(i + 1, len(pools)):
                (pa_, ca, ma), (pb, cb, mb) = pools[i], pools[j]
                if pa_ == pb and len(ma & mb) >= MERGE_OVERLAP * min(len(ma), len(mb)):
                    pools[i] = (pa_, ca | cb, ma | mb)
                    del pools[j]
                    merged = True
                    break
            if merged:
                break
    return pools


def _profiles(cur: duckdb.DuckDBPyConnection, platform: str, members: list[str]) -> pd.DataFrame:
    cur.register("_fw_members", pa.table({"account_id": members}))
    try:
        return cur.sql(
            f"""
            SELECT m.account_id, a.created_at,
                   CASE WHEN a.account_id IS NULL THEN NULL
                        ELSE coalesce(trim(a.description), '') = '' END AS no_bio,
                   regexp_matches(a.screen_name, '[0-9]{{{DIGIT_RUN},}}') AS digit_handle
            FROM _fw_members m
            LEFT JOIN accounts a ON a.platform = $pl AND a.account_id = m.account_id
            ORDER BY 1
            """,
            params={"pl": platform},
        ).df()
    finally:
        cur.unregister("_fw_members")


def _bios_recorded(cur: duckdb.DuckDBPyConnection, platform: str) -> bool:
    """Whether any account of the platform has a bio (else "no bio" says nothing)."""
    rows = cur.sql(
        "SELECT count(*) FROM (SELECT 1 FROM accounts WHERE platform = $pl "
        "AND coalesce(trim(description), '') <> '' LIMIT 1)",
        params={"pl": platform},
    ).fetchall()
    return bool(rows[0][0])


def _engaged(
    cur: duckdb.DuckDBPyConnection, platform: str, members: list[str], customers: list[str]
) -> int:
    """Members that reposted, quoted or replied to a customer's post."""
    cur.register("_fw_members", pa.table({"account_id": members}))
    cur.register("_fw_customers", pa.table({"account_id": customers}))
    try:
        return int(
            cur.sql(
                """
                SELECT count(DISTINCT p.account_id) FROM posts p
                SEMI JOIN _fw_members m ON m.account_id = p.account_id
                SEMI JOIN _fw_customers c ON c.account_id = p.target_account_id
                WHERE p.platform = $pl AND p.kind IN ('repost', 'reply', 'quote')
                """,
                params={"pl": platform},
            ).fetchall()[0][0]
        )
    finally:
        cur.unregister("_fw_members")
        cur.unregister("_fw_customers")


def _burst_days(created: pd.Series) -> tuple[float | None, list[str]]:
    """Share of members created on creation-burst days, and those days (busiest first)."""
    days = pd.to_datetime(created.dropna()).dt.floor("D")
    if days.empty:
        return None, []
    counts = days.value_counts()
    span = max((days.max() - days.min()).days + 1, MIN_SPAN_DAYS)
    need = max(BURST_DAY_MIN, BURST_DAY_RATIO * len(days) / span)
    burst = counts[counts >= need]
    ranked = sorted(burst.items(), key=lambda kv: (-kv[1], kv[0]))
    return float(burst.sum() / len(days)), [d.date().isoformat() for d, _ in ranked]


def _delivered(
    member_edges: pd.DataFrame,
    first_seen: dict[tuple[str, str], float],
    bursts: dict[tuple[str, str], list[Burst]],
    platform: str,
) -> float | None:
    """Share of the members' follows that arrived (after the customer's first observation)
    inside one of the customer's arrival bursts; None when none arrived."""
    inside = total = 0
    times = member_edges.dropna(subset=["t"])
    for customer, part in times.groupby("followee_id"):
        key = (platform, str(customer))
        t0 = first_seen.get(key)
        t = part["t"].to_numpy(dtype=float)
        if t0 is not None:
            t = t[t > t0]
        total += len(t)
        for b in bursts.get(key, []):
            inside += int(((t >= b.start) & (t <= b.end)).sum())
    return inside / total if total else None


def pool_score(evidence: dict[str, float | None], engaged_share: float) -> float:
    """Weighted mean of the known look-alike shares (:data:`WEIGHTS`), times the share of
    members that never engaged with the customers' posts.

    Examples
    --------
    >>> pool_score({"fake": 1.0, "created_together": 1.0, "no_bio": 0.5,
    ...             "digit_handles": None, "delivered_in_bursts": None}, 0.0)
    0.8928571428571428
    """
    known = {k: v for k, v in evidence.items() if v is not None}
    if not known:
        return 0.0
    look = sum(WEIGHTS[k] * v for k, v in known.items()) / sum(WEIGHTS[k] for k in known)
    return float(look * (1.0 - engaged_share))


def find_pools(
    cur: duckdb.DuckDBPyConnection,
    *,
    scorer: Any,
    fake_threshold: float,
    min_pool_size: int,
    seed: int,
    first_seen: dict[tuple[str, str], float],
    bursts: dict[tuple[str, str], list[Burst]],
) -> list[Pool]:
    """Seller pools among the followers of the audited accounts (registered as
    ``_fw_targets``), numbered ``pool-1``, ``pool-2``... by size.

    Parameters
    ----------
    cur
        A cursor on the store with ``_fw_targets`` registered.
    scorer
        A :class:`~flockwatch.detect.fake_followers.scoring.FollowerScorer`.
    fake_threshold
        Follower score at or above which a member counts as fake.
    min_pool_size
        Fewest members.
    seed
        Seed of the follower cap and of Leiden.
    first_seen, bursts
        Each audited account's first follow observation (epoch seconds) and arrival bursts.
    """
    groups = _groups(cur, seed)
    if groups.empty:
        return []
    pools = []
    for platform, customers, member_edges in _candidate_pools(cur, groups, min_pool_size):
        members = sorted(member_edges["follower_id"].unique().tolist())
        profiles = _profiles(cur, platform, members)
        scored = scorer.score(
            pa.table({"platform": [platform] * len(members), "account_id": members})
        )
        scores = scored.column("score").to_numpy(zero_copy_only=False)
        together, days = _burst_days(profiles["created_at"])
        bios = _bios_recorded(cur, platform) and profiles["no_bio"].notna().any()
        handles = profiles["digit_handle"].dropna()
        evidence = {
            "fake": float((scores >= fake_threshold).mean()) if len(scores) else None,
            "created_together": together,
            "no_bio": float(profiles["no_bio"].dropna().astype(bool).mean()) if bios else None,
            "digit_handles": float(handles.astype(bool).mean()) if len(handles) else None,
            "delivered_in_bursts": _delivered(member_edges, first_seen, bursts, platform),
        }
        engaged = _engaged(cur, platform, members, customers) / len(members)
        per_customer = member_edges.groupby("followee_id").size().to_dict()
        per_member = member_edges.groupby("follower_id").size().to_dict()
        top = sorted(members, key=lambda m: (-per_member[m], m))[:SAMPLE_MEMBERS]
        cited = member_edges.sort_values(["follower_id", "followee_id"]).head(EVIDENCE_FOLLOWS)
        pools.append(
            Pool(
                platform=platform,
                members=members,
                customers=sorted(customers, key=lambda c: (-int(per_customer.get(c, 0)), c)),
                follows_per_customer={c: int(per_customer.get(c, 0)) for c in customers},
                evidence=evidence,
                engaged_share=float(engaged),
                burst_days=days,
                mean_customers_followed=float(len(member_edges) / len(members)),
                sample_members=top,
                follows=cited[["follower_id", "followee_id"]].values.tolist(),
                score=pool_score(evidence, engaged),
            )
        )
    pools.sort(key=lambda p: (-len(p.members), p.platform, p.members[0]))
    for i, pool in enumerate(pools, 1):
        pool.pool_id = f"pool-{i}"
    return pools
