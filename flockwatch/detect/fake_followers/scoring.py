"""How fake each follower looks: one score in [0, 1] per account, from the best source there is.

1. The ``bot_score`` detector's latest finding for the account, when the store has one (it also
   used the account's posts, if any).
2. Otherwise, on Twitter/X, the bot_score profile model run directly on the profile.
3. Otherwise (other platforms), the fake-profile model trained on Instagram profiles
   (:mod:`flockwatch.detect.fake_followers.train`).

Each score keeps its source, so an audit can say how its followers were judged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import duckdb
import lightgbm as lgb
import numpy as np
import pyarrow as pa

from flockwatch.detect.bot_score.features import PROFILE_FEATURES
from flockwatch.detect.bot_score.model import load_model
from flockwatch.detect.bot_score.store_features import profile_columns_sql, profile_from_columns
from flockwatch.detect.fake_followers.fake_profile import FAKE_PROFILE_FEATURES, fake_profile_sql
from flockwatch.detect.fake_followers.fake_profile_model import load_fake_profile_model

__all__ = ["SOURCES", "TWITTER_PLATFORMS", "FollowerScorer"]

#: Platform names scored with the Twitter bot model (canonical platform names).
TWITTER_PLATFORMS: tuple[str, ...] = ("twitter", "x")
#: Score sources, in order of preference.
SOURCES: tuple[str, ...] = ("bot_score", "bot_profile_model", "fake_profile_model")

_KEYS = pa.schema([("platform", pa.string()), ("account_id", pa.string())])


@dataclass
class FollowerScorer:
    """Scores accounts; loads each model once, on first use."""

    cur: duckdb.DuckDBPyConnection
    _models: dict[str, lgb.Booster] = field(default_factory=dict)

    def _model(self, name: str) -> lgb.Booster:
        if name not in self._models:
            loader = load_model if name == "bot_profile_model" else load_fake_profile_model
            self._models[name] = loader()[0]
        return self._models[name]

    def score(self, keys: pa.Table) -> pa.Table:
        """Score the accounts ``keys`` (``platform, account_id``; each must be in ``accounts``).

        Returns
        -------
        pyarrow.Table
            ``platform, account_id, score, source`` (one row per distinct key).
        """
        keys = keys.select(["platform", "account_id"]).cast(_KEYS)
        self.cur.register("_fw_keys", keys)
        try:
            return self._score()
        finally:
            self.cur.unregister("_fw_keys")

    def _score(self) -> pa.Table:
        found = self.cur.sql(
            """
            SELECT DISTINCT ON (k.platform, k.account_id) k.platform, k.account_id,
                   f.score, 'bot_score' AS source
            FROM (SELECT DISTINCT platform, account_id FROM _fw_keys) k
            JOIN latest_findings f
              ON f.detector = 'bot_score' AND f.subject_kind = 'account'
             AND f.platform = k.platform AND f.subject_id = k.account_id
            ORDER BY k.platform, k.account_id, f.score DESC
            """
        ).to_arrow_table()
        parts = [found]
        self.cur.register("_fw_found", found)
        try:
            twitter = ", ".join(f"'{p}'" for p in TWITTER_PLATFORMS)
            rest = """
              FROM (SELECT DISTINCT platform, account_id FROM _fw_keys) k
              JOIN accounts a ON a.platform = k.platform AND a.account_id = k.account_id
              ANTI JOIN _fw_found d ON d.platform = k.platform AND d.account_id = k.account_id
            """
            now = datetime.now(UTC).replace(tzinfo=None)
            # Ages are counted to the account's last sighting, else the store's latest one, so
            # the same store gives the same scores on any day.
            profile = self.cur.sql(
                f"""
                WITH r AS (
                  SELECT a.*, coalesce(a.last_seen_at,
                    (SELECT max(last_seen_at) FROM accounts), $now) AS _p_observed_at
                  {rest}
                  WHERE lower(a.platform) IN ({twitter})
                )
                SELECT a.platform, a.account_id, {profile_columns_sql("a")} FROM r a
                ORDER BY 1, 2
                """,
                params={"now": now},
            ).to_arrow_table()
            if profile.num_rows:
                feats = profile_from_columns(profile)
                x = np.column_stack([feats[f] for f in PROFILE_FEATURES])
                parts.append(_scored(profile, self._model("bot_profile_model").predict(x), 1))
            other = self.cur.sql(
                f"""
                SELECT a.platform, a.account_id, {fake_profile_sql("a")}
                {rest}
                WHERE lower(a.platform) NOT IN ({twitter})
                ORDER BY 1, 2
                """
            ).to_arrow_table()
            if other.num_rows:
                x = np.column_stack(
                    [
                        other.column(f).to_numpy(zero_copy_only=False).astype(float)
                        for f in FAKE_PROFILE_FEATURES
                    ]
                )
                parts.append(_scored(other, self._model("fake_profile_model").predict(x), 2))
        finally:
            self.cur.unregister("_fw_found")
        schema = pa.schema(
            [
                ("platform", pa.string()),
                ("account_id", pa.string()),
                ("score", pa.float64()),
                ("source", pa.string()),
            ]
        )
        return pa.concat_tables([p.select(schema.names).cast(schema) for p in parts])


def _scored(table: pa.Table, scores: Any, source: int) -> pa.Table:
    return pa.table(
        {
            "platform": table.column("platform"),
            "account_id": table.column("account_id"),
            "score": pa.array(np.asarray(scores, dtype=float)),
            "source": pa.array([SOURCES[source]] * table.num_rows, pa.string()),
        }
    )
