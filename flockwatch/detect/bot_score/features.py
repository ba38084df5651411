"""Profile-only features for the ``bot_score`` detector.

The features follow the spirit of BotometerLite (Yang et al., AAAI 2020): they use only what a
single profile snapshot shows (counts, dates, names, bio), so they can be computed for every
platform flockwatch reads. The input is a table of flockwatch's *canonical* account columns:

``screen_name, display_name, description, location, url, lang, created_at, verified, protected,
default_profile_image, profile_image_url, followers_count, following_count, posts_count,
likes_count, listed_count`` and ``observed_at`` (when the counts were observed; pass the
``last_seen_at`` of the store, or the snapshot's ``observed_at``).

Any of these columns may be absent or NA (other platforms lack some of them); every feature that
depends on a missing value is then NaN, which LightGBM treats as "missing". ``lang`` is accepted
but deliberately *not* used: in the training collections it is an artefact of who was sampled
(Italian elections, Italian spambots), not of being a bot.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Callable
from difflib import SequenceMatcher

import numpy as np
import pandas as pd

__all__ = ["FEATURE_DESCRIPTIONS", "PROFILE_FEATURES", "profile_features"]

#: Ordered names of the features :func:`profile_features` returns (the model's column order).
PROFILE_FEATURES: list[str] = [
    # counts, log1p
    "log_posts",
    "log_followers",
    "log_following",
    "log_likes",
    "log_listed",
    # ratios
    "followers_following_ratio",
    "likes_per_post",
    "listed_per_1k_followers",
    # age and growth
    "account_age_days",
    "posts_per_day",
    "followers_per_day",
    "following_per_day",
    "likes_per_day",
    "listed_per_day",
    # screen name
    "screen_name_length",
    "screen_name_digits",
    "screen_name_digit_share",
    "screen_name_entropy",
    # display name
    "display_name_length",
    "display_name_digits",
    "display_name_words",
    "display_name_entropy",
    "name_screen_name_similarity",
    # bio and profile
    "description_length",
    "empty_description",
    "has_url",
    "has_location",
    "default_profile_image",
    "verified",
    "protected",
]

#: Short phrases used to explain a score in words ("high <phrase>", "low <phrase>").
FEATURE_DESCRIPTIONS: dict[str, str] = {
    "log_posts": "number of posts (log scale)",
    "log_followers": "number of followers (log scale)",
    "log_following": "number of accounts followed (log scale)",
    "log_likes": "number of likes given (log scale)",
    "log_listed": "number of lists the account is on (log scale)",
    "followers_following_ratio": "followers per account followed",
    "likes_per_post": "likes given per post written",
    "listed_per_1k_followers": "lists the account is on per 1,000 followers",
    "account_age_days": "account age in days when observed",
    "posts_per_day": "posts per day of account age",
    "followers_per_day": "followers gained per day of account age",
    "following_per_day": "accounts followed per day of account age",
    "likes_per_day": "likes given per day of account age",
    "listed_per_day": "list memberships per day of account age",
    "screen_name_length": "length of the screen name",
    "screen_name_digits": "number of digits in the screen name",
    "screen_name_digit_share": "share of digits in the screen name",
    "screen_name_entropy": "character randomness (entropy) of the screen name",
    "display_name_length": "length of the display name",
    "display_name_digits": "number of digits in the display name",
    "display_name_words": "number of words in the display name",
    "display_name_entropy": "character randomness (entropy) of the display name",
    "name_screen_name_similarity": "similarity of display name and screen name",
    "description_length": "length of the profile bio",
    "empty_description": "empty profile bio",
    "has_url": "profile has a link",
    "has_location": "profile has a location",
    "default_profile_image": "default (no uploaded) profile picture",
    "verified": "verified account",
    "protected": "protected (private) account",
}

# URL fragments of platform default avatars (Twitter/X; Mastodon's "missing" avatar).
_DEFAULT_IMAGE_MARKERS = ("default_profile_images/", "/avatars/original/missing.png")


def _nan_series(index: pd.Index) -> pd.Series:
    return pd.Series(np.nan, index=index, dtype="float64")


def _numeric(accounts: pd.DataFrame, column: str) -> pd.Series:
    """A count column as float64, NaN where absent, NA, unparsable or negative."""
    if column not in accounts.columns:
        return _nan_series(accounts.index)
    values = pd.to_numeric(accounts[column], errors="coerce").astype("float64")
    return values.where(values >= 0)


def _text(accounts: pd.DataFrame, column: str) -> pd.Series:
    """A text column as object dtype with ``None`` for NA (empty strings are kept: known empty)."""
    if column not in accounts.columns:
        return pd.Series([None] * len(accounts), index=accounts.index, dtype="object")
    values = [None if _is_na(v) else str(v) for v in accounts[column].tolist()]
    return pd.Series(values, index=accounts.index, dtype="object")


def _is_na(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # list-like cell: not NA
        return False


_TRUE = {"true", "1", "t", "yes", "y"}
_FALSE = {"false", "0", "f", "no", "n"}


def _to_flag(value: object) -> float:
    if value is None or value is pd.NA:
        return math.nan
    if isinstance(value, bool | np.bool_):
        return float(value)
    if isinstance(value, int | float | np.integer | np.floating):
        return math.nan if math.isnan(float(value)) else float(float(value) != 0.0)
    s = str(value).strip().lower()
    if s in _TRUE:
        return 1.0
    if s in _FALSE:
        return 0.0
    return math.nan


def _flag(accounts: pd.DataFrame, column: str) -> pd.Series:
    """A boolean column as 1.0 / 0.0 / NaN."""
    if column not in accounts.columns:
        return _nan_series(accounts.index)
    return accounts[column].astype("object").map(_to_flag).astype("float64")


def _utc_naive(accounts: pd.DataFrame, column: str) -> pd.Series:
    """A datetime column as UTC-naive ``datetime64`` (NaT where absent or unparsable)."""
    if column not in accounts.columns:
        return pd.Series(pd.NaT, index=accounts.index, dtype="datetime64[ns]")
    col = accounts[column]
    if isinstance(col.dtype, pd.DatetimeTZDtype):
        return col.dt.tz_convert("UTC").dt.tz_localize(None)
    if pd.api.types.is_datetime64_dtype(col.dtype):
        return col
    parsed = pd.to_datetime(col, errors="coerce", utc=True, format="mixed")
    return parsed.dt.tz_localize(None)


def _entropy(s: str) -> float:
    """Shannon entropy (bits per character) of the characters of ``s``; NaN when empty."""
    if not s:
        return math.nan
    n = len(s)
    return -sum(c / n * math.log2(c / n) for c in Counter(s).values())


def _digits(s: str) -> int:
    return sum(ch.isdigit() for ch in s)


def _fold(s: str) -> str:
    """Lower-case, accent-free, alphanumerics only: how names are compared."""
    decomposed = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum())


def _similarity(name: str | None, screen_name: str | None) -> float:
    if name is None or screen_name is None:
        return math.nan
    a, b = _fold(name), _fold(screen_name)
    if not a or not b:
        return math.nan
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _on_text(series: pd.Series, fn: Callable[[str], float]) -> pd.Series:
    return series.map(lambda v: math.nan if v is None else fn(v)).astype("float64")


def _present(series: pd.Series) -> pd.Series:
    """1.0 if the text is non-blank, 0.0 if known to be blank, NaN if unknown."""
    return _on_text(series, lambda v: float(bool(v.strip())))


def _default_image(flag: pd.Series, image_url: pd.Series) -> pd.Series:
    """Default avatar from the flag, or from a platform default-avatar URL when the flag is unset.

    True wins over False: some exports leave the flag false while the URL is the default one.
    """
    from_url = image_url.map(
        lambda u: (
            math.nan
            if u is None or not u.strip()
            else float(any(m in u for m in _DEFAULT_IMAGE_MARKERS))
        )
    ).astype("float64")
    out = flag.copy()
    out[from_url == 1.0] = 1.0
    return out.fillna(from_url)


def profile_features(accounts: pd.DataFrame) -> pd.DataFrame:
    """Compute the profile features of every account.

    Parameters
    ----------
    accounts
        One row per account (snapshot) with any of flockwatch's canonical account columns
        (``screen_name``, ``display_name``, ``description``, ``location``, ``url``,
        ``created_at``, ``verified``, ``protected``, ``default_profile_image``,
        ``profile_image_url``, ``followers_count``, ``following_count``, ``posts_count``,
        ``likes_count``, ``listed_count``) and ``observed_at``, the time at which the counts
        were observed. Datetimes are UTC (naive, or tz-aware and then converted). Missing
        columns and NA values are allowed.

    Returns
    -------
    pandas.DataFrame
        Float64 columns :data:`PROFILE_FEATURES`, in that order, on the input's index. A
        feature is NaN when a value it needs is missing (for instance every age and growth
        feature when ``created_at`` or ``observed_at`` is missing), or undefined (entropy or
        digit share of an empty name). Empty strings count as "known to be empty".

    Notes
    -----
    Growth rates divide by ``max(age_days, 1)`` so a same-day account does not explode; an
    account created after its observation time (clock or parsing error) gets NaN age.
    Ratios divide by ``max(denominator, 1)``.
    """
    idx = accounts.index
    posts = _numeric(accounts, "posts_count")
    followers = _numeric(accounts, "followers_count")
    following = _numeric(accounts, "following_count")
    likes = _numeric(accounts, "likes_count")
    listed = _numeric(accounts, "listed_count")

    created = _utc_naive(accounts, "created_at")
    observed = _utc_naive(accounts, "observed_at")
    age = (observed - created).dt.total_seconds() / 86400.0
    age = age.where(age >= 0).astype("float64")
    age_div = age.clip(lower=1.0)

    screen = _text(accounts, "screen_name")
    name = _text(accounts, "display_name")
    bio = _text(accounts, "description")
    screen_len = _on_text(screen, len)
    screen_digits = _on_text(screen, _digits)

    f: dict[str, pd.Series] = {
        "log_posts": np.log1p(posts),
        "log_followers": np.log1p(followers),
        "log_following": np.log1p(following),
        "log_likes": np.log1p(likes),
        "log_listed": np.log1p(listed),
        "followers_following_ratio": followers / following.clip(lower=1.0),
        "likes_per_post": likes / posts.clip(lower=1.0),
        "listed_per_1k_followers": 1000.0 * listed / followers.clip(lower=1.0),
        "account_age_days": age,
        "posts_per_day": posts / age_div,
        "followers_per_day": followers / age_div,
        "following_per_day": following / age_div,
        "likes_per_day": likes / age_div,
        "listed_per_day": listed / age_div,
        "screen_name_length": screen_len,
        "screen_name_digits": screen_digits,
        "screen_name_digit_share": screen_digits / screen_len.where(screen_len > 0),
        "screen_name_entropy": _on_text(screen, _entropy),
        "display_name_length": _on_text(name, len),
        "display_name_digits": _on_text(name, _digits),
        "display_name_words": _on_text(name, lambda v: len(v.split())),
        "display_name_entropy": _on_text(name, _entropy),
        "name_screen_name_similarity": pd.Series(
            [_similarity(a, b) for a, b in zip(name, screen, strict=True)],
            index=idx,
            dtype="float64",
        ),
        "description_length": _on_text(bio, lambda v: len(v.strip())),
        "empty_description": 1.0 - _present(bio),
        "has_url": _present(_text(accounts, "url")),
        "has_location": _present(_text(accounts, "location")),
        "default_profile_image": _default_image(
            _flag(accounts, "default_profile_image"), _text(accounts, "profile_image_url")
        ),
        "verified": _flag(accounts, "verified"),
        "protected": _flag(accounts, "protected"),
    }
    out = pd.DataFrame({k: f[k].astype("float64") for k in PROFILE_FEATURES}, index=idx)
    return out
