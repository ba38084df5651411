"""What each cluster looks like, and how inauthentic: metrics and the inauthenticity score.

Coordination alone is not inauthenticity: fans of a singer repost her within seconds, every
time. What tells an operation from a crowd is *who* coordinates and *whom they amplify*. Each
cluster gets metrics (all shares in [0, 1]):

- ``creation_burst_share``: the largest share of members created within any
  :data:`CREATION_WINDOW_DAYS`-day window (bulk-created accounts come in bursts);
- ``young_share``: members less than :data:`YOUNG_DAYS` days old at their first post in the data;
- ``bot_score_mean`` (and median, p90, share >= 0.5): from the latest ``bot_score`` run, if any;
- ``default_image_share``, ``empty_bio_share``, ``verified_share``;
- ``top_client`` and ``top_client_share`` of the members' posts, ``n_clients``;
- ``echo_ratio``: share of the members' reposts that repost another member;
- ``verified_target_share``: share of their reposts that repost a verified account;
- ``copy_paste_share``: share of their original posts whose (near-duplicate) text another
  member also posted;
- ``hashtag_top3_share``, ``domain_top3_share``: how concentrated their hashtags and link
  domains are;
- size, edges, density, co-actions per network, first and last co-action.

The ``inauthenticity_score`` is the weighted mean of the signals in :data:`SCORE_WEIGHTS` that
exist for the cluster (bot scores only when the bot detector ran), times
``1 - VERIFIED_DISCOUNT * verified_target_share``: amplifying verified accounts is what genuine
crowds do. It is a transparent heuristic, not a trained model; the explanation names the figures
behind it.
"""

from __future__ import annotations

import math
from typing import Any

import duckdb
import numpy as np
import pandas as pd

#: Window of the creation-burst share: bulk creation takes days, not months.
CREATION_WINDOW_DAYS = 14
#: Accounts younger than this at their first post in the data count as young (3 months).
YOUNG_DAYS = 90
#: Weights of the signals in the inauthenticity score (weighted mean over those present).
SCORE_WEIGHTS: dict[str, float] = {
    "creation_burst_share": 1.0,  # bulk creation is the strongest profile sign of a farm
    "young_share": 1.0,  # operations use fresh accounts; fandoms are years old
    "bot_score_mean": 1.5,  # an independent model of each profile, when available
    "client_signal": 0.75,  # one posting tool for all members: scheduling/automation
    "echo_ratio": 1.0,  # members amplifying each other rather than outside voices
    "copy_paste_share": 1.0,  # the same text posted by several members
    "thin_profile_share": 0.5,  # default image or empty bio: cheap accounts
}
#: Share of the score removed when every repost amplifies a verified account.
VERIFIED_DISCOUNT = 0.5
#: A top-client share up to this is ordinary (two phone apps split most crowds)...
CLIENT_ORDINARY = 0.5
#: ...and from this on it is fully suspicious.
CLIENT_FULL = 0.9
#: Score at or above which a cluster is labelled coordinated_inauthentic.
INAUTHENTIC_AT = 0.5

MEMBERS = "_fwc_members"
MEMBER_POSTS = "_fwc_member_posts"


def member_posts(con: duckdb.DuckDBPyConnection) -> None:
    """Temp table of the members' posts with the account they repost (from the target post when
    the reader left ``target_account_id`` empty)."""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {MEMBER_POSTS} AS
        SELECT m.cluster_id, m.node, p.platform, p.post_id, p.account_id, p.kind, p.client,
               p.created_at, p.text, p.hashtags, p.urls, p.mentions, p.target_post_id,
               coalesce(p.target_account_id, tp.account_id) AS target_account_id
        FROM posts p JOIN {MEMBERS} m USING (platform, account_id)
        LEFT JOIN posts tp ON p.target_account_id IS NULL AND p.target_post_id IS NOT NULL
             AND tp.platform = p.platform AND tp.post_id = p.target_post_id
        """
    )


def _bot_scores_available(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM latest_findings WHERE detector = 'bot_score' "
            "AND subject_kind = 'account'"
        ).fetchall()[0][0]
    )


def account_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per member: profile fields, first post time, bot score (NaN when absent)."""
    bot = (
        "(SELECT platform, subject_id AS account_id, max(score) AS bot_score FROM latest_findings "
        "WHERE detector = 'bot_score' AND subject_kind = 'account' GROUP BY ALL)"
        if _bot_scores_available(con)
        else "(SELECT NULL::VARCHAR AS platform, NULL::VARCHAR AS account_id, "
        "NULL::DOUBLE AS bot_score WHERE false)"
    )
    return con.execute(
        f"""
        SELECT m.cluster_id, m.platform, m.account_id, m.node, a.screen_name, a.created_at,
               coalesce(a.verified, false) AS verified,
               coalesce(a.default_profile_image,
                        a.profile_image_url ILIKE '%default_profile%', false) AS default_image,
               (a.description IS NULL OR trim(a.description) = '') AS empty_bio,
               a.followers_count, f.first_post, b.bot_score
        FROM {MEMBERS} m
        LEFT JOIN accounts a USING (platform, account_id)
        LEFT JOIN (SELECT platform, account_id, min(created_at) AS first_post
                   FROM {MEMBER_POSTS} GROUP BY ALL) f USING (platform, account_id)
        LEFT JOIN {bot} b USING (platform, account_id)
        ORDER BY m.cluster_id, m.account_id
        """
    ).df()


