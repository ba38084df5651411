"""Overview: what data the report covers, what was run on it, and the headline findings."""

from __future__ import annotations

import json
from pathlib import Path

import plotly.graph_objects as go

from flockwatch.report.data import ReportData
from flockwatch.report.figures import COLORS, base_layout, embed
from flockwatch.report.markup import esc, num, shorten, table, when
from flockwatch.report.sections.base import Section
from flockwatch.store.db import BOOKKEEPING_TABLES, CANONICAL_TABLES
from flockwatch.store.queries import status


class OverviewSection(Section):
    id = "overview"
    title = "Overview"

    def applies(self, data: ReportData) -> bool:
        return True

    def render(self, data: ReportData) -> str:
        return "".join(
            [
                _cards(data),
                "<h3>Headline findings</h3>",
                _headlines(data),
                _posts_per_day(data),
                "<h3>Data covered</h3>",
                _data_covered(data),
                "<h3>What was run</h3>",
                _runs(data),
            ]
        )


def _cards(data: ReportData) -> str:
    n_accounts = data.store.count("accounts")
    n_posts = data.store.count("posts")
    clusters = data.flagged(data.clusters)
    cards = [
        ("accounts", num(n_accounts)),
        ("posts", num(n_posts)),
        ("flagged accounts", num(len(data.suspects))),
        ("flagged clusters", num(len(clusters))),
        ("detectors run", num(len(data.runs))),
    ]
    return (
        '<div class="cards">'
        + "".join(
            f'<div class="card"><div class="v">{v}</div><div class="k">{esc(k)}</div></div>'
            for k, v in cards
        )
        + "</div>"
    )


def _headlines(data: ReportData) -> str:
    if data.findings.empty:
        return (
            '<p class="empty">No findings: no detector has run on this store yet, or none '
            "found anything. Run <code>flockwatch detect</code>, then make the report again.</p>"
        )
    items = []
    for detector in data.detectors_with_findings():
        frame = data.of(detector)
        flagged = data.flagged(frame)
        kinds = ", ".join(
            f"{num(n)} {esc(_plural(k, n))}"
            for k, n in flagged["subject_kind"].value_counts().items()
        )
        lead = (
            f"<b>{esc(detector)}</b>: {num(len(frame))} findings, "
            f"{num(len(flagged))} at or above its flag score {data.flag_score(detector):.2f}"
            + (f" ({kinds})" if kinds else "")
        )
        tops = data.headlines(detector)
        sub = "".join(
            f"<li>{_subject(data, f)} <span class=muted>score {f.score:.2f}</span>: "
            f"{esc(shorten(f.explanation, 300))}</li>"
            for f in tops.itertuples(index=False)
        )
        items.append(f"<li>{lead}" + (f"<ul>{sub}</ul>" if sub else "") + "</li>")
    return f'<ul class="headlines">{"".join(items)}</ul>'


def _plural(noun: str, n: int) -> str:
    return noun if n == 1 or noun.endswith("s") else noun + "s"


def _subject(data: ReportData, f) -> str:
    if f.subject_kind == "account":
        return data.account_link(f.platform, f.subject_id, data.name_of(f.platform, f.subject_id))
    if f.subject_kind == "cluster" and f.detector == "coordination":
        from flockwatch.report.markup import anchor

        return f'<a href="#{anchor("cluster", f.subject_id)}">cluster {esc(f.subject_id)}</a>'
    return f"{esc(f.subject_kind)} {esc(f.subject_id)}"


def _posts_per_day(data: ReportData) -> str:
    rows = data.con.execute(
        "SELECT CAST(created_at AS DATE) AS day, count(*) AS n FROM posts "
        "WHERE created_at IS NOT NULL GROUP BY 1 ORDER BY 1"
    ).df()
    if rows.empty:
        return ""
    keys = [a.key for a in data.suspects]
    flagged = data.con.execute(
        "SELECT CAST(p.created_at AS DATE) AS day, count(*) AS n FROM posts p "
        "JOIN (SELECT unnest($p::VARCHAR[]) AS platform, unnest($a::VARCHAR[]) AS account_id) w "
        "USING (platform, account_id) WHERE p.created_at IS NOT NULL GROUP BY 1 ORDER BY 1",
        {"p": [k[0] for k in keys], "a": [k[1] for k in keys]},
    ).df()
    fig = go.Figure()
    fig.add_bar(x=rows["day"], y=rows["n"], name="all accounts", marker_color=COLORS["all"])
    if not flagged.empty:
        fig.add_bar(
            x=flagged["day"],
            y=flagged["n"],
            name="flagged accounts",
            marker_color=COLORS["flagged"],
        )
    base_layout(fig, height=240, title="Posts per day (UTC): all accounts and flagged accounts")
    fig.update_layout(barmode="overlay", showlegend=True, legend={"orientation": "h", "y": 1.12})
    fig.update_traces(opacity=0.85)
    return embed(fig)


