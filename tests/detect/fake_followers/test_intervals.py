"""Wilson score intervals against published hand-computed values (issue 7 §1)."""

from __future__ import annotations

import numpy as np
import pytest

from flockwatch.detect.fake_followers.intervals import wilson_interval

# R. G. Newcombe, "Two-sided confidence intervals for the single proportion: comparison of seven
# methods", Statistics in Medicine 17 (1998) 857-872, Table II, method 3 (score, no correction).
NEWCOMBE = [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0, 0.1611),
    (1, 29, 0.0061, 0.1718),
]


@pytest.mark.parametrize(("k", "n", "low", "high"), NEWCOMBE)
def test_matches_newcombe_table(k, n, low, high):
    lo, hi = wilson_interval(k, n)
    assert round(float(lo), 4) == low and round(float(hi), 4) == high


def test_by_hand_62_of_100():
    # p = 0.62, z = 1.96: centre = (0.62 + 1.96²/200) / (1 + 1.96²/100) = 0.6156,
    # half = 1.96 / 1.0384 * sqrt(0.62 * 0.38 / 100 + 1.96² / 40000) = 0.0935
    lo, hi = wilson_interval(62, 100)
    assert float(lo) == pytest.approx(0.5221, abs=1e-4)
    assert float(hi) == pytest.approx(0.7090, abs=1e-4)


def test_vectorised_symmetric_and_undefined_without_trials():
    k = np.array([0, 3, 10, 0])
    n = np.array([10, 10, 10, 0])
    lo, hi = wilson_interval(k, n)
    assert np.isnan(lo[3]) and np.isnan(hi[3])
    # the interval of k successes mirrors that of n - k
    assert lo[0] == pytest.approx(1 - hi[2]) and hi[0] == pytest.approx(1 - lo[2])
    assert lo[1] < 0.3 < hi[1]
    assert round(float(hi[0]), 4) == 0.2775  # 0 of 10: the classic 0.2775 upper bound
