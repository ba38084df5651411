"""The investigation report: one self-contained HTML file from the store's findings.

>>> from flockwatch.report import write_report  # doctest: +SKIP
>>> write_report(store, "report.html")  # doctest: +SKIP
"""

from flockwatch.report.data import ReportData, ReportOptions
from flockwatch.report.html import ReportResult, render_report, write_report
from flockwatch.report.network import register_edge_source
from flockwatch.report.sections import Section, register_section

__all__ = [
    "ReportData",
    "ReportOptions",
    "ReportResult",
    "Section",
    "register_edge_source",
    "register_section",
    "render_report",
    "write_report",
]
