"""Cut-offs from the data: FDR against the null model, robust z."""

from __future__ import annotations

import math

import numpy as np
import pytest

from flockwatch.detect.coordination.weights import choose_cutoff, fdr_threshold, robust_z_threshold


def test_no_null_edges_keeps_every_observed_edge():
    assert fdr_threshold(np.array([3.0, 1.0, 2.0]), np.array([]), 0.05) == (1.0, 0.0)


def test_fdr_keeps_only_weights_the_null_rarely_reaches():
    observed = np.array([10.0] * 20 + [1.0] * 20)
    null = np.array([1.0] * 15)
    threshold, false = fdr_threshold(observed, null, 0.05)
    assert threshold == 10.0 and false == 0
    # with a looser rate the low weights come in: 15 null edges over 40 observed
    assert fdr_threshold(observed, null, 0.5)[0] == 1.0


def test_null_as_strong_as_observed_keeps_nothing():
    threshold, _ = fdr_threshold(np.array([2.0, 2.0]), np.array([2.0, 2.0]), 0.05)
    assert math.isinf(threshold)


def test_robust_z():
    w = np.exp(np.array([0.0, 0.0, 1.0, -1.0, 0.0]))
    assert robust_z_threshold(w, 2.0) == pytest.approx(math.exp(2 * 1.4826 * 0.0))


def test_cutoff_reports_its_figures():
    cut = choose_cutoff(
        "co_repost", np.array([5.0, 1.0]), np.array([1.0]), method="null", max_fdr=0.5, robust_z=3.0
    )
    d = cut.as_dict()
    assert d["network"] == "co_repost" and d["n_observed"] == 2 and d["n_null"] == 1
    assert d["n_kept"] == 2 and d["threshold"] == 1.0
    none = choose_cutoff(
        "co_post", np.array([2.0]), np.array([2.0]), method="null", max_fdr=0.05, robust_z=3.0
    )
    assert none.as_dict()["threshold"] is None and none.n_kept == 0  # JSON has no infinity
