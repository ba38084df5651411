"""A cluster's network for the report: its edges with evidence, and a seeded layout.

Edges come from the first source that has them: a source registered by a detector
(:func:`register_edge_source`), the cluster finding's own ``details["edges"]``, or, failing
both, co-actions recomputed from ``posts`` among the cluster's members (two members acted on the
same post, or posted the same text, within :data:`WINDOW_SECONDS`). The layout is computed here,
once, with igraph and a seed, so the browser only draws points (WebGL) and stays smooth with
thousands of nodes.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable
from typing import Any

import igraph as ig
import numpy as np
import pandas as pd

from flockwatch.store.db import Store

EDGE_COLUMNS = ["account_a", "account_b", "weight", "network", "n_actions", "evidence"]
#: Fallback co-action window, the coordination detector's default: acting on the same post
#: within a minute is what separates coordination from a shared interest.
WINDOW_SECONDS = 60
#: Targets acted on by more members than this are skipped by the fallback: a viral post links
#: everyone to everyone and says nothing (and makes the pairs quadratic).
MAX_ACTORS_PER_TARGET = 150
#: Evidence pairs kept per edge by the fallback.
EVIDENCE_PAIRS = 3
#: Force-directed layouts beyond this many nodes switch to DrL (linear-time, still seeded).
FR_MAX_NODES = 2500

#: ``fn(store, finding, members) -> DataFrame with EDGE_COLUMNS, or None``.
EdgeSource = Callable[[Store, Any, list[str]], "pd.DataFrame | None"]
_SOURCES: list[EdgeSource] = []


def register_edge_source(source: EdgeSource) -> None:
    """Let a detector supply the edges of its clusters (tried before the fallbacks)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def cluster_edges(store: Store, finding: Any, members: list[str]) -> tuple[pd.DataFrame, str]:
    """The cluster's edges (``EDGE_COLUMNS``, strongest first) and where they came from."""
    for source in _SOURCES:
        try:
            frame = source(store, finding, members)
        except Exception:  # a broken source must not stop the report: fall back
            frame = None
        if frame is not None and len(frame):
            return _normalise(frame), "the detector's edges"
    side = side_table_edges(store, finding, members)
    if side is not None and len(side):
        return side, f"the {finding.detector} detector's edges (table {finding.detector}_edges)"
    details = finding.details if isinstance(finding.details, dict) else {}
    listed = details.get("edges")
    if isinstance(listed, list) and listed:
        frame = pd.DataFrame([e for e in listed if isinstance(e, dict)])
        if {"account_a", "account_b"} <= set(frame.columns):
            return _normalise(frame), "the finding's edges"
    return co_action_edges(store, finding.platform, members), (
        f"co-actions recomputed from posts (same post or same text within {WINDOW_SECONDS} s)"
    )


def side_table_edges(store: Store, finding: Any, members: list[str]) -> pd.DataFrame | None:
    """Edges among ``members`` from the detector's side table ``<detector>_edges`` of the
    finding's run (one row per pair and network there; summed per pair here)."""
    table = f"{finding.detector}_edges"
    columns = {
        r[0]
        for r in store.con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
        ).fetchall()
    }
    if not {"run_id", "account_a", "account_b"} <= columns:
        return None
    weight = "weight" if "weight" in columns else "1.0"
    network = "network" if "network" in columns else "''"
    n_actions = "n_actions" if "n_actions" in columns else "NULL"
    evidence = "evidence::VARCHAR" if "evidence" in columns else "NULL"
    platform = "AND (platform = $platform OR $platform = '')" if "platform" in columns else ""
    frame = store.con.execute(
        f"""
        WITH m AS (SELECT unnest($members::VARCHAR[]) AS id)
        SELECT account_a, account_b, sum({weight})::DOUBLE AS weight,
               string_agg(DISTINCT {network}, ',' ORDER BY {network}) AS network,
               sum({n_actions}) AS n_actions,
               arg_max({evidence}, struct_pack(w := {weight}, e := {evidence})) AS evidence
        FROM "{table}"
        WHERE run_id = $run_id {platform}
          AND account_a IN (SELECT id FROM m) AND account_b IN (SELECT id FROM m)
        GROUP BY account_a, account_b
        """,
        {"members": members, "run_id": finding.run_id, "platform": finding.platform or ""},
    ).df()
    return _normalise(frame) if len(frame) else None


