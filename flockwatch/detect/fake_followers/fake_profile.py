"""Features of the fake-profile model, from flockwatch's canonical account columns.

The model is trained on the Kaggle "Instagram fake spammer genuine accounts" table, which has
only eleven derived columns (profile picture, digits share of the user name, words and digits
share of the full name, name == user name, bio length, external URL, private, posts,
followers, follows). :data:`FAKE_PROFILE_FEATURES` are those columns, computed from the store's
``accounts`` columns so that every platform flockwatch reads can be scored: one SQL expression
per feature (:func:`fake_profile_sql`), and :func:`instagram_features` for the training table.

A feature is NULL (NaN) when a column it needs is missing; ``''`` is a known empty value.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

__all__ = [
    "CANONICAL_COLUMNS",
    "FAKE_PROFILE_FEATURES",
    "FEATURE_DESCRIPTIONS",
    "MISSING_GROUPS",
    "fake_profile_features",
    "fake_profile_sql",
    "instagram_features",
]

#: Ordered names of the model's features.
FAKE_PROFILE_FEATURES: list[str] = [
    "has_profile_pic",
    "username_digit_share",
    "fullname_words",
    "fullname_digit_share",
    "name_equals_username",
    "description_length",
    "has_url",
    "private",
    "log_posts",
    "log_followers",
    "log_following",
    "log_follower_ratio",
]

FEATURE_DESCRIPTIONS: dict[str, str] = {
    "has_profile_pic": "has an uploaded profile picture (not the default)",
    "username_digit_share": "share of digits in the user name (screen name), 2 decimals",
    "fullname_words": "words in the full (display) name",
    "fullname_digit_share": "share of digits in the full name",
    "name_equals_username": "full name equals the user name (ignoring case)",
    "description_length": "length of the bio",
    "has_url": "profile has a link",
    "private": "private (protected) account",
    "log_posts": "number of posts, log(1 + n)",
    "log_followers": "number of followers, log(1 + n)",
    "log_following": "number of accounts followed, log(1 + n)",
    "log_follower_ratio": "log(1 + followers) - log(1 + following)",
}

#: Canonical account columns the features read.
CANONICAL_COLUMNS: tuple[str, ...] = (
    "screen_name",
    "display_name",
    "description",
    "url",
    "protected",
    "default_profile_image",
    "profile_image_url",
    "posts_count",
    "followers_count",
    "following_count",
)

#: Features that become unknown together when one canonical column is missing on a platform
#: (the missing-column augmentation of training blanks them together).
MISSING_GROUPS: dict[str, list[str]] = {
    "default_profile_image": ["has_profile_pic"],
    "screen_name": ["username_digit_share", "name_equals_username"],
    "display_name": ["fullname_words", "fullname_digit_share", "name_equals_username"],
    "description": ["description_length"],
    "url": ["has_url"],
    "protected": ["private"],
    "posts_count": ["log_posts"],
    "followers_count": ["log_followers", "log_follower_ratio"],
    "following_count": ["log_following", "log_follower_ratio"],
}

# URL fragments of platform default avatars (as in bot_score's features).
_DEFAULT_IMAGE_MARKERS = ("default_profile_images/", "/avatars/original/missing.png")


def _digits(col: str) -> str:
    return f"(length({col}) - length(regexp_replace({col}, '[0-9]', '', 'g')))"


def fake_profile_sql(alias: str = "a") -> str:
    """SQL select-list items computing :data:`FAKE_PROFILE_FEATURES` from ``alias``.

    ``alias`` is a relation with the canonical account columns (:data:`CANONICAL_COLUMNS`);
    each item is a DOUBLE named after its feature, NULL when unknown.

    Examples
    --------
    >>> import duckdb
    >>> con = duckdb.connect()
    >>> row = con.sql(
    ...     "SELECT " + fake_profile_sql("a") + " FROM (SELECT 'anna_1987'::VARCHAR AS "
    ...     "screen_name, 'Anna K'::VARCHAR AS display_name, ''::VARCHAR AS description, "
    ...     "NULL::VARCHAR AS url, NULL::BOOLEAN AS protected, true AS default_profile_image, "
    ...     "NULL::VARCHAR AS profile_image_url, 0 AS posts_count, 3 AS followers_count, "
    ...     "450 AS following_count) a"
    ... ).fetchall()[0]
    >>> dict(zip(FAKE_PROFILE_FEATURES, row))["username_digit_share"]
    0.44
    """
    a = alias
    sn, dn, img = f"{a}.screen_name", f"{a}.display_name", f"{a}.profile_image_url"
    markers = " OR ".join(f"contains({img}, '{m}')" for m in _DEFAULT_IMAGE_MARKERS)
    known_url = f"length(trim(coalesce({img}, ''))) > 0"
    # (not greatest(x, 0): DuckDB's greatest skips NULLs, and an unknown count is not 0)
    log = "CASE WHEN {0} >= 0 THEN ln(1 + CAST({0} AS DOUBLE)) END"
    items = {
        # True wins over False: some exports leave the flag false with a default avatar URL.
        "has_profile_pic": (
            f"CASE WHEN {a}.default_profile_image OR ({known_url} AND ({markers})) THEN 0 "
            f"WHEN {a}.default_profile_image = false OR {known_url} THEN 1 END"
        ),
        "username_digit_share": (
            f"CASE WHEN length({sn}) > 0 THEN round({_digits(sn)} / length({sn}), 2) END"
        ),
        "fullname_words": f"len(regexp_extract_all({dn}, '[^\\s]+'))",
        "fullname_digit_share": (
            f"CASE WHEN length({dn}) > 0 THEN round({_digits(dn)} / length({dn}), 2) "
            f"WHEN {dn} IS NOT NULL THEN 0 END"
        ),
        "name_equals_username": (
            f"CASE WHEN {sn} IS NULL OR {dn} IS NULL THEN NULL "
            f"WHEN length(trim({dn})) > 0 AND lower(trim({dn})) = lower(trim({sn})) THEN 1 "
            "ELSE 0 END"
        ),
        "description_length": f"length(trim({a}.description))",
        "has_url": f"CASE WHEN {a}.url IS NOT NULL THEN (length(trim({a}.url)) > 0)::INT END",
        "private": f"{a}.protected::INT",
        "log_posts": log.format(f"{a}.posts_count"),
        "log_followers": log.format(f"{a}.followers_count"),
        "log_following": log.format(f"{a}.following_count"),
        "log_follower_ratio": (
            f"{log.format(f'{a}.followers_count')} - {log.format(f'{a}.following_count')}"
        ),
    }
    return ",\n  ".join(f"CAST({items[f]} AS DOUBLE) AS {f}" for f in FAKE_PROFILE_FEATURES)


def fake_profile_features(accounts: pd.DataFrame) -> pd.DataFrame:
    """:data:`FAKE_PROFILE_FEATURES` of a frame of canonical account columns (absent ones NULL).

    Runs :func:`fake_profile_sql` in a private DuckDB connection, so the features are the
    detector's to the bit.

    Parameters
    ----------
    accounts
        One row per account with any of :data:`CANONICAL_COLUMNS`.

    Returns
    -------
    pandas.DataFrame
        Float64 feature columns on the input's index (NaN = unknown).
    """
    types = {
        "protected": "BOOLEAN",
        "default_profile_image": "BOOLEAN",
        "posts_count": "BIGINT",
        "followers_count": "BIGINT",
        "following_count": "BIGINT",
    }
    frame = pd.DataFrame(index=range(len(accounts)))
    for col in CANONICAL_COLUMNS:
        if col not in accounts.columns:
            frame[col] = pd.Series([None] * len(accounts), dtype="object")
        elif types.get(col) == "BIGINT":  # NaN must reach DuckDB as NULL, not as a number
            frame[col] = pd.to_numeric(accounts[col], errors="coerce").astype("Float64").array
        else:
            frame[col] = (
                accounts[col].astype("object").where(accounts[col].notna(), None).to_numpy()
            )
    cast = ", ".join(f"CAST({c} AS {types.get(c, 'VARCHAR')}) AS {c}" for c in CANONICAL_COLUMNS)
    con = duckdb.connect()
    try:
        con.register("_fw_accounts", frame)
        out = con.sql(
            f"SELECT {fake_profile_sql('a')} FROM (SELECT {cast} FROM _fw_accounts) a"
        ).df()
    finally:
        con.close()
    out = out.astype("float64")
    out.index = accounts.index
    return out


def instagram_features(raw: pd.DataFrame) -> pd.DataFrame:
    """The features of the Instagram training table (its columns are already derived).

    Parameters
    ----------
    raw
        ``train.csv`` or ``test.csv`` of ``instagram-fake-spammer-genuine`` as read by pandas.

    Returns
    -------
    pandas.DataFrame
        Float64 columns :data:`FAKE_PROFILE_FEATURES`.
    """
    posts, followers, following = (
        raw[c].astype("float64").clip(lower=0) for c in ("#posts", "#followers", "#follows")
    )
    x = pd.DataFrame(
        {
            "has_profile_pic": raw["profile pic"],
            "username_digit_share": raw["nums/length username"],
            "fullname_words": raw["fullname words"],
            "fullname_digit_share": raw["nums/length fullname"],
            "name_equals_username": raw["name==username"],
            "description_length": raw["description length"],
            "has_url": raw["external URL"],
            "private": raw["private"],
            "log_posts": np.log1p(posts),
            "log_followers": np.log1p(followers),
            "log_following": np.log1p(following),
            "log_follower_ratio": np.log1p(followers) - np.log1p(following),
        },
        index=raw.index,
    )
    return x[FAKE_PROFILE_FEATURES].astype("float64")
