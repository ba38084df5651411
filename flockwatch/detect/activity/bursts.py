"""Creation bursts: many accounts of one platform created within a few days of each other.

Daily creation counts per platform (``accounts.created_at``, which may be a date only) are
zero-filled over the platform's creation-date range in SQL. Every window of 1 to
``burst_window_days`` days is tested against a local Poisson background: the mean daily count
over :data:`CONTEXT_DAYS` days either side of the window, the window itself left out. The
background is made robust by a second pass that also leaves out the days of every window found
significant in the first pass, so one large burst nearby does not hide a smaller one. A window
is significant when its Poisson upper-tail probability is below ``burst_p`` and it holds at
least ``min_burst_accounts`` accounts; overlapping significant windows are resolved greedily,
most significant first, into non-overlapping cohorts.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from flockwatch.detect.base import Finding
from flockwatch.store.db import Store

#: Days either side of a window whose creations make its background: a year smooths weekly and
#: seasonal swings yet follows a platform's growth over the years.
CONTEXT_DAYS = 365
#: A background needs this many days outside the window (and outside other bursts) to be judged.
MIN_CONTEXT_DAYS = 28
#: A day next to a burst joins it when its own count has a Poisson tail below this at the
#: burst's background rate: looser than ``burst_p``, since the burst already stands out.
EDGE_P = 1e-3
#: Member ids given as evidence; ``details`` has the full count.
EVIDENCE_MEMBERS = 200
#: Hashtags shared by members reported in ``details`` (and the first three in the explanation).
TOP_HASHTAGS = 10
BURST_LABEL = "creation_burst"

_WINDOWS_SQL = """
WITH created AS (
    SELECT platform, CAST(created_at AS DATE) AS day, count(*) AS n
    FROM accounts
    WHERE created_at IS NOT NULL
    GROUP BY ALL
),
grid AS (
    SELECT platform, CAST(unnest(generate_series(lo, hi, INTERVAL 1 DAY)) AS DATE) AS day
    FROM (SELECT platform, min(day) AS lo, max(day) AS hi FROM created GROUP BY platform)
),
masked AS (
    SELECT unnest($mask_platforms::VARCHAR[]) AS platform,
           unnest($mask_starts::DATE[]) AS start_day,
           unnest($mask_ends::DATE[]) AS end_day
),
daily AS (
    SELECT g.platform, g.day, coalesce(c.n, 0) AS n,
           CASE WHEN m.platform IS NULL THEN coalesce(c.n, 0) ELSE 0 END AS n_bg,
           CASE WHEN m.platform IS NULL THEN 1 ELSE 0 END AS d_bg
    FROM grid g
    LEFT JOIN created c USING (platform, day)
    LEFT JOIN (SELECT DISTINCT g2.platform, g2.day FROM grid g2
               JOIN masked m2 ON g2.platform = m2.platform
                             AND g2.day BETWEEN m2.start_day AND m2.end_day) m
           USING (platform, day)
)
"""

_ONE_LENGTH_SQL = """
SELECT platform, day AS start_day, {days} AS days, k, ctx_n - in_n AS bg_accounts,
       ctx_d - in_d AS bg_days
