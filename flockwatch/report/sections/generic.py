"""The section any detector gets when it registers none: its score distribution and findings."""

from __future__ import annotations

import plotly.graph_objects as go

from flockwatch.report.data import ReportData, as_list
from flockwatch.report.figures import COLORS, base_layout, embed
from flockwatch.report.markup import esc, num, score_cell, shorten, table
from flockwatch.report.sections.base import Section

#: Findings listed per detector (best first); the export has them all.
MAX_ROWS = 500


class GenericSection(Section):
    """A table of a detector's findings: subject, score, label, explanation, evidence counts."""

    id = "detector"
    title = "Findings"

    @property
    def section_id(self) -> str:
        return f"detector-{self.detector}"

    @property
    def heading(self) -> str:
        return f"Findings of {self.detector}"

    def render(self, data: ReportData) -> str:
        return findings_table(data, self.detector)


def score_histogram(data: ReportData, detector: str, title: str | None = None) -> str:
    frame = data.of(detector)
    if len(frame) < 2:
        return ""
    fig = go.Figure(
        go.Histogram(
            x=frame["score"],
            xbins={"start": 0, "end": 1.0001, "size": 0.05},
            marker_color=COLORS["bar"],
        )
    )
    flag = data.flag_score(detector)
    fig.add_vline(x=flag, line={"color": COLORS["flagged"], "dash": "dash", "width": 1})
    base_layout(
        fig, height=220, title=title or f"Scores of {detector}'s findings (flag at {flag:.2f})"
    )
    fig.update_xaxes(range=[0, 1])
    fig.update_yaxes(title_text="findings")
    return embed(fig)


def findings_table(data: ReportData, detector: str, kinds: tuple[str, ...] | None = None) -> str:
    frame = data.of(detector)
    if kinds is not None:
        frame = frame[frame["subject_kind"].isin(kinds)]
    frame = frame.sort_values(["score", "subject_id"], ascending=[False, True])
    flagged = data.flagged(frame)
    rows = []
    for f in frame.head(MAX_ROWS).itertuples(index=False):
        if f.subject_kind == "account":
            subject = data.account_link(
                f.platform, f.subject_id, data.name_of(f.platform, f.subject_id)
            )
        else:
            subject = esc(f.subject_id)
        evidence = ", ".join(
            f"{num(len(as_list(v)))} {esc(k)}" for k, v in f.evidence.items() if as_list(v)
        )
        rows.append(
            [
                f.subject_kind,
                f"<td>{subject}</td>",
                score_cell(f.score),
                f.label,
                f'<td class="expl">{esc(shorten(f.explanation, 300))}</td>',
                evidence,
            ]
        )
    cut = (
        f" The {num(MAX_ROWS)} highest are listed; <code>flockwatch export findings</code> has all."
        if len(frame) > MAX_ROWS
        else ""
    )
    tid = f"findings-{detector}".replace(" ", "-")
    return (
        f"<p>{num(len(frame))} findings, {num(len(flagged))} at or above the flag score "
        f"{data.flag_score(detector):.2f}.{cut}</p>"
        + score_histogram(data, detector)
        + f'<div class="controls" data-for="{esc(tid)}"><label>Filter '
        '<input type="search" class="filter-text"></label><span class="filter-count"></span></div>'
        + table(
            ["kind", "subject", "score", "label", "explanation", "evidence"],
            rows,
            table_id=tid,
            sortable=True,
            numeric=["score"],
        )
    )
