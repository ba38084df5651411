"""Loading the fake-profile model, refusing files that do not match this code.

Two files beside the bot models (``flockwatch/detect/bot_score/models``): ``fake_profile.lgb.txt``
(LightGBM's text format) and ``fake_profile.json`` (metadata written by
:mod:`flockwatch.detect.fake_followers.train`). The checks are the bot model's
(:func:`flockwatch.detect.bot_score.model.load_model`): the metadata's ``format_version`` and
feature list must equal this code's, or the features would reach the trees in the wrong
meaning or order, silently.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import lightgbm as lgb

from flockwatch.detect.bot_score.model import MODEL_DIR, _load_checked
from flockwatch.detect.fake_followers.fake_profile import FAKE_PROFILE_FEATURES

__all__ = [
    "FORMAT_VERSION",
    "MODEL_NAME",
    "RETRAIN_HINT",
    "load_fake_profile_model",
]

#: Version of the model file contract (feature definitions + metadata layout). Bump it whenever a
#: feature's meaning changes, even if its name does not.
FORMAT_VERSION: int = 1
MODEL_NAME: str = "fake_profile"
DEFAULT_MODEL_PATH: Path = MODEL_DIR / f"{MODEL_NAME}.lgb.txt"
RETRAIN_HINT: str = (
    "retrain it with `flockwatch train fake-profile-model` (or `python -m "
    "flockwatch.detect.fake_followers.train --data DATA_DIR`)"
)


def load_fake_profile_model(path: str | Path | None = None) -> tuple[lgb.Booster, dict[str, Any]]:
    """Load the fake-profile model and its metadata, checking they match this code.

    Parameters
    ----------
    path
        The ``*.lgb.txt`` file, or a directory holding ``fake_profile.lgb.txt``; the metadata
        is the ``.json`` beside it. Default: the model shipped inside the package.

    Returns
    -------
    booster : lightgbm.Booster
        ``booster.predict(features[FAKE_PROFILE_FEATURES])`` is the probability that a profile
        is fake.
    metadata : dict
        Features, training-data hashes, seed, parameters and metrics.

    Raises
    ------
    flockwatch.detect.bot_score.model.ModelMissingError
        The model file or its metadata is missing.
    flockwatch.detect.bot_score.model.ModelVersionError
        Its ``format_version`` or feature list differs from this code's (the message names both
        versions, the path and how to retrain).
    """
    return _load_checked(
        path,
        name=MODEL_NAME,
        features=FAKE_PROFILE_FEATURES,
        format_version=FORMAT_VERSION,
        what="fake-profile model",
        hint=RETRAIN_HINT,
    )