def _normalise(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for col, default in (("weight", 1.0), ("network", ""), ("n_actions", None), ("evidence", None)):
        if col not in frame:
            frame[col] = default
    frame["weight"] = pd.to_numeric(frame["weight"], errors="coerce").fillna(1.0)
    frame["evidence"] = [_pairs(e) for e in frame["evidence"]]
    frame["account_a"] = frame["account_a"].astype(str)
    frame["account_b"] = frame["account_b"].astype(str)
    # a total order (ties by the pair): the layout depends on the order of the edges
    frame = frame[EDGE_COLUMNS].sort_values(
        ["weight", "account_a", "account_b"], ascending=[False, True, True], kind="stable"
    )
    return frame.reset_index(drop=True)


def _pairs(value: Any) -> list[list[str]]:
    """Evidence as ``[[post_a, post_b], ...]`` whatever shape it came in."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    if isinstance(value, np.ndarray):
        value = value.tolist()
    out = []
    for pair in value or []:
        if isinstance(pair, np.ndarray):
            pair = pair.tolist()
        if isinstance(pair, list | tuple) and len(pair) >= 2:
            out.append([str(pair[0]), str(pair[1])])
        elif isinstance(pair, dict):
            a = pair.get("post_a") or pair.get("a")
            b = pair.get("post_b") or pair.get("b")
            if a and b:
                out.append([str(a), str(b)])
    return out


def co_action_edges(store: Store, platform: str | None, members: list[str]) -> pd.DataFrame:
    """Edges between ``members`` who acted on the same post or posted the same text (>= 20
    characters) within :data:`WINDOW_SECONDS`; weight = number of shared targets."""
    if len(members) < 2:
        return pd.DataFrame(columns=EDGE_COLUMNS)
    frame = store.con.execute(
        f"""
        WITH m AS (SELECT unnest($members::VARCHAR[]) AS account_id),
        acts AS (
            SELECT p.account_id, p.post_id, p.created_at,
                   CASE WHEN p.target_post_id IS NOT NULL THEN p.kind || ':' || p.target_post_id
                        ELSE 'text:' || md5(lower(trim(p.text))) END AS target
            FROM posts p SEMI JOIN m USING (account_id)
            WHERE ($platform IS NULL OR $platform = '' OR p.platform = $platform)
              AND p.created_at IS NOT NULL
              AND (p.target_post_id IS NOT NULL OR length(trim(p.text)) >= 20)
        ),
        ok AS (
            SELECT target FROM acts GROUP BY target
            HAVING count(DISTINCT account_id) BETWEEN 2 AND {MAX_ACTORS_PER_TARGET}
        ),
        a AS (SELECT * FROM acts SEMI JOIN ok USING (target))
        SELECT x.account_id AS account_a, y.account_id AS account_b,
               count(DISTINCT x.target)::DOUBLE AS weight,
               string_agg(DISTINCT split_part(x.target, ':', 1), ','
                          ORDER BY split_part(x.target, ':', 1)) AS network,
               count(*) AS n_actions,
               list([x.post_id, y.post_id] ORDER BY x.created_at, x.post_id, y.post_id)
                   [1:{EVIDENCE_PAIRS}] AS evidence
        FROM a x JOIN a y ON x.target = y.target AND x.account_id < y.account_id
             AND abs(epoch(x.created_at) - epoch(y.created_at)) <= {WINDOW_SECONDS}
        GROUP BY ALL
        ORDER BY weight DESC, account_a, account_b
        """,
        {"members": members, "platform": platform},
    ).df()
    if frame.empty:
        return pd.DataFrame(columns=EDGE_COLUMNS)
    return _normalise(frame)


def backbone(edges: pd.DataFrame, per_node: int, limit: int) -> pd.DataFrame:
    """The edges worth drawing: each node's ``per_node`` strongest, at most ``limit`` in all.

    A dense cluster drawn with all its edges is a grey disc; each node's strongest links keep
    its structure (who amplifies whom) visible, and the layout is computed on them too.
    """
    if len(edges) <= per_node:
        return edges
    ranked = edges.reset_index(drop=True)
    ends = pd.concat(
        [
            pd.DataFrame({"node": ranked["account_a"], "w": ranked["weight"], "i": ranked.index}),
            pd.DataFrame({"node": ranked["account_b"], "w": ranked["weight"], "i": ranked.index}),
        ]
    )
    ends = ends.sort_values(["w", "i"], ascending=[False, True])
    keep = ends.groupby("node", sort=False).head(per_node)["i"].unique()
    return ranked.loc[sorted(keep)].head(limit)


def layout(
    nodes: list[str], edges: pd.DataFrame, *, seed: int = 0
) -> dict[str, tuple[float, float]]:
    """Positions of ``nodes`` (force-directed, weighted, seeded) in roughly [-1, 1]²."""
    if not nodes:
        return {}
    index = {n: i for i, n in enumerate(nodes)}
    pairs = [
        (index[a], index[b], float(w))
        for a, b, w in zip(edges["account_a"], edges["account_b"], edges["weight"], strict=True)
        if a in index and b in index and a != b
    ]
    graph = ig.Graph(n=len(nodes), edges=[(a, b) for a, b, _ in pairs])
    weights = [math.log1p(w) for _, _, w in pairs] or None
    # igraph draws from Python's ``random`` module unless told otherwise: use a private seeded
    # generator so the picture is reproducible and the caller's random state is left alone.
    ig.set_random_number_generator(random.Random(seed))
    try:
        rng = np.random.default_rng(seed)
        start = rng.uniform(-1, 1, size=(len(nodes), 2)).tolist()
        if len(nodes) <= FR_MAX_NODES:
            lay = graph.layout_fruchterman_reingold(weights=weights, niter=300, seed=start)
        else:
            lay = graph.layout_drl(weights=weights, seed=start)
    finally:
        ig.set_random_number_generator(random)
    coords = np.array(lay.coords, dtype=float)
    coords -= coords.mean(axis=0)
    scale = np.abs(coords).max() or 1.0
    coords /= scale
    return {n: (float(coords[i, 0]), float(coords[i, 1])) for n, i in index.items()}
