"""Tiny static SVG charts for account panels.

A report can hold hundreds of account panels; drawing each of their charts with Plotly would make
the page slow to open. These charts are drawn here as a few kilobytes of SVG each: no script,
instant to show, crisp in print. Hovering a bar or point shows its value (an SVG ``<title>``).
"""

from __future__ import annotations

from collections.abc import Sequence

from flockwatch.report.markup import esc

WIDTH = 340
HEIGHT = 96
PAD_L, PAD_R, PAD_T, PAD_B = 30, 6, 14, 18


def _frame(title: str, body: str, x_first: str, x_last: str, y_max: str, y_min: str = "0") -> str:
    w, h = WIDTH, HEIGHT
    return (
        f'<svg class="spark" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        f'aria-label="{esc(title)}"><title>{esc(title)}</title>'
        f'<text x="{PAD_L}" y="10" class="t">{esc(title)}</text>'
        f'<line x1="{PAD_L}" y1="{h - PAD_B}" x2="{w - PAD_R}" y2="{h - PAD_B}" class="axis"/>'
        f'<text x="{PAD_L - 3}" y="{PAD_T + 8}" class="y">{esc(y_max)}</text>'
        f'<text x="{PAD_L - 3}" y="{h - PAD_B}" class="y">{esc(y_min)}</text>'
        f'<text x="{PAD_L}" y="{h - 4}" class="x">{esc(x_first)}</text>'
        f'<text x="{w - PAD_R}" y="{h - 4}" class="x end">{esc(x_last)}</text>'
        f"{body}</svg>"
    )


def _fmt(x: float) -> str:
    if x >= 10_000:
        return f"{x / 1000:,.0f}k"
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.1f}"


def bars(
    values: Sequence[float],
    labels: Sequence[str],
    *,
    title: str,
    marked: Sequence[bool] | None = None,
    x_first: str | None = None,
    x_last: str | None = None,
) -> str:
    """A bar chart; ``marked`` bars are drawn in the alert colour (leaps, spikes)."""
    n = len(values)
    if n == 0:
        return ""
    top = max(max(values), 1)
    inner_w = WIDTH - PAD_L - PAD_R
    inner_h = HEIGHT - PAD_T - PAD_B
    step = inner_w / n
    gap = 1 if step > 3 else 0
    parts = []
    for i, (v, label) in enumerate(zip(values, labels, strict=True)):
        bh = inner_h * v / top
        cls = "m" if marked and marked[i] else "b"
        parts.append(
            f'<rect class="{cls}" x="{PAD_L + i * step:.1f}" y="{PAD_T + inner_h - bh:.1f}" '
            f'width="{max(step - gap, 0.6):.1f}" height="{bh:.1f}">'
            f"<title>{esc(label)}: {_fmt(v)}</title></rect>"
        )
    return _frame(
        title,
        "".join(parts),
        labels[0] if x_first is None else x_first,
        labels[-1] if x_last is None else x_last,
        _fmt(top),
    )


def lines(
    series: dict[str, Sequence[tuple[float, float, str]]],
    *,
    title: str,
    x_range: tuple[float, float],
    x_first: str,
    x_last: str,
    marked: Sequence[tuple[float, float]] = (),
) -> str:
    """Line chart of one or more series of ``(x, y, label)`` points, the y axis spanning the
    values' own range (a jump from 800 to 1,300 followers must show); ``marked`` x-intervals are
    shaded (leaps). Several series share the axis, so pass one series per chart when their
    scales differ."""
    points_all = [p for pts in series.values() for p in pts]
    if not points_all:
        return ""
    x0, x1 = x_range
    span = (x1 - x0) or 1.0
    inner_w = WIDTH - PAD_L - PAD_R
    inner_h = HEIGHT - PAD_T - PAD_B
    lo = min(p[1] for p in points_all)
    hi = max(p[1] for p in points_all)
    if hi - lo < 1:
        lo, hi = lo - 1, hi + 1
    parts = []
    for a, b in marked:
        xa = PAD_L + inner_w * (max(a, x0) - x0) / span
        xb = PAD_L + inner_w * (min(b, x1) - x0) / span
        parts.append(
            f'<rect class="leap" x="{xa:.1f}" y="{PAD_T}" width="{max(xb - xa, 2):.1f}" '
            f'height="{inner_h}"><title>leap</title></rect>'
        )
    for k, (name, points) in enumerate(series.items()):
        if not points:
            continue
        coords = [
            (PAD_L + inner_w * (x - x0) / span, PAD_T + inner_h - inner_h * (y - lo) / (hi - lo))
            for x, y, _ in points
        ]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        # One title for the line (not one per point): a panel has hundreds of points, and
        # per-point titles would double the report's size for a hover nobody needs there.
        summary = f"{name}: {_fmt(points[0][1])} at {points[0][2]} to {_fmt(points[-1][1])} at {points[-1][2]}"
        parts.append(
            f'<polyline class="s{k}" points="{path}"><title>{esc(summary)}</title></polyline>'
        )
    return _frame(title, "".join(parts), x_first, x_last, _fmt(hi), _fmt(lo))
