"""The demo's report in a real browser, as a person would use it (issue 5 §4).

Opens the report of a small demo world in Debian's headless Chromium (driven by Selenium) from
``file://`` and checks that every section renders, the networks draw, tables sort and filter,
the console has no errors and no request leaves the file; saves a screenshot beside the report.
Skips, saying why, when Chromium, chromedriver or Selenium is missing (``.ci/run`` installs
them).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from flockwatch.cli import main
from flockwatch.report.browser import chromium, missing_reason, wait_for_figures

REASON = missing_reason()
pytestmark = pytest.mark.skipif(REASON is not None, reason=f"no browser: {REASON}")


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    assert main(["demo", "--accounts", "600", "--days", "14", "--out", str(out)]) == 0
    assert (out / "report.html").is_file()
    return out


@pytest.fixture(scope="module")
def page(demo_dir):
    with chromium(1400, 1000) as driver:
        driver.get((demo_dir / "report.html").resolve().as_uri())
        driver.execute_script("return document.readyState")
        wait_for_figures(driver)
        yield driver


def _js(driver, script, *args):
    return driver.execute_script(script, *args)


def test_every_section_renders(page):
    sections = _js(
        page,
        "return Array.from(document.querySelectorAll('section.report-section')).map(s => "
        "[s.id, s.getBoundingClientRect().height, s.querySelector('h2').textContent])",
    )
    ids = [s[0] for s in sections]
    assert ids[:2] == ["overview", "accounts"] and ids[-1] == "methods"
    assert "networks" in ids  # the simulated operation is a cluster
    for section_id, height, title in sections:
        assert height > 100, f"section {section_id} ({title}) is empty"
    toc = _js(page, "return Array.from(document.querySelectorAll('nav.toc a')).map(a => a.hash)")
    assert toc == [f"#{i}" for i in ids]
    # Account panels exist and the table links to them.
    linked = _js(
        page,
        "return Array.from(document.querySelectorAll('#accounts-table a[href^=\"#acct-\"]'))"
        ".filter(a => document.getElementById(a.hash.slice(1))).length",
    )
    assert linked > 0


def test_network_draws_its_points(page):
    fig_id = _js(
        page,
        "var f = document.querySelector('#networks .fig[data-gl=\"1\"]');"
        "f.scrollIntoView({behavior: 'instant', block: 'center'}); return f.id;",
    )
    deadline = time.monotonic() + 20
    drawn = None
    while time.monotonic() < deadline:
        drawn = _js(
            page,
            "var f = document.getElementById(arguments[0]);"
            "if (!f.data || !f.querySelector('.main-svg')) return null;"
            "return {canvas: f.querySelectorAll('canvas').length,"
            "        svgPoints: f.querySelectorAll('.scatterlayer .point').length,"
            "        nodes: f.data.filter(t => t.mode === 'markers').reduce((n, t) => n + t.x.length, 0),"
            "        roles: f.data.filter(t => t.mode === 'markers').map(t => t.name)};",
            fig_id,
        )
        if drawn:
            break
        time.sleep(0.2)
    assert drawn, "the network figure was not drawn"
    assert drawn["canvas"] > 0 or drawn["svgPoints"] > 0
    assert drawn["nodes"] >= 10
    assert set(drawn["roles"]) & {"core", "amplifier"}


def _column(driver, table_id, index):
    return _js(
        driver,
        "return Array.from(document.getElementById(arguments[0]).tBodies[0].rows)"
        ".filter(r => r.style.display !== 'none')"
        ".map(r => r.cells[arguments[1]].getAttribute('data-sort') || r.cells[arguments[1]].textContent.trim())",
        table_id,
        index,
    )


def _header(driver, table_id, text):
    from selenium.webdriver.common.by import By

    table = driver.find_element(By.ID, table_id)
    headers = table.find_elements(By.CSS_SELECTOR, "thead th")
    index = [h.text.strip().rstrip("↕▲▼ ").strip() for h in headers].index(text)
    return headers[index], index


def _click(driver, element):
    # Centre it first: the sticky table of contents covers whatever sits at the top.
    _js(driver, "arguments[0].scrollIntoView({behavior: 'instant', block: 'center'})", element)
    element.click()


def test_tables_sort_when_a_header_is_clicked(page):
    header, index = _header(page, "accounts-table", "bot score")
    _click(page, header)
    first = [float(v) for v in _column(page, "accounts-table", index)]
    assert len(first) > 5
    assert first == sorted(first, reverse=True)
    assert header.get_attribute("aria-sort") == "descending"
    _click(page, header)
    second = [float(v) for v in _column(page, "accounts-table", index)]
    assert second == sorted(second)
    assert header.get_attribute("aria-sort") == "ascending"
    name_header, name_index = _header(page, "accounts-table", "account")
    _click(page, name_header)
    names = _column(page, "accounts-table", name_index)
    assert name_header.get_attribute("aria-sort") == "ascending"
    assert names == sorted(names, key=_js_collation(page, names))


def _js_collation(driver, values):
    """Sort key matching the page's ``localeCompare`` order (Python's differs on punctuation)."""
    order = _js(driver, "return arguments[0].slice().sort((a, b) => a.localeCompare(b))", values)
    rank = {v: i for i, v in enumerate(order)}
    return rank.__getitem__


def test_filter_hides_rows(page):
    from selenium.webdriver.common.by import By

    box = page.find_element(
        By.CSS_SELECTOR, '.controls[data-for="accounts-table"] input.filter-min'
    )
    total = len(_column(page, "accounts-table", 2))
    box.clear()
    box.send_keys("0.99")
    kept = [float(v) for v in _column(page, "accounts-table", 2)]
    assert len(kept) < total and all(v >= 0.99 for v in kept)
    box.clear()
    box.send_keys("0")
    assert len(_column(page, "accounts-table", 2)) == total


def test_every_figure_draws_without_console_errors(page):
    _js(page, "window.flockwatchReport.drawAll()")
    wait_for_figures(page)
    missing = _js(
        page,
        "return Array.from(document.querySelectorAll('.fig'))"
        ".filter(f => f.getAttribute('data-drawn') === '1' && !f.querySelector('.main-svg'))"
        ".map(f => f.id)",
    )
    assert missing == []
    severe = [e for e in page.get_log("browser") if e["level"] == "SEVERE"]
    assert severe == []


def test_no_request_leaves_the_file(page):
    urls = _js(
        page,
        "return performance.getEntriesByType('navigation').concat("
        "performance.getEntriesByType('resource')).map(e => e.name)",
    )
    assert urls and urls[0].startswith("file://")
    outside = [u for u in urls if not u.startswith(("file:", "data:", "blob:"))]
    assert outside == []


def test_screenshot(page, demo_dir):
    _js(page, "document.getElementById('networks').scrollIntoView({behavior: 'instant'})")
    wait_for_figures(page)
    time.sleep(0.5)
    shot = demo_dir / "report.png"
    assert page.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
