"""Co-action pairs in DuckDB: two accounts that did the same thing within a time window.

An *action* is one post seen through one network: a repost of post P (network ``co_repost``,
target P), a reply to P (``co_reply``), a post whose normalised text falls in near-duplicate
group G (``co_post``), a post sharing normalised URL U (``co_link``) or a URL on domain D
(``co_domain``), a post whose set of hashtags (``co_hashtag``) or mentions (``co_mention``) is S.
Reposts carry the reposted post's text, links and tags, so they count only as ``co_repost``.

Two actions of two accounts on the same target *co-occur* when they are within ``window`` of
each other. Times of minute precision (takedown archives) are intervals ``[t, t + 60 s)``, not
points: two actions co-occur when their intervals *can* be within the window, that is when the
gap between the earlier interval's end and the later one's start is at most the window::

    later.t - earlier.t <= window + earlier.width      (width 60 s for minute times, else 0)

so with a 60 s window two minute-precision actions co-occur when their minutes are at most two
apart: 12:00 and 12:02 are ``[12:00:00, 12:01:00)`` and ``[12:02:00, 12:03:00)``, 60 s apart at
the closest (the intervals are taken as closed, so the boundary case counts). A minute-precision
action and a second-precision one at ``s`` co-occur when ``s`` is within the window of the minute.
This over-links rather than under-links: an investigator sees the minute in the evidence.

The self-join is bucketed rather than a range join: with bucket width
``B = window + widest interval``, co-occurring actions are in the same bucket ``floor(t / B)`` or
in adjacent ones, so each action is joined on ``(network, target, bucket)`` with the actions of
its own bucket and of the next one (two hash joins), and only then filtered on the exact rule.
A plain ``|t1 - t2| <= window`` condition is a range join DuckDB cannot hash.

Viral targets make pairs quadratic. A target with more than ``max_target_accounts`` actors keeps
a deterministic sample of that many (the smallest ``hash(seed, target, account)``); its IDF weight
``ln(1 + N / n)`` is the lowest of all anyway, and the number of sampled targets is reported.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from flockwatch.detect.coordination.textsim import (
    MIN_TEXT_CHARS,
    TextParams,
    normalized_text_sql,
    text_groups,
)
from flockwatch.errors import FlockwatchError

#: The co-action networks, in a fixed order (their index is the ``net`` code in SQL).
ACTION_NETWORKS: tuple[str, ...] = (
    "co_repost",
    "co_reply",
    "co_post",
    "co_link",
    "co_domain",
    "co_hashtag",
    "co_mention",
)
#: Post-id pairs kept in an edge row as its evidence sample (the rarest targets first).
EVIDENCE_SAMPLE = 5
#: Width of a minute-precision time, in milliseconds.
MINUTE_MS = 60_000
#: Bits of an account node number in the packed keys of the edge aggregation: network (3
#: bits) and the two nodes of a pair share one BIGINT, so a store may hold up to 2**30
#: accounts that posted.
NODE_BITS = 30
assert len(ACTION_NETWORKS) <= 7

# Temp relations (connection-local, dropped by drop_temp); the store itself is never written.
NODES = "_fwc_nodes"
ACTS = "_fwc_acts"
TARGETS = "_fwc_targets"
TEXTS = "_fwc_text_groups"
NTEXTS = "_fwc_ntexts"


@dataclass(frozen=True)
class ActionParams:
    """What makes two actions co-occur, and the bounds on viral targets."""

    window_ms: int = 60_000
    max_target_accounts: int = 500
    seed: int = 0
    networks: tuple[str, ...] = ACTION_NETWORKS
    text: TextParams = TextParams()


def url_sql(col: str) -> str:
    """Normalised URL: lower-case scheme and host without ``www.``, no fragment, no ``utm_*``
    tracking parameters, no trailing slash."""
    u = f"lower(regexp_replace({col}, '#.*$', ''))"
    u = f"regexp_replace({u}, '^https?://(www\\.)?', '')"
    u = f"regexp_replace({u}, '([?&])utm_[^&]*', '\\1', 'g')"
    u = f"regexp_replace({u}, '[?&]+$', '')"
    return f"rtrim({u}, '/')"


def domain_sql(col: str) -> str:
    """Host of a URL, lower-case, without ``www.`` and port."""
    return f"regexp_extract(lower({col}), '^(?:[a-z][a-z0-9+.-]*://)?(?:www\\.)?([^/?#:]+)', 1)"


def build_actions(con: duckdb.DuckDBPyConnection, params: ActionParams) -> dict[str, int]:
    """Create the temp tables of actions (``_fwc_acts``) and targets (``_fwc_targets``).

    ``_fwc_nodes`` numbers the accounts that posted (``node``, ordered by platform and id);
    ``_fwc_acts`` holds ``net, pl, kid, node, post_id, t, w`` for the actions on targets with at
    least two actors, sampled on viral targets; ``_fwc_targets`` holds per target (``kid``) its
    ``key``, its number of actors ``n`` and IDF weight ``idf = ln(1 + N / n)``, ``N`` the
    accounts that posted on the platform (smoothed so that a target everyone acted on still
    weighs a little: ``ln 2``). Returns counts for the run record.
    """
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {NODES} AS
        SELECT platform, account_id,
               (dense_rank() OVER (ORDER BY platform) - 1)::SMALLINT AS pl,
               (row_number() OVER (ORDER BY platform, account_id) - 1)::INTEGER AS node
        FROM (SELECT DISTINCT platform, account_id FROM posts
              WHERE account_id IS NOT NULL AND created_at IS NOT NULL)
        """
    )
    n_nodes = con.execute(f"SELECT count(*) FROM {NODES}").fetchall()[0][0]
    if n_nodes > 1 << NODE_BITS:
        raise FlockwatchError(
            f"coordination numbers accounts in {NODE_BITS} bits: this store has {n_nodes:,} "
            f"accounts with posts, more than {1 << NODE_BITS:,}; split the data by platform "
            "or period"
        )
    nets = {name: i for i, name in enumerate(ACTION_NETWORKS)}
    wanted = [n for n in params.networks if n in nets]
    cols = f"""n.pl, n.node, p.post_id, epoch_ms(p.created_at) AS t,
               (CASE WHEN p.time_precision = 'minute' THEN {MINUTE_MS} ELSE 0 END)::INTEGER AS w"""
    source = f"posts p JOIN {NODES} n USING (platform, account_id)"
    content = "p.created_at IS NOT NULL AND coalesce(p.kind, 'post') <> 'repost'"
    branches = []
    for name, kind in (("co_repost", "repost"), ("co_reply", "reply")):
        if name in wanted:
            branches.append(
                f"SELECT {nets[name]} AS net, p.target_post_id AS key, {cols} FROM {source} "
                f"WHERE p.created_at IS NOT NULL AND p.kind = '{kind}' "
                "AND p.target_post_id IS NOT NULL"
            )
    if "co_post" in wanted:
        _build_text_groups(con, cols, source, content, params.text)
        branches.append(
            f"SELECT {nets['co_post']} AS net, 'g' || g.text_group AS key, x.pl, x.node, "
            f"x.post_id, x.t, x.w FROM {NTEXTS} x JOIN {TEXTS} g USING (h)"
        )
    links = (
        f"(SELECT {cols}, unnest(p.urls) AS u FROM {source} WHERE {content} AND len(p.urls) > 0)"
    )
    if "co_link" in wanted:
        branches.append(
            f"SELECT DISTINCT {nets['co_link']} AS net, {url_sql('u')} AS key, pl, node, post_id, "
            f"t, w FROM {links} WHERE u IS NOT NULL AND u <> ''"
        )
    if "co_domain" in wanted:
        branches.append(
            f"SELECT DISTINCT {nets['co_domain']} AS net, {domain_sql('u')} AS key, pl, node, "
            f"post_id, t, w FROM {links} WHERE u IS NOT NULL"
        )
    for name, col in (("co_hashtag", "hashtags"), ("co_mention", "mentions")):
        if name in wanted:
            lowered = f"list_transform(p.{col}, lambda x: lower(x))"
            branches.append(
                f"SELECT {nets[name]} AS net, "
                f"array_to_string(list_sort(list_distinct({lowered})), ' ') AS key, {cols} "
                f"FROM {source} WHERE {content} AND len(p.{col}) > 0"
            )
    if not branches:
        branches.append(f"SELECT 0 AS net, NULL AS key, {cols} FROM {source} LIMIT 0")
    union = " UNION ALL ".join(branches)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _fwc_raw AS
        SELECT net::TINYINT AS net, pl, key::VARCHAR AS key, node, post_id, t, w
        FROM ({union}) WHERE key IS NOT NULL AND key <> ''
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {TARGETS} AS
        WITH per AS (SELECT net, pl, key, count(DISTINCT node) AS n, count(*) AS n_acts
                     FROM _fwc_raw GROUP BY net, pl, key HAVING count(DISTINCT node) >= 2),
             tot AS (SELECT pl, count(*) AS n_accounts FROM {NODES} GROUP BY pl)
        SELECT (row_number() OVER (ORDER BY per.net, per.pl, per.key))::INTEGER AS kid,
               per.net, per.pl, per.key, per.n, ln(1 + tot.n_accounts / per.n) AS idf,
               per.n_acts > per.n AS multi
        FROM per JOIN tot USING (pl)
        """
    )
    cap = int(params.max_target_accounts)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {ACTS} AS
        WITH r AS (SELECT k.kid, k.n, k.idf, k.multi, r.* EXCLUDE (key) FROM _fwc_raw r
                   JOIN {TARGETS} k USING (net, pl, key))
        SELECT *, multi AND count(*) OVER (PARTITION BY kid, node) > 1 AS dup FROM (
        SELECT net, pl, kid, node, post_id, t, w, idf, multi FROM r WHERE n <= {cap}
        UNION ALL
        SELECT r.net, r.pl, r.kid, r.node, r.post_id, r.t, r.w, r.idf, r.multi
        FROM r SEMI JOIN (
            SELECT kid, node FROM (SELECT DISTINCT kid, node FROM r WHERE n > {cap})
            QUALIFY row_number() OVER (PARTITION BY kid ORDER BY hash({int(params.seed)}, kid, node), node)
                    <= {cap}) s ON r.kid = s.kid AND r.node = s.node
        WHERE r.n > {cap})
        """
    )
    counts = dict(
        zip(
            ("actions", "targets", "sampled_targets"),
            con.execute(
                f"SELECT (SELECT count(*) FROM _fwc_raw), (SELECT count(*) FROM {TARGETS}), "
                f"(SELECT count(*) FROM {TARGETS} WHERE n > {cap})"
            ).fetchall()[0],
            strict=True,
        )
    )
    con.execute("DROP TABLE IF EXISTS _fwc_raw")
    return counts