FROM (
    SELECT platform, day,
           count(*) OVER win AS span,
           sum(n) OVER win AS k,
           sum(n_bg) OVER win AS in_n,
           sum(d_bg) OVER win AS in_d,
           sum(n_bg) OVER ctx AS ctx_n,
           sum(d_bg) OVER ctx AS ctx_d
    FROM daily
    WINDOW win AS (PARTITION BY platform ORDER BY day
                   ROWS BETWEEN CURRENT ROW AND {last} FOLLOWING),
           ctx AS (PARTITION BY platform ORDER BY day
                   ROWS BETWEEN {context} PRECEDING AND {context_after} FOLLOWING)
)
WHERE span = {days} AND k >= $min_accounts
"""

_MEMBERS_SQL = """
WITH cohorts AS (
    SELECT unnest($ids::VARCHAR[]) AS cohort_id,
           unnest($platforms::VARCHAR[]) AS platform,
           unnest($starts::DATE[]) AS start_day,
           unnest($ends::DATE[]) AS end_day
),
members AS (
    SELECT c.cohort_id, a.platform, a.account_id, a.created_at
    FROM cohorts c
    JOIN accounts a ON a.platform = c.platform
                   AND CAST(a.created_at AS DATE) BETWEEN c.start_day AND c.end_day
),
activity AS (
    SELECT m.cohort_id, count(*) AS posts, count(DISTINCT p.account_id) AS posting
    FROM members m
    JOIN posts p ON p.platform = m.platform AND p.account_id = m.account_id
    GROUP BY ALL
),
tags AS (  -- hashtags match case-insensitively; shown in their most used spelling
    SELECT cohort_id, mode(tag ORDER BY tag) AS tag, count(*) AS posts,
           count(DISTINCT account_id) AS accounts
    FROM (
        SELECT m.cohort_id, m.account_id, unnest(p.hashtags) AS tag
        FROM members m
        JOIN posts p ON p.platform = m.platform AND p.account_id = m.account_id
        WHERE p.hashtags IS NOT NULL
    )
    WHERE tag IS NOT NULL AND tag <> ''
    GROUP BY cohort_id, lower(tag)
),
top_tags AS (
    SELECT cohort_id,
           list({'tag': tag, 'accounts': accounts, 'posts': posts}
                ORDER BY accounts DESC, posts DESC, tag)[1:$top] AS hashtags
    FROM tags
    GROUP BY ALL
)
SELECT m.cohort_id,
       count(*) AS members,
       list(m.account_id ORDER BY m.created_at, m.account_id)[1:$limit] AS member_ids,
       any_value(coalesce(a.posts, 0)) AS posts,
       any_value(coalesce(a.posting, 0)) AS posting,
       any_value(t.hashtags) AS hashtags
