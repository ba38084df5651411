"""Loading the trained bot models, refusing files that do not match this code.

The profile model is two files side by side: ``bot_profile.lgb.txt`` (LightGBM's text format) and
``bot_profile.json`` (metadata written by :mod:`flockwatch.detect.bot_score.train`). A model is
only used when its metadata's ``format_version`` and feature list equal this code's
:data:`FORMAT_VERSION` and :data:`~flockwatch.detect.bot_score.features.PROFILE_FEATURES`;
otherwise the features would be fed to the trees in the wrong meaning or order, silently.
The behaviour model (``bot_behaviour.*``, :mod:`flockwatch.detect.bot_score.train_behaviour`) is
checked the same way against :data:`BEHAVIOUR_FORMAT_VERSION` and the behaviour feature list.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import lightgbm as lgb

from flockwatch.detect.bot_score.features import PROFILE_FEATURES
from flockwatch.errors import ModelError

__all__ = [
    "BEHAVIOUR_FORMAT_VERSION",
    "BEHAVIOUR_MODEL_NAME",
    "DEFAULT_MODEL_PATH",
    "FORMAT_VERSION",
    "MODEL_NAME",
    "ModelMissingError",
    "ModelVersionError",
    "RETRAIN_HINT",
    "load_behaviour_model",
    "load_model",
    "metadata_path",
    "model_file",
]

#: Version of the model file contract (feature definitions + metadata layout). Bump it whenever
#: a feature's meaning changes, even if its name does not.
FORMAT_VERSION: int = 1
MODEL_NAME: str = "bot_profile"
MODEL_DIR: Path = Path(__file__).resolve().parent / "models"
DEFAULT_MODEL_PATH: Path = MODEL_DIR / f"{MODEL_NAME}.lgb.txt"
RETRAIN_HINT: str = (
    "retrain it with `flockwatch train bot-model` (or `python -m "
    "flockwatch.detect.bot_score.train --data DATA_DIR --out flockwatch/detect/bot_score/models`)"
)

#: Version of the behaviour model's file contract (behaviour feature definitions + metadata).
BEHAVIOUR_FORMAT_VERSION: int = 1
BEHAVIOUR_MODEL_NAME: str = "bot_behaviour"
BEHAVIOUR_RETRAIN_HINT: str = (
    "retrain it with `python -m flockwatch.detect.bot_score.train_behaviour "
    "--out flockwatch/detect/bot_score/models` (after retraining the profile model, too)"
)


class ModelMissingError(ModelError, FileNotFoundError):
    """The model file or its metadata file does not exist."""


class ModelVersionError(ModelError):
    """The model was written for another format version or another feature list."""


def metadata_path(model_path: str | Path) -> Path:
    """Path of the metadata JSON that belongs to a ``*.lgb.txt`` model file.

    Parameters
    ----------
    model_path
        The LightGBM text model, e.g. ``models/bot_profile.lgb.txt``.

    Returns
    -------
    pathlib.Path
        ``models/bot_profile.json`` for the example above.
    """
    p = Path(model_path)
    name = p.name
    stem = name[: -len(".lgb.txt")] if name.endswith(".lgb.txt") else p.stem
    return p.with_name(f"{stem}.json")


def load_model(path: str | Path | None = None) -> tuple[lgb.Booster, dict[str, Any]]:
    """Load the profile bot model and its metadata, checking they match this code.

    Parameters
    ----------
    path
        The ``*.lgb.txt`` model file, or a directory holding ``bot_profile.lgb.txt``; the
        metadata is the ``.json`` next to it. Default: the model shipped inside the package.

    Returns
    -------
    booster : lightgbm.Booster
        The trained model; ``booster.predict(profile_features(df)[PROFILE_FEATURES])`` gives the
        probability that each account is a bot or fake account.
    metadata : dict
        The parsed metadata (features, training data hashes, seed, params, metrics, ...).

    Raises
    ------
    ModelMissingError
        The model file or its metadata is missing.
    ModelVersionError
        The metadata is unreadable, or its ``format_version`` or feature list differs from
        this code's; the message names both versions, the path and how to retrain.
    """
    return _load_checked(
        path,
        name=MODEL_NAME,
        features=PROFILE_FEATURES,
        format_version=FORMAT_VERSION,
        what="bot model",
        hint=RETRAIN_HINT,
    )


def load_behaviour_model(path: str | Path | None = None) -> tuple[lgb.Booster, dict[str, Any]]:
    """Load the behaviour model of the ``bot_score`` detector and its metadata.

    The behaviour model adds to the profile model's log-odds (it was trained with the profile
    model's scores as ``init_score``), so it is only valid together with the exact profile
    model it was trained on: its metadata records that file's SHA-256 as
    ``profile_model_sha256`` (checked by the detector).

    Parameters
    ----------
    path
        The ``*.lgb.txt`` file, or a directory holding ``bot_behaviour.lgb.txt``.
        Default: the model shipped inside the package.

    Raises
    ------
    ModelMissingError, ModelVersionError
        As :func:`load_model`, for :data:`BEHAVIOUR_FORMAT_VERSION` and
        ``BEHAVIOUR_FEATURES``.
    """
    from flockwatch.detect.bot_score.behaviour import BEHAVIOUR_FEATURES

    return _load_checked(
        path,
        name=BEHAVIOUR_MODEL_NAME,
        features=BEHAVIOUR_FEATURES,
        format_version=BEHAVIOUR_FORMAT_VERSION,
        what="bot behaviour model",
        hint=BEHAVIOUR_RETRAIN_HINT,
    )


def model_file(path: str | Path | None, name: str = MODEL_NAME) -> Path:
    """The ``*.lgb.txt`` file that :func:`load_model` (``name="bot_profile"``) or
    :func:`load_behaviour_model` (``name="bot_behaviour"``) reads for ``path``."""
    model_path = Path(path) if path is not None else MODEL_DIR / f"{name}.lgb.txt"
    if model_path.is_dir():
        model_path = model_path / f"{name}.lgb.txt"
    return model_path


def _load_checked(
    path: str | Path | None,
    *,
    name: str,
    features: list[str],
    format_version: int,
    what: str,
    hint: str,
) -> tuple[lgb.Booster, dict[str, Any]]:
    model_path = model_file(path, name)
    meta_path = metadata_path(model_path)
    for p in (model_path, meta_path):
        if not p.is_file():
            raise ModelMissingError(f"{what} file {p} does not exist; {hint}")
    try:
        metadata = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelVersionError(
            f"{what} metadata {meta_path} cannot be read ({exc}); {hint}"
        ) from exc
    if not isinstance(metadata, dict):
        raise ModelVersionError(f"{what} metadata {meta_path} is not a JSON object")
    found = metadata.get("format_version")
    if found != format_version:
        raise ModelVersionError(
            f"{what} {model_path} has format_version {found!r}, this flockwatch needs "
            f"format_version {format_version}; {hint}"
        )
    found_features = metadata.get("features")
    if found_features != features:
        raise ModelVersionError(
            f"{what} {model_path} (format_version {found}) was trained on features "
            f"{_feature_diff(found_features, features)}; this flockwatch "
            f"(format_version {format_version}) computes a different list; {hint}"
        )
    try:
        booster = lgb.Booster(model_file=str(model_path))
    except lgb.basic.LightGBMError as exc:
        raise ModelVersionError(
            f"{what} {model_path} cannot be read by LightGBM {lgb.__version__} ({exc}); {hint}"
        ) from exc
    if booster.feature_name() != features:
        raise ModelVersionError(
            f"{what} {model_path}: the trees use features {booster.feature_name()}, which "
            f"differ from its metadata and from this code's list; {hint}"
        )
    return booster, metadata


def _feature_diff(found: object, expected: list[str]) -> str:
    if not isinstance(found, list):
        return f"{found!r} (not a list)"
    missing = [f for f in expected if f not in found]
    extra = [f for f in found if f not in expected]
    if not missing and not extra:
        return "the same names in another order"
    parts = []
    if extra:
        parts.append(f"{extra} that this code lacks")
    if missing:
        parts.append(f"without {missing}")
    return " and ".join(parts)
