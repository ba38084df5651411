"""The committed profile model: loads, ranks obvious cases, refuses mismatched files."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import lightgbm as lgb
import pandas as pd
import pytest

from flockwatch.detect.bot_score.features import PROFILE_FEATURES, profile_features
from flockwatch.detect.bot_score.model import (
    DEFAULT_MODEL_PATH,
    FORMAT_VERSION,
    ModelMissingError,
    ModelVersionError,
    load_model,
    metadata_path,
)
from flockwatch.errors import ModelError

DATA = Path(__file__).parents[3] / ".." / "shared" / "data"
TRAINING = DATA / "training"
needs_data = pytest.mark.skipif(
    not (TRAINING / "cresci-2017").is_dir() or not (TRAINING / "cresci-2015-subset").is_dir(),
    reason="labelled training data (../shared/data/training) not present",
)

OBSERVED = datetime(2024, 6, 1)

# Two clear-cut profiles, one row each.
HUMAN = {
    # eight years old, writes and likes a lot, is on lists, has a bio, place, link, photo
    "screen_name": "maria_rossi",
    "display_name": "Maria Rossi",
    "description": "Teacher in Bologna. Books, cycling, bad puns.",
    "location": "Bologna, Italy",
    "url": "https://example.org/maria",
    "created_at": datetime(2016, 3, 14),
    "verified": False,
    "protected": False,
    "default_profile_image": False,
    "profile_image_url": "https://pbs.twimg.com/profile_images/1/maria.jpg",
    "followers_count": 640,
    "following_count": 410,
    "posts_count": 8200,
    "likes_count": 5300,
    "listed_count": 14,
    "observed_at": OBSERVED,
}
BOT = {
    # three weeks old, handle with a digit run, no bio/location/link, default avatar,
    # follows 1,900 accounts while followed by 3, never liked anything
    "screen_name": "jenn83920174",
    "display_name": "jenn83920174",
    "description": "",
    "location": "",
    "url": "",
    "created_at": datetime(2024, 5, 10),
    "verified": False,
    "protected": False,
    "default_profile_image": True,
    "profile_image_url": "https://abs.twimg.com/sticky/default_profile_images/default_profile.png",
    "followers_count": 3,
    "following_count": 1900,
    "posts_count": 4,
    "likes_count": 0,
    "listed_count": 0,
    "observed_at": OBSERVED,
}


def score(booster: lgb.Booster, rows: list[dict[str, object]]) -> list[float]:
    return list(booster.predict(profile_features(pd.DataFrame(rows))[PROFILE_FEATURES]))


@pytest.fixture(scope="module")
def model() -> tuple[lgb.Booster, dict]:
    return load_model()


@pytest.fixture
def model_copy(tmp_path: Path) -> Path:
    """A copy of the committed model + metadata that a test may tamper with."""
    dst = tmp_path / DEFAULT_MODEL_PATH.name
    shutil.copy(DEFAULT_MODEL_PATH, dst)
    shutil.copy(metadata_path(DEFAULT_MODEL_PATH), metadata_path(dst))
    return dst


def test_committed_model_loads(model: tuple[lgb.Booster, dict]) -> None:
    booster, meta = model
    assert meta["format_version"] == FORMAT_VERSION
    assert meta["features"] == PROFILE_FEATURES
    assert booster.feature_name() == PROFILE_FEATURES
    assert meta["metrics"]["cross_dataset"]  # the card's figures live in the metadata
    assert len(meta["training_data"]) == 6 and all(
        len(f["sha256"]) == 64 for f in meta["training_data"]
    )


def test_botlike_scores_above_humanlike(model: tuple[lgb.Booster, dict]) -> None:
    booster, _ = model
    human, bot = score(booster, [HUMAN, BOT])
    assert bot > 0.8
    assert human < 0.2


def test_missing_columns_do_not_look_like_zero_counts(model: tuple[lgb.Booster, dict]) -> None:
    # A platform without likes, lists, verification or avatar flags (e.g. a forum export):
    # the human must not turn botlike because those columns are absent.
    drop = ["likes_count", "listed_count", "verified", "default_profile_image"]
    human_partial = {k: v for k, v in HUMAN.items() if k not in drop}
    bot_partial = {k: v for k, v in BOT.items() if k not in drop}
    human, bot = score(booster := model[0], [human_partial, bot_partial])
    assert human < 0.5 < bot
    # and with nothing but counts and names, the order still holds
    keep = ["screen_name", "display_name", "followers_count", "following_count", "posts_count"]
    h, b = score(booster, [{k: HUMAN[k] for k in keep}, {k: BOT[k] for k in keep}])
    assert h < b


def test_directory_path_is_accepted(model_copy: Path) -> None:
    booster, meta = load_model(model_copy.parent)
    assert meta["model"] == "bot_profile"
    assert booster.num_trees() > 0


def test_refuses_other_format_version(model_copy: Path) -> None:
    meta_file = metadata_path(model_copy)
    meta = json.loads(meta_file.read_text())
    meta["format_version"] = FORMAT_VERSION + 1
    meta_file.write_text(json.dumps(meta))
    with pytest.raises(ModelVersionError) as err:
        load_model(model_copy)
    msg = str(err.value)
    assert f"format_version {FORMAT_VERSION + 1}" in msg
    assert f"format_version {FORMAT_VERSION};" in msg
    assert str(model_copy) in msg
    assert "flockwatch train bot-model" in msg
    assert isinstance(err.value, ModelError)


def test_refuses_other_feature_list(model_copy: Path) -> None:
    meta_file = metadata_path(model_copy)
    meta = json.loads(meta_file.read_text())
    meta["features"] = [f for f in meta["features"] if f != "log_likes"] + ["lang_is_it"]
    meta_file.write_text(json.dumps(meta))
    with pytest.raises(ModelVersionError, match="lang_is_it") as err:
        load_model(model_copy)
    assert "log_likes" in str(err.value)
    assert "train" in str(err.value)


def test_refuses_unreadable_metadata(model_copy: Path) -> None:
    metadata_path(model_copy).write_text("{not json")
    with pytest.raises(ModelVersionError, match="cannot be read"):
        load_model(model_copy)


def test_missing_files(model_copy: Path, tmp_path: Path) -> None:
    with pytest.raises(ModelMissingError) as err:
        load_model(tmp_path / "nowhere" / "bot_profile.lgb.txt")
    assert isinstance(err.value, FileNotFoundError)
    assert "nowhere" in str(err.value)
    metadata_path(model_copy).unlink()
    with pytest.raises(ModelMissingError, match="bot_profile.json"):
        load_model(model_copy)


@needs_data
def test_training_data_mapping() -> None:
    from flockwatch.detect.bot_score.train import load_dataset

    c17 = load_dataset(TRAINING, "cresci-2017")
    c15 = load_dataset(TRAINING, "cresci-2015-subset")
    assert len(c17.accounts) == 3474 + 991 + 3457 + 464
    assert len(c15.accounts) == 1481 + 1337
    assert c17.accounts["label"].sum() == 991 + 3457 + 464
    # cresci-2017 has crawl times; cresci-2015 gets the documented estimate
    assert c17.observed_at_source == "crawled_at column"
    assert (c15.accounts["observed_at"] == pd.Timestamp("2013-05-01")).all()
    # never recorded in cresci-2015 -> unknown, not False
    assert c15.accounts["verified"].isna().all()
    assert c17.accounts["verified"].notna().all()
    assert c17.accounts["created_at"].notna().all() and c15.accounts["created_at"].notna().all()
    assert (c17.accounts["observed_at"] > c17.accounts["created_at"]).all()


@needs_data
def test_training_reproduces_committed_model(
    tmp_path: Path, model: tuple[lgb.Booster, dict]
) -> None:
    _, meta = model
    if meta["lightgbm_version"] != lgb.__version__:
        pytest.skip(f"committed model made with LightGBM {meta['lightgbm_version']}")
    from flockwatch.detect.bot_score.train import train_profile_model

    out = train_profile_model(TRAINING, tmp_path, seed=meta["seed"])
    assert Path(out["model_path"]).read_bytes() == DEFAULT_MODEL_PATH.read_bytes()
    assert out["metrics"] == meta["metrics"]
