"""Campaign view of a cluster: what it pushes and when.

*Pushes*: the hashtags, mentioned accounts and link domains in the members' posts (reposts
included: amplifying is pushing) ranked by ``n * ln(lift)``, where ``lift`` is the item's share
of the cluster's uses over its share of everyone else's uses on the same platform (Laplace
smoothed over the distinct items, so an item nobody else uses has a large but finite lift). Only items used at least
:data:`MIN_ITEM_USES` times with a lift of at least :data:`MIN_LIFT` are listed.

*Timeline*: the members' posts per hour (per day when the cluster is active for more than
:data:`HOURLY_MAX_DAYS` days); *spikes* are bins at least :data:`SPIKE_Z` robust standard
deviations above the median bin (zeros included) and at least :data:`SPIKE_MIN_POSTS` posts.
"""

from __future__ import annotations

from typing import Any

import duckdb
import numpy as np
import pandas as pd

from flockwatch.detect.coordination.actions import domain_sql
from flockwatch.detect.coordination.clusters import MEMBER_POSTS, MEMBERS

TOP_ITEMS = 5
MIN_ITEM_USES = 2
MIN_LIFT = 2.0
HOURLY_MAX_DAYS = 7
SPIKE_Z = 3.0
SPIKE_MIN_POSTS = 3
#: Bins kept in a timeline (the busiest, if more): details stay small on long spans.
MAX_TIMELINE_BINS = 400


def pushed_items(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """``{cluster_id: {"hashtags": [...], "mentions": [...], "domains": [...]}}``, each item
    ``{"item", "n", "lift"}``."""
    rows = con.execute(
        f"""
        WITH uses AS (
            SELECT p.platform, p.account_id, 'hashtags' AS kind, lower(unnest(p.hashtags)) AS item
            FROM posts p WHERE len(p.hashtags) > 0
            UNION ALL
            SELECT p.platform, p.account_id, 'mentions', lower(unnest(p.mentions))
            FROM posts p WHERE len(p.mentions) > 0
            UNION ALL
            SELECT platform, account_id, 'domains', {domain_sql("u")}
            FROM (SELECT platform, account_id, unnest(urls) AS u FROM posts WHERE len(urls) > 0)),
        tagged AS (
            SELECT u.platform, u.kind, u.item, m.cluster_id
            FROM uses u LEFT JOIN {MEMBERS} m USING (platform, account_id)
            WHERE u.item IS NOT NULL AND u.item <> ''),
        per AS (
            SELECT platform, kind, item, cluster_id, count(*) AS n FROM tagged
            WHERE cluster_id IS NOT NULL GROUP BY ALL),
        everyone AS (
            SELECT platform, kind, item, count(*) AS n FROM tagged GROUP BY ALL),
        totals AS (
            SELECT platform, kind, count(*) AS n_all, count(DISTINCT item) AS n_items
            FROM tagged GROUP BY ALL),
        ctotals AS (
            SELECT platform, kind, cluster_id, sum(n) AS n_c FROM per GROUP BY ALL),
        scored AS (
            SELECT p.cluster_id, p.kind, p.item, p.n,
                   (p.n / c.n_c) / ((e.n - p.n + 1) / (t.n_all - c.n_c + t.n_items)) AS lift
            FROM per p
            JOIN everyone e USING (platform, kind, item)
            JOIN totals t USING (platform, kind)
            JOIN ctotals c USING (platform, kind, cluster_id))
        SELECT cluster_id, kind, item, n, lift FROM scored
        WHERE n >= {MIN_ITEM_USES} AND lift >= {MIN_LIFT}
        QUALIFY row_number() OVER (PARTITION BY cluster_id, kind
                                   ORDER BY n * ln(lift) DESC, item) <= {TOP_ITEMS}
        ORDER BY cluster_id, kind, n * ln(lift) DESC, item
        """
    ).fetchall()
    out: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for cluster_id, kind, item, n, lift in rows:
        entry = out.setdefault(cluster_id, {"hashtags": [], "mentions": [], "domains": []})
        entry[kind].append({"item": item, "n": int(n), "lift": round(float(lift), 2)})
    return out


def timelines(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, Any]]:
    """``{cluster_id: {"unit", "bins": [[start, n], ...], "spikes": [[start, n], ...]}}``."""
    spans = con.execute(
        f"SELECT cluster_id, min(created_at), max(created_at) FROM {MEMBER_POSTS} "
        "WHERE created_at IS NOT NULL GROUP BY cluster_id"
    ).fetchall()
    units = {
        c: "hour" if (hi - lo).total_seconds() <= HOURLY_MAX_DAYS * 86_400 else "day"
        for c, lo, hi in spans
    }
    if not units:
        return {}
    frame = con.execute(
        f"""
        SELECT cluster_id, date_trunc('hour', created_at) AS hour, count(*) AS n
        FROM {MEMBER_POSTS} WHERE created_at IS NOT NULL GROUP BY ALL
        """
    ).df()
    out = {}
    for cluster_id, g in frame.groupby("cluster_id", sort=True):
        unit = units[cluster_id]
        series = g.set_index("hour")["n"].sort_index()
        if unit == "day":
            series = series.groupby(series.index.floor("D")).sum()
        full = series.resample("h" if unit == "hour" else "D").sum()
        counts = full.to_numpy(dtype=float)
        med = float(np.median(counts))
        mad = float(np.median(np.abs(counts - med)))
        cut = max(med + SPIKE_Z * 1.4826 * mad, SPIKE_MIN_POSTS)
        spikes = full[(full >= cut) & (full > med)]
        bins = series[series > 0]
        if len(bins) > MAX_TIMELINE_BINS:
            bins = bins.nlargest(MAX_TIMELINE_BINS).sort_index()
        out[cluster_id] = {
            "unit": unit,
            "bins": [[_iso(t), int(n)] for t, n in bins.items()],
            "spikes": [[_iso(t), int(n)] for t, n in spikes.items()][:MAX_TIMELINE_BINS],
            "median_per_bin": med,
        }
    return out


def _iso(t: pd.Timestamp) -> str:
    return pd.Timestamp(t).strftime("%Y-%m-%dT%H:%M")
