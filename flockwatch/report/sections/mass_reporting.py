"""Mass reporting: report brigades, their waves, and per target the reports to discount."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from flockwatch.report.data import ReportData, as_dict, as_list
from flockwatch.report.figures import COLORS, base_layout, embed
from flockwatch.report.markup import esc, num, score_cell, shorten, table, when
from flockwatch.report.sections.base import Section

#: Campaigns and targets listed; the exports have them all.
MAX_CAMPAIGNS = 50
MAX_TARGETS = 200


class MassReportingSection(Section):
    id = "mass_reporting"
    title = "Mass reporting"
    detector = "mass_reporting"

    def render(self, data: ReportData) -> str:
        campaigns = data.of(self.detector, "campaign").sort_values(
            ["score", "subject_id"], ascending=[False, True]
        )
        flagged = data.flagged(campaigns)
        reporters = sum(len(as_list(as_dict(d).get("reporters"))) for d in flagged["details"])
        discounted = sum(int(as_dict(d).get("n_reports") or 0) for d in flagged["details"])
        parts = [
            f"<p>{num(len(campaigns))} group{'s' if len(campaigns) != 1 else ''} of accounts "
            "reported the same targets together, repeatedly; "
            f"{num(len(flagged))} look{'s' if len(flagged) == 1 else ''} like "
            f"{'a brigade' if len(flagged) == 1 else 'brigades'} (score at least "
            f"{data.flag_score(self.detector):.2f}: templated comments, machine-regular timing, "
            f"one reporting tool, one group), with {num(reporters)} reporters and "
            f"{num(discounted)} reports. Those reports should be discounted before any "
            "automated takedown of their targets (<code>flockwatch export "
            "discounted_reports</code>); the table of targets shows what remains once they "
            "are.</p>"
        ]
        if len(campaigns):
            parts.append(_timeline(data, flagged))
            rows = []
            for f in campaigns.head(MAX_CAMPAIGNS).itertuples(index=False):
                d = as_dict(f.details)
                rows.append(
                    [
                        f.subject_id,
                        score_cell(f.score),
                        f"<td class=num>{num(d.get('n_reporters'))}</td>",
                        f"<td class=num>{num(d.get('n_targets'))}</td>",
                        f"<td class=num>{num(d.get('n_reports'))}</td>",
                        f"{when(d.get('first_at'))} – {when(d.get('last_at'))}",
                        f'<td class="expl">{esc(shorten(f.explanation, 420))}</td>',
                    ]
                )
            parts.append(
                "<h3>Campaigns</h3>"
                + table(
                    [
                        "campaign",
                        "score",
                        "reporters",
                        "targets",
                        "reports",
                        "window",
                        "explanation",
                    ],
                    rows,
                    sortable=True,
                    table_id="report-campaigns-table",
                    numeric=["score", "reporters", "targets", "reports"],
                )
            )
            parts.append(_targets(data, campaigns))
        return "".join(parts)


def _targets(data: ReportData, campaigns: pd.DataFrame) -> str:
    rows = []
    for f in campaigns.itertuples(index=False):
        d = as_dict(f.details)
        for t in as_list(d.get("targets"))[:MAX_TARGETS]:
            t = as_dict(t)
            account = t.get("account_id")
            name = f"@{t['screen_name']}" if t.get("screen_name") else str(t.get("target"))
            subject = data.account_link(f.platform, str(account), name) if account else esc(name)
            rows.append(
                [
                    f"<td>{subject}</td>",
                    f.subject_id,
                    "discount" if d.get("discounted") else "review",
                    f"<td class=num>{num(t.get('reports'))}</td>",
                    f"<td class=num>{num(t.get('campaign_reports'))}</td>",
                    f"<td class=num>{num(t.get('remaining_reports'))}</td>",
                ]
            )
    return "<h3>Targets</h3>" + table(
        ["target", "campaign", "action", "reports", "from the campaign", "remaining"],
        rows,
        sortable=True,
        table_id="report-targets-table",
        numeric=["reports", "from the campaign", "remaining"],
    )


def _timeline(data: ReportData, flagged: pd.DataFrame) -> str:
    """Reports per day: those of flagged campaigns in red, the rest in blue."""
    ids = [str(r) for d in flagged["details"] for r in _report_ids(data, as_dict(d))]
    frame = data.con.execute(
        "SELECT CAST(created_at AS DATE) AS day, "
        "count(*) FILTER (WHERE list_contains($ids::VARCHAR[], report_id)) AS campaign, "
        "count(*) AS total FROM reports WHERE created_at IS NOT NULL GROUP BY 1 ORDER BY 1",
        {"ids": ids},
    ).df()
    if frame.empty:
        return ""
    fig = go.Figure()
    fig.add_bar(
        x=frame["day"],
        y=frame["total"] - frame["campaign"],
        name="other reports",
        marker_color=COLORS["bar"],
    )
    fig.add_bar(
        x=frame["day"], y=frame["campaign"], name="brigade reports", marker_color=COLORS["flagged"]
    )
    base_layout(fig, height=240, title="Reports per day; flagged campaigns' reports in red")
    fig.update_layout(barmode="stack", bargap=0.1)
    fig.update_yaxes(title_text="reports")
    return embed(fig)


def _report_ids(data: ReportData, details: dict[str, Any]) -> list[str]:
    """The report ids of a campaign, from the side table of its run when present."""
    cid = details.get("campaign_id")
    try:
        rows = data.con.execute(
            "SELECT report_id FROM mass_reporting_discounted WHERE campaign_id = ? AND run_id = "
            "(SELECT arg_max(run_id, finished_at) FROM detector_runs "
            "WHERE detector = 'mass_reporting' AND status = 'ok')",
            [cid],
        ).fetchall()
    except Exception:  # no side table: an older store, or no flagged campaign
        return []
    return [r[0] for r in rows]
