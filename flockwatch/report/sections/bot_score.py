"""Bot scores: how the scores are spread, and which profile features drive the high ones."""

from __future__ import annotations

from collections import Counter

import plotly.graph_objects as go

from flockwatch.report.data import ReportData, contributions
from flockwatch.report.figures import COLORS, base_layout, embed
from flockwatch.report.markup import num
from flockwatch.report.sections.base import Section
from flockwatch.report.sections.generic import score_histogram

#: Features shown in the "what drives high scores" chart.
TOP_FEATURES = 12
#: Features of each flagged account counted (its largest positive contributions).
FEATURES_PER_ACCOUNT = 3


class BotScoreSection(Section):
    id = "bot_score"
    title = "Bot scores"
    detector = "bot_score"

    def render(self, data: ReportData) -> str:
        frame = data.of(self.detector, "account")
        flagged = data.flagged(frame)
        variants = Counter(str(d.get("variant")) for d in frame["details"] if d.get("variant"))
        variant_text = (
            " Models used: "
            + ", ".join(f"{v} ({num(n)} accounts)" for v, n in variants.most_common())
            + "."
            if variants
            else ""
        )
        parts = [
            f"<p>{num(len(frame))} accounts scored; {num(len(flagged))} at or above "
            f"{data.flag_score(self.detector):.2f}.{variant_text} The score is a model's estimate "
            "from the profile (and activity where available); each flagged account's panel "
            "lists the features that pushed its score.</p>",
            '<div class="two">',
            "<div>" + score_histogram(data, self.detector, "Bot scores of all accounts") + "</div>",
            "<div>" + _drivers(flagged) + "</div>",
            "</div>",
        ]
        return "".join(parts)


def _drivers(flagged) -> str:
    counts: Counter[str] = Counter()
    for d in flagged["details"]:
        items = [(name, c) for name, c, _ in contributions(d) if c > 0][:FEATURES_PER_ACCOUNT]
        counts.update(name for name, _ in items)
    if not counts:
        return ""
    top = counts.most_common(TOP_FEATURES)[::-1]
    fig = go.Figure(
        go.Bar(
            x=[n for _, n in top],
            y=[k for k, _ in top],
            orientation="h",
            marker_color=COLORS["flagged"],
        )
    )
    base_layout(
        fig,
        height=max(220, 22 * len(top) + 60),
        title=f"Features most often among a flagged account's top {FEATURES_PER_ACCOUNT}",
    )
    fig.update_layout(margin={"l": 170})
    fig.update_xaxes(title_text="flagged accounts")
    return embed(fig)
