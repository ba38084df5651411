"""The ``coordination`` detector: co-action networks, Leiden clusters, inauthenticity, roles."""

from __future__ import annotations

import json
import math
import time
from typing import Any

import pandas as pd
import pyarrow as pa

from flockwatch.detect.base import Detector, DetectorOutput, Example, Finding
from flockwatch.detect.coordination import examples
from flockwatch.detect.coordination.actions import NODES, TEXTS, ActionParams, drop_temp
from flockwatch.detect.coordination.campaign import pushed_items, timelines
from flockwatch.detect.coordination.clusters import (
    INAUTHENTIC_AT,
    MEMBER_POSTS,
    MEMBERS,
    account_frame,
    account_metrics,
    explanation,
    inauthenticity,
    member_posts,
    post_metrics,
)
from flockwatch.detect.coordination.network import combine, leiden
from flockwatch.detect.coordination.pipeline import (
    NETWORKS,
    EdgeParams,
    Edges,
    cluster_ids,
    evidence_pairs,
    network_edges,
)
from flockwatch.detect.coordination.roles import assign_roles, centrality, member_activity
from flockwatch.detect.coordination.sync import SYNC_ACT, SyncParams
from flockwatch.detect.coordination.textsim import TextParams
from flockwatch.detect.coordination.weights import METHODS
from flockwatch.store.db import Store

#: The side table of kept edges (one row per pair and network), written by the runner.
EDGES_TABLE = "coordination_edges"
EDGES_SCHEMA = pa.schema(
    [
        ("platform", pa.string()),
        ("account_a", pa.string()),
        ("account_b", pa.string()),
        ("network", pa.string()),
        ("weight", pa.float64()),
        ("n_actions", pa.int64()),
        ("first_at", pa.timestamp("us")),
        ("last_at", pa.timestamp("us")),
        ("evidence", pa.string()),
    ]
)
#: Member accounts and post ids listed in a cluster finding's evidence.
EVIDENCE_ACCOUNTS = 20
EVIDENCE_EDGES = 5


