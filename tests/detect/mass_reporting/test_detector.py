"""The mass_reporting detector on hand-made worlds: a group's burst of identical reports is a
brigade whose reports are discounted, the ordinary reports around it are not, and a genuine
outcry is no campaign."""

from __future__ import annotations

from datetime import timedelta

import pytest

from flockwatch.detect.mass_reporting import MassReportingDetector
from flockwatch.detect.mass_reporting import examples as ex
from flockwatch.detect.runner import run_detectors
from flockwatch.errors import ParameterError
from flockwatch.export.tables import write
from flockwatch.store.db import Store


@pytest.fixture(scope="module")
def brigade():
    store = Store(":memory:")
    ex.build_positive(store)
    out = MassReportingDetector().run(store)
    yield store, out
    store.close()


def _campaign(out):
    (c,) = [f for f in out.findings if f.subject_kind == "campaign"]
    return c


def test_the_group_is_one_brigade(brigade):
    _, out = brigade
    c = _campaign(out)
    assert c.subject_id == ex.CAMPAIGN and c.label == "report_brigade" and c.score >= 0.8
    assert c.details["reporters"] == ex.REPORTERS
    assert c.evidence["accounts"] == ex.REPORTERS
    assert {t["target"] for t in c.details["targets"]} == set(ex.CRITICS)
    assert c.details["n_reports"] == 24 and c.details["n_waves"] == 3


def test_signals_and_explanation(brigade):
    _, out = brigade
    c = _campaign(out)
    s = c.details["signals"]
    assert s["templated"] == 1.0 and s["client"] == 1.0 and s["shared_group"] == 1.0
    assert s["regular"] > 0.9 and s["burst"] == 1.0 and s["no_interaction"] == 1.0
    text = c.explanation
    assert text.startswith("8 accounts filed 24 reports against 2 targets in 3 waves")
    assert "100% of comments follow 1 shared template" in text
    assert "from client 'Auto Reporter'" in text and "in group 'Nation Guard'" in text
    assert "6 s apart" in text


def test_reports_against_a_post_count_for_its_author(brigade):
    _, out = brigade
    c = _campaign(out)
    second = next(t for t in c.details["targets"] if t["target"] == ex.CRITICS[1])
    assert second["campaign_reports"] == 8  # one of them named only the critic's post


def test_discounted_reports_are_exactly_the_brigades(brigade):
    store, out = brigade
    table = out.tables["mass_reporting_discounted"].to_pandas()
    brigade_ids = {
        r[0]
        for r in store.con.execute(
            "SELECT report_id FROM reports WHERE reporter_id IN (SELECT unnest(?))", [ex.REPORTERS]
        ).fetchall()
    }
    assert set(table["report_id"]) == brigade_ids
    assert set(table["campaign_id"]) == {ex.CAMPAIGN}
    c = _campaign(out)
    assert all(t["remaining_reports"] == 0 for t in c.details["targets"])


def test_members_get_account_findings(brigade):
    _, out = brigade
    members = {f.subject_id: f for f in out.findings if f.subject_kind == "account"}
    assert set(members) == set(ex.REPORTERS)
    assert all(f.label == "brigade_reporter" and f.score >= 0.5 for f in members.values())
    assert not set(members) & set(ex.ORGANIC)


def test_genuine_outcry_is_no_campaign():
    store = Store(":memory:")
    ex.build_negative(store)
    out = MassReportingDetector().run(store)
    assert out.findings == []
    assert out.tables["mass_reporting_discounted"].num_rows == 0
    assert out.summary["links"] == 0


def test_same_outcry_repeated_by_the_same_people_links_them():
    """What the detector cannot tell by structure alone: the same twelve people reporting the
    same harasser together again the next day form a campaign, which then scores low (own
    words, own apps, human timing) and is not discounted."""
    store = Store(":memory:")
    ex.build_negative(store)
    again = store.con.execute(
        "SELECT * REPLACE ('x' || report_id AS report_id, created_at + INTERVAL 1 DAY "
        "AS created_at) FROM reports WHERE target_account_id = ?",
        [ex.HARASSER],
    ).df()
    store.con.register("again_df", again)
    store.con.execute("INSERT INTO reports SELECT * FROM again_df")
    out = MassReportingDetector().run(store)
    campaigns = [f for f in out.findings if f.subject_kind == "campaign"]
    assert campaigns and all(c.score < 0.5 and c.label == "co_reporting" for c in campaigns)
    assert out.tables["mass_reporting_discounted"].num_rows == 0


def test_runner_writes_side_table_and_exports(tmp_path):
    store = Store(":memory:")
    assert write(store, "discounted_reports", tmp_path / "none.csv") == 0
    ex.build_positive(store)
    run_detectors(store, ["mass_reporting"])
    n = write(store, "discounted_reports", tmp_path / "d.csv")
    lines = (tmp_path / "d.csv").read_text().splitlines()
    assert lines[0] == "report_id,campaign_id" and n == 24
    assert write(store, "report_campaigns", tmp_path / "c.csv") == 1
    header, row = (tmp_path / "c.csv").read_text().splitlines()[:2]
    assert header == (
        "campaign_id,score,n_targets,n_reporters,n_reports,first_at,last_at,targets,explanation"
    )
    assert row.startswith(f"{ex.CAMPAIGN},") and f"{ex.CRITICS[0]}; {ex.CRITICS[1]}" in row
    # a second run appends its own rows; the export shows the latest run's only
    run_detectors(store, ["mass_reporting"])
    assert write(store, "discounted_reports", tmp_path / "d2.csv") == 24
    total = store.con.execute("SELECT count(*) FROM mass_reporting_discounted").fetchall()[0][0]
    assert total == 48


def test_seed_gives_the_same_campaigns():
    outs = []
    for _ in range(2):
        store = Store(":memory:")
        ex.build_positive(store)
        store.con.execute(
            "INSERT INTO reports SELECT * REPLACE ('y' || report_id AS report_id, "
            "created_at + INTERVAL 9 DAY AS created_at) FROM reports"
        )
        outs.append(MassReportingDetector(seed=5).run(store))
    a, b = ([(f.subject_id, f.score) for f in o.findings] for o in outs)
    assert a == b


@pytest.mark.parametrize(
    "params",
    [{"window_seconds": 0}, {"min_co_reports": 0}, {"resolution": -1.0}, {"min_reporters": 1},
     {"seed": 1.5}, {"max_target_reporters": True}],
)  # fmt: skip
def test_parameters_are_validated(params):
    name = next(iter(params))
    with pytest.raises(ParameterError, match=f"'{name}' of detector 'mass_reporting'"):
        MassReportingDetector(**params).run(Store(":memory:"))


def test_burst_against_the_targets_baseline():
    """A critic reported every few days anyway still sees the brigade's waves as bursts."""
    store = Store(":memory:")
    ex.build_positive(store)
    background = [
        ex._report(
            500 + k, ex.ORGANIC[k % 12], ex.CRITICS[0], ex.START + timedelta(days=k, hours=2)
        )
        for k in range(10)
    ]
    ex.insert(store, "reports", background)
    c = _campaign(MassReportingDetector().run(store))
    first = next(t for t in c.details["targets"] if t["target"] == ex.CRITICS[0])
    assert first["remaining_reports"] == 10 and first["campaign_reports"] == 16
    assert c.details["signals"]["burst"] == 1.0