def post_metrics(con: duckdb.DuckDBPyConnection, text_groups_table: str | None) -> pd.DataFrame:
    """Per cluster: post counts, client concentration, echo, verified targets, copy-paste,
    hashtag and domain concentration."""
    from flockwatch.detect.coordination.actions import domain_sql
    from flockwatch.detect.coordination.textsim import MIN_TEXT_CHARS, normalized_text_sql

    ntext = normalized_text_sql("p.text")
    if text_groups_table:
        group, join = (
            "g.text_group::VARCHAR",
            f"LEFT JOIN {text_groups_table} g ON g.ntext = {ntext}",
        )
    else:
        group, join = f"CASE WHEN length({ntext}) >= {MIN_TEXT_CHARS} THEN {ntext} END", ""
    return con.execute(
        f"""
        WITH p AS (SELECT * FROM {MEMBER_POSTS}),
        counts AS (
            SELECT cluster_id, count(*) AS n_posts,
                   count(*) FILTER (WHERE kind = 'repost') AS n_reposts,
                   count(*) FILTER (WHERE coalesce(kind, 'post') IN ('post', 'quote'))
                       AS n_original,
                   count(*) FILTER (WHERE kind = 'reply') AS n_replies
            FROM p GROUP BY cluster_id),
        clients AS (
            SELECT cluster_id, count(*) AS n_client_posts, count(DISTINCT client) AS n_clients,
                   arg_max(client, struct_pack(n := n, c := client)) AS top_client,
                   max(n) / sum(n) AS top_client_share
            FROM (SELECT cluster_id, client, count(*) AS n FROM p WHERE client IS NOT NULL
                  GROUP BY ALL)
            GROUP BY cluster_id),
        reposts AS (
            SELECT p.cluster_id,
                   count(*) AS n_targeted,
                   count(*) FILTER (WHERE m.account_id IS NOT NULL
                                    AND p.target_account_id <> p.account_id) AS n_echo,
                   count(*) FILTER (WHERE coalesce(a.verified, false)) AS n_verified
            FROM p
            LEFT JOIN {MEMBERS} m ON m.platform = p.platform
                 AND m.account_id = p.target_account_id AND m.cluster_id = p.cluster_id
            LEFT JOIN accounts a ON a.platform = p.platform AND a.account_id = p.target_account_id
            WHERE p.kind = 'repost' AND p.target_account_id IS NOT NULL
            GROUP BY p.cluster_id),
        texts AS (
            SELECT p.cluster_id, p.node, {group} AS grp FROM p {join}
            WHERE coalesce(p.kind, 'post') IN ('post', 'quote') AND p.text IS NOT NULL),
        shared AS (
            SELECT cluster_id, grp FROM texts WHERE grp IS NOT NULL
            GROUP BY ALL HAVING count(DISTINCT node) >= 2),
        copy AS (
            SELECT t.cluster_id, count(*) AS n_texts,
                   count(s.grp) AS n_copied
            FROM texts t LEFT JOIN shared s ON s.cluster_id = t.cluster_id AND s.grp = t.grp
            GROUP BY t.cluster_id),
        tag_n AS (
            SELECT cluster_id, tag, count(*) AS n
            FROM (SELECT cluster_id, lower(unnest(hashtags)) AS tag FROM p) GROUP BY cluster_id, tag),
        tags AS (
            SELECT cluster_id, sum(n) AS n_tags,
                   sum(n) FILTER (WHERE r <= 3) / sum(n) AS hashtag_top3_share
            FROM (SELECT *, row_number() OVER (PARTITION BY cluster_id ORDER BY n DESC, tag) AS r
                  FROM tag_n)
            GROUP BY cluster_id),
        dom_n AS (
            SELECT cluster_id, d, count(*) AS n
            FROM (SELECT cluster_id, {domain_sql("u")} AS d
                  FROM (SELECT cluster_id, unnest(urls) AS u FROM p))
            WHERE d <> '' GROUP BY cluster_id, d),
        doms AS (
            SELECT cluster_id, sum(n) AS n_links,
                   sum(n) FILTER (WHERE r <= 3) / sum(n) AS domain_top3_share
            FROM (SELECT *, row_number() OVER (PARTITION BY cluster_id ORDER BY n DESC, d) AS r
                  FROM dom_n)
            GROUP BY cluster_id)
        SELECT c.*, cl.n_clients, cl.top_client, cl.top_client_share,
               coalesce(r.n_targeted, 0) AS n_reposts_with_target,
               r.n_echo / r.n_targeted AS echo_ratio,
               r.n_verified / r.n_targeted AS verified_target_share,
               cp.n_copied / nullif(cp.n_texts, 0) AS copy_paste_share,
               t.hashtag_top3_share, d.domain_top3_share
        FROM counts c
        LEFT JOIN clients cl USING (cluster_id) LEFT JOIN reposts r USING (cluster_id)
        LEFT JOIN copy cp USING (cluster_id) LEFT JOIN tags t USING (cluster_id)
        LEFT JOIN doms d USING (cluster_id)
        """
    ).df()