class CoordinationDetector(Detector):
    """Groups of accounts that repeatedly act together, and how inauthentic each group looks.

    *What it measures.* Two accounts are linked in a network when they repeatedly do the same
    thing within ``window_seconds``: repost the same post (``co_repost``), reply to the same post
    (``co_reply``), post the same or nearly the same text (``co_post``: MinHash/LSH on character
    shingles, any script, ``text_threshold`` Jaccard), share the same normalised URL
    (``co_link``) or domain (``co_domain``), use the same set of hashtags (``co_hashtag``) or
    mentions (``co_mention``); or when their original-posting schedules are alike (``sync``:
    cosine of IDF-weighted 10-minute activity vectors, top pairs). Minute-precision times
    (takedown archives) are intervals: two actions co-occur when their intervals can be within
    the window. Each co-action weighs ``ln(1 + N / n)`` for a target ``n`` of the ``N`` accounts
    acted on, so a viral post's crowd makes weak links; each network's cut-off is chosen from the
    data (``cutoff="null"``: false-discovery rate against the same actions with each account's
    times shuffled, seeded) and reported in every cluster's ``details["cutoffs"]`` and in the
    run record. The networks are summed (``weight_<network>``, each over its median kept weight)
    and Leiden finds clusters of at least ``min_cluster_size`` accounts. Each cluster gets
    metrics (creation burst, account age, bot scores when the ``bot_score`` detector ran, default
    images and empty bios, client concentration, echo-chamber ratio, copy-paste share, hashtag
    and domain concentration), an ``inauthenticity_score`` in [0, 1] with a one-sentence
    explanation, ``core``/``amplifier`` roles, and a campaign view (hashtags, mentions and
    domains it pushes, with their lift over everyone else, and its timeline with spikes).

    Findings: one per cluster (subject ``cluster``, id ``<platform>:c0001``, score = inauthenticity,
    label ``coordinated_inauthentic`` from 0.5, else ``coordinated``) and one per clustered
    account (label = role, score = the cluster's inauthenticity weighted by the account's role
    and centrality). The kept edges, with a sample of the post-id pairs behind each, go to the
    side table ``coordination_edges`` (``flockwatch export edges``); all pairs of one edge are
    recomputed by :func:`flockwatch.detect.coordination.edge_evidence`.

    Parameters
    ----------
    window_seconds : int, default 60
        Two actions co-occur when at most this far apart (minute times: their intervals).
    min_co_actions : int, default 2
        Fewest co-actions (distinct targets, or matched posts) for a link: "repeatedly".
    max_target_accounts : int, default 500
        Targets with more actors keep a seeded sample of this many (bounds memory).
    cutoff : str, default "null"
        ``null`` (FDR against the shuffled-time null model), ``robust_z`` (log-weight above
        median + ``robust_z`` robust SDs) or ``none`` (keep every link).
    max_fdr : float, default 0.05
        Largest estimated share of chance links among those kept (``cutoff="null"``).
    robust_z : float, default 3.0
        Robust z of the cut-off (``cutoff="robust_z"``).
    text_threshold : float, default 0.8
        Jaccard similarity of character shingles from which two texts are near-duplicates.
    shingle_size : int, default 5
        Characters per shingle.
    num_perm : int, default 64
        MinHash permutations.
    sync_bin_seconds : int, default 600
        Time bin of the activity vectors of ``sync``.
    sync_min_posts : int, default 10
        Fewest original posts for an account to enter ``sync``.
    sync_top_k : int, default 5
        ``sync`` keeps each account's this many most similar accounts.
    weight_co_repost, weight_co_reply, weight_co_post : float, default 1.0
    weight_co_link, weight_co_hashtag, weight_co_mention, weight_sync : float, default 0.5
    weight_co_domain : float, default 0.25
        Weight of each network in the combined graph; 0 leaves the network out (and skips
        computing it). Sites and hashtag sets are shared by chance more than posts are.
    resolution : float, default 1.0
        Leiden resolution (higher: smaller clusters).
    min_cluster_size : int, default 3
        Smallest cluster reported.
    seed : int, default 0
        Seed of the null model, the viral-target samples, MinHash and Leiden.

    Notes
    -----
    The inauthenticity score is a transparent weighted mean of the signals above, lowered when
    the cluster amplifies verified accounts (see :mod:`flockwatch.detect.coordination.clusters`);
    it is not trained. Edge weights, cut-offs and clusters depend on the data in the store: a
    different collection window or sample changes them.

    What this does *not* show. Coordination is not inauthenticity, and neither is proof of an
    operation. Real crowds co-act: fans reposting their star within seconds, people reacting to
    breaking news in the same minute, a newsroom's or a brand's accounts run by one social-media
    desk from one scheduling tool (one client, shared texts, shared links: high scores for an
    honest organisation), activists following a published call to action, quote-tweet pile-ons.
    Low scores can hide operations that use aged, bought or hijacked accounts with varied clients,
    or that amplify a verified politician. The null model shuffles each account's times, which
    ignores that reactions cluster right after what they react to, so crowds around one event
    can pass the cut-off: the inauthenticity score, not the link, is what separates them. Minute
    times over-link (two minutes apart can co-occur). Takedown archives hash small accounts' ids,
    and data collected around a hashtag over-represents those who used it. Read clusters as leads
    to examine with the edges' evidence, not as verdicts.

    Examples
    --------
    >>> from flockwatch.store.db import Store
    >>> store = Store(":memory:")
    >>> CoordinationDetector.positive_example().build(store)
    >>> out = CoordinationDetector(seed=0).run(store)
    >>> [(f.subject_id, f.label) for f in out.findings if f.subject_kind == "cluster"]
    [('twitter:c0001', 'coordinated_inauthentic')]
    """

    name = "coordination"
    version = "1"
    summary = (
        "Groups of accounts that repeatedly act together within seconds (co-repost, co-post, "
        "co-link...), their inauthenticity, core and amplifier roles, and what they push."
    )
    subject_kinds = ("cluster", "account")

    def __init__(
        self,
        *,
        window_seconds: int = 60,
        min_co_actions: int = 2,
        max_target_accounts: int = 500,
        cutoff: str = "null",
        max_fdr: float = 0.05,
        robust_z: float = 3.0,
        text_threshold: float = 0.8,
        shingle_size: int = 5,
        num_perm: int = 64,
        sync_bin_seconds: int = 600,
        sync_min_posts: int = 10,
        sync_top_k: int = 5,
        weight_co_repost: float = 1.0,
        weight_co_reply: float = 1.0,
        weight_co_post: float = 1.0,
        weight_co_link: float = 0.5,
        weight_co_domain: float = 0.25,
        weight_co_hashtag: float = 0.5,
        weight_co_mention: float = 0.5,
        weight_sync: float = 0.5,
        resolution: float = 1.0,
        min_cluster_size: int = 3,
        seed: int = 0,
    ) -> None:
        self.window_seconds = window_seconds
        self.min_co_actions = min_co_actions
        self.max_target_accounts = max_target_accounts
        self.cutoff = cutoff
        self.max_fdr = max_fdr
        self.robust_z = robust_z
        self.text_threshold = text_threshold
        self.shingle_size = shingle_size
        self.num_perm = num_perm
        self.sync_bin_seconds = sync_bin_seconds
        self.sync_min_posts = sync_min_posts
        self.sync_top_k = sync_top_k
        self.weight_co_repost = weight_co_repost
        self.weight_co_reply = weight_co_reply
        self.weight_co_post = weight_co_post
        self.weight_co_link = weight_co_link
        self.weight_co_domain = weight_co_domain
        self.weight_co_hashtag = weight_co_hashtag
        self.weight_co_mention = weight_co_mention
        self.weight_sync = weight_sync
        self.resolution = resolution
        self.min_cluster_size = min_cluster_size
        self.seed = seed

    # -- parameters ----------------------------------------------------------------------------
    def _check(self) -> None:
        def is_int(v: object) -> bool:
            return isinstance(v, int) and not isinstance(v, bool)

        def is_num(v: object) -> bool:
            return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)

        for name, low in (
            ("window_seconds", 0),
            ("min_co_actions", 1),
            ("max_target_accounts", 2),
            ("shingle_size", 1),
            ("num_perm", 2),
            ("sync_bin_seconds", 1),
            ("sync_min_posts", 2),
            ("sync_top_k", 1),
            ("min_cluster_size", 2),
        ):
            value = getattr(self, name)
            self.check_param(name, is_int(value) and value >= low, f"an int >= {low}")
        self.check_param("seed", is_int(self.seed), "an int")
        self.check_param("cutoff", self.cutoff in METHODS, f"one of {', '.join(METHODS)}")
        self.check_param(
            "max_fdr", is_num(self.max_fdr) and 0 < self.max_fdr < 1, "a number between 0 and 1"
        )
        self.check_param("robust_z", is_num(self.robust_z), "a finite number")
        self.check_param(
            "text_threshold",
            is_num(self.text_threshold) and 0 < self.text_threshold <= 1,
            "a number in (0, 1]",
        )
        self.check_param(
            "resolution", is_num(self.resolution) and self.resolution > 0, "a number > 0"
        )
        for net in NETWORKS:
            name = f"weight_{net}"
            value = getattr(self, name)
            self.check_param(name, is_num(value) and value >= 0, "a number >= 0")

    def network_weights(self) -> dict[str, float]:
        return {net: float(getattr(self, f"weight_{net}")) for net in NETWORKS}

    def edge_params(self) -> EdgeParams:
        """The parameters that decide the edges (also used by ``edge_evidence``)."""
        weights = self.network_weights()
        networks = tuple(n for n in NETWORKS if weights[n] > 0)
        return EdgeParams(
            actions=ActionParams(
                window_ms=int(self.window_seconds) * 1000,
                max_target_accounts=int(self.max_target_accounts),
                seed=int(self.seed),
                networks=networks,
                text=TextParams(
                    threshold=float(self.text_threshold),
                    shingle=int(self.shingle_size),
                    num_perm=int(self.num_perm),
                    seed=int(self.seed),
                ),
            ),
            sync=SyncParams(
                bin_ms=int(self.sync_bin_seconds) * 1000,
                min_posts=int(self.sync_min_posts),
                top_k=int(self.sync_top_k),
                min_shared=int(self.min_co_actions),
                max_bin_accounts=int(self.max_target_accounts),
                seed=int(self.seed),
            ),
            networks=networks,
            min_co_actions=int(self.min_co_actions),
            cutoff=self.cutoff,
            max_fdr=float(self.max_fdr),
            robust_z=float(self.robust_z),
        )

    # -- run -----------------------------------------------------------------------------------
    def run(self, store: Store) -> DetectorOutput:
        self._check()
        con = store.con
        try:
            if not con.execute("SELECT count(*) FROM posts").fetchall()[0][0]:
                return DetectorOutput([], {EDGES_TABLE: EDGES_SCHEMA.empty_table()}, {})
            params = self.edge_params()
            found = network_edges(con, params)
            seconds = dict(found.seconds)
            clock = time.perf_counter()
            nodes = con.execute(f"SELECT platform, account_id, pl, node FROM {NODES}").df()
            combined = combine(found.edges, self.network_weights())
            part = leiden(combined, resolution=float(self.resolution), seed=int(self.seed))
            members = cluster_ids(part, nodes, int(self.min_cluster_size))
            seconds["leiden"] = time.perf_counter() - clock
            clock = time.perf_counter()
            findings = self._findings(con, found, members, combined)
            seconds["clusters"] = time.perf_counter() - clock
            summary = {
                "cutoffs": [c.as_dict() for c in found.cutoffs],
                "counts": {k: int(v) for k, v in found.counts.items()},
                "bucket_ms": found.bucket_ms,
                "n_edges": len(found.edges),
                "n_clusters": int(members["cluster_id"].nunique()) if len(members) else 0,
                "n_clustered_accounts": len(members),
                "seconds": {k: round(v, 3) for k, v in seconds.items()},
            }
            return DetectorOutput(
                findings, {EDGES_TABLE: self._edge_table(found.edges, nodes)}, summary
            )
        finally:
            drop_temp(con)
            for table in (MEMBERS, MEMBER_POSTS, SYNC_ACT):
                con.execute(f"DROP TABLE IF EXISTS {table}")

    def _edge_table(self, edges: pd.DataFrame, nodes: pd.DataFrame) -> pa.Table:
        if edges.empty:
            return EDGES_SCHEMA.empty_table()
        account = nodes.set_index("node")["account_id"]
        platform = nodes.set_index("node")["platform"]
        frame = pd.DataFrame(
            {
                "platform": edges["a"].map(platform).to_numpy(),
                "account_a": edges["a"].map(account).to_numpy(),
                "account_b": edges["b"].map(account).to_numpy(),
                "network": edges["network"].to_numpy(),
                "weight": edges["weight"].astype(float).to_numpy(),
                "n_actions": edges["n_actions"].astype("int64").to_numpy(),
                "first_at": pd.to_datetime(edges["first_t"].astype("int64"), unit="ms"),
                "last_at": pd.to_datetime(edges["last_t"].astype("int64"), unit="ms"),
                "evidence": edges["evidence"].to_numpy(),
            }
        )
        return pa.Table.from_pandas(frame, schema=EDGES_SCHEMA, preserve_index=False)

    # -- findings ------------------------------------------------------------------------------
    def _findings(
        self, con: Any, found: Edges, members: pd.DataFrame, combined: pd.DataFrame
    ) -> list[Finding]:
        if members.empty:
            return []
        con.register("_fwc_members_df", members)
        try:
            con.execute(f"CREATE OR REPLACE TEMP TABLE {MEMBERS} AS SELECT * FROM _fwc_members_df")
        finally:
            con.unregister("_fwc_members_df")
        member_posts(con)
        has_texts = bool(
            con.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [TEXTS]
            ).fetchall()[0][0]
        )
        accounts = account_frame(con)
        per_account = account_metrics(con, accounts).set_index("cluster_id")
        per_posts = post_metrics(con, TEXTS if has_texts else None).set_index("cluster_id")
        activity = member_activity(con)
        activity["role"] = assign_roles(activity)
        cent = centrality(members, combined)
        activity["centrality"] = activity["node"].map(cent).fillna(0.0).to_numpy()
        pushed = pushed_items(con)
        times = timelines(con)
        cutoffs = [c.as_dict() for c in found.cutoffs]

        cluster_of = members.set_index("node")["cluster_id"]
        e = found.edges.copy()
        e["ca"] = e["a"].map(cluster_of)
        e["cb"] = e["b"].map(cluster_of)
        inside = e[e["ca"].notna() & (e["ca"] == e["cb"])]
        c_inside = combined.assign(
            ca=combined["a"].map(cluster_of), cb=combined["b"].map(cluster_of)
        )
        c_inside = c_inside[c_inside["ca"].notna() & (c_inside["ca"] == c_inside["cb"])]
        screen = dict(
            zip(
                zip(accounts["cluster_id"], accounts["account_id"], strict=True),
                accounts["screen_name"],
                strict=True,
            )
        )

        # Everything per cluster is computed once for all clusters (group-bys, one sort, one
        # pass over the rows): per-cluster pandas calls cost milliseconds each, thousands of
        # clusters times.
        links_of = c_inside.groupby("ca").size().to_dict()
        linked, own_posts = _node_evidence(inside)
        per_net = inside.groupby(["ca", "network"]).agg(
            n=("n_actions", "size"), actions=("n_actions", "sum")
        )
        edges_by_net: dict[str, dict[str, int]] = {}
        actions_by_net: dict[str, dict[str, int]] = {}
        for (cid, net), n, acts in zip(
            per_net.index, per_net["n"], per_net["actions"], strict=True
        ):
            edges_by_net.setdefault(cid, {})[net] = int(n)
            actions_by_net.setdefault(cid, {})[net] = int(acts)
        spans = inside.groupby("ca").agg(
            n_co_actions=("n_actions", "sum"), first_t=("first_t", "min"), last_t=("last_t", "max")
        )
        span_of = dict(
            zip(
                spans.index,
                zip(spans["n_co_actions"], spans["first_t"], spans["last_t"], strict=True),
                strict=True,
            )
        )
        # The strongest edges of each cluster (ties: a, b, then edge order: stable sorts).
        strongest = inside.sort_values(
            ["ca", "weight", "a", "b"], ascending=[True, False, True, True], kind="stable"
        )
        strongest = strongest.groupby("ca", sort=False).head(EVIDENCE_EDGES)
        strongest_evidence: dict[str, list[str]] = {}
        for cid, ev in zip(strongest["ca"], strongest["evidence"], strict=True):
            strongest_evidence.setdefault(cid, []).append(ev)
        account_rows = per_account.to_dict("index")
        post_rows = per_posts.to_dict("index")
        rows_of: dict[str, list[Any]] = {}
        for r in activity.itertuples():
            rows_of.setdefault(r.cluster_id, []).append(r)
        ranked_all = activity.sort_values(
            ["cluster_id", "role", "centrality", "account_id"],
            ascending=[True, False, False, True],
            kind="stable",
        )
        ranked_of: dict[str, list[Any]] = {}
        for r in ranked_all.itertuples():
            ranked_of.setdefault(r.cluster_id, []).append(r)
        out: list[Finding] = []
        for cluster_id in sorted(rows_of):
            mem = rows_of[cluster_id]
            size = len(mem)
            n_links = int(links_of.get(cluster_id, 0))
            n_co, first_t, last_t = span_of.get(cluster_id, (0, math.nan, math.nan))
            metrics: dict[str, Any] = {
                "size": size,
                "n_core": sum(r.role == "core" for r in mem),
                "n_amplifier": sum(r.role == "amplifier" for r in mem),
                "n_edges": n_links,
                "density": round(2 * n_links / (size * (size - 1)), 4) if size > 1 else 0.0,
                "edges_by_network": edges_by_net.get(cluster_id, {}),
                "actions_by_network": actions_by_net.get(cluster_id, {}),
                "n_co_actions": int(n_co),
                "first_seen": _ts(first_t),
                "last_seen": _ts(last_t),
            }
            metrics["time_span_hours"] = round((float(last_t) - float(first_t)) / 3_600_000, 2)
            metrics.update(_clean(account_rows[cluster_id]))
            if cluster_id in post_rows:
                metrics.update(_clean(post_rows[cluster_id]))
            score, used = inauthenticity(metrics)
            score = round(score, 4)
            text = explanation(metrics, score, used, float(self.window_seconds))
            campaign = pushed.get(cluster_id, {"hashtags": [], "mentions": [], "domains": []})
            posts = sorted(
                {
                    p
                    for ev in strongest_evidence.get(cluster_id, [])
                    for pr in evidence_pairs(ev)
                    for p in pr
                }
            )
            ranked = ranked_of[cluster_id]
            roster = [
                {
                    "account_id": r.account_id,
                    "screen_name": _none(screen.get((cluster_id, r.account_id))),
                    "role": r.role,
                    "centrality": round(float(r.centrality), 4),
                    "n_posts": int(r.n_posts),
                    "n_original": int(r.n_original),
                    "n_reposts": int(r.n_reposts),
                    "amplified_by_members": int(r.amplified),
                }
                for r in ranked
            ]
            details = {
                "cluster_id": cluster_id,
                **metrics,
                "inauthenticity_score": score,
                "signals": {k: round(v, 4) for k, v in used.items()},
                "top_hashtags": [i["item"] for i in campaign["hashtags"]],
                "top_mentions": [i["item"] for i in campaign["mentions"]],
                "top_domains": [i["item"] for i in campaign["domains"]],
                "campaign": {**campaign, "timeline": times.get(cluster_id, {})},
                "members": roster,
                "cutoffs": cutoffs,
                "window_seconds": self.window_seconds,
            }
            platform = str(mem[0].platform)
            out.append(
                Finding(
                    subject_kind="cluster",
                    subject_id=cluster_id,
                    platform=platform,
                    score=score,
                    label="coordinated_inauthentic" if score >= INAUTHENTIC_AT else "coordinated",
                    explanation=text,
                    evidence={
                        "accounts": [r["account_id"] for r in roster[:EVIDENCE_ACCOUNTS]],
                        "posts": posts[: 4 * EVIDENCE_EDGES],
                    },
                    details=details,
                )
            )
            out.extend(_account_findings(cluster_id, platform, score, size, mem, linked, own_posts))
        return out

    # -- examples ------------------------------------------------------------------------------
    @classmethod
    def positive_example(cls) -> Example:
        return Example(build=examples.build_positive, subject=("cluster", examples.CLUSTER))

    @classmethod
    def negative_example(cls) -> Example:
        return Example(build=examples.build_negative, subject=("cluster", examples.CLUSTER))


