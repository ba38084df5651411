"""The report's fake_followers section: pools and audits with their intervals drawn."""

from __future__ import annotations

from flockwatch.detect.fake_followers.examples import CUSTOMER, build_positive
from flockwatch.detect.runner import run_detectors
from flockwatch.report.html import render_report
from flockwatch.report.sections.fake_followers import ci_bar
from flockwatch.store.db import Store


def test_section_lists_pools_and_audits_with_interval_bars():
    with Store(":memory:") as store:
        build_positive(store)
        store.con.execute(
            "UPDATE accounts SET screen_name = '<b>glow</b>' WHERE account_id = ?", [CUSTOMER]
        )
        run_detectors(store, ["fake_followers"])
        html, _, sections = render_report(store)
    assert "fake_followers" in [s.section_id for s in sections]
    part = html[html.index('id="fake_followers"') : html.index('id="methods"')]
    assert 'id="pools-table"' in part and 'id="audits-table"' in part
    assert part.count('<svg class="ci"') == 2  # one interval bar per audit
    assert "67% look fake (95% CI 56%–76%)" in part
    assert "pool-1" in part and "1 looks like a seller" in part
    assert "<b>glow</b>" not in part and "&lt;b&gt;glow&lt;/b&gt;" in part


def test_interval_bar_draws_estimate_and_band():
    svg = ci_bar(0.5, 0.25, 0.75)
    assert 'x="30.5" y="2" width="59.0"' in svg  # the band from 25% to 75% of 118 px
    assert 'x="59.0" y="0" width="2"' in svg  # the estimate's tick at 50%
    assert ci_bar(None, 0.1, 0.2) == ""