def creation_burst_share(created: pd.Series, days: int = CREATION_WINDOW_DAYS) -> float:
    """Largest share of ``created`` (timestamps; NaT ignored) within any ``days``-day window
    (reference for :func:`account_metrics`, which computes it in SQL for all clusters)."""
    values = np.sort(created.dropna().to_numpy(dtype="datetime64[s]").astype(np.int64))
    if not len(values):
        return float("nan")
    span = days * 86_400
    ends = np.searchsorted(values, values + span, side="right")
    return float((ends - np.arange(len(values))).max() / len(values))


def account_metrics(con: duckdb.DuckDBPyConnection, accounts: pd.DataFrame) -> pd.DataFrame:
    """Per cluster: profile metrics of its members (``accounts`` from :func:`account_frame`)."""
    con.register("_fwc_member_accounts", accounts)
    try:
        return con.execute(
            f"""
            WITH m AS (
                SELECT *, date_diff('second', created_at, first_post) / 86400.0 AS age,
                       count(created_at) OVER (
                           PARTITION BY cluster_id ORDER BY created_at
                           RANGE BETWEEN CURRENT ROW AND INTERVAL {CREATION_WINDOW_DAYS} DAY FOLLOWING
                       ) AS burst
                FROM _fwc_member_accounts)
            SELECT cluster_id,
                   max(burst) FILTER (WHERE created_at IS NOT NULL) / count(created_at)
                       AS creation_burst_share,
                   avg(CASE WHEN age < {YOUNG_DAYS} THEN 1.0 ELSE 0.0 END)
                       FILTER (WHERE age IS NOT NULL) AS young_share,
                   median(age) AS median_age_days,
                   min(created_at) AS first_created, max(created_at) AS last_created,
                   avg(default_image::INTEGER) AS default_image_share,
                   avg(empty_bio::INTEGER) AS empty_bio_share,
                   avg(verified::INTEGER) AS verified_share,
                   avg(bot_score) AS bot_score_mean, median(bot_score) AS bot_score_median,
                   quantile_cont(bot_score, 0.9) AS bot_score_p90,
                   avg(CASE WHEN bot_score >= 0.5 THEN 1.0 ELSE 0.0 END)
                       FILTER (WHERE bot_score IS NOT NULL) AS bot_share,
                   count(bot_score) AS n_bot_scored
            FROM m GROUP BY cluster_id ORDER BY cluster_id
            """
        ).df()
    finally:
        con.unregister("_fwc_member_accounts")


def client_signal(top_share: float) -> float:
    """0 for an ordinary top-client share, rising to 1 at :data:`CLIENT_FULL`."""
    if top_share is None or math.isnan(top_share):
        return math.nan
    return float(np.clip((top_share - CLIENT_ORDINARY) / (CLIENT_FULL - CLIENT_ORDINARY), 0, 1))


