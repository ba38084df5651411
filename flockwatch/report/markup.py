"""Small HTML helpers: escaping, number and time formats, tables, and JSON safe inside ``<script>``.

Every text that comes from data (bios, post texts, explanations, file names) goes through
:func:`esc`; nothing here builds markup from unescaped data.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

import pandas as pd


def esc(value: Any) -> str:
    """``value`` as escaped HTML text; None and NaN become an empty string."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if value is pd.NaT:
        return ""
    return html.escape(str(value), quote=True)


def script_json(value: Any) -> str:
    """JSON for a ``<script type="application/json">`` block: ``</`` and ``<!--`` cannot end it."""
    text = value if isinstance(value, str) else json.dumps(value, default=str, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def anchor(prefix: str, *parts: Any) -> str:
    """A stable element id for any key (ids in the data may hold any character)."""
    digest = hashlib.sha1("\x00".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}-{digest[:12]}"


def num(value: Any, digits: int = 0) -> str:
    """``12,345`` or ``0.93``; empty for missing values."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    try:
        x = float(value)
    except (TypeError, ValueError):
        return esc(value)
    if digits == 0 and x.is_integer():
        return f"{int(x):,}"
    return f"{x:,.{digits or 2}f}"


def when(value: Any, *, seconds: bool = False) -> str:
    """A UTC time as ``2026-03-09 14:05`` (a date stays a date); empty when missing."""
    if value is None or value is pd.NaT:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        return esc(value)
    if ts is pd.NaT:
        return ""
    return ts.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def score_cell(score: Any) -> str:
    """A score in [0, 1] as a number with a small bar (sorts on the number)."""
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return '<td data-sort="-1"></td>'
    s = float(score)
    level = "hi" if s >= 0.8 else "mid" if s >= 0.5 else "lo"
    return (
        f'<td class="score" data-sort="{s:.4f}"><span class="bar {level}" '
        f'style="width:{max(2, round(s * 48))}px"></span>{s:.2f}</td>'
    )


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    cls: str = "",
    table_id: str | None = None,
    sortable: bool = False,
    numeric: Sequence[str] = (),
) -> str:
    """A table from header texts and rows of ready cells (each cell ``<td>...</td>`` or text).

    Cells that are plain strings are escaped and wrapped; cells starting with ``<td`` are used as
    given (callers build them with :func:`esc`).
    """
    classes = " ".join(c for c in (cls, "sortable" if sortable else "") if c)
    head = "".join(
        f'<th{" class=num" if h in numeric else ""} scope="col">{esc(h)}</th>' for h in headers
    )
    body = []
    for row in rows:
        cells = [
            c if isinstance(c, str) and c.startswith("<td") else f"<td>{esc(c)}</td>" for c in row
        ]
        body.append("<tr>" + "".join(cells) + "</tr>")
    ident = f' id="{esc(table_id)}"' if table_id else ""
    return (
        f'<div class="table-wrap"><table class="{classes}"{ident}><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def kv(pairs: Iterable[tuple[str, Any]], cls: str = "kv") -> str:
    """A definition list of label/value pairs (values escaped; empty values skipped)."""
    items = [
        f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in pairs if v not in (None, "") and esc(v)
    ]
    return f'<dl class="{cls}">{"".join(items)}</dl>' if items else ""


def paragraphs(text: str) -> str:
    """Plain text with blank-line paragraphs as escaped ``<p>`` elements."""
    parts = [p.strip() for p in text.split("\n\n") if p.strip()]
    return "".join(f"<p>{esc(' '.join(p.split()))}</p>" for p in parts)


def shorten(text: Any, limit: int = 280) -> str:
    """Text cut to ``limit`` characters with an ellipsis (not escaped)."""
    s = "" if text is None else str(text)
    return s if len(s) <= limit else s[: limit - 1].rstrip() + "…"
