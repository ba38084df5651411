"""The ``bot_score`` detector: how automated or fake each account looks, with the reasons."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import numpy as np
import pandas as pd
import pyarrow as pa

from flockwatch.detect.base import Detector, DetectorOutput, Example
from flockwatch.detect.bot_score.explain import explain
from flockwatch.detect.bot_score.features import PROFILE_FEATURES
from flockwatch.detect.bot_score.scoring import (
    ALL_FEATURES,
    VARIANTS,
    BotModels,
    feature_arrays,
    scoring_table,
)
from flockwatch.detect.runner import FINDING_COLUMNS, ROW_GROUP_ROWS
from flockwatch.store.db import Store

__all__ = ["BotScoreDetector"]

#: Accounts scored per batch: bounds the memory of contributions (40 floats per account). One
#: DuckDB row group, so the findings' text columns are written without re-chunking.
BATCH_ROWS = ROW_GROUP_ROWS

#: Side table of the features named in each explanation, as typed lists (one row per account).
CONTRIBUTIONS_TABLE = "bot_score_contributions"

LABEL_FLAGGED = "likely_automated"
LABEL_NOT_FLAGGED = "not_flagged"


class BotScoreDetector(Detector):
    """Probability-like score that an account is automated or fake, from its profile and, when
    it has posts, its posting behaviour; every score explained by its top features.

    Every account in the store is scored by the profile model (LightGBM on 30 features of one
    profile snapshot: counts, growth rates, age, name/handle/bio statistics, default image,
    verified; trained on the labelled Cresci 2015/2017 Twitter collections). Accounts with at
    least ``min_posts_for_behaviour`` timed posts are scored by *profile + behaviour*: a second
    LightGBM model adds a correction from their posts (posts per day, share of reposts and
    replies, hour-of-day entropy, regularity of the gaps between posts, number of posting
    apps, share of posts with links, repeated texts, account age at its first post). The
    explanation lists the features whose TreeSHAP contributions pushed the score most towards
    "bot" (flagged scores) or towards "human" (the others), with their values, e.g.
    ``"1.00: 48 posts/day observed; 0% replies; 100% of posts with links"``; ``details`` holds
    the variant used, and the side table ``bot_score_contributions`` the same features with
    their values and contributions as typed lists.

    Parameters
    ----------
    threshold : float, default 0.5
        Scores at or above it are labelled ``likely_automated`` (else ``not_flagged``) and
        explained by what pushed them towards "bot".
    model : str or None, default None
        Directory with ``bot_profile.*`` and ``bot_behaviour.*`` (None: the packaged models).
        A behaviour model is only used with the profile model it was trained on.
    min_posts_for_behaviour : int, default 5
        Posts (with a time) an account needs before its behaviour is used. The behaviour
        model was trained on accounts with at least 5; fewer make the features noisy.
    top_features : int, default 4
        Largest number of features named in an explanation.
    seed : int, default 0
        Recorded with the run; scoring uses no randomness.

    Notes
    -----
    What the score does **not** show:

    * **Not intent, nor coordination.** Automation is not wrongdoing (news feeds, weather
      bots, scheduled brand accounts score high) and a human-run troll account with a normal
      profile and posting pattern scores low. Combine it with the coordination and network
      detectors; never act on the score alone.
    * **Known false positives.** Profile only: new accounts, lurkers and people who never
      "like" anything (the profile model learned "no likes, few posts, follows more than it is
      followed" from fake followers); verified status being unknown on a platform. With
      behaviour: very active humans (tens of posts a day: live-tweeting, fandoms, news
      junkies), social-media managers posting from one scheduling app, accounts that almost
      never reply.
    * **The behaviour model's labels are synthetic.** No labelled posts were available; it
      learned from simulated worlds (``flockwatch.simulate``) where it separates planted bots
      perfectly. That is no measure of its accuracy on real accounts.
    * **Thresholds do not transfer.** 0.5 is a convention, not a calibrated cut: across the
      two Cresci collections 0.5 flagged 18 % of the humans one way and found only 52 % of
      the bots the other way (see ``docs/models/bot_score.md``). Rank accounts within a case,
      or set the threshold on labelled accounts from the same platform and period.
    * Missing columns (no likes, no client, minute-precision times) are handled as unknown,
      not as zero, but each removes signal. Times are used to the minute.

    Examples
    --------
    >>> from flockwatch.store.db import Store
    >>> store = Store(":memory:")
    >>> BotScoreDetector.positive_example().build(store)
    >>> frame = BotScoreDetector().run(store)
    >>> frame.set_index("subject_id").loc["bot1", "label"]
    'likely_automated'
    """

    name = "bot_score"
    version = "2"  # 2: contributions in the side table bot_score_contributions
    summary = "How automated or fake each account looks (profile + posting behaviour), with reasons"
    subject_kinds = ("account",)

    def __init__(
        self,
        *,
        threshold: float = 0.5,
        model: str | None = None,
        min_posts_for_behaviour: int = 5,
        top_features: int = 4,
        seed: int = 0,
    ) -> None:
        self.threshold = threshold
        self.model = model
        self.min_posts_for_behaviour = min_posts_for_behaviour
        self.top_features = top_features
        self.seed = seed

    def _check_params(self) -> None:
        def is_int(v: object) -> bool:
            return isinstance(v, int | np.integer) and not isinstance(v, bool)

        t = self.threshold
        self.check_param(
            "threshold",
            isinstance(t, int | float) and not isinstance(t, bool) and 0.0 < float(t) <= 1.0,
            "a number in (0, 1]",
        )
        self.check_param(
            "model",
            self.model is None or isinstance(self.model, str | os.PathLike),
            "None (the packaged models) or the path of a model directory",
        )
        self.check_param(
            "min_posts_for_behaviour",
            is_int(self.min_posts_for_behaviour) and self.min_posts_for_behaviour >= 1,
            "an integer >= 1",
        )
        self.check_param(
            "top_features",
            is_int(self.top_features) and self.top_features >= 1,
            "an integer >= 1",
        )
        self.check_param("seed", is_int(self.seed), "an integer")

    def run(self, store: Store, now: datetime | None = None) -> DetectorOutput:
        """Score every account of the store.

        Parameters
        ----------
        store
            The open store (read only).
        now
            ``observed_at`` for accounts with no ``last_seen_at`` and no post (default: now).

        Returns
        -------
        DetectorOutput
            ``findings``: an Arrow table with one finding per account
            (:data:`~flockwatch.detect.runner.FINDING_COLUMNS`); ``tables``: the side table
            :data:`CONTRIBUTIONS_TABLE` (``platform, account_id, features, feature_values,
            contributions``, one row per account).

        Raises
        ------
        flockwatch.errors.ParameterError
            A parameter has a value that is not allowed.
        flockwatch.errors.ModelError
            A model file is missing, from another version, or the two do not belong together.
        """
        self._check_params()
        models = BotModels.load(self.model)
        table = scoring_table(store, min_posts=self.min_posts_for_behaviour, now=now)
        if table.num_rows == 0:
            return DetectorOutput(
                pd.DataFrame({c: pd.Series(dtype="object") for c in FINDING_COLUMNS}).astype(
                    {"score": "float64"}
                )
            )
        batches = [
            (start, min(BATCH_ROWS, table.num_rows - start))
            for start in range(0, table.num_rows, BATCH_ROWS)
        ]

        def batch(rows: tuple[int, int]) -> tuple[np.ndarray, pa.Array, pa.Array, pa.Table]:
            profile, behaviour, n_posts = feature_arrays(table.slice(*rows))
            return self._score_batch(
                models, profile, behaviour, n_posts, n_posts >= self.min_posts_for_behaviour
            )

        # numpy, Arrow, RapidFuzz and DuckDB release the GIL: features and scores of the
        # batches are computed side by side on several cores
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        workers = max(1, min(len(batches), cpus or 1))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(batch, batches))
        scores = [r[0] for r in results]
        explanations = [r[1] for r in results]
        details = [r[2] for r in results]
        contributions = pa.concat_tables([r[3] for r in results])
        score = np.concatenate(scores)
        flagged = score >= float(self.threshold)
        out = pa.table(
            {
                "subject_kind": pa.DictionaryArray.from_arrays(
                    pa.array(np.zeros(len(score), dtype=np.int8)), pa.array(["account"])
                ).cast(pa.string()),
                "subject_id": table.column("account_id"),
                "platform": table.column("platform"),
                "score": pa.array(score),
                "label": pa.DictionaryArray.from_arrays(
                    pa.array(flagged.astype(np.int8)),
                    pa.array([LABEL_NOT_FLAGGED, LABEL_FLAGGED]),
                ).cast(pa.string()),
                "explanation": pa.chunked_array(explanations),
                "evidence": table.column("evidence"),
                "details": pa.chunked_array(details),
            }
        )
        side = pa.table(
            {
                "platform": table.column("platform"),
                "account_id": table.column("account_id"),
                **{name: contributions.column(name) for name in contributions.column_names},
            }
        )
        return DetectorOutput(out.select(FINDING_COLUMNS), tables={CONTRIBUTIONS_TABLE: side})

    def _score_batch(
        self,
        models: BotModels,
        profile: np.ndarray,
        behaviour: np.ndarray,
        n_posts: np.ndarray,
        use_behaviour: np.ndarray,
    ) -> tuple[np.ndarray, pa.Array, pa.Array, pa.Table]:
        if use_behaviour.any():
            contrib, profile_raw = models.contributions(profile, behaviour, use_behaviour)
            values = np.concatenate([profile, behaviour])
            names = ALL_FEATURES
        else:
            # profile only: the behaviour features would all contribute exactly 0
            contrib = models.profile.contributions(profile)
            profile_raw = contrib.sum(axis=0)
            values, names = profile, PROFILE_FEATURES
        with np.errstate(over="ignore"):
            score = 1.0 / (1.0 + np.exp(-contrib.sum(axis=0)))
            profile_score = 1.0 / (1.0 + np.exp(-profile_raw))
        flagged = score >= float(self.threshold)
        extra = {
            "posts": n_posts.astype(np.int64),
            "profile_score": np.where(use_behaviour, np.round(profile_score, 4), np.nan),
        }
        explanation, details, contributions = explain(
            score,
            contrib[:-1],
            values,
            names,
            flagged,
            int(self.top_features),
            use_behaviour.astype(np.int8),
            VARIANTS,
            extra=extra,
        )
        return score, explanation, details, contributions

    # -- examples ---------------------------------------------------------------------------
    @classmethod
    def positive_example(cls) -> Example:
        """A 3-day-old default-image account with digits in its handle, no bio, no likes,
        following 2,000 accounts, that posts the same link every 15 minutes from one app."""

        def build(store: Store) -> None:
            _insert_account(
                store,
                "bot1",
                screen_name="deals48213907",
                display_name="deals48213907",
                description="",
                created_at="2024-05-28 09:00:00",
                default_profile_image=True,
                followers=2,
                following=2000,
                posts=300,
                likes=0,
            )
            # every 15 minutes from 2024-05-29 00:00 for 3 days, the same text and link
            store.con.execute(
                "INSERT INTO posts (platform, post_id, account_id, created_at, kind, text, "
                "client, urls, time_precision) SELECT 'twitter', 'bp' || i::VARCHAR, 'bot1', "
                "TIMESTAMP '2024-05-29 00:00:00' + to_minutes(15 * i), 'post', "
                "'Huge discount today only https://t.co/x', 'DealBlast Scheduler', "
                "['https://deals.example/x'], 'minute' FROM range(288) t(i)"
            )

        return Example(build=build, subject=("account", "bot1"))

    @classmethod
    def negative_example(cls) -> Example:
        """A nine-year-old account with a photo, bio, location and link, on lists, that likes
        and writes a few varied posts, replies and reposts a day from two apps."""

        def build(store: Store) -> None:
            _insert_account(
                store,
                "human1",
                screen_name="maria_rossi",
                display_name="Maria Rossi",
                description="Teacher in Bologna. Books, cycling, bad puns.",
                created_at="2015-03-14 10:00:00",
                default_profile_image=False,
                followers=640,
                following=410,
                posts=8200,
                likes=5300,
                listed=14,
                location="Bologna, Italy",
                url="https://example.org/maria",
            )
            store.con.execute(
                "INSERT INTO posts (platform, post_id, account_id, created_at, kind, text, "
                "client, urls, time_precision) SELECT 'twitter', 'hp' || i::VARCHAR, 'human1', "
                "TIMESTAMP '2024-05-01 07:00:00' + to_minutes((i // 3) * 1440 + "
                "(i % 3) * 290 + (i * 37) % 113), "
                "CASE i % 3 WHEN 0 THEN 'post' WHEN 1 THEN 'reply' ELSE 'repost' END, "
                "'thought number ' || i::VARCHAR || ' about books', "
                "CASE WHEN i % 4 = 0 THEN 'Twitter Web App' ELSE 'Twitter for Android' END, "
                "CASE WHEN i % 5 = 0 THEN ['https://example.org/post'] ELSE [] END, "
                "'second' FROM range(60) t(i)"
            )

        return Example(build=build, subject=("account", "human1"))


def _insert_account(
    store: Store,
    account_id: str,
    *,
    screen_name: str,
    display_name: str,
    description: str,
    created_at: str,
    default_profile_image: bool,
    followers: int,
    following: int,
    posts: int,
    likes: int,
    listed: int = 0,
    location: str = "",
    url: str = "",
) -> None:
    store.con.execute(
        "INSERT INTO accounts (platform, account_id, screen_name, display_name, description, "
        "location, url, created_at, verified, protected, default_profile_image, "
        "followers_count, following_count, posts_count, likes_count, listed_count, "
        "first_seen_at, last_seen_at) VALUES ('twitter', ?, ?, ?, ?, ?, ?, ?, false, false, ?, "
        "?, ?, ?, ?, ?, TIMESTAMP '2024-06-01', TIMESTAMP '2024-06-01')",
        [
            account_id,
            screen_name,
            display_name,
            description,
            location,
            url,
            created_at,
            default_profile_image,
            followers,
            following,
            posts,
            likes,
            listed,
        ],
    )
