"""Open a report in the system's headless Chromium: for the browser test and the README screenshot.

Uses Debian's ``chromium`` and ``chromium-driver`` driven by Selenium (the ``dev`` extra); never a
browser downloaded at run time. Nothing else in flockwatch needs a browser.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: Headless, no sandbox (CI runs as root), and no traffic of the browser's own: updates,
#: sync, field trials; with an empty profile, the only thing the page can load is itself.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    # Software WebGL so network pictures draw the way they do on a desktop.
    "--enable-unsafe-swiftshader",
)
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
DRIVER_NAMES = ("chromedriver", "chromium-driver")


def find_browser() -> tuple[str, str] | None:
    """Paths of a Chromium binary and its driver, or ``None`` when either is missing."""
    browser = os.environ.get("FLOCKWATCH_CHROMIUM") or next(
        (p for p in map(shutil.which, CHROMIUM_NAMES) if p), None
    )
    driver = os.environ.get("FLOCKWATCH_CHROMEDRIVER") or next(
        (p for p in map(shutil.which, DRIVER_NAMES) if p), None
    )
    if not browser or not driver:
        return None
    return browser, driver


def missing_reason() -> str | None:
    """Why the browser cannot run here (``None`` when it can)."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    if find_browser() is None:
        return (
            "no system Chromium and chromedriver on PATH "
            "(Debian: apt-get install chromium chromium-driver)"
        )
    return None


@contextmanager
def chromium(width: int = 1400, height: int = 1000) -> Iterator[Any]:
    """A Selenium driver for headless Chromium with a fresh, empty profile, closed afterwards."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    found = find_browser()
    if found is None:
        raise RuntimeError(missing_reason() or "no browser")
    browser, driver_path = found
    profile = tempfile.mkdtemp(prefix="flockwatch-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={width},{height}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def screenshot(
    report: str | os.PathLike,
    out: str | os.PathLike,
    *,
    width: int = 1400,
    height: int = 1000,
    scroll_to: str | None = None,
) -> Path:
    """Open ``report`` and save a PNG of the window (after the figures in view are drawn)."""
    import time

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with chromium(width, height) as driver:
        driver.get(Path(report).resolve().as_uri())
        if scroll_to:
            driver.execute_script(
                "var e = document.querySelector(arguments[0]); if (e) e.scrollIntoView();",
                scroll_to,
            )
        wait_for_figures(driver)
        time.sleep(0.5)
        driver.save_screenshot(str(out))
    return out


def wait_for_figures(driver: Any, timeout: float = 20.0) -> None:
    """Wait until every figure that has started drawing has its plot in the page."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pending = driver.execute_script(
            "return Array.from(document.querySelectorAll('.fig[data-drawn=\"1\"]'))"
            ".filter(e => !e.querySelector('.main-svg')).length"
        )
        if not pending:
            return
        time.sleep(0.2)
