"""Scoring accounts: one SQL query gathers every feature, two models add their contributions.

The ``bot_score`` detector and the behaviour model's training (which must see exactly the
features the detector computes) both use this module.

Variants. Every account is scored by the profile model. An account with at least
``min_posts`` timed posts is scored by *profile + behaviour*: the behaviour model was trained
with the profile model's log-odds as its starting point (LightGBM ``init_score``), so its trees
add a correction from posting behaviour, and the score is
``sigmoid(profile log-odds + behaviour log-odds)``. The contributions of both models are
TreeSHAP values in the same log-odds units, so one explanation can mix profile and behaviour
features.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
import pyarrow as pa

from flockwatch.detect.bot_score.behaviour import (
    BEHAVIOUR_FEATURES,
    age_at_first_post_sql,
    behaviour_sql,
    query_arrow,
)
from flockwatch.detect.bot_score.features import PROFILE_FEATURES
from flockwatch.detect.bot_score.model import (
    BEHAVIOUR_MODEL_NAME,
    BEHAVIOUR_RETRAIN_HINT,
    MODEL_NAME,
    ModelVersionError,
    load_behaviour_model,
    load_model,
    model_file,
)
from flockwatch.detect.bot_score.shap_tables import NotTabulableError, ShapTables
from flockwatch.detect.bot_score.store_features import (
    OBSERVED_AT_SQL,
    profile_columns_sql,
    profile_from_columns,
)
from flockwatch.store.db import Store

__all__ = [
    "ALL_FEATURES",
    "VARIANTS",
    "BotModels",
    "TreeModel",
    "feature_arrays",
    "file_sha256",
    "scoring_table",
]

#: ``details.variant`` of an account scored by the profile model only / by both models.
VARIANTS: tuple[str, str] = ("profile", "profile+behaviour")
#: Feature order of the combined contributions (profile, then behaviour).
ALL_FEATURES: list[str] = PROFILE_FEATURES + BEHAVIOUR_FEATURES


def scoring_sql() -> str:
    """One row per account: the ``_p_*`` profile columns, ``n_posts``, the behaviour features
    and the finding's ``evidence`` JSON (the account, plus its latest posts when it has
    ``$min_posts`` posts). Parameters: ``$now``, ``$min_posts``."""
    behaviour_cols = ",\n      ".join(
        f"a.{c}" for c in BEHAVIOUR_FEATURES if c != "age_at_first_post_days"
    )
    return f"""
    WITH beh AS ({behaviour_sql()}),
    acc AS (
      SELECT a.*, b.* EXCLUDE (platform, account_id),
        {OBSERVED_AT_SQL.format(a="a", last_post="b.last_post_at")} AS _p_observed_at
      FROM accounts a LEFT JOIN beh b USING (platform, account_id)
    )
    SELECT a.platform, a.account_id,
      {profile_columns_sql("a")},
      coalesce(a.n_posts, 0) AS n_posts,
      {behaviour_cols},
      {age_at_first_post_sql("a.first_post_at", "a.created_at")} AS age_at_first_post_days,
      CAST(CASE WHEN coalesce(a.n_posts, 0) >= $min_posts
        THEN json_object('accounts', [a.account_id], 'posts', a.evidence_post_ids)
        ELSE json_object('accounts', [a.account_id]) END AS VARCHAR) AS evidence
    FROM acc a
    """


def scoring_table(store: Store, *, min_posts: int, now: datetime | None = None) -> pa.Table:
    """Run :func:`scoring_sql` on the store (``now`` defaults to the current UTC time)."""
    now = now or datetime.now(UTC).replace(tzinfo=None)
    return query_arrow(store, scoring_sql(), {"now": now, "min_posts": int(min_posts)})


def feature_arrays(table: pa.Table) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(profile, behaviour, n_posts)`` from a :func:`scoring_table`: feature-major float64
    arrays of shape ``(30, n)`` and ``(9, n)`` (NaN = unknown) and post counts."""
    profile = profile_from_columns(table)
    n = table.num_rows
    p = np.empty((len(PROFILE_FEATURES), n), dtype=np.float64)
    for i, name in enumerate(PROFILE_FEATURES):
        p[i] = profile[name]
    b = np.empty((len(BEHAVIOUR_FEATURES), n), dtype=np.float64)
    for i, name in enumerate(BEHAVIOUR_FEATURES):
        b[i] = table.column(name).cast(pa.float64()).to_numpy(zero_copy_only=False)
    n_posts = table.column("n_posts").to_numpy(zero_copy_only=False).astype(np.int64)
    return p, b, n_posts


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


