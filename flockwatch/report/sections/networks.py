"""Networks: per cluster, the network picture, its score, who is in it, what it pushes, when."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from flockwatch.report.data import ReportData, as_dict
from flockwatch.report.figures import COLORS, base_layout, embed
from flockwatch.report.markup import anchor, esc, num, shorten, table, when
from flockwatch.report.network import backbone, cluster_edges, layout
from flockwatch.report.sections.base import Section

#: Edges drawn per network picture: each node's strongest few, and at most this many in all;
#: the rest only crowd the picture (they are in ``flockwatch export edges``).
MAX_EDGES_DRAWN = 15_000
EDGES_PER_NODE = 6
#: Edges whose evidence posts are shown per cluster.
EVIDENCE_EDGES = 5
#: Hashtags, mentions and domains listed per cluster.
TOP_TERMS = 10
#: A timeline bin is a spike when it is this many robust SDs above the median and 3x it.
SPIKE_K = 6.0
#: Figures in a cluster's details not shown as metrics (shown elsewhere, or parameters).
HIDDEN_METRICS = {"inauthenticity_score", "window_seconds"}
#: Members listed by name per cluster (core first).
MEMBERS_LISTED = 60


class NetworksSection(Section):
    id = "networks"
    title = "Networks"
    detector = "coordination"

    @property
    def section_id(self) -> str:
        return "networks" if self.detector == "coordination" else f"networks-{self.detector}"

    def applies(self, data: ReportData) -> bool:
        return not data.of(self.detector, "cluster").empty

    def render(self, data: ReportData) -> str:
        clusters = data.of(self.detector, "cluster").sort_values(
            ["score", "subject_id"], ascending=[False, True]
        )
        shown = clusters.head(data.options.top_clusters)
        rows = [
            [
                f'<td><a href="#{anchor("cluster", c.subject_id)}">{esc(c.subject_id)}</a></td>'
                if i < len(shown)
                else c.subject_id,
                f"<td class=num>{num(len(data.cluster_members(c)))}</td>",
                f'<td class="score" data-sort="{c.score:.4f}">{c.score:.2f}</td>',
                f'<td class="expl">{esc(shorten(c.explanation, 260))}</td>',
            ]
            for i, c in enumerate(clusters.itertuples(index=False))
        ]
        intro = (
            f"<p>{num(len(clusters))} clusters of accounts that act together were found; the "
            f"top {num(len(shown))} by inauthenticity score are shown in detail. A high score "
            "means the group looks like an operation (new accounts created together, amplifying "
            "each other's posts, one client, one message); genuine crowds such as fans score "
            "low. Nodes are accounts, coloured by role (<span class='role core'>core</span>: "
            "originators the cluster amplifies; <span class='role amplifier'>amplifier</span>: "
            "mostly reposts of core content) and sized by their number of posts.</p>"
        )
        summary = table(
            ["cluster", "members", "score", "explanation"],
            rows,
            table_id="clusters-table",
            sortable=True,
            numeric=["members", "score"],
        )
        return intro + summary + "".join(_cluster(data, c) for c in shown.itertuples(index=False))


def _cluster(data: ReportData, c: Any) -> str:
    members = data.cluster_members(c)
    ids = [m for m, _ in members]
    roles = {m: (r or "member") for m, r in members}
    details = as_dict(c.details)
    stats = _member_stats(data, c.platform, ids)
    edges, edge_source = cluster_edges(data.store, c, ids)
    n_core = sum(1 for r in roles.values() if r == "core")
    n_amp = sum(1 for r in roles.values() if r == "amplifier")
    head = (
        f'<h3><span class="score-badge">{c.score:.2f}</span> Cluster {esc(c.subject_id)} '
        f'<span class="muted">{num(len(ids))} accounts · {num(n_core)} core · '
        f"{num(n_amp)} amplifiers · {esc(c.platform)}</span></h3>"
        f'<p class="explanation">{esc(c.explanation)}</p>'
    )
    metrics = _metrics(details)
    picture = _network_figure(data, c, ids, roles, stats, edges)
    note = (
        f'<p class="muted small">{num(len(edges))} edges from {esc(edge_source)}'
        + f"; drawn: each account's {EDGES_PER_NODE} strongest links"
        + ". Layout: force-directed on those links, seeded (the same data gives the same "
        "picture). Drag to pan, scroll to zoom, hover a node for the account.</p>"
    )
    figs = [_creation_histogram(stats), _timeline(data, c, ids, details)]
    terms = _terms(data, c.platform, ids, details)
    evidence = _edge_evidence(data, c, edges)
    member_list = _members(data, c.platform, members, stats)
    return (
        f'<article class="cluster" id="{anchor("cluster", c.subject_id)}">{head}{metrics}'
        f"{picture}{note}"
        f'<div class="two">{"".join(f"<div>{f}</div>" for f in figs if f)}</div>'
        f"{terms}{evidence}{member_list}</article>"
    )


def _metrics(details: dict[str, Any]) -> str:
    metrics = as_dict(details.get("metrics")) or {
        k: v
        for k, v in details.items()
        if isinstance(v, int | float) and not isinstance(v, bool) and k not in HIDDEN_METRICS
    }
    cells = []
    for k, v in metrics.items():
        if isinstance(v, bool) or not isinstance(v, int | float | str):
            continue
        if isinstance(v, float):
            shown = f"{v:.3g}" if abs(v) < 1000 else f"{v:,.0f}"
        else:
            shown = num(v) if isinstance(v, int) else str(v)
        cells.append(
            f'<div class="metric"><div class="v">{esc(shown)}</div>'
            f'<div class="k">{esc(k.replace("_", " "))}</div></div>'
        )
    signals = {
        k: v
        for k, v in as_dict(details.get("signals")).items()
        if isinstance(v, int | float) and not isinstance(v, bool)
    }
    drivers = "".join(
        f'<div class="metric signal"><div class="v">{v:.2f}</div>'
        f'<div class="k">{esc(k.replace("_", " "))}</div></div>'
        for k, v in sorted(signals.items(), key=lambda kv: -kv[1])
    )
    return (f'<div class="metrics">{"".join(cells)}</div>' if cells else "") + (
        '<p class="muted small">Signals behind the inauthenticity score (0 = like genuine '
        f'users, 1 = like an operation):</p><div class="metrics">{drivers}</div>'
        if drivers
        else ""
    )


def _member_stats(data: ReportData, platform: str, ids: list[str]) -> pd.DataFrame:
    return (
        data.con.execute(
            """
        WITH m AS (SELECT unnest($ids::VARCHAR[]) AS account_id)
        SELECT m.account_id, a.screen_name, a.created_at, coalesce(p.n, 0) AS posts
        FROM m
        LEFT JOIN accounts a ON a.account_id = m.account_id
             AND ($platform = '' OR a.platform = $platform)
        LEFT JOIN (SELECT account_id, count(*) AS n FROM posts
                   WHERE ($platform = '' OR platform = $platform) AND account_id IN (SELECT account_id FROM m)
                   GROUP BY 1) p ON p.account_id = m.account_id
        """,
            {"ids": ids, "platform": platform or ""},
        )
        .df()
        .drop_duplicates("account_id")
    )


def _network_figure(
    data: ReportData,
    c: Any,
    ids: list[str],
    roles: dict[str, str],
    stats: pd.DataFrame,
    edges: pd.DataFrame,
) -> str:
    drawn = backbone(edges, EDGES_PER_NODE, MAX_EDGES_DRAWN)
    pos = layout(ids, drawn, seed=data.options.seed)
    if not pos:
        return ""
    posts = dict(zip(stats["account_id"], stats["posts"], strict=True))
    names = dict(zip(stats["account_id"], stats["screen_name"], strict=True))
    bot = data.of("bot_score", "account")
    bot_scores = dict(zip(bot["subject_id"], bot["score"], strict=True)) if len(bot) else {}
    biggest = max([posts.get(i, 0) for i in ids] + [1])
    # Big clusters get smaller dots, or a thousand nodes cover each other.
    shrink = min(1.0, math.sqrt(250 / max(len(ids), 1)))
    ex, ey = [], []
    for a, b in zip(drawn["account_a"], drawn["account_b"], strict=True):
        if a in pos and b in pos:
            ex += [pos[a][0], pos[b][0], None]
            ey += [pos[a][1], pos[b][1], None]
    fig = go.Figure()
    fig.add_trace(
        go.Scattergl(
            x=ex,
            y=ey,
            mode="lines",
            hoverinfo="skip",
            name="edges",
            line={"width": 0.5, "color": "rgba(120,120,120,0.35)"},
        )
    )
    for role in ("member", "amplifier", "core"):
        nodes = [i for i in ids if roles.get(i, "member") == role]
        if not nodes:
            continue
        hover = [
            esc(
                f"{'@' + names[i] if isinstance(names.get(i), str) else i} · {role} · "
                f"{posts.get(i, 0)} posts"
                + (f" · bot score {bot_scores[i]:.2f}" if i in bot_scores else "")
            )
            for i in nodes
        ]
        fig.add_trace(
            go.Scattergl(
                x=[pos[i][0] for i in nodes],
                y=[pos[i][1] for i in nodes],
                mode="markers",
                name=role,
                text=hover,
                hoverinfo="text",
                marker={
                    "size": [
                        max(3.0, (5 + 13 * math.sqrt(posts.get(i, 0) / biggest)) * shrink)
                        for i in nodes
                    ],
                    "color": COLORS.get(role, COLORS["member"]),
                    "line": {"width": 0.5, "color": "white"},
                    "opacity": 0.9,
                },
            )
        )
    base_layout(fig, height=460, title=f"Network of cluster {c.subject_id}")
    fig.update_layout(showlegend=True, legend={"orientation": "h", "y": -0.02}, dragmode="pan")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    return embed(fig, cls="network")


def _creation_histogram(stats: pd.DataFrame) -> str:
    created = pd.to_datetime(stats["created_at"]).dropna()
    if created.empty:
        return ""
    fig = go.Figure(
        go.Histogram(
            x=created, marker_color=COLORS["bar"], nbinsx=min(60, max(10, len(created) // 3))
        )
    )
    base_layout(fig, height=240, title="Members' account creation dates")
    fig.update_yaxes(title_text="accounts")
    return embed(fig)


def _timeline(data: ReportData, c: Any, ids: list[str], details: dict[str, Any]) -> str:
    listed = _listed_timeline(details)
    if listed is not None:
        times, counts, spikes = listed
    else:
        frame = data.con.execute(
            "WITH m AS (SELECT unnest($ids::VARCHAR[]) AS account_id) "
            "SELECT min(created_at) AS a, max(created_at) AS b FROM posts SEMI JOIN m USING (account_id) "
            "WHERE ($platform = '' OR platform = $platform)",
            {"ids": ids, "platform": c.platform or ""},
        ).fetchone()
        if frame[0] is None:
            return ""
        span_h = (pd.Timestamp(frame[1]) - pd.Timestamp(frame[0])).total_seconds() / 3600
        unit = "10 minutes" if span_h <= 72 else "1 hour" if span_h <= 24 * 45 else "1 day"
        series = data.con.execute(
            f"WITH m AS (SELECT unnest($ids::VARCHAR[]) AS account_id) "
            f"SELECT time_bucket(INTERVAL '{unit}', created_at) AS t, count(*) AS n "
            "FROM posts SEMI JOIN m USING (account_id) "
            "WHERE created_at IS NOT NULL AND ($platform = '' OR platform = $platform) "
            "GROUP BY 1 ORDER BY 1",
            {"ids": ids, "platform": c.platform or ""},
        ).df()
        times, counts = list(series["t"]), [int(n) for n in series["n"]]
        spikes = _spikes(counts)
    if not times:
        return ""
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=times, y=counts, mode="lines", line={"width": 1, "color": COLORS["all"]}, name="posts"
        )
    )
    sx = [t for t, s in zip(times, spikes, strict=True) if s]
    sy = [n for n, s in zip(counts, spikes, strict=True) if s]
    if sx:
        fig.add_trace(
            go.Scatter(
                x=sx,
                y=sy,
                mode="markers",
                name="spike",
                marker={"color": COLORS["spike"], "size": 7},
            )
        )
    base_layout(
        fig, height=240, title=f"Members' posts over time (UTC){'; spikes in red' if sx else ''}"
    )
    return embed(fig)


def _listed_timeline(details: dict[str, Any]) -> tuple[list, list, list] | None:
    """The timeline the detector computed, in either shape it may come in:
    ``{"unit": "hour"|"day", "bins": [[t, n], ...], "spikes": [[t, n], ...]}`` (empty bins
    left out: filled with zeros here) or ``[{"t": ..., "n": ..., "spike": bool}, ...]``."""
    campaign = as_dict(details.get("campaign"))
    raw = campaign.get("timeline", details.get("timeline"))
    if isinstance(raw, dict) and isinstance(raw.get("bins"), list) and raw["bins"]:
        try:
            series = pd.Series(
                {pd.Timestamp(t): float(n) for t, n in raw["bins"]}, dtype=float
            ).sort_index()
            spike_at = {pd.Timestamp(t) for t, _ in raw.get("spikes") or []}
        except (TypeError, ValueError):
            return None
        freq = "D" if raw.get("unit") == "day" else "h"
        if len(series) > 1:
            series = series.resample(freq).sum()
        times = list(series.index)
        return times, [float(n) for n in series], [t in spike_at for t in times]
    if not isinstance(raw, list) or not raw:
        return None
    times, counts, spikes = [], [], []
    for row in raw:
        if not isinstance(row, dict):
            continue
        t = next((row[k] for k in ("t", "time", "bin", "start", "day", "hour") if k in row), None)
        n = next((row[k] for k in ("n", "count", "posts", "actions") if k in row), None)
        if t is None or not isinstance(n, int | float):
            continue
        times.append(t)
        counts.append(n)
        spikes.append(bool(row.get("spike") or row.get("is_spike")))
    if not times:
        return None
    if not any(spikes):
        spikes = _spikes(counts)
    return times, counts, spikes


def _spikes(counts: list[float]) -> list[bool]:
    if len(counts) < 5:
        return [False] * len(counts)
    arr = np.asarray(counts, dtype=float)
    med = float(np.median(arr))
    mad = float(np.median(np.abs(arr - med))) * 1.4826
    limit = max(med + SPIKE_K * max(mad, math.sqrt(max(med, 1.0))), 3 * max(med, 1.0))
    return [bool(x > limit) for x in arr]


_TERM_SQL = {
    "hashtags": "unnest(hashtags)",
    "mentions": "unnest(mentions)",
    "domains": "regexp_extract(lower(unnest(urls)), '^(?:[a-z]+://)?(?:www\\.)?([^/:?#]+)', 1)",
}


def _terms(data: ReportData, platform: str, ids: list[str], details: dict[str, Any]) -> str:
    campaign = as_dict(details.get("campaign"))
    blocks = []
    for kind in ("hashtags", "mentions", "domains"):
        listed = _listed_terms(campaign.get(kind, details.get(kind, details.get(f"top_{kind}"))))
        rows = listed if listed is not None else _computed_terms(data, platform, ids, kind)
        if not rows:
            continue
        top = max(r[1] for r in rows) or 1
        prefix = {"hashtags": "#", "mentions": "@", "domains": ""}[kind]
        body = "".join(
            f"<tr><td>{esc(prefix + str(term).lstrip(prefix))}</td>"
            f'<td class="num"><span class="tbar" style="width:{max(2, round(50 * n / top))}px">'
            f"</span>{num(n)}</td><td class=num>{'' if lift is None else f'{lift:.1f}x'}</td></tr>"
            for term, n, lift in rows[:TOP_TERMS]
        )
        blocks.append(
            f'<div><table class="terms"><caption>{kind.capitalize()} it pushes</caption>'
            f"<thead><tr><th>{kind[:-1]}</th><th class=num>uses</th><th class=num>lift</th></tr>"
            f"</thead><tbody>{body}</tbody></table></div>"
        )
    if not blocks:
        return ""
    return (
        '<div class="three">' + "".join(blocks) + "</div>"
        '<p class="muted small">Lift: how much more often the cluster uses a term than the rest '
        "of the data does (share of its posts over share of all posts).</p>"
    )


def _listed_terms(raw: Any) -> list[tuple[str, float, float | None]] | None:
    if not isinstance(raw, list) or not raw:
        return None
    out = []
    for item in raw:
        if isinstance(item, str):
            out.append((item, 0, None))
        elif isinstance(item, dict):
            term = next(
                (
                    item[k]
                    for k in (
                        "item",
                        "tag",
                        "hashtag",
                        "mention",
                        "domain",
                        "term",
                        "value",
                        "name",
                    )
                    if k in item
                ),
                None,
            )
            n = next((item[k] for k in ("n", "count", "posts", "uses") if k in item), 0)
            lift = item.get("lift")
            if term is not None:
                out.append(
                    (
                        str(term),
                        float(n or 0),
                        float(lift) if isinstance(lift, int | float) else None,
                    )
                )
        elif isinstance(item, list | tuple) and item:
            out.append((str(item[0]), float(item[1]) if len(item) > 1 else 0, None))
    return out or None


def _computed_terms(
    data: ReportData, platform: str, ids: list[str], kind: str
) -> list[tuple[str, float, float | None]]:
    expr = _TERM_SQL[kind]
    rows = data.con.execute(
        f"""
        WITH m AS (SELECT unnest($ids::VARCHAR[]) AS account_id),
        p AS (SELECT platform, account_id, {expr} AS term FROM posts
              WHERE ($platform = '' OR platform = $platform)),
        inside AS (SELECT term, count(*) AS n FROM p SEMI JOIN m USING (account_id)
                   WHERE term IS NOT NULL AND term <> '' GROUP BY 1),
        total AS (SELECT term, count(*) AS n FROM p WHERE term IS NOT NULL AND term <> '' GROUP BY 1),
        sizes AS (
            SELECT (SELECT count(*) FROM posts SEMI JOIN m USING (account_id)
                    WHERE ($platform = '' OR platform = $platform)) AS n_in,
                   (SELECT count(*) FROM posts WHERE ($platform = '' OR platform = $platform)) AS n_all)
        SELECT i.term, i.n, (i.n / n_in) / (t.n / n_all) AS lift
        FROM inside i JOIN total t USING (term), sizes
        ORDER BY i.n DESC, i.term LIMIT {TOP_TERMS}
        """,
        {"ids": ids, "platform": platform or ""},
    ).fetchall()
    return [(str(t), float(n), float(lift) if lift is not None else None) for t, n, lift in rows]


def _edge_evidence(data: ReportData, c: Any, edges: pd.DataFrame) -> str:
    strongest = edges.head(EVIDENCE_EDGES)
    wanted = [p for pairs in strongest["evidence"] for pair in pairs[:1] for p in pair]
    posts = data.posts(wanted, c.platform)
    by_id = {r["post_id"]: r for r in posts.to_dict("records")}
    items = []
    for e in strongest.itertuples(index=False):
        pair = e.evidence[0] if e.evidence else None
        if not pair:
            continue
        shown = [by_id.get(p) for p in pair]
        if not all(shown):
            continue
        cells = "".join(
            f'<div class="post"><div class="muted small">'
            f"{data.account_link(c.platform, str(p['account_id']), data.name_of(c.platform, str(p['account_id'])))}"
            f" · {esc(when(p['created_at'], seconds=True))} · {esc(p.get('kind') or 'post')} · "
            f"post {esc(p['post_id'])}</div>{esc(shorten(p.get('text'), 300))}</div>"
            for p in shown
        )
        gap = abs(
            (
                pd.Timestamp(shown[0]["created_at"]) - pd.Timestamp(shown[1]["created_at"])
            ).total_seconds()
        )
        items.append(
            f'<div class="edge"><div class="muted small">edge weight {e.weight:.3g}'
            + (f" · {esc(e.network)}" if e.network else "")
            + (
                f" · {num(e.n_actions)} co-actions"
                if e.n_actions is not None and not pd.isna(e.n_actions)
                else ""
            )
            + f" · {gap:.0f} s apart</div><div class='pair'>{cells}</div></div>"
        )
    if not items:
        return ""
    return "<h4>Evidence behind the strongest links</h4>" + "".join(items)


def _members(
    data: ReportData, platform: str, members: list[tuple[str, str | None]], stats: pd.DataFrame
) -> str:
    order = {"core": 0, "amplifier": 1}
    ranked = sorted(members, key=lambda m: (order.get(m[1] or "", 2), m[0]))
    shown = ranked[:MEMBERS_LISTED]
    links = ", ".join(
        f"{data.account_link(platform, m, data.name_of(platform, m))}"
        + (f' <span class="role {esc(r)}">{esc(r)}</span>' if r else "")
        for m, r in shown
    )
    more = f" and {num(len(members) - len(shown))} more" if len(members) > len(shown) else ""
    return f'<p class="members"><b>Members:</b> {links}{more}.</p>'
