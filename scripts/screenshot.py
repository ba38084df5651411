"""Make the README's screenshot of the report with the project's own tooling.

    python scripts/screenshot.py                      # runs the demo, writes docs/report.png
    python scripts/screenshot.py --report R.html      # screenshot of an existing report

Needs the system Chromium and chromedriver (Debian: ``apt-get install chromium chromium-driver``)
and Selenium (the ``dev`` extra).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from flockwatch.report.browser import missing_reason, screenshot

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", type=Path, help="report to shoot (default: run the demo)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "report.png")
    parser.add_argument("--scroll-to", default=None, help="CSS selector to scroll to first")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=1300)
    args = parser.parse_args()
    reason = missing_reason()
    if reason:
        print(f"cannot take a screenshot: {reason}", file=sys.stderr)
        return 1
    report = args.report
    if report is None:
        work = Path(tempfile.mkdtemp(prefix="flockwatch-shot-"))
        subprocess.run([sys.executable, "-m", "flockwatch", "demo", "--out", str(work)], check=True)
        report = work / "report.html"
    png = screenshot(
        report, args.out, width=args.width, height=args.height, scroll_to=args.scroll_to
    )
    print(f"wrote {png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
