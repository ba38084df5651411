"""The report: one offline file, sections that follow the findings, escaped data (issue 5)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from flockwatch.report import ReportOptions, render_report, write_report
from flockwatch.report.sections import DETECTOR_SECTIONS, Section, register_section
from flockwatch.store.db import Store
from tests.report.conftest import BRIGADE, EVIL_URL, XSS_BIO, XSS_NAME, XSS_POST, build_world, stub


class _Tags(HTMLParser):
    """Every start tag with its attributes; script and style bodies are not parsed as tags."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if attrs.get("id"):
            self.ids.append(attrs["id"])


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def _section_ids(html: str) -> list[str]:
    return [
        a["id"]
        for t, a in _parse(html).tags
        if t == "section" and "report-section" in (a.get("class") or "")
    ]


def test_report_is_one_file_that_loads_nothing_from_outside(world, tmp_path):
    out = tmp_path / "report.html"
    result = write_report(world, out)
    html = out.read_text("utf-8")
    assert result.bytes == out.stat().st_size
    tags = _parse(html).tags
    loaded = [
        (tag, value)
        for tag, attrs in tags
        for key, value in attrs.items()
        if key in ("src", "href", "action", "data", "poster", "srcset") and value
    ]
    external = [(t, v) for t, v in loaded if re.match(r"^\s*(https?:)?//", v, re.I)]
    assert external == []
    # Every link is inside the page; no stylesheet or script is loaded from a file either.
    assert all(v.startswith(("#", "data:")) for _, v in loaded), loaded
    assert not [t for t, a in tags if t == "link" or (t == "script" and a.get("src"))]
    # Plotly is inlined exactly once, and the page forbids loading anything else.
    assert html.count("plotly.js v") == 1
    csp = [
        a["content"]
        for t, a in tags
        if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert csp and "default-src 'none'" in csp[0] and "connect-src 'none'" in csp[0]
    # The profile URL is in the data as text, not a link.
    assert EVIL_URL in html
    assert not [a for t, a in tags if EVIL_URL in (a.get("href") or "") + (a.get("src") or "")]


def test_every_section_present_when_its_findings_exist(world):
    html, _, sections = render_report(world)
    ids = _section_ids(html)
    assert ids == [
        "overview",
        "accounts",
        "networks",
        "bot_score",
        "activity",
        "detector-brigade_test",
        "methods",
    ]
    assert [s.section_id for s in sections] == ids
    # Each section is in the table of contents, and every in-page link has its target.
    parsed = _parse(html)
    hrefs = {
        a["href"][1:] for t, a in parsed.tags if t == "a" and (a.get("href") or "").startswith("#")
    }
    assert set(ids) <= hrefs
    assert hrefs <= set(parsed.ids)


@pytest.mark.parametrize(
    ("detectors", "expected"),
    [
        ((), ["overview", "methods"]),
        (("activity",), ["overview", "accounts", "activity", "methods"]),
        (("bot_score",), ["overview", "accounts", "bot_score", "methods"]),
        (("coordination",), ["overview", "accounts", "networks", "methods"]),
        (("brigade_test",), ["overview", "accounts", "detector-brigade_test", "methods"]),
    ],
)
def test_sections_absent_without_their_findings(detectors, expected):
    with Store(":memory:") as store:
        build_world(store, detectors)
        html, _, _ = render_report(store)
    assert _section_ids(html) == expected


def test_malicious_text_in_bios_names_and_posts_is_escaped(world):
    html, _, _ = render_report(world)
    for raw in (XSS_BIO, XSS_NAME, XSS_POST, "alert(1)</script>", "<script>alert(2)"):
        assert raw not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the bio, shown as text
    assert "&lt;img src=x onerror=&quot;alert(3)&quot;&gt;" in html  # evidence post text
    # The only script elements are the report's own: Plotly, the table script, figure data.
    scripts = [a for t, a in _parse(html).tags if t == "script"]
    assert all(a.get("type") in (None, "application/json") for a in scripts)
    assert sum(1 for a in scripts if a.get("type") is None) == 2


def test_report_on_a_store_without_findings(tmp_path):
    with Store(":memory:") as store:
        result = write_report(store, tmp_path / "r.html")
    html = (tmp_path / "r.html").read_text("utf-8")
    assert result.sections == ["overview", "methods"]
    assert result.flagged_accounts == 0
    assert "No findings" in html


def test_flagged_accounts_get_panels_and_fans_do_not(world):
    html, data, _ = render_report(world, ReportOptions(top_accounts=2))
    flagged = {a.account_id for a in data.suspects}
    assert flagged == {"a1", "a2", "a3", "a4"}  # f1 (a fan, low scores) and o1 are not flagged
    a1 = next(a for a in data.suspects if a.account_id == "a1")
    assert (a1.cluster, a1.role) == ("c1", "core")
    assert a1.bot_score == pytest.approx(0.91)
    # Panels: the top --top-accounts, plus every account the overview names.
    panels = [
        a["id"] for t, a in _parse(html).tags if t == "article" and "panel" in a.get("class", "")
    ]
    assert len(panels) == len(data.panel_accounts)
    keys = {a.key for a in data.panel_accounts}
    assert {a.key for a in data.suspects[:2]} <= keys
    assert set(data.featured_accounts) <= keys


def test_panels_are_limited_and_the_report_says_so(world):
    html, data, _ = render_report(world, ReportOptions(top_accounts=0))
    assert data.panel_accounts == []
    assert "the other 4 are in the table only" in html
    assert not [a for t, a in _parse(html).tags if t == "article" and "panel" in a.get("class", "")]


def test_network_section_draws_members_with_roles(world):
    html, _, _ = render_report(world)
    assert '"type":"scattergl"' in html
    assert '"name":"core"' in html and '"name":"amplifier"' in html
    assert "Evidence behind the strongest links" in html  # posts behind the edges
    assert "#change" in html  # the hashtag the cluster pushes


def test_a_detector_contributes_its_own_section(world):
    class Brigades(Section):
        id = "brigades"
        title = "Mass reporting"

        def render(self, data):
            return f"<p>{len(data.of(self.detector))} brigade findings</p>"

    previous = DETECTOR_SECTIONS.get("brigade_test")
    register_section("brigade_test", Brigades)
    try:
        html, _, _ = render_report(world)
    finally:
        if previous is None:
            DETECTOR_SECTIONS.pop("brigade_test")
        else:
            DETECTOR_SECTIONS["brigade_test"] = previous
    assert "brigades" in _section_ids(html)
    assert "detector-brigade_test" not in _section_ids(html)
    assert "<p>1 brigade findings</p>" in html


def test_methods_come_from_the_detectors_docstrings(world, monkeypatch):
    import flockwatch.detect.registry as registry

    ran = {
        r[0]: r[1]
        for r in world.con.execute("SELECT detector, run_id FROM detector_runs").fetchall()
    }
    monkeypatch.setattr(
        registry, "detector_classes", lambda: [stub("brigade_test", BRIGADE).__class__]
    )
    html, _, _ = render_report(world)
    methods = html[html.index('id="methods"') :]
    assert "<b>A stand-in for tests.</b>" in methods
    assert "It measures nothing real." in methods
    assert "Known false positives: everything, it is a stub." in methods
    assert "threshold : float" not in methods  # parameters are for programmers
    assert ran["brigade_test"] in methods
    # A detector that ran but is not installed here is still listed, without a description.
    assert "coordination" in methods and "not installed here" in methods


def test_bot_score_contributions_from_the_side_table_reach_the_panels():
    from flockwatch.detect.bot_score.detector import CONTRIBUTIONS_TABLE, BotScoreDetector
    from flockwatch.detect.runner import run_one
    from flockwatch.report.data import ReportData, contributions

    store = Store(":memory:")
    BotScoreDetector.positive_example().build(store)
    BotScoreDetector.negative_example().build(store)
    run_one(store, BotScoreDetector())
    kept = {
        account: (features, values, contribs)
        for account, features, values, contribs in store.con.execute(
            f"SELECT account_id, features, feature_values, contributions FROM {CONTRIBUTIONS_TABLE}"
        ).fetchall()
    }
    frame = ReportData(store).findings
    assert set(frame["subject_id"]) == set(kept) == {"bot1", "human1"}
    for account, details, score in zip(
        frame["subject_id"], frame["details"], frame["score"], strict=True
    ):
        features, values, contribs = kept[account]
        assert details["variant"] == "profile+behaviour"  # the finding's own details kept
        got = contributions(details)
        if score >= BotScoreDetector.flag_score:  # only flagged scores are shown with them
            assert account == "bot1"
            assert sorted(got) == sorted(zip(features, contribs, values, strict=True))
        else:
            assert account == "human1" and got == []
    html = render_report(store, ReportOptions())[0]
    bot_features = kept["bot1"][0]
    assert all(f"<td>{name}</td>" in html for name in bot_features)


def test_same_store_same_report(tmp_path):
    """Network layouts are seeded and every edge list has a total order: rendering the same
    store twice gives the same HTML (here a simulated world, all detectors, side tables)."""
    from flockwatch.detect.runner import run_detectors
    from flockwatch.ingest.runner import ingest_paths
    from flockwatch.simulate import simulate

    simulate(tmp_path / "world", seed=4, accounts=500, days=10)
    store = Store(":memory:")
    ingest_paths(store, [tmp_path / "world"])
    run_detectors(store, seed=4)
    options = ReportOptions(top_clusters=3, top_accounts=20)
    first = render_report(store, options)[0]
    store.con.execute("SET threads = 1")  # another thread count, another aggregation order
    second = render_report(store, options)[0]
    assert first == second