def _account_findings(
    cluster_id: str,
    platform: str,
    score: float,
    size: int,
    mem: list[Any],
    linked_of: dict[int, int],
    own_posts: dict[int, list[str]],
) -> list[Finding]:
    """Findings of the members of one cluster (``mem``: rows of ``member_activity``)."""
    out = []
    for r in mem:
        linked = int(linked_of.get(r.node, 0))
        own = own_posts.get(r.node, [])
        strength = 1.0 if r.role == "core" else float(r.centrality)
        account_score = round(score * (0.8 + 0.2 * strength), 4)
        head = (
            f"{'Core' if r.role == 'core' else 'Amplifier'} in cluster {cluster_id} "
            f"({size} accounts, inauthenticity {score:.2f}): "
        )
        if r.role == "core":
            body = (
                f"{r.n_original / max(r.n_posts, 1):.0%} of its {int(r.n_posts)} posts are "
                f"original and {int(r.n_amplifiers)} members reposted it "
                f"{int(r.amplified)} times."
            )
        else:
            body = (
                f"{r.n_reposts / max(r.n_posts, 1):.0%} of its {int(r.n_posts)} posts are "
                f"reposts; linked to {linked} members."
            )
        out.append(
            Finding(
                subject_kind="account",
                subject_id=str(r.account_id),
                platform=platform,
                score=account_score,
                label=str(r.role),
                explanation=head + body,
                evidence={"accounts": [str(r.account_id)], "posts": sorted(set(own))[:10]},
                details={
                    "cluster_id": cluster_id,
                    "role": r.role,
                    "centrality": round(float(r.centrality), 4),
                    "cluster_inauthenticity": score,
                    "n_posts": int(r.n_posts),
                    "n_original": int(r.n_original),
                    "n_reposts": int(r.n_reposts),
                    "amplified_by_members": int(r.amplified),
                    "n_amplifiers": int(r.n_amplifiers),
                    "linked_members": linked,
                },
            )
        )
    return out


