"""Cluster metrics and the inauthenticity score."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import duckdb
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flockwatch.detect.coordination.clusters import (
    account_metrics,
    client_signal,
    creation_burst_share,
    inauthenticity,
)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(st.integers(0, 400), min_size=1, max_size=8), min_size=1, max_size=4))
def test_sql_creation_burst_equals_the_reference(clusters):
    rows = [
        {
            "cluster_id": f"c{i}",
            "created_at": datetime(2020, 1, 1) + timedelta(days=d),
            "first_post": datetime(2021, 1, 1),
            "default_image": False,
            "empty_bio": True,
            "verified": False,
            "bot_score": None,
        }
        for i, days in enumerate(clusters)
        for d in days
    ]
    frame = pd.DataFrame(rows)
    frame["bot_score"] = frame["bot_score"].astype(float)
    got = account_metrics(duckdb.connect(), frame).set_index("cluster_id")
    for cid, g in frame.groupby("cluster_id"):
        assert got.loc[cid, "creation_burst_share"] == pytest.approx(
            creation_burst_share(g["created_at"])
        )
        assert got.loc[cid, "empty_bio_share"] == 1.0
        assert math.isnan(got.loc[cid, "bot_score_mean"])


def test_score_is_a_weighted_mean_lowered_by_verified_targets():
    high = {
        "creation_burst_share": 1.0,
        "young_share": 1.0,
        "top_client_share": 1.0,
        "echo_ratio": 1.0,
        "copy_paste_share": 1.0,
        "default_image_share": 1.0,
        "empty_bio_share": 1.0,
        "verified_target_share": 0.0,
    }
    score, used = inauthenticity(high)
    assert score == 1.0 and "bot_score_mean" not in used  # absent signals are left out
    assert inauthenticity({**high, "verified_target_share": 1.0})[0] == pytest.approx(0.5)
    low = dict.fromkeys(high, 0.0) | {"top_client_share": 0.45}
    assert inauthenticity(low)[0] == 0.0
    assert inauthenticity({})[0] == 0.0
    assert 0 <= inauthenticity({**low, "bot_score_mean": 0.9})[0] <= 1


def test_client_signal_ramps_from_ordinary_to_full():
    assert client_signal(0.5) == 0.0 and client_signal(0.9) == 1.0
    assert client_signal(0.7) == pytest.approx(0.5)
    assert math.isnan(client_signal(float("nan")))
