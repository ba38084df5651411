"""Report sections and the registry that decides which appear.

A report is: the overview, the suspicious accounts, then one section per detector that has
findings, then methods and limits. A detector contributes its section by registering a
:class:`~flockwatch.report.sections.base.Section` subclass under its name (built-in ones below,
outside ones through the entry-point group ``flockwatch.report_sections``, as detectors are
loaded); a detector with findings and no registered section gets the generic one, a table of
its findings, so nothing a detector finds is left out of the report.
"""

from __future__ import annotations

from importlib.metadata import entry_points

from flockwatch.report.data import ReportData
from flockwatch.report.sections.accounts import AccountsSection
from flockwatch.report.sections.base import Section
from flockwatch.report.sections.bot_score import BotScoreSection
from flockwatch.report.sections.bursts import ActivitySection
from flockwatch.report.sections.fake_followers import FakeFollowersSection
from flockwatch.report.sections.generic import GenericSection
from flockwatch.report.sections.impersonation import ImpersonationSection
from flockwatch.report.sections.mass_reporting import MassReportingSection
from flockwatch.report.sections.methods import MethodsSection
from flockwatch.report.sections.networks import NetworksSection
from flockwatch.report.sections.overview import OverviewSection

ENTRY_POINT_GROUP = "flockwatch.report_sections"

#: Sections of detectors, keyed by detector name (``findings.detector``).
DETECTOR_SECTIONS: dict[str, type[Section]] = {
    "coordination": NetworksSection,
    "bot_score": BotScoreSection,
    "activity": ActivitySection,
    "fake_followers": FakeFollowersSection,
    "impersonation": ImpersonationSection,
    "mass_reporting": MassReportingSection,
}


def register_section(detector: str, section: type[Section]) -> None:
    """Show ``section`` for the findings of ``detector`` (replacing the generic table)."""
    DETECTOR_SECTIONS[detector] = section


def _load_plugins() -> None:
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        cls = ep.load()
        register_section(getattr(cls, "detector", None) or ep.name, cls)


def sections_for(data: ReportData) -> list[Section]:
    """The sections of this report, in order, each already checked to apply."""
    _load_plugins()
    # Networks come right after the accounts: they are the heart of most investigations.
    names = data.detectors_with_findings()
    names.sort(key=lambda n: 0 if n == "coordination" else 1)
    chosen: list[Section] = [OverviewSection(), AccountsSection()]
    for name in names:
        chosen.append(DETECTOR_SECTIONS.get(name, GenericSection)(name))
    chosen.append(MethodsSection())
    return [s for s in chosen if s.applies(data)]


__all__ = [
    "DETECTOR_SECTIONS",
    "ENTRY_POINT_GROUP",
    "GenericSection",
    "Section",
    "register_section",
    "sections_for",
]
