"""The ``mass_reporting`` detector: report brigades and the reports to discount (see
:class:`~flockwatch.detect.mass_reporting.detector.MassReportingDetector`)."""

from __future__ import annotations

from flockwatch.detect.mass_reporting.detector import MassReportingDetector

__all__ = ["MassReportingDetector"]
