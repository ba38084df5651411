"""The impersonation and mass_reporting sections: registered under their detectors' names, shown
when those detectors have findings, and escaping what comes from the data."""

from __future__ import annotations

from flockwatch.detect.impersonation.detector import ImpersonationDetector
from flockwatch.detect.mass_reporting.detector import MassReportingDetector
from flockwatch.detect.runner import run_one
from flockwatch.report import render_report
from flockwatch.report.sections import DETECTOR_SECTIONS
from flockwatch.store.db import Store


def test_sections_are_registered():
    assert DETECTOR_SECTIONS["impersonation"].id == "impersonation"
    assert DETECTOR_SECTIONS["mass_reporting"].id == "mass_reporting"


def test_both_sections_render_their_findings():
    store = Store(":memory:")
    ImpersonationDetector.positive_example().build(store)
    MassReportingDetector.positive_example().build(store)
    run_one(store, ImpersonationDetector())
    run_one(store, MassReportingDetector())
    html, _, sections = render_report(store)
    ids = [s.section_id for s in sections]
    assert "impersonation" in ids and "mass_reporting" in ids
    assert 'id="impersonation-table"' in html and "raveenatandon_0fficial" in html
    # the explanation quotes the name: escaped, never raw quotes into markup
    assert "equals &#x27;Raveena Tandon&#x27; after confusables" in html
    assert 'id="report-campaigns-table"' in html and "twitter:rc0001" in html
    assert 'id="report-targets-table"' in html and ">discount<" in html