class TreeModel:
    """A LightGBM model with fast exact TreeSHAP contributions (:class:`ShapTables`), falling
    back to LightGBM's own ``pred_contrib`` for models it cannot tabulate."""

    def __init__(self, booster: lgb.Booster) -> None:
        self.booster = booster
        try:
            self.tables: ShapTables | None = ShapTables(booster)
        except NotTabulableError:
            self.tables = None

    def contributions(self, columns: np.ndarray) -> np.ndarray:
        """``(n_features + 1, n)`` contributions (last row: expected value) of feature-major
        ``columns``; column sums are the raw scores (log-odds)."""
        if columns.shape[1] == 0:
            return np.zeros((columns.shape[0] + 1, 0))
        if self.tables is not None:
            return self.tables.contributions(columns)
        return np.asarray(self.booster.predict(columns.T, pred_contrib=True)).T


@dataclass
class BotModels:
    """The profile model and the behaviour model that corrects it, checked to belong together."""

    profile: TreeModel
    profile_metadata: dict[str, Any]
    behaviour: TreeModel
    behaviour_metadata: dict[str, Any]

    @classmethod
    def load(cls, path: str | Path | None = None) -> BotModels:
        """Load both models from a directory (default: the packaged ones).

        Raises
        ------
        flockwatch.errors.ModelError
            Either file is missing or from another version, or the behaviour model was
            trained on top of a different profile model.
        """
        profile, profile_meta = load_model(path)
        behaviour, behaviour_meta = load_behaviour_model(path)
        profile_path = model_file(path, MODEL_NAME)
        expected = behaviour_meta.get("profile_model_sha256")
        found = file_sha256(profile_path)
        if expected != found:
            raise ModelVersionError(
                f"bot behaviour model {model_file(path, BEHAVIOUR_MODEL_NAME)} was trained on "
                f"top of a profile model with SHA-256 {expected}, but {profile_path} has "
                f"{found}; {BEHAVIOUR_RETRAIN_HINT}"
            )
        return cls(TreeModel(profile), profile_meta, TreeModel(behaviour), behaviour_meta)

    def contributions(
        self, profile: np.ndarray, behaviour: np.ndarray, use_behaviour: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Combined contributions and the profile model's own log-odds.

        Parameters
        ----------
        profile, behaviour
            Feature-major arrays from :func:`feature_arrays` (columns = accounts).
        use_behaviour
            Bool per account: add the behaviour model.

        Returns
        -------
        contrib : numpy.ndarray
            ``(len(ALL_FEATURES) + 1, n)``; the last row is the expected value (the two
            models' expected values summed where the behaviour model is used). Column sums
            are the log-odds of the final scores.
        profile_raw : numpy.ndarray
            ``(n,)`` log-odds of the profile model alone.
        """
        n_p = len(PROFILE_FEATURES)
        p = self.profile.contributions(profile)
        out = np.zeros((len(ALL_FEATURES) + 1, profile.shape[1]))
        out[:n_p] = p[:n_p]
        out[-1] = p[n_p]
        profile_raw = p.sum(axis=0)
        rows = np.flatnonzero(use_behaviour)
        if len(rows):
            b = self.behaviour.contributions(np.ascontiguousarray(behaviour[:, rows]))
            out[n_p:-1, rows] = b[:-1]
            out[-1, rows] += b[-1]
        return out, profile_raw
