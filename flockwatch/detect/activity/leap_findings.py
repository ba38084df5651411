"""Account findings from leaps: evidence, series summaries and the one-sentence explanation."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from flockwatch.detect.activity.leaps import LeapParams, leap_score, posts_jumps, snapshot_jumps
from flockwatch.detect.base import Finding
from flockwatch.store.db import Store

#: Jumps named in an explanation (the largest); the rest are counted.
EXPLAINED_JUMPS = 3
#: Jumps listed in ``details`` per account, largest first; ``n_jumps`` gives the total.
LISTED_JUMPS = 20
#: Post ids of the jump day given as evidence, and follower/following jumps whose bounding
#: snapshots are given.
EVIDENCE_POSTS = 10
EVIDENCE_SNAPSHOT_JUMPS = 5
LEAP_LABEL = "activity_leap"

_POSTS_SERIES_SQL = """
WITH wanted AS (
    SELECT unnest($platforms::VARCHAR[]) AS platform, unnest($accounts::VARCHAR[]) AS account_id
),
daily AS (
    SELECT p.platform, p.account_id, CAST(p.created_at AS DATE) AS day, count(*) AS n
    FROM posts p
    SEMI JOIN wanted w ON p.platform = w.platform AND p.account_id = w.account_id
    WHERE p.created_at IS NOT NULL
    GROUP BY ALL
),
spans AS (
    SELECT platform, account_id, min(day) AS first_day, max(day) AS last_day
    FROM daily
    GROUP BY ALL
),
series AS (  -- zero-filled, as in the jump query
    SELECT g.platform, g.account_id, g.day, coalesce(d.n, 0) AS n
    FROM (
        SELECT platform, account_id,
               CAST(unnest(generate_series(first_day, last_day, INTERVAL 1 DAY)) AS DATE) AS day
        FROM spans
    ) g
    LEFT JOIN daily d USING (platform, account_id, day)
)
SELECT platform, account_id,
       min(day) AS first_day,
       max(day) AS last_day,
       count(*) AS span_days,
       count(*) FILTER (WHERE n > 0) AS active_days,
       sum(n) AS posts,
       median(n) AS median_per_day
FROM series
GROUP BY ALL
"""

_POSTS_EVIDENCE_SQL = """
WITH wanted AS (
    SELECT unnest($platforms::VARCHAR[]) AS platform,
           unnest($accounts::VARCHAR[]) AS account_id,
           unnest($days::DATE[]) AS day
)
SELECT p.platform, p.account_id,
       list(p.post_id ORDER BY p.created_at, p.post_id)[1:$limit] AS post_ids
FROM posts p
JOIN wanted w ON p.platform = w.platform AND p.account_id = w.account_id
             AND CAST(p.created_at AS DATE) = w.day