def _node_evidence(inside: pd.DataFrame) -> tuple[dict[int, int], dict[int, list[str]]]:
    """Per member node: how many members it is linked to, and its own post ids in the evidence of
    its three strongest links."""
    if inside.empty:
        return {}, {}
    cols = ["a", "b", "weight", "evidence"]
    long = pd.concat(
        [
            inside[cols].assign(node=inside["a"], other=inside["b"], side=0),
            inside[cols].assign(node=inside["b"], other=inside["a"], side=1),
        ],
        ignore_index=True,
    )
    linked = long.groupby("node")["other"].nunique().to_dict()
    top = long.sort_values(["node", "weight", "a", "b"], ascending=[True, False, True, True])
    top = top.groupby("node", sort=False).head(3)
    own: dict[int, list[str]] = {}
    for node, side, evidence in zip(top["node"], top["side"], top["evidence"], strict=True):
        own.setdefault(int(node), []).extend(p[side] for p in evidence_pairs(evidence))
    return linked, own


def _ts(ms: Any) -> str | None:
    if ms is None or (isinstance(ms, float) and math.isnan(ms)):
        return None
    return pd.Timestamp(int(ms), unit="ms").strftime("%Y-%m-%d %H:%M:%S")


def _none(v: Any) -> Any:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else v


def _clean(d: dict[str, Any]) -> dict[str, Any]:
    """JSON-friendly metric values: NaN -> None, timestamps -> text, floats rounded."""
    out = {}
    for k, v in d.items():
        if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT:
            out[k] = None
        elif isinstance(v, pd.Timestamp):
            out[k] = v.strftime("%Y-%m-%d %H:%M:%S")
        elif isinstance(v, float):
            out[k] = round(v, 4)
        elif hasattr(v, "item"):
            out[k] = v.item()
        else:
            out[k] = v
    return json.loads(json.dumps(out, default=str))