def _build_text_groups(
    con: duckdb.DuckDBPyConnection, cols: str, source: str, content: str, text: TextParams
) -> None:
    """``_fwc_ntexts``: content posts with their normalised text's hash ``h``; ``_fwc_text_groups``:
    ``h, ntext, text_group`` for the texts of near-duplicate groups posted at least twice."""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _fwc_ntexts_full AS
        SELECT {cols}, {normalized_text_sql("p.text")} AS ntext FROM {source}
        WHERE {content} AND p.text IS NOT NULL
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {NTEXTS} AS
        SELECT pl, node, post_id, t, w, hash(ntext) AS h FROM _fwc_ntexts_full
        WHERE length(ntext) >= {MIN_TEXT_CHARS}
        """
    )
    groups = text_groups(con, "SELECT ntext FROM _fwc_ntexts_full", text)
    con.execute("DROP TABLE IF EXISTS _fwc_ntexts_full")
    # Only groups posted at least twice can link two accounts.
    total = groups.groupby("text_group")["n"].transform("sum")
    shared = groups.loc[total >= 2, ["h", "ntext", "text_group"]]
    con.register("_fwc_groups_df", shared)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {TEXTS} AS SELECT * FROM _fwc_groups_df")
    finally:
        con.unregister("_fwc_groups_df")


def bucket_ms(con: duckdb.DuckDBPyConnection, window_ms: int, acts: str = ACTS) -> int:
    """Bucket width: the window plus the widest time interval present (at least 1 ms)."""
    widest = con.execute(f"SELECT coalesce(max(w), 0) FROM {acts}").fetchall()[0][0]
    return max(int(window_ms) + int(widest), 1)


def pairs_sql(
    acts: str,
    window_ms: int,
    bucket: int,
    *,
    posts: bool = True,
    where: str = "true",
    lone: bool = False,
) -> str:
    """SQL of every co-occurring pair of actions of two accounts on one target, once each.

    Columns: ``net, pl, kid, a, b, ra, rb, t_a, t_b, idf, dup`` (``ra``/``rb``: the actions' row
    ids; ``dup``: one of the two accounts acted more than once on the target), with ``posts``
    also ``post_a, post_b``, and with ``lone`` also ``lone``: the pair is the only one of its
    two accounts on the target (see below); always ``a < b`` (account nodes). ``acts`` must be
    a table (row ids); ``where`` filters its rows. Same-bucket pairs are taken with
    ``x.node < y.node``; next-bucket pairs in either node order and then oriented, so no pair is
    produced twice.

    ``lone``: an action is *close* when its account acted on the target again within
    ``2 * bucket`` (the nearest other action by time). A pair of actions of which at most one is
    ``dup`` and neither is close is alone for its two accounts on the target: an action ``y``
    co-occurring with two actions ``x1, x2`` of one account puts them at most
    ``2 * window + 2 * widest <= 2 * bucket`` apart; and when only one of the two accounts acted
    more than once, a second pair would need such a ``y``.
    """
    within = f"y.t - x.t <= {window_ms} + x.w AND x.t - y.t <= {window_ms} + y.w"
    swap = "x.node < y.node"

    def side(col: str, first: str) -> str:
        other = "y" if first == "x" else "x"
        return f"CASE WHEN {swap} THEN {first}.{col} ELSE {other}.{col} END"

    cols = [
        "x.net",
        "x.pl",
        "x.kid",
        f"{side('node', 'x')} AS a",
        f"{side('node', 'y')} AS b",
        f"{side('rid', 'x')} AS ra",
        f"{side('rid', 'y')} AS rb",
        f"{side('t', 'x')} AS t_a",
        f"{side('t', 'y')} AS t_b",
        "x.idf",
        "x.dup OR y.dup AS dup",
    ]
    if posts:
        cols += [f"{side('post_id', 'x')} AS post_a", f"{side('post_id', 'y')} AS post_b"]
    keep = "net, pl, kid, node, t, w, idf, dup, rowid AS rid" + (", post_id" if posts else "")
    window = ""
    if lone:
        cols.append("NOT (x.dup AND y.dup) AND NOT x.close AND NOT y.close AS lone")
        gap = 2 * int(bucket)
        keep += (
            f", dup AND (coalesce(t - lag(t) OVER w <= {gap}, false)"
            f" OR coalesce(lead(t) OVER w - t <= {gap}, false)) AS close"
        )
        window = " WINDOW w AS (PARTITION BY kid, node ORDER BY t)"
    select = ", ".join(cols)
    bucketed = f"(SELECT {keep}, t // {bucket} AS bk FROM {acts} WHERE {where}{window})"
    return f"""
        SELECT {select} FROM {bucketed} x JOIN {bucketed} y
          ON x.kid = y.kid AND x.bk = y.bk
        WHERE x.node < y.node AND {within}
        UNION ALL
        SELECT {select} FROM {bucketed} x JOIN {bucketed} y
          ON x.kid = y.kid AND x.bk + 1 = y.bk
        WHERE x.node <> y.node AND {within}
    """


def edges_sql(acts: str, window_ms: int, bucket: int, *, min_actions: int = 1) -> str:
    """SQL of the raw (unthresholded) edges with at least ``min_actions`` co-actions: one row per
    ``(net, pl, a, b)``.

    ``n_actions`` counts co-actions: per target, the smaller of the two accounts' numbers of
    matched actions (each reposts a post once, so one per reposted post); ``weight`` sums them
    times the target's IDF. A pair of two accounts that each acted once on the target (reposts,
    replies: nearly all) is one co-action and needs no distinct counts, and so is a ``lone``
    pair (see :func:`pairs_sql`); only the other pairs are grouped per target first, and only
    the groups in which both accounts matched several actions need distinct counts.
    """
    single = pairs_sql(acts, window_ms, bucket, posts=False, where="NOT dup")
    multi = pairs_sql(acts, window_ms, bucket, posts=False, where="multi", lone=True)
    # Aggregations are keyed by fixed-width integers, nothing carried in the key that another
    # column implies: per target by ``kid`` (which implies network, platform and IDF) and the
    # pair packed in a BIGINT; per edge by network and pair packed in one BIGINT (one key
    # column hashes twice as fast as two). The pair's platform follows from its nodes, which
    # are numbered per platform. build_actions checks that nodes fit in NODE_BITS.
    mask = (1 << NODE_BITS) - 1
    ab = f"(a::BIGINT << {NODE_BITS}) | b"
    key = f"(net::BIGINT << {2 * NODE_BITS}) | {ab}"
    return f"""
        WITH multi_pairs AS (SELECT * FROM ({multi}) WHERE dup),
        grouped_pairs AS MATERIALIZED (
            SELECT kid, {ab} AS ab, net, pl, idf, ra, rb, least(t_a, t_b) AS lo,
                   greatest(t_a, t_b) AS hi
            FROM multi_pairs WHERE NOT lone),
        per_target AS (
            -- One account matched a single action of the other (min = max): one co-action.
            SELECT kid, ab, any_value(net) AS net, any_value(pl) AS pl, any_value(idf) AS idf,
                   min(ra) = max(ra) OR min(rb) = max(rb) AS one,
                   min(lo) AS first_t, max(hi) AS last_t
            FROM grouped_pairs GROUP BY kid, ab),
        exact AS (
            SELECT kid, ab, least(count(DISTINCT ra), count(DISTINCT rb)) AS m
            FROM grouped_pairs d SEMI JOIN (SELECT kid, ab FROM per_target WHERE NOT one) g
              ON d.kid = g.kid AND d.ab = g.ab
            GROUP BY kid, ab),
        rows_ AS (
            SELECT {key} AS k, pl, 1 AS m, idf, least(t_a, t_b) AS first_t,
                   greatest(t_a, t_b) AS last_t
            FROM ({single})
            UNION ALL
            SELECT {key} AS k, pl, 1 AS m, idf, least(t_a, t_b) AS first_t,
                   greatest(t_a, t_b) AS last_t
            FROM multi_pairs WHERE lone
            UNION ALL
            SELECT (g.net::BIGINT << {2 * NODE_BITS}) | g.ab, g.pl, coalesce(e.m, 1), g.idf,
                   g.first_t, g.last_t
            FROM per_target g LEFT JOIN exact e ON g.kid = e.kid AND g.ab = e.ab)
        SELECT (k >> {2 * NODE_BITS})::TINYINT AS net, pl,
               ((k >> {NODE_BITS}) & {mask})::INTEGER AS a, (k & {mask})::INTEGER AS b, weight,
               n_actions, n_targets, first_t, last_t
        FROM (SELECT k, any_value(pl) AS pl, sum(m * idf) AS weight,
                     sum(m)::BIGINT AS n_actions, count(*)::BIGINT AS n_targets,
                     min(first_t) AS first_t, max(last_t) AS last_t
              FROM rows_ GROUP BY k
              HAVING sum(m) >= {int(min_actions)})
    """


def evidence_sql(acts: str, window_ms: int, bucket: int, kept: str) -> str:
    """SQL of the evidence sample of the edges in table ``kept`` (``net, pl, a, b``): up to
    :data:`EVIDENCE_SAMPLE` post-id pairs ``[post of a, post of b]``, one per target (its
    earliest pair), rarest targets first, as JSON text."""
    linked = f"node IN (SELECT a FROM {kept} UNION SELECT b FROM {kept})"
    # A pair's platform follows from its nodes, so the semi-join needs no ``pl``. Two accounts
    # that acted once each on a target (no ``dup``) have one pair there, which is its earliest:
    # only ``dup`` pairs are grouped per target, which spares a grouping of every pair row.
    earliest = "struct_pack(t := least(t_a, t_b), pa := post_a, pb := post_b)"
    return f"""
        WITH pairs AS (
            SELECT p.* FROM ({pairs_sql(acts, window_ms, bucket, where=linked)}) p
            SEMI JOIN {kept} k ON p.net = k.net AND p.a = k.a AND p.b = k.b),
        per_target AS (
            SELECT net, pl, a, b, kid, idf, least(t_a, t_b) AS first_t, post_a, post_b
            FROM pairs WHERE NOT dup
            UNION ALL
            SELECT net, pl, a, b, kid, any_value(idf), min(least(t_a, t_b)),
                   arg_min(post_a, {earliest}), arg_min(post_b, {earliest})
            FROM pairs WHERE dup GROUP BY net, pl, a, b, kid)
        SELECT net, pl, a, b,
               to_json(arg_min([post_a, post_b], struct_pack(i := -idf, t := first_t, k := kid),
                               {EVIDENCE_SAMPLE}))::VARCHAR AS evidence
        FROM per_target GROUP BY net, pl, a, b
    """


def shuffled_acts_sql(acts: str, seed: int) -> str:
    """The null model's actions: each account's post times (with their precision) permuted among
    its own posts, by a seeded hash; every action of a post takes the post's new time.

    Permuting over all of an account's posts, not per network, matters: an account that posts the
    same slogan twice has two actions on one target, and swapping their times would change
    nothing.
    """
    return f"""
        WITH ap AS (SELECT DISTINCT node, post_id, t, w FROM {acts}),
        r AS (
            SELECT *, row_number() OVER (PARTITION BY node ORDER BY t, post_id) AS i,
                      row_number() OVER (PARTITION BY node
                                         ORDER BY hash({int(seed)}, post_id), post_id) AS j
            FROM ap),
        perm AS (SELECT x.node, x.post_id, y.t, y.w FROM r x JOIN r y ON x.node = y.node AND x.j = y.i)
        SELECT a.net, a.pl, a.kid, a.node, a.post_id, perm.t, perm.w, a.idf, a.multi, a.dup
        FROM {acts} a JOIN perm USING (node, post_id)
    """


def drop_temp(con: duckdb.DuckDBPyConnection) -> None:
    for table in (NODES, ACTS, TARGETS, TEXTS, NTEXTS, "_fwc_raw", "_fwc_null_acts", "_fwc_sync_v"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
