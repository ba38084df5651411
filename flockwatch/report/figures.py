"""Plotly figures embedded as data: a placeholder ``<div>`` plus its JSON, drawn by report.js.

Figures are not drawn inline: ``report.js`` draws each one when it scrolls into view (and all of
them before printing), so a report with many figures opens fast, and WebGL networks are drawn
only while visible (browsers allow a handful of WebGL contexts at a time). Plotly's own JS is
inlined once by :mod:`flockwatch.report.html`.
"""

from __future__ import annotations

import itertools

import plotly.graph_objects as go

from flockwatch.report.markup import esc, script_json

#: Colours used everywhere: roles in networks, flagged vs not, leaps and spikes.
COLORS = {
    "core": "#c0392b",
    "amplifier": "#e67e22",
    "member": "#5d6d7e",
    "other": "#5d6d7e",
    "flagged": "#c0392b",
    "all": "#2e86c1",
    "spike": "#c0392b",
    "bar": "#2e86c1",
    "burst": "#f5b7b1",
}

_counter = itertools.count(1)


def base_layout(fig: go.Figure, *, height: int = 260, title: str | None = None) -> go.Figure:
    """The report's common look: compact margins, no title font downloads (system fonts)."""
    fig.update_layout(
        height=height,
        margin={"l": 48, "r": 12, "t": 36 if title else 12, "b": 36},
        title={"text": esc(title), "font": {"size": 13}, "x": 0.01, "xanchor": "left"}
        if title
        else None,
        font={"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 11},
        template="none",
        paper_bgcolor="white",
        plot_bgcolor="white",
        showlegend=False,
        hoverlabel={"align": "left"},
    )
    fig.update_xaxes(showgrid=False, linecolor="#888", ticks="outside")
    fig.update_yaxes(gridcolor="#eee", zeroline=False)
    return fig


def embed(fig: go.Figure, *, caption: str = "", cls: str = "") -> str:
    """HTML for ``fig``: a placeholder div, its JSON, and an optional (escaped) caption."""
    ident = f"fig-{next(_counter)}"
    gl = any(str(t.type or "").endswith("gl") for t in fig.data)
    height = int(fig.layout.height or 260)
    spec = script_json(fig.to_json(validate=False, pretty=False, engine="json"))
    cap = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    return (
        f'<figure class="plot {esc(cls)}"><div class="fig" id="{ident}" data-gl="{int(gl)}" '
        f'style="height:{height}px"></div>'
        f'<script type="application/json" id="{ident}-data">{spec}</script>'
        f'<img class="print-image" id="{ident}-print" alt="">{cap}</figure>'
    )


def reset_ids() -> None:
    """Start figure ids again at 1 (each report numbers its figures from 1)."""
    global _counter
    _counter = itertools.count(1)