GROUP BY ALL
"""

_KNOWN_ACCOUNTS_SQL = """
WITH wanted AS (
    SELECT unnest($platforms::VARCHAR[]) AS platform, unnest($accounts::VARCHAR[]) AS account_id
)
SELECT a.platform, a.account_id
FROM accounts a
SEMI JOIN wanted w ON a.platform = w.platform AND a.account_id = w.account_id
"""


def posts_series(store: Store, keys: list[tuple[str, str]]) -> dict[tuple[str, str], dict]:
    """Summary of the daily post series of the given ``(platform, account_id)`` pairs."""
    if not keys:
        return {}
    frame = store.con.execute(
        _POSTS_SERIES_SQL,
        {"platforms": [k[0] for k in keys], "accounts": [k[1] for k in keys]},
    ).df()
    out = {}
    for row in frame.itertuples(index=False):
        out[(row.platform, row.account_id)] = {
            "first_day": _day(row.first_day),
            "last_day": _day(row.last_day),
            "span_days": int(row.span_days),
            "active_days": int(row.active_days),
            "posts": int(row.posts),
            "median_per_day": _num(row.median_per_day),
        }
    return out


def posts_evidence(
    store: Store, wanted: list[tuple[str, str, date]], limit: int
) -> dict[tuple[str, str], list[str]]:
    """Up to ``limit`` post ids of each ``(platform, account_id, day)``."""
    if not wanted:
        return {}
    frame = store.con.execute(
        _POSTS_EVIDENCE_SQL,
        {
            "platforms": [w[0] for w in wanted],
            "accounts": [w[1] for w in wanted],
            "days": [w[2] for w in wanted],
            "limit": limit,
        },
    ).df()
    return {
        (r.platform, r.account_id): [str(x) for x in r.post_ids]
        for r in frame.itertuples(index=False)
    }


def known_accounts(store: Store, keys: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """The pairs among ``keys`` that have a row in ``accounts``."""
    if not keys:
        return set()
    rows = store.con.execute(
        _KNOWN_ACCOUNTS_SQL,
        {"platforms": [k[0] for k in keys], "accounts": [k[1] for k in keys]},
    ).fetchall()
    return {(r[0], r[1]) for r in rows}


def leap_findings(store: Store, p: LeapParams) -> list[Finding]:
    """One ``account`` finding per account with at least one jump; score = its largest jump's."""
    posts = posts_jumps(store, p)
    snaps = snapshot_jumps(store, p)
    posts["score"] = leap_score(posts["ratio"], p.leap_factor)
    snaps["score"] = leap_score(snaps["ratio"], p.leap_factor)
    by_account: dict[tuple[str, str], list[dict[str, Any]]] = {}
    snap_series: dict[tuple[str, str], dict[str, Any]] = {}
    for r in posts.itertuples(index=False):
        by_account.setdefault((r.platform, r.account_id), []).append(
            {
                "metric": "posts",
                "start": _day(r.start_day),
                "end": _day(r.end_day),
                "days": int(r.days),
                "baseline": _num(r.baseline),
                "level": _num(r.level),
                "peak": int(r.peak),
                "peak_day": _day(r.peak_day),
                "posts": int(r.posts),
                "level_after": _num(r.level_after),
                "ratio": _num(r.ratio),
                "score": round(float(r.score), 4),
            }
        )
    for r in snaps.itertuples(index=False):
        key = (r.platform, r.account_id)
        by_account.setdefault(key, []).append(
            {
                "metric": r.metric,
                "from": _day(r.from_day),
                "to": _day(r.to_day),
                "from_at": _iso(r.from_at),
                "to_at": _iso(r.to_at),
                "from_value": int(r.from_value),
                "to_value": int(r.to_value),
                "delta": int(r.delta),
                "elapsed_days": _num(r.elapsed),
                "intervals": int(r.intervals),
                "baseline": _num(r.baseline),
                "baseline_kind": r.baseline_kind,
                "excess": _num(r.excess),
                "ratio": _num(r.ratio),
                "score": round(float(r.score), 4),
            }
        )
        snap_series.setdefault(key, {})[r.metric] = {
            "observations": int(r.observations),
            "first_at": _iso(r.first_at),
            "first_value": int(r.first_value),
            "last_at": _iso(r.last_at),
            "last_value": int(r.last_value),
            "baseline_per_day": _num(r.baseline),
            "baseline": r.baseline_kind,
        }
    keys = sorted(by_account)
    for key in keys:
        by_account[key].sort(key=lambda j: (-j["score"], j.get("start") or j.get("to")))
    tops = {k: next((j for j in by_account[k] if j["metric"] == "posts"), None) for k in keys}
    wanted = [(k[0], k[1], date.fromisoformat(j["start"])) for k, j in tops.items() if j]
    evidence_posts = posts_evidence(store, wanted, EVIDENCE_POSTS)
    series = posts_series(store, keys)
    known = known_accounts(store, keys)
    findings = []
    for key in keys:
        platform, account_id = key
        jumps = by_account[key]
        shown = "; ".join(describe_jump(j) for j in jumps[:EXPLAINED_JUMPS])
        more = len(jumps) - EXPLAINED_JUMPS
        explanation = shown + (
            f"; and {more} more jump{'s' if more > 1 else ''}" if more > 0 else ""
        )
        evidence: dict[str, list[Any]] = {}
        if key in known:
            evidence["accounts"] = [account_id]
        if key in evidence_posts:
            evidence["posts"] = evidence_posts[key]
        snapshot_keys = []
        for j in [j for j in jumps if j["metric"] != "posts"][:EVIDENCE_SNAPSHOT_JUMPS]:
            for at in (j["from_at"], j["to_at"]):
                if [account_id, at] not in snapshot_keys:
                    snapshot_keys.append([account_id, at])
        if snapshot_keys:
            evidence["account_snapshots"] = snapshot_keys
        summary = dict(snap_series.get(key, {}))
        if key in series:
            summary["posts"] = series[key]
        findings.append(
            Finding(
                subject_kind="account",
                subject_id=account_id,
                platform=platform,
                score=float(jumps[0]["score"]),
                label=LEAP_LABEL,
                explanation=explanation[0].upper() + explanation[1:] + ".",
                evidence=evidence,
                details={
                    "series": summary,
                    "jumps": jumps[:LISTED_JUMPS],
                    "n_jumps": len(jumps),
                },
            )
        )
    return findings


def describe_jump(jump: dict[str, Any]) -> str:
    """One phrase for a jump, e.g. ``followers +3,400 on 2026-03-09 (baseline +12/day)``."""
    if jump["metric"] == "posts":
        days = f", {jump['days']} days" if jump["days"] > 1 else ""
        return (
            f"posts per day rose from a median of {_fmt(jump['baseline'])} to "
            f"{_fmt(jump['level'])} on {jump['start']} ({_ratio(jump['ratio'])}{days})"
        )
    when = (
        f"on {jump['to']}"
        if _days_between(jump["from"], jump["to"]) == 1
        else f"between {jump['from']} and {jump['to']}"
    )
    since = {"since_creation": " since creation", "other_intervals": " between its other snapshots"}
    since = since.get(jump["baseline_kind"], "")
    return (
        f"{jump['metric']} {jump['delta']:+,} {when} "
        f"(baseline {_rate(jump['baseline'])}/day{since})"
    )


def _days_between(a: str, b: str) -> int:
    return (date.fromisoformat(b) - date.fromisoformat(a)).days


def _ratio(x: float) -> str:
    return f"{x:.0f}x" if x >= 10 else f"{x:.1f}x"


def _rate(x: float) -> str:
    return f"{x:+,.0f}" if abs(x) >= 10 else f"{x:+.1f}".replace(".0", "")


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() or abs(x) >= 100 else f"{x:,.1f}"


def _num(x: Any) -> float | int:
    x = float(x)
    return int(x) if x.is_integer() else round(x, 3)


def _day(x: Any) -> str:
    return pd.Timestamp(x).date().isoformat()


def _iso(x: Any) -> str:
    return pd.Timestamp(x).isoformat()
