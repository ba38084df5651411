"""The coordination pipeline, step by step: actions -> edges -> cut-offs -> graph -> clusters.

:func:`network_edges` is shared by the detector and by :func:`edge_evidence`-style recomputation:
given the same store and parameters it returns the same edges.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from flockwatch.detect.coordination.actions import (
    ACTION_NETWORKS,
    ACTS,
    ActionParams,
    bucket_ms,
    build_actions,
    edges_sql,
    evidence_sql,
    shuffled_acts_sql,
)
from flockwatch.detect.coordination.sync import SyncParams, build_activity, sync_edges
from flockwatch.detect.coordination.weights import Cutoff, choose_cutoff

NETWORKS: tuple[str, ...] = (*ACTION_NETWORKS, "sync")
NULL_ACTS = "_fwc_null_acts"

EDGE_COLUMNS = [
    "network",
    "pl",
    "a",
    "b",
    "weight",
    "n_actions",
    "n_targets",
    "first_t",
    "last_t",
    "evidence",
]


@dataclass(frozen=True)
class EdgeParams:
    """Everything that decides which edges exist."""

    actions: ActionParams
    sync: SyncParams
    networks: tuple[str, ...]
    min_co_actions: int = 2
    cutoff: str = "null"
    max_fdr: float = 0.05
    robust_z: float = 3.0


@dataclass
class Edges:
    """Kept edges (``EDGE_COLUMNS``, ``evidence`` as JSON text) and how they were chosen."""

    edges: pd.DataFrame
    cutoffs: list[Cutoff]
    counts: dict[str, Any] = field(default_factory=dict)
    bucket_ms: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def network_edges(con: duckdb.DuckDBPyConnection, params: EdgeParams) -> Edges:
    """Build actions, observed and null edges, choose cut-offs and keep the edges above them.

    Edges with fewer than ``min_co_actions`` co-actions are dropped in SQL, before anything is
    fetched; evidence samples are computed for the kept edges only. Leaves the temp tables of
    :mod:`~flockwatch.detect.coordination.actions` in place (the caller drops them with
    :func:`~flockwatch.detect.coordination.actions.drop_temp`).
    """
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    counts = build_actions(con, params.actions)
    bucket = bucket_ms(con, params.actions.window_ms)
    timings["actions"] = time.perf_counter() - clock
    frames: list[pd.DataFrame] = []
    cutoffs: list[Cutoff] = []
    action_nets = [n for n in ACTION_NETWORKS if n in params.networks]
    window, least = params.actions.window_ms, params.min_co_actions
    if action_nets:
        clock = time.perf_counter()
        observed = _fetch(con, edges_sql(ACTS, window, bucket, min_actions=least))
        null = None
        if params.cutoff == "null":
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE {NULL_ACTS} AS "
                f"{shuffled_acts_sql(ACTS, params.actions.seed)}"
            )
            null = _fetch(con, edges_sql(NULL_ACTS, window, bucket, min_actions=least))
            con.execute(f"DROP TABLE IF EXISTS {NULL_ACTS}")
        codes = dict(enumerate(ACTION_NETWORKS))
        observed["network"] = observed["net"].map(codes)
        if null is not None:
            null["network"] = null["net"].map(codes)
        kept = []
        for net in action_nets:
            frame, cut = _cut(observed, null, net, params)
            kept.append(frame)
            cutoffs.append(cut)
        kept_edges = pd.concat(kept, ignore_index=True)
        if len(kept_edges):
            frames.append(_with_evidence(con, kept_edges, window, bucket))
        timings["co_action_edges"] = time.perf_counter() - clock
    if "sync" in params.networks:
        clock = time.perf_counter()
        counts["sync_accounts"] = build_activity(con, params.sync)
        observed = sync_edges(con, params.sync, shifted=False)
        observed["network"] = "sync"
        null = None
        if params.cutoff == "null":
            null = sync_edges(con, params.sync, shifted=True)
            null["network"] = "sync"
        frame, cut = _cut(observed, null, "sync", params)
        frames.append(frame)
        cutoffs.append(cut)
        timings["sync_edges"] = time.perf_counter() - clock
    nonempty = [f for f in frames if len(f)]
    edges = pd.concat(nonempty, ignore_index=True) if nonempty else None
    if edges is None or edges.empty:
        edges = pd.DataFrame({c: [] for c in EDGE_COLUMNS})
    edges = edges[EDGE_COLUMNS].sort_values(["pl", "a", "b", "network"], ignore_index=True)
    return Edges(edges=edges, cutoffs=cutoffs, counts=counts, bucket_ms=bucket, seconds=timings)


def _fetch(con: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    frame = con.execute(sql).df()
    frame["weight"] = frame["weight"].astype(float).round(9)
    return frame


def _with_evidence(
    con: duckdb.DuckDBPyConnection, kept: pd.DataFrame, window: int, bucket: int
) -> pd.DataFrame:
    keys = kept[["net", "pl", "a", "b"]]
    con.register("_fwc_kept_df", keys)
    try:
        con.execute("CREATE OR REPLACE TEMP TABLE _fwc_kept AS SELECT * FROM _fwc_kept_df")
    finally:
        con.unregister("_fwc_kept_df")
    evidence = con.execute(evidence_sql(ACTS, window, bucket, "_fwc_kept")).df()
    con.execute("DROP TABLE IF EXISTS _fwc_kept")
    return kept.merge(evidence, on=["net", "pl", "a", "b"], how="left")


def _cut(
    observed: pd.DataFrame, null: pd.DataFrame | None, net: str, params: EdgeParams
) -> tuple[pd.DataFrame, Cutoff]:
    obs = observed[(observed["network"] == net) & (observed["n_actions"] >= params.min_co_actions)]
    nul = None
    if null is not None:
        nul = null[(null["network"] == net) & (null["n_actions"] >= params.min_co_actions)]
    cut = choose_cutoff(
        net,
        obs["weight"].to_numpy(),
        None if nul is None else nul["weight"].to_numpy(),
        method=params.cutoff,
        max_fdr=params.max_fdr,
        robust_z=params.robust_z,
    )
    return obs[obs["weight"] >= cut.threshold], cut


def cluster_ids(part: pd.DataFrame, nodes: pd.DataFrame, min_size: int) -> pd.DataFrame:
    """Members of clusters of at least ``min_size``: ``platform, account_id, pl, node,
    cluster_id`` with ids ``<platform>:c0001`` numbered per platform by size (largest first),
    then smallest account id."""
    if part.empty:
        return pd.DataFrame(columns=["platform", "account_id", "pl", "node", "cluster_id"])
    m = part.merge(nodes, on=["pl", "node"])
    sizes = m.groupby("community")["node"].transform("size")
    m = m[sizes >= min_size].copy()
    if m.empty:
        return pd.DataFrame(columns=["platform", "account_id", "pl", "node", "cluster_id"])
    info = m.groupby("community").agg(
        platform=("platform", "first"), size=("node", "size"), first=("account_id", "min")
    )
    info = info.sort_values(["platform", "size", "first"], ascending=[True, False, True])
    info["rank"] = info.groupby("platform").cumcount() + 1
    info["cluster_id"] = [
        f"{p}:c{r:04d}" for p, r in zip(info["platform"], info["rank"], strict=True)
    ]
    m["cluster_id"] = m["community"].map(info["cluster_id"])
    out = m[["platform", "account_id", "pl", "node", "cluster_id"]]
    return out.sort_values(["cluster_id", "account_id"], ignore_index=True)


def evidence_pairs(evidence_json: str) -> list[list[str]]:
    """Post-id pairs of an edge's evidence JSON."""
    import json

    try:
        pairs = json.loads(evidence_json) if evidence_json else []
    except ValueError:
        return []
    return [[str(x) for x in pair] for pair in pairs or [] if pair is not None]
