"""Feature values of ``profile_features`` on small hand-made tables."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flockwatch.detect.bot_score.features import (
    FEATURE_DESCRIPTIONS,
    PROFILE_FEATURES,
    profile_features,
)

T0 = datetime(2020, 1, 1)


def one(**cols: object) -> pd.Series:
    """Features of a single account given as keyword columns."""
    return profile_features(pd.DataFrame({k: [v] for k, v in cols.items()})).iloc[0]


def test_feature_list_and_descriptions_agree() -> None:
    assert len(PROFILE_FEATURES) == len(set(PROFILE_FEATURES))
    assert set(FEATURE_DESCRIPTIONS) == set(PROFILE_FEATURES)
    assert all(isinstance(v, str) and v for v in FEATURE_DESCRIPTIONS.values())
    # the example the explanations rely on
    assert FEATURE_DESCRIPTIONS["posts_per_day"] == "posts per day of account age"


def test_screen_name_digits_length_entropy() -> None:
    f = profile_features(
        pd.DataFrame(
            {
                # 3 digits of 6 characters; "aabb": 2 symbols equally likely = 1 bit;
                # "": known-empty name, share and entropy undefined
                "screen_name": ["abc123", "aabb", ""],
            }
        )
    )
    assert f["screen_name_length"].tolist() == [6.0, 4.0, 0.0]
    assert f["screen_name_digits"].tolist() == [3.0, 0.0, 0.0]
    assert f.loc[0, "screen_name_digit_share"] == pytest.approx(0.5)
    assert f.loc[1, "screen_name_digit_share"] == 0.0
    assert math.isnan(f.loc[2, "screen_name_digit_share"])
    assert f.loc[1, "screen_name_entropy"] == pytest.approx(1.0)
    assert f.loc[0, "screen_name_entropy"] == pytest.approx(math.log2(6))
    assert math.isnan(f.loc[2, "screen_name_entropy"])


def test_display_name_features_and_similarity() -> None:
    f = profile_features(
        pd.DataFrame(
            {
                # same letters once case, accents and "_" are ignored -> similarity 1
                "display_name": ["José Smith", "Bot 2024 Army", None],
                "screen_name": ["jose_smith", "xq7zv", "someone"],
            }
        )
    )
    assert f.loc[0, "name_screen_name_similarity"] == pytest.approx(1.0)
    assert f.loc[1, "name_screen_name_similarity"] < 0.3
    assert f.loc[1, "display_name_words"] == 3.0
    assert f.loc[1, "display_name_digits"] == 4.0
    assert f.loc[0, "display_name_length"] == 10.0
    # row 2 has no display name: every display-name feature is unknown, not zero
    for col in ("display_name_length", "display_name_words", "name_screen_name_similarity"):
        assert math.isnan(f.loc[2, col])


def test_age_and_growth_rates() -> None:
    f = profile_features(
        pd.DataFrame(
            {
                # 10 days old; 25 days old observed with a tz-aware UTC+2 time;
                # created after its observation (bad clock) -> age unknown;
                # created the same hour -> rates divide by 1 day, not by ~0
                "created_at": [T0, T0, T0 + pd.Timedelta(days=5), T0],
                "observed_at": [
                    T0 + pd.Timedelta(days=10),
                    pd.Timestamp("2020-01-26 02:00", tz="Europe/Berlin").tz_convert(UTC),
                    T0,
                    T0 + pd.Timedelta(hours=1),
                ],
                "posts_count": [100, 50, 100, 30],
                "followers_count": [20, 0, 1, 3],
            }
        )
    )
    assert f.loc[0, "account_age_days"] == pytest.approx(10.0)
    assert f.loc[0, "posts_per_day"] == pytest.approx(10.0)
    assert f.loc[0, "followers_per_day"] == pytest.approx(2.0)
    assert f.loc[1, "account_age_days"] == pytest.approx(25.0 + 1 / 24)
    assert math.isnan(f.loc[2, "account_age_days"])
    assert math.isnan(f.loc[2, "posts_per_day"])
    assert f.loc[3, "posts_per_day"] == pytest.approx(30.0)
    # likes_count column absent: the likes rate is unknown, never "0 likes"
    assert f["likes_per_day"].isna().all()


def test_counts_and_ratios() -> None:
    f = profile_features(
        pd.DataFrame(
            {
                # ordinary; following 0 (ratio divides by 1); NA followers; negative = corrupt
                "followers_count": pd.array([99, 5, pd.NA, -3], dtype="Int64"),
                "following_count": pd.array([9, 0, 10, 10], dtype="Int64"),
                "posts_count": pd.array([0, 10, 10, 10], dtype="Int64"),
                "likes_count": pd.array([7, 20, 10, 10], dtype="Int64"),
            }
        )
    )
    assert f.loc[0, "log_followers"] == pytest.approx(math.log(100))
    assert f.loc[0, "followers_following_ratio"] == pytest.approx(11.0)
    assert f.loc[0, "likes_per_post"] == pytest.approx(7.0)  # 0 posts -> divide by 1
    assert f.loc[1, "followers_following_ratio"] == pytest.approx(5.0)
    assert f.loc[1, "likes_per_post"] == pytest.approx(2.0)
    for row in (2, 3):
        assert math.isnan(f.loc[row, "log_followers"])
        assert math.isnan(f.loc[row, "followers_following_ratio"])


def test_only_some_columns_gives_nan_elsewhere() -> None:
    # a platform that exports nothing but a handle and a follower count
    accounts = pd.DataFrame({"screen_name": ["alice"], "followers_count": [12]}, index=[42])
    f = profile_features(accounts)
    assert list(f.columns) == PROFILE_FEATURES
    assert list(f.index) == [42]
    assert all(dt == np.float64 for dt in f.dtypes)
    known = {
        "log_followers",
        "screen_name_length",
        "screen_name_digits",
        "screen_name_digit_share",
        "screen_name_entropy",
    }
    assert f.loc[42, sorted(known)].notna().all()
    assert f.loc[42, [c for c in PROFILE_FEATURES if c not in known]].isna().all()


def test_empty_frame() -> None:
    f = profile_features(pd.DataFrame())
    assert list(f.columns) == PROFILE_FEATURES
    assert len(f) == 0


def test_text_flags_and_default_image() -> None:
    f = profile_features(
        pd.DataFrame(
            {
                # 0: flags given as strings, bio with text, default avatar only in the URL
                # 1: blank bio and location, flag false but URL is Twitter's default avatar
                # 2: everything unknown (NA)
                # 3: own picture, flag false
                "description": ["hello", "   ", None, ""],
                "location": ["Rome", "", None, "x"],
                "url": ["https://a.example", "", None, None],
                "verified": ["true", "0", None, False],
                "protected": ["1", "false", pd.NA, True],
                "default_profile_image": [None, False, None, False],
                "profile_image_url": [
                    "http://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png",
                    "https://pbs.twimg.com/sticky/default_profile_images/x.png",
                    None,
                    "https://pbs.twimg.com/profile_images/1/me.jpg",
                ],
            }
        )
    )
    assert f["description_length"].tolist()[:2] == [5.0, 0.0]
    assert f["empty_description"].tolist()[:2] == [0.0, 1.0]
    assert f.loc[3, "empty_description"] == 1.0
    assert f["has_location"].tolist()[:2] == [1.0, 0.0]
    assert f["has_url"].tolist()[:2] == [1.0, 0.0]
    assert f["verified"].tolist()[:2] == [1.0, 0.0]
    assert f["protected"].tolist()[:2] == [1.0, 0.0]
    assert f.loc[3, "verified"] == 0.0
    assert f.loc[3, "protected"] == 1.0
    assert f["default_profile_image"].tolist()[:2] == [1.0, 1.0]
    assert f.loc[3, "default_profile_image"] == 0.0
    assert f.loc[2, ["description_length", "has_url", "verified", "protected"]].isna().all()
    assert math.isnan(f.loc[2, "default_profile_image"])


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "screen_name": st.one_of(st.none(), st.text(max_size=20)),
                "display_name": st.one_of(st.none(), st.text(max_size=30)),
                "description": st.one_of(st.none(), st.text(max_size=50)),
                "followers_count": st.one_of(st.none(), st.integers(-5, 10**9)),
                "following_count": st.one_of(st.none(), st.integers(-5, 10**9)),
                "created_at": st.one_of(st.none(), st.datetimes(min_value=datetime(2000, 1, 1))),
                "observed_at": st.one_of(st.none(), st.datetimes(min_value=datetime(2000, 1, 1))),
                "verified": st.one_of(st.none(), st.booleans()),
            }
        ),
        max_size=5,
    )
)
def test_any_input_gives_finite_or_nan(rows: list[dict[str, object]]) -> None:
    f = profile_features(pd.DataFrame(rows))
    assert list(f.columns) == PROFILE_FEATURES
    assert len(f) == len(rows)
    values = f.to_numpy(dtype=float)
    assert not np.isinf(values).any()
    assert (values[~np.isnan(values)] >= 0).all()
