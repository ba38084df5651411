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

from datetime import UTC, datetime
from typing import Any

import duckdb
import numpy as np

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
    frame = con.execute(
        f"""
        WITH span AS (
            SELECT cluster_id,
                   CASE WHEN max(created_at) - min(created_at) <= INTERVAL {HOURLY_MAX_DAYS} DAY
                        THEN 'hour' ELSE 'day' END AS unit
            FROM {MEMBER_POSTS} WHERE created_at IS NOT NULL GROUP BY cluster_id)
        SELECT p.cluster_id, s.unit,
               epoch(date_trunc(s.unit, p.created_at))::BIGINT AS start, count(*) AS n
        FROM {MEMBER_POSTS} p JOIN span s USING (cluster_id)
        WHERE p.created_at IS NOT NULL
        GROUP BY ALL ORDER BY p.cluster_id, start
        """
    ).fetchnumpy()
    out: dict[str, dict[str, Any]] = {}
    clusters = frame["cluster_id"]
    if not len(clusters):
        return out
    bounds = np.flatnonzero(np.r_[True, clusters[1:] != clusters[:-1], True])
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        unit = str(frame["unit"][lo])
        step = 3600 if unit == "hour" else 86_400
        start = frame["start"][lo:hi].astype(np.int64)
        n = frame["n"][lo:hi].astype(np.int64)
        full = np.zeros((start[-1] - start[0]) // step + 1, dtype=np.int64)
        full[(start - start[0]) // step] = n
        med = float(np.median(full))
        mad = float(np.median(np.abs(full - med)))
        cut = max(med + SPIKE_Z * 1.4826 * mad, SPIKE_MIN_POSTS)
        spiky = np.flatnonzero((n >= cut) & (n > med))
        keep = np.arange(len(n))
        if len(keep) > MAX_TIMELINE_BINS:
            keep = np.sort(np.argsort(-n, kind="stable")[:MAX_TIMELINE_BINS])
        out[str(clusters[lo])] = {
            "unit": unit,
            "bins": [[_iso(start[i]), int(n[i])] for i in keep],
            "spikes": [[_iso(start[i]), int(n[i])] for i in spiky[:MAX_TIMELINE_BINS]],
            "median_per_bin": med,
        }
    return out


def _iso(epoch_s: int) -> str:
    return datetime.fromtimestamp(int(epoch_s), UTC).strftime("%Y-%m-%dT%H:%M")
