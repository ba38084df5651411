"""The fake-profile model: features from canonical columns, the committed model, its loader."""

from __future__ import annotations

import hashlib
import json
import math
import shutil

import pandas as pd
import pytest

from flockwatch.detect.bot_score.model import MODEL_DIR, ModelMissingError, ModelVersionError
from flockwatch.detect.fake_followers.fake_profile import (
    FAKE_PROFILE_FEATURES,
    fake_profile_features,
    instagram_features,
)
from flockwatch.detect.fake_followers.fake_profile_model import (
    FORMAT_VERSION,
    load_fake_profile_model,
)
from flockwatch.errors import ModelError

ROWS = pd.DataFrame(
    [
        {  # a stock account: digits in the handle, no bio, default avatar, follows hundreds
            "screen_name": "anna_1987",
            "display_name": "Anna K",
            "description": "",
            "url": "",
            "protected": False,
            "default_profile_image": True,
            "profile_image_url": None,
            "posts_count": 0,
            "followers_count": 3,
            "following_count": 450,
        },
        {  # a person: name equals the handle (case ignored), bio, link, photo by URL only
            "screen_name": "MariaRossi",
            "display_name": "mariarossi",
            "description": "  Teacher in Bologna.  ",
            "url": "https://example.org",
            "protected": True,
            "default_profile_image": None,
            "profile_image_url": "https://pbs.twimg.com/profile_images/1/m.jpg",
            "posts_count": 820,
            "followers_count": 640,
            "following_count": 410,
        },
        {  # nothing known but the handle; the default avatar is recognised from its URL
            "screen_name": "x",
            "display_name": None,
            "description": None,
            "url": None,
            "protected": None,
            "default_profile_image": False,
            "profile_image_url": "https://abs.twimg.com/sticky/default_profile_images/d.png",
            "posts_count": None,
            "followers_count": None,
            "following_count": None,
        },
    ]
)


def test_features_by_hand():
    f = fake_profile_features(ROWS)
    assert list(f.columns) == FAKE_PROFILE_FEATURES
    stock, maria, unknown = (f.iloc[i].to_dict() for i in range(3))
    assert stock["username_digit_share"] == 0.44  # 4 of 9 characters, 2 decimals as on Instagram
    assert stock["fullname_words"] == 2 and stock["fullname_digit_share"] == 0
    assert stock["name_equals_username"] == 0 and stock["description_length"] == 0
    assert stock["has_profile_pic"] == 0 and stock["has_url"] == 0 and stock["private"] == 0
    assert stock["log_posts"] == 0 and stock["log_followers"] == pytest.approx(math.log(4))
    assert stock["log_follower_ratio"] == pytest.approx(math.log(4) - math.log(451))
    assert maria["name_equals_username"] == 1 and maria["description_length"] == 19
    assert maria["has_profile_pic"] == 1 and maria["has_url"] == 1 and maria["private"] == 1
    assert unknown["has_profile_pic"] == 0  # default avatar URL wins over the false flag
    for name in ("fullname_words", "description_length", "has_url", "private", "log_posts"):
        assert math.isnan(unknown[name]), name


def test_instagram_columns_map_onto_the_same_features():
    raw = pd.DataFrame(
        [[1, 0.27, 0, 0, 0, 53, 0, 0, 32, 1000, 955, 0]],
        columns=[
            "profile pic",
            "nums/length username",
            "fullname words",
            "nums/length fullname",
            "name==username",
            "description length",
            "external URL",
            "private",
            "#posts",
            "#followers",
            "#follows",
            "fake",
        ],
    )
    x = instagram_features(raw).iloc[0]
    assert x["has_profile_pic"] == 1 and x["username_digit_share"] == 0.27
    assert x["log_followers"] == pytest.approx(math.log(1001))
    assert x["log_follower_ratio"] == pytest.approx(math.log(1001) - math.log(956))


def test_committed_model_separates_obvious_profiles():
    booster, meta = load_fake_profile_model()
    assert meta["format_version"] == FORMAT_VERSION and meta["features"] == FAKE_PROFILE_FEATURES
    stock, maria, _ = booster.predict(fake_profile_features(ROWS)[FAKE_PROFILE_FEATURES])
    assert stock > 0.8 and maria < 0.2
    held_out = meta["metrics"]["held_out_test"]
    assert held_out["n"] == 120 and held_out["auc"] > 0.9


def _copy(tmp_path):
    for suffix in (".lgb.txt", ".json"):
        shutil.copy(MODEL_DIR / f"fake_profile{suffix}", tmp_path / f"fake_profile{suffix}")
    return tmp_path / "fake_profile.json"


def test_loader_refuses_another_format_version(tmp_path):
    meta_path = _copy(tmp_path)
    meta = json.loads(meta_path.read_text())
    meta["format_version"] = FORMAT_VERSION + 1
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(
        ModelVersionError, match=rf"format_version {FORMAT_VERSION + 1}.*{FORMAT_VERSION}"
    ):
        load_fake_profile_model(tmp_path)


def test_loader_refuses_another_feature_list(tmp_path):
    meta_path = _copy(tmp_path)
    meta = json.loads(meta_path.read_text())
    meta["features"] = meta["features"][::-1]
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(ModelVersionError, match="another order"):
        load_fake_profile_model(tmp_path)


def test_loader_says_when_the_model_is_missing(tmp_path):
    with pytest.raises(ModelMissingError, match="fake-profile-model") as info:
        load_fake_profile_model(tmp_path)
    assert isinstance(info.value, ModelError) and isinstance(info.value, FileNotFoundError)


def test_training_reproduces_the_committed_model(shared_data, tmp_path):
    if not (shared_data / "training" / "instagram-fake-spammer-genuine").is_dir():
        pytest.skip("Instagram training data not present")
    from flockwatch.detect.fake_followers.train import report, train_fake_profile_model

    meta = train_fake_profile_model(shared_data / "training", tmp_path, seed=0)
    digest = hashlib.sha256((tmp_path / "fake_profile.lgb.txt").read_bytes()).hexdigest()
    committed = hashlib.sha256((MODEL_DIR / "fake_profile.lgb.txt").read_bytes()).hexdigest()
    assert digest == committed
    assert "held-out test.csv" in report(meta)
