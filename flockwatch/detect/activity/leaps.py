"""Leaps: sudden jumps in an account's daily posts and in its follower and following counts.

All relational work (daily aggregation, zero-filled series, trailing windows, per-account
medians and MADs, runs of anomalous days) is SQL over the canonical tables, grouped by
platform everywhere, so it can later move to Spark unchanged. The queries return only the
jumps, which are few.

Posts
    Daily post counts per account, zero-filled from its first to its last posting day. A day is
    *anomalous* when at least ``min_days`` earlier days exist and its count is at least
    ``leap_factor`` times the median of the previous :data:`POSTS_BASELINE_DAYS` days and above
    that median by ``mad_k`` robust standard deviations. A jump is a run of consecutive
    anomalous days; it is kept when its busiest day is ``min_posts_jump`` posts above the
    baseline median. The baseline is the one before the run: a change point, so a level shift
    that lasts longer than the quiet period before it is still found.
Followers and following
    From ``account_snapshots``, which are sparse and irregular: the last observation of each
    day, then the per-day rate between consecutive observations (elapsed time floored at one
    day). The baseline is the median of all the account's rates when it has at least
    ``min_days`` intervals (one-off steps such as bought followers do not move a median); with
    fewer intervals (two or three snapshots) it is the larger of the long-run rate since
    creation (the first observed count divided by the account's age then) and the median rate
    of the account's other intervals (so steady fast growth is not a leap). An interval is
    anomalous when its rate
    is ``leap_factor`` times the baseline (and, with a median baseline, ``mad_k`` robust
    standard deviations above it). Consecutive anomalous intervals form one jump, so a package
    of followers delivered across a snapshot still counts whole; it is kept when its excess
    over the baseline is at least ``min_follower_jump``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from flockwatch.store.db import Store

#: Trailing days of the posts baseline: a quarter is robust to a few busy days, yet follows
#: slow drifts in multi-year archives.
POSTS_BASELINE_DAYS = 90
#: The MAD of a normal sample times this estimates its standard deviation.
MAD_TO_SIGMA = 1.4826
#: Floor of a baseline (per day) before ratios and noise: near-silent accounts would otherwise
#: have infinite ratios, and counts below one a day have at least Poisson noise of one.
MIN_RATE = 1.0


@dataclass(frozen=True)
class LeapParams:
    """The detector's leap parameters (see :class:`ActivityDetector`), already validated."""

    min_days: int
    leap_factor: float
    mad_k: float
    min_posts_jump: int
    min_follower_jump: int


_POSTS_SQL = f"""
WITH daily AS (
    SELECT platform, account_id, CAST(created_at AS DATE) AS day, count(*) AS n
    FROM posts
    WHERE account_id IS NOT NULL AND created_at IS NOT NULL
    GROUP BY ALL
),
spans AS (
    SELECT platform, account_id, min(day) AS first_day, max(day) AS last_day
    FROM daily
    GROUP BY ALL
    HAVING max(day) - min(day) >= $min_days
),
series AS (
    SELECT g.platform, g.account_id, g.day, coalesce(d.n, 0) AS n
    FROM (
        SELECT platform, account_id,
               CAST(unnest(generate_series(first_day, last_day, INTERVAL 1 DAY)) AS DATE) AS day
        FROM spans
    ) g
    LEFT JOIN daily d USING (platform, account_id, day)
),
scored AS (
    SELECT *,
           count(*) OVER pre AS pre_days,
           median(n) OVER pre AS base,
           mad(n) OVER pre AS base_mad
    FROM series
    WINDOW pre AS (PARTITION BY platform, account_id ORDER BY day
                   ROWS BETWEEN {POSTS_BASELINE_DAYS} PRECEDING AND 1 PRECEDING)
),
hot AS (
    SELECT *,
           day - CAST(row_number() OVER (PARTITION BY platform, account_id ORDER BY day)
                      AS INTEGER) AS island
    FROM scored
    WHERE pre_days >= $min_days
      AND n >= $leap_factor * greatest(base, {MIN_RATE})
      AND n >= base + $mad_k * greatest({MAD_TO_SIGMA} * base_mad, sqrt(greatest(base, {MIN_RATE})))
),
jumps AS (
    SELECT platform, account_id,
           min(day) AS start_day,
           max(day) AS end_day,
           count(*) AS days,
           first(base ORDER BY day) AS baseline,
           median(n) AS level,
           max(n) AS peak,
           first(day ORDER BY n DESC, day) AS peak_day,
           sum(n) AS posts
    FROM hot
    GROUP BY platform, account_id, island
    HAVING max(n) - first(base ORDER BY day) >= $min_posts_jump
)
SELECT j.*,
       (SELECT median(s.n) FROM series s
        WHERE s.platform = j.platform AND s.account_id = j.account_id
          AND s.day >= j.start_day) AS level_after
FROM jumps j
ORDER BY platform, account_id, start_day
"""

