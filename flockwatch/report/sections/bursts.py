"""Activity: creation bursts (cohorts of accounts created together) and accounts with leaps."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from flockwatch.report.data import ReportData, as_list
from flockwatch.report.figures import COLORS, base_layout, embed
from flockwatch.report.markup import esc, num, score_cell, shorten, table
from flockwatch.report.sections.base import Section
from flockwatch.report.sections.generic import findings_table


class ActivitySection(Section):
    id = "activity"
    title = "Activity leaps and creation bursts"
    detector = "activity"

    def render(self, data: ReportData) -> str:
        cohorts = data.of(self.detector, "cohort").sort_values("score", ascending=False)
        leaps = data.of(self.detector, "account")
        parts = [
            f"<p>{num(len(cohorts))} creation bursts (many accounts created in a few days, "
            f"against the background rate) and {num(len(leaps))} accounts with sudden leaps in "
            "posts, followers or following. Leaps are marked in red on each account's "
            "daily activity in its panel.</p>"
        ]
        if len(cohorts):
            parts.append(_creation_figure(data, cohorts))
            rows = [
                [
                    f.subject_id,
                    score_cell(f.score),
                    f"<td class=num>{num(f.details.get('members', len(as_list(f.evidence.get('accounts')))))}</td>",
                    f"<td class=num>{esc(f.details.get('expected', ''))}</td>",
                    f'<td class="expl">{esc(shorten(f.explanation, 320))}</td>',
                ]
                for f in cohorts.itertuples(index=False)
            ]
            parts.append(
                "<h3>Creation bursts</h3>"
                + table(
                    ["cohort", "score", "accounts", "expected", "explanation"],
                    rows,
                    sortable=True,
                    table_id="cohorts-table",
                    numeric=["score", "accounts", "expected"],
                )
            )
        others = set(data.of(self.detector)["subject_kind"]) - {"cohort"}
        if others:
            parts.append(
                "<h3>Leaps</h3>" + findings_table(data, self.detector, tuple(sorted(others)))
            )
        return "".join(parts)


def _creation_figure(data: ReportData, cohorts: pd.DataFrame) -> str:
    created = data.con.execute(
        "SELECT CAST(created_at AS DATE) AS day, count(*) AS n FROM accounts "
        "WHERE created_at IS NOT NULL GROUP BY 1 ORDER BY 1"
    ).df()
    if created.empty:
        return ""
    days = pd.to_datetime(created["day"])
    in_burst = pd.Series(False, index=created.index)
    for f in cohorts.itertuples(index=False):
        start, end = f.details.get("start"), f.details.get("end")
        if start and end:
            in_burst |= days.between(pd.Timestamp(start), pd.Timestamp(end))
    fig = go.Figure()
    # Bursts last days while the axis may span years: their bars are drawn red and on top.
    for burst, color, name in (
        (False, COLORS["bar"], "created"),
        (True, COLORS["flagged"], "burst"),
    ):
        part = created[in_burst == burst]
        if len(part):
            fig.add_bar(
                x=part["day"],
                y=part["n"],
                marker_color=color,
                name=name,
                marker_line_width=1.5 if burst else 0,
                marker_line_color=color,
            )
    base_layout(fig, height=240, title="Accounts created per day; creation bursts in red")
    fig.update_layout(barmode="overlay", bargap=0)
    fig.update_yaxes(title_text="accounts")
    return embed(fig)
