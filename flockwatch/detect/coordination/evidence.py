"""Every pair of posts behind one edge, recomputed from the store.

Edge rows keep a sample of their evidence (``coordination_edges.evidence``); this recomputes all
of it deterministically with the parameters of the latest ``coordination`` run (or the ones
given), so a reader can check any link in full.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from flockwatch.detect.coordination.actions import (
    ACTION_NETWORKS,
    ACTS,
    NODES,
    TARGETS,
    bucket_ms,
    build_actions,
    drop_temp,
    pairs_sql,
)
from flockwatch.detect.coordination.sync import SYNC_ACT, build_activity
from flockwatch.errors import ParameterError
from flockwatch.store.db import Store

PAIR_COLUMNS = ["post_a", "post_b", "target", "at_a", "at_b"]


def latest_params(store: Store) -> dict[str, Any]:
    """Parameters of the latest successful ``coordination`` run (empty when it never ran)."""
    rows = store.con.execute(
        "SELECT params FROM detector_runs WHERE detector = 'coordination' AND status = 'ok' "
        "ORDER BY finished_at DESC, run_id DESC LIMIT 1"
    ).fetchall()
    return json.loads(rows[0][0]) if rows and rows[0][0] else {}


def edge_evidence(
    store: Store,
    a: str,
    b: str,
    network: str,
    *,
    platform: str | None = None,
    params: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """All post-id pairs behind the edge between accounts ``a`` and ``b`` in ``network``.

    Parameters
    ----------
    store:
        The store the detector ran on.
    a, b:
        Account ids (either order; pairs come back as ``[post of a, post of b]``).
    network:
        ``co_repost``, ``co_reply``, ``co_post``, ``co_link``, ``co_domain``, ``co_hashtag``,
        ``co_mention`` or ``sync``.
    platform:
        Needed only when the two ids exist on several platforms.
    params:
        Detector parameters; default: those of the latest ``coordination`` run, else the
        defaults.

    Returns
    -------
    DataFrame with ``post_a, post_b, target, at_a, at_b`` (``target``: the reposted post, the
    text group, URL, domain, hashtag or mention set, or the time bin for ``sync``), ordered by
    time. Empty when the two accounts never co-acted.
    """
    from flockwatch.detect.coordination.detector import CoordinationDetector
    from flockwatch.detect.coordination.pipeline import NETWORKS

    if network not in NETWORKS:
        raise ParameterError(f"network must be one of {', '.join(NETWORKS)}; got {network!r}")
    chosen = latest_params(store) if params is None else dict(params)
    known = CoordinationDetector.param_names()
    detector = CoordinationDetector(**{k: v for k, v in chosen.items() if k in known})
    edge = detector.edge_params()
    con = store.con
    try:
        if network == "sync":
            build_actions(con, _only(edge.actions, ()))
            build_activity(con, edge.sync)
        else:
            build_actions(con, _only(edge.actions, (network,)))
        nodes = _nodes(store, a, b, platform)
        if nodes is None:
            return pd.DataFrame({c: [] for c in PAIR_COLUMNS})
        na, nb = nodes
        if network == "sync":
            frame = con.execute(
                f"""
                SELECT x.post_id AS post_x, y.post_id AS post_y,
                       strftime(make_timestamp(x.bin * {edge.sync.bin_ms} * 1000), '%Y-%m-%d %H:%M')
                           AS target,
                       make_timestamp(x.bin * {edge.sync.bin_ms} * 1000) AS at_x,
                       make_timestamp(y.bin * {edge.sync.bin_ms} * 1000) AS at_y,
                       x.node AS node_x
                FROM {SYNC_ACT} x JOIN {SYNC_ACT} y ON x.pl = y.pl AND x.bin = y.bin
                WHERE x.node = ? AND y.node = ? ORDER BY x.bin
                """,
                [na, nb],
            ).df()
        else:
            bucket = bucket_ms(con, edge.actions.window_ms)
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE _fwc_acts_ab AS SELECT * FROM {ACTS} "
                "WHERE node IN (?, ?)",
                [na, nb],
            )
            frame = con.execute(
                f"""
                SELECT CASE WHEN p.a = ? THEN p.post_a ELSE p.post_b END AS post_x,
                       CASE WHEN p.a = ? THEN p.post_b ELSE p.post_a END AS post_y,
                       k.key AS target,
                       make_timestamp((CASE WHEN p.a = ? THEN p.t_a ELSE p.t_b END) * 1000) AS at_x,
                       make_timestamp((CASE WHEN p.a = ? THEN p.t_b ELSE p.t_a END) * 1000) AS at_y
                FROM ({pairs_sql("_fwc_acts_ab", edge.actions.window_ms, bucket)}) p
                JOIN {TARGETS} k USING (kid)
                ORDER BY least(p.t_a, p.t_b), p.post_a, p.post_b
                """,
                [na, na, na, na],
            ).df()
        frame = frame.rename(
            columns={"post_x": "post_a", "post_y": "post_b", "at_x": "at_a", "at_y": "at_b"}
        )
        return frame[PAIR_COLUMNS].reset_index(drop=True)
    finally:
        con.execute("DROP TABLE IF EXISTS _fwc_acts_ab")
        con.execute(f"DROP TABLE IF EXISTS {SYNC_ACT}")
        drop_temp(con)


def _only(actions: Any, networks: tuple[str, ...]) -> Any:
    from dataclasses import replace

    return replace(actions, networks=tuple(n for n in networks if n in ACTION_NETWORKS))


def _nodes(store: Store, a: str, b: str, platform: str | None) -> tuple[int, int] | None:
    where = "AND platform = ?" if platform else ""
    args = [platform] if platform else []
    rows = store.con.execute(
        f"SELECT account_id, node, platform FROM {NODES} WHERE account_id IN (?, ?) {where}",
        [a, b, *args],
    ).fetchall()
    found: dict[str, list[tuple[int, str]]] = {}
    for acc, node, plat in rows:
        found.setdefault(acc, []).append((node, plat))
    if a not in found or b not in found:
        return None
    if len(found[a]) > 1 or len(found[b]) > 1:
        raise ParameterError(
            f"accounts {a} and {b} exist on several platforms; pass platform= one of "
            f"{sorted({p for v in found.values() for _, p in v})}"
        )
    return found[a][0][0], found[b][0][0]