def inauthenticity(metrics: dict[str, Any]) -> tuple[float, dict[str, float]]:
    """Score in [0, 1] and the signal values that entered it."""
    signals = {
        "creation_burst_share": metrics.get("creation_burst_share"),
        "young_share": metrics.get("young_share"),
        "bot_score_mean": metrics.get("bot_score_mean"),
        "client_signal": client_signal(metrics.get("top_client_share", math.nan)),
        "echo_ratio": metrics.get("echo_ratio"),
        "copy_paste_share": metrics.get("copy_paste_share"),
        "thin_profile_share": _mean(
            metrics.get("default_image_share"), metrics.get("empty_bio_share")
        ),
    }
    used = {k: float(v) for k, v in signals.items() if v is not None and not _isnan(v)}
    if not used:
        return 0.0, {}
    total = sum(SCORE_WEIGHTS[k] for k in used)
    base = sum(SCORE_WEIGHTS[k] * v for k, v in used.items()) / total
    verified = metrics.get("verified_target_share")
    discount = 0.0 if verified is None or _isnan(verified) else VERIFIED_DISCOUNT * verified
    return float(np.clip(base * (1 - discount), 0, 1)), used


def _isnan(v: Any) -> bool:
    try:
        return math.isnan(float(v))
    except (TypeError, ValueError):
        return True


def _mean(*values: Any) -> float:
    ok = [float(v) for v in values if v is not None and not _isnan(v)]
    return sum(ok) / len(ok) if ok else math.nan


def explanation(
    metrics: dict[str, Any], score: float, used: dict[str, float], window_s: float
) -> str:
    """One sentence with the numbers behind the score."""
    size = int(metrics["size"])
    what = _what(metrics.get("actions_by_network", {}))
    head = (
        f"{size} accounts {what} within {window_s:g} s "
        f"({int(metrics.get('n_edges', 0))} links, {int(metrics.get('n_co_actions', 0))} co-actions)"
    )
    phrases = []
    if score >= INAUTHENTIC_AT:
        order = sorted(used, key=lambda k: SCORE_WEIGHTS[k] * used[k], reverse=True)
        for key in order[:3]:
            if used[key] >= 0.3:
                phrases.append(_phrase(key, metrics))
        body = ": " + ", ".join(p for p in phrases if p) if phrases else ""
    else:
        calm = []
        if not _isnan(metrics.get("median_age_days")):
            calm.append(f"median account age {metrics['median_age_days'] / 365.25:.1f} years")
        if not _isnan(metrics.get("n_clients")):
            calm.append(f"{int(metrics['n_clients'])} clients")
        vt = metrics.get("verified_target_share")
        if not _isnan(vt) and vt > 0:
            calm.append(f"{vt:.0%} of their reposts amplify verified accounts")
        er = metrics.get("echo_ratio")
        if not _isnan(er):
            calm.append(f"{er:.0%} amplify each other")
        body = ", but " + ", ".join(calm) if calm else ""
    return f"{head}{body}; inauthenticity {score:.2f}."


def _what(actions: dict[str, int]) -> str:
    verbs = {
        "co_repost": "reposted the same posts",
        "co_reply": "replied to the same posts",
        "co_post": "posted the same texts",
        "co_link": "shared the same links",
        "co_domain": "linked the same sites",
        "co_hashtag": "used the same hashtags",
        "co_mention": "mentioned the same accounts",
        "sync": "posted in step",
    }
    ranked = [k for k, _ in sorted(actions.items(), key=lambda kv: -kv[1]) if k in verbs]
    if not ranked:
        return "acted together"
    return " and ".join(verbs[k] for k in ranked[:2])


def _phrase(key: str, m: dict[str, Any]) -> str:
    if key == "creation_burst_share":
        return f"{m[key]:.0%} were created within {CREATION_WINDOW_DAYS} days of each other"
    if key == "young_share":
        return f"{m[key]:.0%} were under {YOUNG_DAYS} days old when they first posted"
    if key == "bot_score_mean":
        return f"mean bot score {m[key]:.2f}"
    if key == "client_signal":
        return f"{m['top_client_share']:.0%} of their posts come from {m['top_client']}"
    if key == "echo_ratio":
        return f"{m[key]:.0%} of their reposts amplify each other"
    if key == "copy_paste_share":
        return f"{m[key]:.0%} of their posts repeat another member's text"
    if key == "thin_profile_share":
        return (
            f"{m['default_image_share']:.0%} have the default image and "
            f"{m['empty_bio_share']:.0%} an empty bio"
        )
    return ""