FROM members m
LEFT JOIN activity a USING (cohort_id)
LEFT JOIN top_tags t USING (cohort_id)
GROUP BY m.cohort_id
"""


def poisson_log10_tail(k: np.ndarray, mu: np.ndarray) -> np.ndarray:
    """``log10 P(X >= k)`` for ``X ~ Poisson(mu)``, finite even where the tail underflows
    (there: the first term over ``1 - mu/(k+1)``, a tight upper bound when ``k >> mu``)."""
    k = np.asarray(k, dtype=float)
    mu = np.asarray(mu, dtype=float)
    log_tail = stats.poisson.logsf(k - 1, mu)
    bad = ~np.isfinite(log_tail)
    if bad.any():
        kb, mb = k[bad], mu[bad]
        log_tail[bad] = stats.poisson.logpmf(kb, mb) - np.log1p(-np.minimum(mb / (kb + 1), 0.99))
    return log_tail / math.log(10)


def creation_windows(
    store: Store,
    window_days: int,
    min_accounts: int,
    mask: list[tuple[str, date, date]],
) -> pd.DataFrame:
    """Every window of 1..``window_days`` days with at least ``min_accounts`` creations, with
    its Poisson background (``mask`` windows left out of the background) and tail probability."""
    parts = [
        _ONE_LENGTH_SQL.format(
            days=days,
            last=days - 1,
            context=CONTEXT_DAYS,
            context_after=CONTEXT_DAYS + days - 1,
        )
        for days in range(1, window_days + 1)
    ]
    sql = _WINDOWS_SQL + " UNION ALL ".join(f"({p})" for p in parts)
    frame = store.con.execute(
        sql,
        {
            "mask_platforms": [m[0] for m in mask],
            "mask_starts": [m[1] for m in mask],
            "mask_ends": [m[2] for m in mask],
            "min_accounts": min_accounts,
        },
    ).df()
    frame = frame[frame["bg_days"] >= MIN_CONTEXT_DAYS].copy()
    # At least one account in the background: an empty context is "rare", not "impossible".
    frame["rate"] = frame["bg_accounts"].clip(lower=1) / frame["bg_days"]
    frame["expected"] = frame["rate"] * frame["days"]
    frame["log10_p"] = poisson_log10_tail(frame["k"].to_numpy(), frame["expected"].to_numpy())
    return frame.reset_index(drop=True)


def select_bursts(
    store: Store, window_days: int, min_accounts: int, burst_p: float
) -> list[dict[str, Any]]:
    """Significant windows after the two background passes, resolved greedily (most significant
    first) into non-overlapping ones; touching ones are then merged into one burst, so a burst
    spread over more than ``window_days`` days comes out whole."""
    threshold = math.log10(burst_p)
    first = creation_windows(store, window_days, min_accounts, [])
    first = first[first["log10_p"] < threshold]
    mask = [
        (r.platform, _date(r.start_day), _date(r.start_day, int(r.days) - 1))
        for r in first.itertuples(index=False)
    ]
    if not mask:
        return []
    second = creation_windows(store, window_days, min_accounts, mask)
    significant = second[second["log10_p"] < threshold].sort_values(
        ["log10_p", "k", "days", "platform", "start_day"],
        ascending=[True, False, True, True, True],
    )
    kept: list[dict[str, Any]] = []
    for r in significant.itertuples(index=False):
        start, end = _date(r.start_day), _date(r.start_day, int(r.days) - 1)
        if any(
            w["platform"] == r.platform and start <= w["end"] and w["start"] <= end for w in kept
        ):
            continue
        kept.append(
            {
                "platform": r.platform,
                "start": start,
                "end": end,
                "k": int(r.k),
                "expected": float(r.expected),
                "bg_accounts": int(r.bg_accounts),
                "bg_days": int(r.bg_days),
                "windows": 1,
            }
        )
    kept.sort(key=lambda w: (w["platform"], w["start"]))
    merged: list[dict[str, Any]] = []
    for w in kept:
        last = merged[-1] if merged else None
        if last and last["platform"] == w["platform"] and (w["start"] - last["end"]).days <= 1:
            last["end"] = w["end"]
            for key in ("k", "expected", "windows"):
                last[key] += w[key]
            # the background of the merged burst: that of its largest window
            if w["bg_accounts"] * last["bg_days"] > last["bg_accounts"] * w["bg_days"]:
                last["bg_accounts"], last["bg_days"] = w["bg_accounts"], w["bg_days"]
        else:
            merged.append(dict(w))
    _extend_edges(store, merged, window_days)
    for w in merged:
        w["days"] = (w["end"] - w["start"]).days + 1
        w["rate"] = w["expected"] / w["days"]
        w["log10_p"] = float(poisson_log10_tail(np.array([w["k"]]), np.array([w["expected"]]))[0])
    return merged


def _extend_edges(store: Store, bursts: list[dict[str, Any]], window_days: int) -> None:
    """Grow each burst by the days next to it (up to ``window_days`` each side) whose own count
    is improbable at the burst's background rate (p < :data:`EDGE_P`), so the accounts made in
    the first hours of a burst that spills over one more day are not left out."""
    if not bursts:
        return
    daily = {
        (r[0], r[1]): int(r[2])
        for r in store.con.execute(
            "SELECT platform, CAST(created_at AS DATE), count(*) FROM accounts "
            "WHERE created_at IS NOT NULL GROUP BY ALL"
        ).fetchall()
    }
    edge = math.log10(EDGE_P)
    for i, w in enumerate(bursts):
        rate = w["expected"] / ((w["end"] - w["start"]).days + 1)
        others = [b for j, b in enumerate(bursts) if j != i and b["platform"] == w["platform"]]
        for step in (-1, 1):
            for _ in range(window_days):
                day = (w["start"] if step < 0 else w["end"]) + timedelta(days=step)
                n = daily.get((w["platform"], day), 0)
                taken = any(b["start"] <= day <= b["end"] for b in others)
                if taken or not n or poisson_log10_tail(np.array([n]), np.array([rate]))[0] >= edge:
                    break
                w["start" if step < 0 else "end"] = day
                w["k"] += n
                w["expected"] += rate


def burst_findings(
    store: Store, window_days: int, min_accounts: int, burst_p: float
) -> list[Finding]:
    """One ``cohort`` finding per creation burst."""
    bursts = select_bursts(store, window_days, min_accounts, burst_p)
    if not bursts:
        return []
    ids = [f"creation:{b['platform']}:{b['start']}..{b['end']}" for b in bursts]
    cursor = store.con.execute(
        _MEMBERS_SQL,
        {
            "ids": ids,
            "platforms": [b["platform"] for b in bursts],
            "starts": [b["start"] for b in bursts],
            "ends": [b["end"] for b in bursts],
            "limit": EVIDENCE_MEMBERS,
            "top": TOP_HASHTAGS,
        },
    )
    names = [c[0] for c in cursor.description]
    by_id = {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}
    findings = []
    for cohort_id, b in zip(ids, bursts, strict=True):
        m = by_id[cohort_id]
        score = min(1.0, max(0.0, 0.5 * b["log10_p"] / math.log10(burst_p)))
        details: dict[str, Any] = {
            "platform": b["platform"],
            "start": b["start"].isoformat(),
            "end": b["end"].isoformat(),
            "days": b["days"],
            "members": int(m["members"]),
            "expected": round(b["expected"], 4),
            "background_per_day": round(b["rate"], 4),
            "background_accounts": b["bg_accounts"],
            "background_days": b["bg_days"],
            "log10_p": round(b["log10_p"], 2),
            "windows_merged": b["windows"],
            "members_posting": int(m["posting"]),
            "posts": int(m["posts"]),
            "top_hashtags": [_tag(t) for t in m["hashtags"] or []],
        }
        findings.append(
            Finding(
                subject_kind="cohort",
                subject_id=cohort_id,
                platform=b["platform"],
                score=score,
                label=BURST_LABEL,
                explanation=_explain(details),
                evidence={"accounts": [str(x) for x in m["member_ids"]]},
                details=details,
            )
        )
    return findings


def _explain(d: dict[str, Any]) -> str:
    when = f"on {d['start']}" if d["days"] == 1 else f"between {d['start']} and {d['end']}"
    text = (
        f"{d['members']:,} {d['platform']} accounts were created {when}, against "
        f"{d['expected']:.1f} expected from the background rate of "
        f"{d['background_per_day']:.2f}/day (Poisson p {_p(d['log10_p'])})"
    )
    if d["posts"]:
        text += f"; {d['members_posting']:,} of them posted"
        if d["top_hashtags"]:
            tags = ", ".join(f"#{t['tag']}" for t in d["top_hashtags"][:3])
            text += f", most often with {tags}"
    return text + "."


def _p(log10_p: float) -> str:
    """``= 0.0012`` or ``≈ 3e-97``; the exponent comes from the log, which never underflows."""
    if log10_p > -4:
        return f"= {10**log10_p:.2g}"
    exponent = math.floor(log10_p)
    mantissa = round(10 ** (log10_p - exponent))
    if mantissa == 10:
        mantissa, exponent = 1, exponent + 1
    return f"≈ {mantissa}e{exponent}"


def _tag(t: dict[str, Any]) -> dict[str, Any]:
    return {"tag": t["tag"], "accounts": int(t["accounts"]), "posts": int(t["posts"])}


def _date(x: Any, plus_days: int = 0) -> date:
    return (pd.Timestamp(x) + pd.Timedelta(days=plus_days)).date()
