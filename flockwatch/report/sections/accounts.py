"""Suspicious accounts: a sortable, filterable table and a panel for each of the top accounts."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import pandas as pd

from flockwatch.report import svg
from flockwatch.report.data import Account, ReportData, as_dict, as_list
from flockwatch.report.markup import anchor, esc, kv, num, score_cell, shorten, table, when
from flockwatch.report.sections.base import Section

#: Evidence posts shown per finding in a panel (the finding lists them all).
POSTS_PER_FINDING = 5
#: Most bars in a daily-activity chart; longer spans are binned into several days per bar.
MAX_BARS = 120
#: Rows of the accounts table; beyond, the exports (accounts, takedown) have them all.
MAX_TABLE_ROWS = 10_000
#: Feature contributions shown for a score explained by them (bot_score).
CONTRIBUTIONS_SHOWN = 6


class AccountsSection(Section):
    id = "accounts"
    title = "Suspicious accounts"

    def applies(self, data: ReportData) -> bool:
        return bool(data.suspects)

    def render(self, data: ReportData) -> str:
        suspects = data.suspects
        panels = data.panel_accounts
        n_panels = len(panels)
        intro = (
            f"<p>{num(len(suspects))} accounts are flagged: a finding about the account, or a "
            "flagged group it belongs to (a cluster, a creation burst), scored at or above its "
            "detector's flag score. <b>Score</b> is the highest such score, and the explanation is "
            "the finding behind it. "
            + (
                f"Panels with profile, timelines and evidence follow for {num(n_panels)} "
                f"accounts (the top {num(data.options.top_accounts)} by score and those named in "
                f"the overview); the other {num(len(suspects) - n_panels)} are in the table "
                "only, to keep this file small (make the report with "
                "<code>--top-accounts N</code> for more panels)."
                if n_panels < len(suspects)
                else "Every flagged account has a panel below the table."
            )
            + " Click a column header to sort; type to filter.</p>"
        )
        return intro + _table(data, suspects) + _panels(data, panels)


def _table(data: ReportData, suspects: list[Account]) -> str:
    names = data.screen_names
    rows = []
    for a in suspects[:MAX_TABLE_ROWS]:
        name = names.get(a.key)
        label = f"@{name}" if name else a.account_id
        link = data.account_link(a.platform, a.account_id, label)
        rows.append(
            [
                f'<td data-sort="{esc(label.lower())}">{link}'
                + (f'<div class="muted small">{esc(a.account_id)}</div>' if name else "")
                + "</td>",
                a.platform,
                score_cell(a.score),
                score_cell(a.bot_score),
                f'<td class="expl">{esc(shorten(a.explanation, 240))}</td>',
                a.cluster or "",
                f'<td><span class="role {esc(a.role or "")}">{esc(a.role or "")}</span></td>',
                f'<td class="flags">{"<br>".join(esc(f) for f in a.flags)}</td>',
            ]
        )
    controls = (
        '<div class="controls" data-for="accounts-table">'
        '<label>Filter <input type="search" class="filter-text" placeholder="name, id, text, flag">'
        "</label>"
        '<label>Min score <input type="number" class="filter-min" min="0" max="1" step="0.05" '
        'value="0" data-col="2"></label>'
        '<span class="filter-count"></span></div>'
    )
    cut = (
        f'<p class="muted">The table lists the {num(MAX_TABLE_ROWS)} highest of '
        f"{num(len(suspects))} flagged accounts; <code>flockwatch export takedown</code> and "
        "<code>flockwatch export accounts</code> have them all.</p>"
        if len(suspects) > MAX_TABLE_ROWS
        else ""
    )
    return (
        cut
        + controls
        + table(
            [
                "account",
                "platform",
                "score",
                "bot score",
                "explanation",
                "cluster",
                "role",
                "flags",
            ],
            rows,
            cls="accounts",
            table_id="accounts-table",
            sortable=True,
            numeric=["score", "bot score"],
        )
    )


# -- panels ------------------------------------------------------------------------------------
def _panels(data: ReportData, accounts: list[Account]) -> str:
    if not accounts:
        return ""
    keys = pd.DataFrame(
        {"platform": [a.platform for a in accounts], "account_id": [a.account_id for a in accounts]}
    )
    con = data.con
    con.register("_report_keys", keys)
    try:
        profiles = con.execute(
            "SELECT a.* EXCLUDE (extra, ingest_id) FROM accounts a "
            "JOIN _report_keys USING (platform, account_id)"
        ).df()
        daily = con.execute(
            "SELECT platform, account_id, CAST(created_at AS DATE) AS day, count(*) AS n "
            "FROM posts JOIN _report_keys USING (platform, account_id) "
            "WHERE created_at IS NOT NULL GROUP BY ALL"
        ).df()
        hourly = con.execute(
            "SELECT platform, account_id, hour(created_at) AS h, count(*) AS n "
            "FROM posts JOIN _report_keys USING (platform, account_id) "
            "WHERE created_at IS NOT NULL GROUP BY ALL"
        ).df()
        snaps = con.execute(
            "SELECT platform, account_id, observed_at, followers_count, following_count, "
            "posts_count FROM account_snapshots JOIN _report_keys USING (platform, account_id) "
            "ORDER BY observed_at"
        ).df()
    finally:
        con.unregister("_report_keys")
    by_key = {(r["platform"], r["account_id"]): r for r in profiles.to_dict("records")}
    daily_by = _group(daily)
    hourly_by = _group(hourly)
    snaps_by = _group(snaps)
    about = _findings_about(data, {a.key for a in accounts})
    wanted_posts = []
    for rows in about.values():
        for f in rows:
            wanted_posts += [str(p) for p in as_list(f.evidence.get("posts"))[:POSTS_PER_FINDING]]
    posts = data.posts(wanted_posts)
    data.load_contributions([f for rows in about.values() for f in rows])
    post_by_id = {(r["platform"], r["post_id"]): r for r in posts.to_dict("records")}
    out = ['<div class="panels">']
    for a in accounts:
        out.append(
            _panel(
                data,
                a,
                by_key.get(a.key, {}),
                daily_by.get(a.key),
                hourly_by.get(a.key),
                snaps_by.get(a.key),
                about.get(a.key, []),
                post_by_id,
            )
        )
    out.append("</div>")
    return "".join(out)


def _group(frame: pd.DataFrame) -> dict[tuple[str, str], pd.DataFrame]:
    if frame.empty:
        return {}
    return {k: g for k, g in frame.groupby(["platform", "account_id"], sort=False)}


def _findings_about(data: ReportData, keys: set[tuple[str, str]]) -> dict[tuple[str, str], list]:
    """Findings about each account: its own, and group findings (clusters, cohorts) naming it."""
    out: dict[tuple[str, str], list] = defaultdict(list)
    f_all = data.findings
    for f in f_all[f_all["subject_kind"] == "account"].itertuples(index=False):
        if (f.platform, f.subject_id) in keys:
            out[(f.platform, f.subject_id)].append(f)
    groups = data.flagged(f_all[f_all["subject_kind"] != "account"])
    for f in groups.itertuples(index=False):
        if f.subject_kind == "cluster":
            members = [m for m, _ in data.cluster_members(f)]
        else:
            members = [str(m) for m in as_list(f.evidence.get("accounts"))]
        for m in members:
            if (f.platform, m) in keys:
                out[(f.platform, m)].append(f)
    for rows in out.values():
        rows.sort(key=lambda f: -f.score)
    return out


def _panel(
    data: ReportData,
    a: Account,
    profile: dict[str, Any],
    daily: pd.DataFrame | None,
    hourly: pd.DataFrame | None,
    snaps: pd.DataFrame | None,
    findings: list,
    posts: dict,
) -> str:
    name = profile.get("screen_name")
    title = f"@{name}" if name else a.account_id
    leaps = [
        j
        for f in findings
        if f.detector == "activity" and f.subject_kind == "account"
        for j in as_list(f.details.get("jumps"))
        if isinstance(j, dict)
    ]
    head = (
        f'<h3><span class="score-badge">{a.score:.2f}</span> {esc(title)} '
        f'<span class="muted">{esc(profile.get("display_name") or "")}</span></h3>'
        f'<p class="muted small">{esc(a.platform)} account {esc(a.account_id)}'
        + (f" · cluster {esc(a.cluster)}" if a.cluster else "")
        + (f' · <span class="role {esc(a.role)}">{esc(a.role)}</span>' if a.role else "")
        + ' · <a href="#accounts-table" class="back">back to table</a></p>'
    )
    bio = profile.get("description")
    prof = (f'<blockquote class="bio">{esc(bio)}</blockquote>' if bio else "") + kv(
        [
            ("created", when(profile.get("created_at"))),
            ("followers", num(profile.get("followers_count"))),
            ("following", num(profile.get("following_count"))),
            ("posts", num(profile.get("posts_count"))),
            ("location", profile.get("location")),
            ("url", profile.get("url")),  # text, never a link: the report loads nothing
            ("language", profile.get("lang")),
            ("verified", _yes(profile.get("verified"))),
            ("default image", _yes(profile.get("default_profile_image"))),
            (
                "seen",
                f"{when(profile.get('first_seen_at'))} to {when(profile.get('last_seen_at'))}"
                if profile.get("first_seen_at") is not None
                else "",
            ),
        ]
    )
    charts = (
        "".join(
            c
            for c in (
                _daily_chart(daily, leaps),
                _hour_chart(hourly),
                *_count_charts(snaps, leaps),
            )
            if c
        )
        or '<p class="empty">No posts or snapshots for this account.</p>'
    )
    body = "".join(_finding_block(data, f, a, posts) for f in findings)
    return (
        f'<article class="panel" id="{anchor("acct", a.platform, a.account_id)}">{head}'
        f'<div class="panel-grid"><div class="profile">{prof}</div>'
        f'<div class="charts">{charts}</div></div>'
        f'<div class="findings">{body}</div></article>'
    )


def _yes(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return "yes" if bool(value) else "no"


def _daily_chart(daily: pd.DataFrame | None, leaps: list[dict]) -> str:
    if daily is None or daily.empty:
        return ""
    counts = {pd.Timestamp(d).date(): int(n) for d, n in zip(daily["day"], daily["n"], strict=True)}
    first, last = min(counts), max(counts)
    span = (last - first).days + 1
    per_bar = max(1, -(-span // MAX_BARS))
    marked_days: set[date] = set()
    for j in leaps:
        if j.get("metric") == "posts" and j.get("start"):
            try:
                start = date.fromisoformat(str(j["start"])[:10])
                end = date.fromisoformat(str(j.get("end") or j["start"])[:10])
            except ValueError:
                continue
            marked_days.update(start + timedelta(days=i) for i in range((end - start).days + 1))
    values, labels, marked = [], [], []
    day = first
    while day <= last:
        days = [day + timedelta(days=i) for i in range(per_bar)]
        values.append(sum(counts.get(d, 0) for d in days))
        labels.append(day.isoformat() if per_bar == 1 else f"{day.isoformat()} +{per_bar - 1}d")
        marked.append(any(d in marked_days for d in days))
        day += timedelta(days=per_bar)
    unit = "day" if per_bar == 1 else f"{per_bar} days"
    title = f"Posts per {unit} (UTC)" + ("; leaps in red" if any(marked) else "")
    return svg.bars(
        values,
        labels,
        title=title,
        marked=marked,
        x_first=first.isoformat(),
        x_last=last.isoformat(),
    )


def _hour_chart(hourly: pd.DataFrame | None) -> str:
    if hourly is None or hourly.empty:
        return ""
    counts = {int(h): int(n) for h, n in zip(hourly["h"], hourly["n"], strict=True)}
    values = [counts.get(h, 0) for h in range(24)]
    return svg.bars(
        values,
        [f"{h:02d}:00" for h in range(24)],
        title="Posts by hour of day (UTC)",
        x_first="00h",
        x_last="23h",
    )


def _count_charts(snaps: pd.DataFrame | None, leaps: list[dict]) -> list[str]:
    if snaps is None or snaps.empty or len(snaps) < 2:
        return []
    times = pd.to_datetime(snaps["observed_at"])
    x = (times - times.min()).dt.total_seconds().to_numpy()
    x_range = (0.0, float(x.max()) or 1.0)
    first, last = when(times.min())[:10], when(times.max())[:10]
    charts = []
    for metric, col in (
        ("followers", "followers_count"),
        ("following", "following_count"),
        ("posts", "posts_count"),
    ):
        values = snaps[col]
        points = [
            (float(xi), float(v), when(t))
            for xi, v, t in zip(x, values, times, strict=True)
            if pd.notna(v)
        ]
        if len(points) < 2:
            continue
        marked = []
        for j in leaps:
            if j.get("metric") == metric and j.get("from_at") and j.get("to_at"):
                try:
                    a = (pd.Timestamp(j["from_at"]) - times.min()).total_seconds()
                    b = (pd.Timestamp(j["to_at"]) - times.min()).total_seconds()
                except (TypeError, ValueError):
                    continue
                marked.append((a, b))
        charts.append(
            svg.lines(
                {metric: points},
                title=f"{metric.capitalize()} over time (snapshots)"
                + ("; leaps shaded" if marked else ""),
                x_range=x_range,
                x_first=first,
                x_last=last,
                marked=marked,
            )
        )
    return charts


def _finding_block(data: ReportData, f: Any, a: Account, posts: dict) -> str:
    subject = (
        "this account"
        if f.subject_kind == "account"
        else f"{esc(f.subject_kind)} {esc(f.subject_id)}"
    )
    if f.subject_kind == "cluster" and f.detector == "coordination":
        subject = f'<a href="#{anchor("cluster", f.subject_id)}">cluster {esc(f.subject_id)}</a>'
    parts = [
        f'<div class="finding"><div class="fhead"><span class="det">{esc(f.detector)}</span> '
        f'<span class="label">{esc(f.label)}</span> about {subject} · score <b>{f.score:.2f}</b>'
        f'<span class="muted small"> · {esc(f.finding_id)}</span></div>'
        f"<p>{esc(f.explanation)}</p>"
    ]
    table_html = _contributions(data.contributions_of(f), f.details)
    if table_html:
        parts.append(table_html)
    ev = as_dict(f.evidence)
    shown = [
        posts.get((f.platform or a.platform, str(p))) or posts.get((a.platform, str(p)))
        for p in as_list(ev.get("posts"))[:POSTS_PER_FINDING]
    ]
    shown = [p for p in shown if p]
    if shown:
        parts.append('<ul class="evidence">' + "".join(_post_li(data, p) for p in shown) + "</ul>")
    counts = [f"{num(len(as_list(v)))} {esc(k)}" for k, v in ev.items() if as_list(v)]
    if counts:
        parts.append(f'<p class="muted small">Evidence rows: {", ".join(counts)}.</p>')
    parts.append("</div>")
    return "".join(parts)


def _contributions(items: list[tuple[str, float, Any]], details: dict) -> str:
    """Top feature contributions, when a detector explains its score by features."""
    if not items:
        return ""
    top = max(abs(t[1]) for t in items[:CONTRIBUTIONS_SHOWN]) or 1.0
    rows = "".join(
        f'<tr><td>{esc(name)}</td><td class="num">{esc(_value(value))}</td>'
        f'<td><span class="cbar {"pos" if c > 0 else "neg"}" '
        f'style="width:{max(2, round(60 * abs(c) / top))}px"></span>{c:+.3f}</td></tr>'
        for name, c, value in items[:CONTRIBUTIONS_SHOWN]
    )
    variant = details.get("variant")
    note = f" (model {esc(variant)})" if variant else ""
    return (
        f'<table class="contrib"><caption>What pushed the score{note}</caption>'
        f"<tbody>{rows}</tbody></table>"
    )


def _value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.4g}"
    return "" if value is None else str(value)


def _post_li(data: ReportData, p: dict) -> str:
    author = data.name_of(p["platform"], str(p["account_id"]))
    return (
        f'<li><span class="muted small">{esc(when(p["created_at"], seconds=True))} · '
        f"{esc(p.get('kind') or 'post')} · {esc(author)} · post {esc(p['post_id'])}</span>"
        f'<div class="post">{esc(shorten(p.get("text"), 400))}</div></li>'
    )
