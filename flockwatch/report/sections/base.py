"""The section interface: an id, a title, whether it applies, and its HTML."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from flockwatch.report.data import ReportData


class Section(ABC):
    """One section of the report.

    ``detector`` is the detector whose findings the section shows (``None`` for the overview,
    accounts and methods sections); ``id`` is the HTML id, also used by the table of contents.
    :meth:`render` returns the section's inner HTML and must escape every text from the data
    (:func:`flockwatch.report.markup.esc`).
    """

    id: ClassVar[str]
    title: ClassVar[str]
    detector: str | None = None

    def __init__(self, detector: str | None = None) -> None:
        if detector is not None:
            self.detector = detector

    @property
    def section_id(self) -> str:
        return self.id

    @property
    def heading(self) -> str:
        return self.title

    def applies(self, data: ReportData) -> bool:
        """Whether the section has anything to show (default: its detector has findings)."""
        return self.detector is None or not data.of(self.detector).empty

    @abstractmethod
    def render(self, data: ReportData) -> str:
        """The section's HTML (without its ``<section>`` element and heading)."""
