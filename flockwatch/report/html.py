"""Build the report: one self-contained HTML file that works offline and prints to PDF.

Everything the page needs is inside it: the CSS and the small table script from
``report/assets``, Plotly's JS from the installed ``plotly`` package (inlined once), figures as
JSON. A Content-Security-Policy in the page forbids loading anything else, so the report cannot
call out even if some data tried to.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from flockwatch.report import figures
from flockwatch.report.data import ReportData, ReportOptions
from flockwatch.report.markup import esc, when
from flockwatch.report.sections import sections_for
from flockwatch.store.db import Store


@dataclass
class ReportResult:
    """What :func:`write_report` wrote."""

    path: Path
    bytes: int
    sections: list[str]
    flagged_accounts: int
    panels: int
    clusters: int
    seconds: float


def _asset(name: str) -> str:
    return resources.files("flockwatch.report").joinpath(name).read_text("utf-8")


def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    js = get_plotlyjs()
    # Inside <script>, "</script" would end the element early; plotly.min.js has none, but a
    # future release must not break the page silently.
    return re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)


def render_report(
    store: Store, options: ReportOptions | None = None
) -> tuple[str, ReportData, list]:
    """The report as HTML text, with the data and sections it was made from."""
    from flockwatch import __version__

    figures.reset_ids()
    data = ReportData(store, options)
    sections = sections_for(data)
    body = []
    toc = []
    for section in sections:
        body.append(
            f'<section class="report-section" id="{esc(section.section_id)}">'
            f"<h2>{esc(section.heading)}</h2>{section.render(data)}</section>"
        )
        toc.append(f'<a href="#{esc(section.section_id)}">{esc(section.heading)}</a>')
    opts = data.options
    store_name = "in-memory store" if store.path == ":memory:" else os.path.basename(store.path)
    meta = (
        f"Made {esc(when(opts.generated_at, seconds=True))} UTC by flockwatch "
        f"{esc(__version__)} from {esc(store_name)} · {len(data.runs)} detector runs · "
        f"{len(data.suspects):,} flagged accounts"
    )
    footer = (
        "Findings are leads for an investigator to check, not proof. Every finding names the "
        "store rows behind it; see Methods and limits."
    )
    parts = {
        "VERSION": esc(__version__),
        "TITLE": esc(opts.title),
        "META": meta,
        "TOC": "".join(toc),
        "BODY": "\n".join(body),
        "FOOTER": footer,
        "CSS": _asset("assets/report.css"),
        "JS": _asset("assets/report.js"),
        "PLOTLY": _plotly_js(),
    }
    pieces = re.split(r"<!--([A-Z]+)-->", _asset("templates/page.html"))
    html = "".join(parts[p] if i % 2 else p for i, p in enumerate(pieces))
    return html, data, sections


def write_report(
    store: Store, out: str | os.PathLike, options: ReportOptions | None = None
) -> ReportResult:
    """Write the report of ``store`` to ``out`` (one HTML file) and say what is in it.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from flockwatch.store.db import Store
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "report.html"
    >>> result = write_report(Store(":memory:"), out)
    >>> result.sections
    ['overview', 'methods']
    """
    started = time.perf_counter()
    html, data, sections = render_report(store, options)
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(path)
    return ReportResult(
        path=path,
        bytes=path.stat().st_size,
        sections=[s.section_id for s in sections],
        flagged_accounts=len(data.suspects),
        panels=len(data.panel_accounts),
        clusters=len(data.clusters),
        seconds=time.perf_counter() - started,
    )
