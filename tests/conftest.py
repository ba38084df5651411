"""House rules for flockwatch's tests.

- Fixtures are tiny hand-made files in ``tests/fixtures`` that mirror the real formats; every row is
  there for a reason (see the comments where the fixture is built). One valid fixture per reader
  format lives in ``tests/fixtures/formats/<format>.<ext>``; the corruption property test uses them.
- Tests that read the real public data in ``../shared/data`` use the ``shared_data`` fixture and
  skip cleanly when that folder is absent (a fresh clone has none).
- No network, no timing assertions (speed is measured by scripts in ``benchmarks/``), fixed seeds.
- Every test must be able to fail: assert on values computed by the code under test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flockwatch.store.db import Store

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
FORMAT_FIXTURES = FIXTURES / "formats"
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    """``../shared/data`` beside the checkout; skips the test when absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real sample data not present at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture
def store() -> Store:
    """An empty in-memory store."""
    s = Store(":memory:")
    yield s
    s.close()


def format_fixture(name: str) -> Path:
    """The one valid fixture file of a reader format."""
    matches = sorted(FORMAT_FIXTURES.glob(f"{name}.*"))
    if not matches:
        raise FileNotFoundError(f"no fixture for format {name} in {FORMAT_FIXTURES}")
    return matches[0]