def _data_covered(data: ReportData) -> str:
    s = status(data.store, last_ingests=10_000)
    left = []
    if s.platforms:
        left.append(
            "<h4>Platforms</h4>"
            + table(
                ["platform", "accounts", "posts", "follows", "reports", "groups"],
                [
                    [p["platform"], *(f"<td class=num>{num(p[k])}</td>" for k in list(p)[1:])]
                    for p in s.platforms
                ],
                numeric=["accounts", "posts", "follows", "reports", "groups"],
            )
        )
    ranges = data.con.execute(
        "SELECT (SELECT min(created_at) FROM posts), (SELECT max(created_at) FROM posts), "
        "(SELECT min(observed_at) FROM account_snapshots), "
        "(SELECT max(observed_at) FROM account_snapshots), "
        "(SELECT min(created_at) FROM accounts), (SELECT max(created_at) FROM accounts)"
    ).fetchone()
    spans = []
    for label, a, b in (
        ("Posts", ranges[0], ranges[1]),
        ("Account snapshots", ranges[2], ranges[3]),
        ("Accounts created", ranges[4], ranges[5]),
    ):
        if a is not None:
            spans.append(f"<li>{label}: {when(a)} to {when(b)} UTC</li>")
    if spans:
        left.append(f"<h4>Time range</h4><ul>{''.join(spans)}</ul>")
    counts = [
        [t, f"<td class=num>{num(n)}</td>"]
        for t, n in s.rows.items()
        if t in (*CANONICAL_TABLES, *BOOKKEEPING_TABLES, "findings", "detector_runs")
    ]
    right = "<h4>Rows per table</h4>" + table(["table", "rows"], counts, numeric=["rows"])
    files = data.con.execute(
        "SELECT ingest_id, path, format, sha256, size_bytes, rows_read, rows_stored, "
        "rows_rejected, finished_at FROM ingests ORDER BY ingest_id"
    ).fetchall()
    rows = [
        [
            f"<td class=num>{i}</td>",
            f'<td title="{esc(path)}">{esc(Path(path or "").name or path)}</td>',
            fmt or "",
            f'<td class="hash">{esc(sha)}</td>',
            f"<td class=num>{num(size)}</td>",
            f"<td class=num>{num(read)}</td>",
            f"<td class=num>{num(stored)}</td>",
            f"<td class=num>{num(rejected)}</td>",
            when(done),
        ]
        for i, path, fmt, sha, size, read, stored, rejected, done in files
    ]
    headers = ["id", "file", "format", "SHA-256", "bytes", "read", "stored", "rejected", "at (UTC)"]
    files_html = (
        table(headers, rows, cls="files", numeric=["id", "bytes", "read", "stored", "rejected"])
        if rows
        else '<p class="empty">No ingest recorded.</p>'
    )
    return (
        f'<div class="two"><div>{"".join(left)}</div><div>{right}</div></div>'
        "<h4>Files read (SHA-256 of the bytes as received, before parsing)</h4>" + files_html
    )


def _runs(data: ReportData) -> str:
    if not data.runs:
        return '<p class="empty">No detector has run on this store.</p>'
    rows = []
    for r in data.runs:
        frame = data.of(r["detector"])
        params = ", ".join(
            f"{k}={json.dumps(v, default=str)}" for k, v in sorted(r["params"].items())
        )
        rows.append(
            [
                f"<td><b>{esc(r['detector'])}</b></td>",
                r["version"],
                r["run_id"],
                when(r["finished_at"], seconds=True),
                f"<td class=num>{num(r['n_findings'])}</td>",
                f"<td class=num>{num(len(data.flagged(frame)))}</td>",
                f'<td class="params">{esc(params)}</td>',
            ]
        )
    return table(
        ["detector", "version", "run", "finished (UTC)", "findings", "flagged", "parameters"],
        rows,
        numeric=["findings", "flagged"],
    ) + (
        '<p class="muted">Each detector\'s latest successful run is reported. The input hash '
        "of every run (ingests and row counts) is in the store's <code>detector_runs</code> table.</p>"
    )
