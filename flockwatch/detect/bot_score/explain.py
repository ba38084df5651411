"""Explanation strings of bot scores: the top feature contributions in words and numbers.

A score's explanation lists the features whose TreeSHAP contributions pushed it most towards
"bot" (for scores at or above the flag threshold) or towards "human" (below it), each with
its value printed for people: ``"0.94: 412 posts/day observed; account 3 days old at first
post; 98% reposts; default profile image"``. ``details`` holds the same contributions as JSON
numbers (feature name, raw feature value, contribution in log-odds).

Everything is vectorised for millions of rows: the value of a phrase is rounded to what is
printed, each distinct (feature, printed value) is formatted once in Python, and the strings
are assembled with Arrow's element-wise string kernels.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from flockwatch.detect.bot_score.behaviour import BEHAVIOUR_FEATURES
from flockwatch.detect.bot_score.features import PROFILE_FEATURES

__all__ = ["PHRASES", "Phrase", "explain"]

_NO_REASON = "no single feature stands out"


@dataclass(frozen=True)
class Phrase:
    """How one feature's value is put into words.

    ``key`` rounds an array of feature values to what will be printed (so that each distinct
    printed value is formatted once); ``text`` turns one rounded value into words;
    ``unknown`` is used when the value is missing (NaN), which can also move a score.
    """

    key: Callable[[np.ndarray], np.ndarray]
    text: Callable[[float], str]
    unknown: str

    def format(self, values: np.ndarray) -> tuple[np.ndarray, list[str]]:
        """``(codes, texts)``: ``texts[codes[i]]`` is the phrase for ``values[i]``."""
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            keys = self.key(np.asarray(values, dtype=np.float64))
        uniq, codes = np.unique(keys, return_inverse=True)
        texts = [self.unknown if math.isnan(k) else self.text(float(k)) for k in uniq]
        return codes.reshape(-1), texts


# -- number formats --------------------------------------------------------------------------


def _plural(n: float, word: str) -> str:
    return f"{n:,.0f} {word}" if n == 1 else f"{n:,.0f} {word}s"


def _sig2(x: np.ndarray) -> np.ndarray:
    """Round to 2 significant digits (0 stays 0)."""
    mag = np.floor(np.log10(np.where(x == 0, 1.0, np.abs(x))))
    scale = 10.0 ** (1 - mag)
    return np.where(x == 0, 0.0, np.round(x * scale) / scale)


def _rate_text(k: float) -> str:
    if abs(k) >= 100:
        return f"{k:,.0f}"
    if abs(k) >= 10:
        return f"{k:.0f}"
    return f"{k:.2g}"


def _share_key(x: np.ndarray) -> np.ndarray:
    pct = np.round(100.0 * x)
    pct = np.where((x > 0) & (pct == 0), 0.5, pct)  # "<1%", not "0%"
    return np.where((x < 1) & (pct == 100), 99.5, pct)  # ">99%", not "100%"


def _share_text(k: float) -> str:
    if k == 0.5:
        return "<1%"
    if k == 99.5:
        return ">99%"
    return f"{k:.0f}%"


def _days_key(x: np.ndarray) -> np.ndarray:
    return np.where(
        x < 2,
        np.round(x * 24) / 24,
        np.where(x < 730, np.round(x), np.round(x / 365.25, 1) * 365.25),
    )


def _days_text(k: float) -> str:
    if k < 2:
        return _plural(round(k * 24), "hour")
    if k < 730:
        return _plural(k, "day")
    return f"{k / 365.25:.1f} years"


def _count(template: str, word: str, log: bool = False) -> Phrase:
    """A count (``log``: the feature is ``log1p(count)``), e.g. ``"8,200 posts"``."""
    return Phrase(
        key=(lambda x: np.round(np.expm1(x))) if log else np.round,
        text=lambda k: template.format(_plural(k, word)),
        unknown=f"{word}s unknown",
    )


def _rate(template: str, unknown: str) -> Phrase:
    return Phrase(key=_sig2, text=lambda k: template.format(_rate_text(k)), unknown=unknown)


def _share(template: str, unknown: str) -> Phrase:
    return Phrase(key=_share_key, text=lambda k: template.format(_share_text(k)), unknown=unknown)


def _days(template: str, unknown: str) -> Phrase:
    return Phrase(key=_days_key, text=lambda k: template.format(_days_text(k)), unknown=unknown)


def _decimal(template: str, unknown: str, digits: int = 1) -> Phrase:
    return Phrase(
        key=lambda x: np.round(x, digits),
        text=lambda k: template.format(f"{k:.{digits}f}"),
        unknown=unknown,
    )


def _flag(on: str, off: str, unknown: str) -> Phrase:
    return Phrase(key=lambda x: x, text=lambda k: on if k >= 0.5 else off, unknown=unknown)


#: How each profile and behaviour feature is printed.
PHRASES: dict[str, Phrase] = {
    # profile: counts (log scale in the model, printed as counts)
    "log_posts": _count("{}", "post", log=True),
    "log_followers": _count("{}", "follower", log=True),
    "log_following": _count("follows {}", "account", log=True),
    "log_likes": _count("{} given", "like", log=True),
    "log_listed": _count("on {}", "list", log=True),
    # ratios
    "followers_following_ratio": _rate(
        "{} followers per account followed", "follower/following ratio unknown"
    ),
    "likes_per_post": _rate("{} likes given per post", "likes per post unknown"),
    "listed_per_1k_followers": _rate(
        "on {} lists per 1,000 followers", "lists per follower unknown"
    ),
    # age and growth
    "account_age_days": _days("account {} old", "account age unknown"),
    "posts_per_day": _rate("{} posts/day over its lifetime", "lifetime posts/day unknown"),
    "followers_per_day": _rate("{} followers gained/day", "followers/day unknown"),
    "following_per_day": _rate("{} accounts followed/day", "follows/day unknown"),
    "likes_per_day": _rate("{} likes given/day", "likes/day unknown"),
    "listed_per_day": _rate("{} list additions/day", "list additions/day unknown"),
    # names and bio
    "screen_name_length": _count("handle of {}", "character"),
    "screen_name_digits": _count("{} in the handle", "digit"),
    "screen_name_digit_share": _share("handle {} digits", "handle digits unknown"),
    "screen_name_entropy": _decimal(
        "handle randomness {} bits/character", "handle randomness unknown"
    ),
    "display_name_length": _count("display name of {}", "character"),
    "display_name_digits": _count("{} in the display name", "digit"),
    "display_name_words": _count("display name of {}", "word"),
    "display_name_entropy": _decimal(
        "display-name randomness {} bits/character", "display-name randomness unknown"
    ),
    "name_screen_name_similarity": _share(
        "display name and handle {} alike", "name/handle similarity unknown"
    ),
    "description_length": _count("bio of {}", "character"),
    "empty_description": _flag("empty bio", "has a bio", "bio unknown"),
    "has_url": _flag("link in profile", "no link in profile", "profile link unknown"),
    "has_location": _flag("location given", "no location", "location unknown"),
    "default_profile_image": _flag(
        "default profile image", "own profile image", "profile image unknown"
    ),
    "verified": _flag("verified", "not verified", "verification unknown"),
    "protected": _flag("protected account", "public account", "protection unknown"),
    # behaviour (from posts)
    "observed_posts_per_day": _rate("{} posts/day observed", "observed posts/day unknown"),
    "repost_share": _share("{} reposts", "repost share unknown"),
    "reply_share": _share("{} replies", "reply share unknown"),
    "hour_entropy": _decimal("posting-hour entropy {} of 4.6 bits", "posting hours unknown"),
    "gap_cv": _decimal("gaps between posts vary by CV {}", "gap regularity unknown", digits=2),
    "n_clients": _count("{}", "posting app"),
    "url_share": _share("{} of posts with links", "link share unknown"),
    "duplicate_text_share": _share("{} repeated texts", "repeated texts unknown"),
    "age_at_first_post_days": _days("account {} old at first post", "age at first post unknown"),
}

assert set(PHRASES) == set(PROFILE_FEATURES) | set(BEHAVIOUR_FEATURES)


def _json_numbers(x: np.ndarray, digits: int | None) -> pa.Array:
    """Numbers as JSON text (``null`` for NaN/inf), rounded to ``digits`` decimals or, when
    ``digits`` is None, to 4 significant digits."""
    x = np.where(np.isfinite(x), x, np.nan)
    if digits is None:
        mag = np.floor(np.log10(np.where((x == 0) | np.isnan(x), 1.0, np.abs(x))))
        scale = 10.0 ** (3 - mag)
        x = np.round(x * scale) / scale
    else:
        x = np.round(x, digits)
    return pc.fill_null(pa.array(x + 0.0, from_pandas=True).cast(pa.string()), "null")


def explain(
    score: np.ndarray,
    contrib: np.ndarray,
    values: np.ndarray,
    names: Sequence[str],
    flagged: np.ndarray,
    top: int,
    variant: np.ndarray,
    variant_names: Sequence[str],
    extra: pa.Array | None = None,
) -> tuple[pa.Array, pa.Array]:
    """Explanations and ``details`` JSON for a batch of scores.

    Parameters
    ----------
    score
        ``(n,)`` scores in [0, 1].
    contrib
        ``(n_features, n)`` contributions (log-odds) of each feature to each score.
    values
        ``(n_features, n)`` the feature values.
    names
        The ``n_features`` feature names (keys of :data:`PHRASES`).
    flagged
        ``(n,)`` bool: explain towards "bot" (True) or towards "human" (False).
    top
        Largest number of features listed.
    variant
        ``(n,)`` int index into ``variant_names`` (which model scored the row).
    variant_names
        Names of the variants, written into ``details``.
    extra
        Optional ``(n,)`` JSON members inserted into ``details`` after the variant, each
        starting with a comma (e.g. ``',"posts":12'``).

    Returns
    -------
    explanation, details : pyarrow.Array
        Strings: ``"0.94: phrase; phrase"`` and ``{"variant": ..., "top": [{"feature",
        "value", "contribution"}, ...]}``.
    """
    n_features, n = contrib.shape
    k = max(0, min(top, n_features))
    signed = np.where(flagged[None, :], contrib, -contrib)
    if k:
        part = np.argpartition(-signed, k - 1, axis=0)[:k] if k < n_features else None
        idx = (
            part
            if part is not None
            else np.broadcast_to(np.arange(n_features)[:, None], (n_features, n)).copy()
        )
        cols = np.arange(n)[None, :]
        order = np.argsort(-signed[idx, cols], axis=0, kind="stable")
        idx = np.take_along_axis(idx, order, axis=0)
        top_signed = signed[idx, cols]
        included = top_signed > 0
        top_values = values[idx, cols]
        top_contrib = contrib[idx, cols]
    else:
        idx = np.zeros((0, n), dtype=np.int64)
        included = np.zeros((0, n), dtype=bool)
        top_values = top_contrib = np.zeros((0, n))
    n_included = included.sum(axis=0)

    # phrases: one code per (rank, row) into a shared list of texts
    codes = np.zeros(idx.shape, dtype=np.int32)
    texts: list[str] = []
    for f, name in enumerate(names):
        mask = (idx == f) & included
        if not mask.any():
            continue
        c, t = PHRASES[name].format(top_values[mask])
        codes[mask] = len(texts) + c
        texts.extend(t)
    dictionary = pa.array(texts, type=pa.string())
    head = np.floor(np.clip(score, 0.0, 1.0) * 100.0).astype(np.int32)
    heads = pa.array([f"{h / 100:.2f}: " for h in range(101)])
    parts: list[pa.Array | str] = [
        pa.DictionaryArray.from_arrays(pa.array(head), heads).cast(pa.string())
    ]
    pieces: list[pa.Array | str] = []
    feature_names = pa.array(list(names), type=pa.string())
    for j in range(k):
        phrase = pa.DictionaryArray.from_arrays(
            pa.array(codes[j], mask=~included[j]), dictionary
        ).cast(pa.string())
        if j:
            parts.append(pc.if_else(pa.array(included[j]), "; ", ""))
        parts.append(pc.fill_null(phrase, ""))
        piece = pc.binary_join_element_wise(
            '{"feature":"',
            pc.take(feature_names, pa.array(idx[j])),
            '","value":',
            _json_numbers(top_values[j], None),
            ',"contribution":',
            _json_numbers(top_contrib[j], 3),
            "}",
            "",
        )
        if j:
            pieces.append(pc.if_else(pa.array(included[j]), ",", ""))
        pieces.append(pc.if_else(pa.array(included[j]), piece, ""))
    parts.append(pc.if_else(pa.array(n_included == 0), _NO_REASON, ""))
    explanation = pc.binary_join_element_wise(*parts, "")
    variants = pa.array([f'{{"variant":"{v}"' for v in variant_names])
    details = pc.binary_join_element_wise(
        pa.DictionaryArray.from_arrays(pa.array(variant.astype(np.int32)), variants).cast(
            pa.string()
        ),
        extra if extra is not None else "",
        ',"top":[',
        *pieces,
        "]}",
        "",
    )
    return explanation, details