_SNAPSHOTS_SQL = f"""
WITH obs AS (
    SELECT platform, account_id, 'followers' AS metric, observed_at, followers_count AS value
    FROM account_snapshots WHERE followers_count IS NOT NULL
    UNION ALL
    SELECT platform, account_id, 'following', observed_at, following_count
    FROM account_snapshots WHERE following_count IS NOT NULL
),
daily AS (  -- the last observation of each day
    SELECT platform, account_id, metric, CAST(observed_at AS DATE) AS day,
           max(observed_at) AS observed_at, arg_max(value, observed_at) AS value
    FROM obs
    GROUP BY ALL
),
steps AS (
    SELECT *,
           lag(day) OVER w AS prev_day,
           lag(observed_at) OVER w AS prev_at,
           lag(value) OVER w AS prev_value,
           row_number() OVER w AS idx
    FROM daily
    WINDOW w AS (PARTITION BY platform, account_id, metric ORDER BY day)
),
intervals AS (
    SELECT *,
           value - prev_value AS delta,
           greatest(epoch(observed_at - prev_at) / 86400.0, 1.0) AS elapsed,
           (value - prev_value) / greatest(epoch(observed_at - prev_at) / 86400.0, 1.0) AS rate
    FROM steps
    WHERE prev_day IS NOT NULL
),
per_series AS (
    SELECT platform, account_id, metric,
           count(*) AS n_intervals,
           median(rate) AS med_rate,
           mad(rate) AS mad_rate,
           min(prev_at) AS first_at,
           arg_min(prev_value, prev_at) AS first_value,
           max(observed_at) AS last_at,
           arg_max(value, observed_at) AS last_value
    FROM intervals
    GROUP BY ALL
),
others AS (  -- sparse series: median rate of the account's other intervals
    SELECT i.platform, i.account_id, i.metric, i.idx, median(o.rate) AS others_rate
    FROM intervals i
    JOIN per_series s USING (platform, account_id, metric)
    JOIN intervals o ON o.platform = i.platform AND o.account_id = i.account_id
                    AND o.metric = i.metric AND o.idx <> i.idx
    WHERE s.n_intervals < $min_days
    GROUP BY ALL
),
based AS (
    SELECT i.*, s.n_intervals, s.mad_rate,
           s.first_value / greatest(epoch(s.first_at - a.created_at) / 86400.0, 1.0)
               AS creation_rate,
           o.others_rate,
           CASE WHEN s.n_intervals >= $min_days THEN s.med_rate
                ELSE greatest(creation_rate, o.others_rate) END AS base,
           CASE WHEN s.n_intervals >= $min_days THEN 'median'
                WHEN o.others_rate >= creation_rate OR creation_rate IS NULL
                THEN 'other_intervals'
                ELSE 'since_creation' END AS base_kind
    FROM intervals i
    JOIN per_series s USING (platform, account_id, metric)
    LEFT JOIN accounts a
           ON a.platform = i.platform AND a.account_id = i.account_id
          AND a.created_at < s.first_at
    LEFT JOIN others o USING (platform, account_id, metric, idx)
),
hot AS (
    SELECT *,
           idx - row_number() OVER (PARTITION BY platform, account_id, metric
                                    ORDER BY day) AS island
    FROM based
    WHERE base IS NOT NULL
      AND rate >= $leap_factor * greatest(base, {MIN_RATE})
      AND (n_intervals < $min_days
           OR rate >= base + $mad_k * greatest({MAD_TO_SIGMA} * mad_rate,
                                               sqrt(greatest(base, {MIN_RATE}))))
),
jumps AS (
    SELECT platform, account_id, metric,
           first(base_kind ORDER BY day) AS baseline_kind,
           sum(base * elapsed) / sum(elapsed) AS baseline,
           min(prev_day) AS from_day,
           max(day) AS to_day,
           min(prev_at) AS from_at,
           max(observed_at) AS to_at,
           first(prev_value ORDER BY day) AS from_value,
           last(value ORDER BY day) AS to_value,
           sum(delta) AS delta,
           sum(elapsed) AS elapsed,
           sum(delta - base * elapsed) AS excess,
           count(*) AS intervals
    FROM hot
    GROUP BY platform, account_id, metric, island
    HAVING sum(delta - base * elapsed) >= $min_follower_jump
)
SELECT j.*, s.n_intervals + 1 AS observations, s.first_at, s.first_value, s.last_at,
       s.last_value
FROM jumps j
JOIN per_series s USING (platform, account_id, metric)
ORDER BY platform, account_id, metric, from_day
"""


def posts_jumps(store: Store, p: LeapParams) -> pd.DataFrame:
    """One row per jump in daily posts (see the module docstring)."""
    frame = store.con.execute(
        _POSTS_SQL,
        {
            "min_days": p.min_days,
            "leap_factor": p.leap_factor,
            "mad_k": p.mad_k,
            "min_posts_jump": p.min_posts_jump,
        },
    ).df()
    frame["metric"] = "posts"
    frame["ratio"] = frame["level"] / frame["baseline"].clip(lower=MIN_RATE)
    return frame


def snapshot_jumps(store: Store, p: LeapParams) -> pd.DataFrame:
    """One row per jump in follower or following counts (see the module docstring)."""
    frame = store.con.execute(
        _SNAPSHOTS_SQL,
        {
            "min_days": p.min_days,
            "leap_factor": p.leap_factor,
            "mad_k": p.mad_k,
            "min_follower_jump": p.min_follower_jump,
        },
    ).df()
    frame["ratio"] = (frame["delta"] / frame["elapsed"]) / frame["baseline"].clip(lower=MIN_RATE)
    return frame


def leap_score(ratio: pd.Series, leap_factor: float) -> pd.Series:
    """``0.5 * ln(ratio) / ln(leap_factor)`` clipped to [0, 1]: 0.5 at the threshold ratio,
    1 at its square (25x with the default factor of 5)."""
    return (0.5 * ratio.clip(lower=1.0).map(math.log) / math.log(leap_factor)).clip(0.0, 1.0)
