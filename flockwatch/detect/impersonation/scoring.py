"""How strongly a look-alike impersonates a protected identity, and the reasons in plain words.

A close pair (name or handle near a protected identity's, see
:mod:`~flockwatch.detect.impersonation.search`) is scored as the sum of the weights in
:data:`WEIGHTS` for the signals it shows, capped at 1:

- ``name``: the display name equals the original's after confusables and padding (full
  weight), or is at least ``name_threshold`` similar (half to full weight);
- ``deception``: look-alike letters of another script, invisible characters, digit swaps,
  styled letters or a badge symbol that the original's name or handle does not have: nobody
  types a Cyrillic 'а' into a Latin name by accident;
- ``handle``: the handle mimics the original's (``handle_threshold`` similar, or a truncation
  of it) where the original's handle is more than its name (``iamKiara``); ``handle_name``
  when the handle only spells the original's name, as a namesake's would;
- ``bio``: the bio copies the original's (rapidfuzz ratio, or :data:`SUPERSET_BIO` when it
  holds all the original's words and more; counted from :data:`BIO_FROM` and in full from
  ``bio_threshold``; an original's bio that :data:`GENERIC_BIO_ACCOUNTS` accounts share is
  generic and not compared);
- ``image``: the same profile image (same URL or same file name; default avatars never count);
- ``padding``: words that claim to be the real one (``official``, ``real``, ``the``...);
- ``younger``, ``fewer_followers``, ``unverified``: created after the original, with under
  :data:`FEWER_FOLLOWERS` of its followers, not verified while it is. Nearly every account
  compared with a celebrity shows these, so they weigh little.

An account that says openly that it is a fan, parody or unofficial account, and neither uses
deceptive characters nor claims to be official or real (:data:`CLAIMS`), has its score
multiplied by :data:`DISCLOSURE_FACTOR`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from flockwatch.detect.impersonation.skeleton import (
    IGNORABLE,
    discloses,
    padding_words,
    tricks,
)

#: Weight of each signal; a pair's score is the sum of the weights of the signals it shows.
WEIGHTS: dict[str, float] = {
    "name": 0.35,  # the name a reader sees: the heart of impersonation
    "deception": 0.2,  # deliberate look-alike characters: the clearest sign of intent
    "handle": 0.15,  # a handle built from the original's
    "handle_name": 0.05,  # a handle that spells the name: namesakes do this too
    "bio": 0.25,  # a copied bio: namesakes write their own
    "image": 0.2,  # the same picture: namesakes use their own
    "padding": 0.05,  # "official", "real": claims, but fans and namesakes use them too
    "younger": 0.02,  # almost every account is younger than a star's
    "fewer_followers": 0.02,  # and has fewer followers
    "unverified": 0.02,  # and is not verified
}
#: Bio similarity from which a bio starts to count as copied (different bios of one style,
#: "Singer. Official account of ...", reach about this much).
BIO_FROM = 0.6
#: Bios shorter than this (characters) are not compared: "Singer" is not a copied bio.
MIN_BIO_CHARS = 15
#: An original's bio that this many accounts share word for word is generic ("Just here for the
#: memes"), not a copy: it is not compared. (A star's impostors rarely number this many.)
GENERIC_BIO_ACCOUNTS = 50
#: Similarity given to a bio that holds all the original's words and more.
SUPERSET_BIO = 0.9
#: "Far fewer followers": under this share of the original's.
FEWER_FOLLOWERS = 0.01
#: Score factor for an account that discloses being a fan or parody account without tricks.
DISCLOSURE_FACTOR = 0.5
#: Padding words that claim to be the original: they contradict a fan or parody disclosure.
CLAIMS = frozenset({"official", "officiel", "oficial", "real", "verified", "original"})
#: Score from which a pair is labelled ``impersonator`` (else ``lookalike``).
IMPERSONATOR_AT = 0.5

_MISSING = object()
_IMAGE_SIZE = re.compile(r"_(normal|bigger|mini|reasonably_small|\d+x\d+)$")


@dataclass(frozen=True)
class ScoreParams:
    name_threshold: float
    handle_threshold: float
    bio_threshold: float


def account_rows(con: Any, platform: list[str], account_id: list[str]) -> pd.DataFrame:
    """Profile fields of the given accounts (one row each, in the order given)."""
    wanted = pd.DataFrame({"platform": platform, "account_id": account_id})
    wanted["pos"] = range(len(wanted))
    con.register("_fwi_wanted_df", wanted)
    try:
        rows = con.execute(
            """
            SELECT w.pos, a.platform, a.account_id, a.screen_name, a.display_name,
                   a.description, a.created_at, coalesce(a.verified, false) AS verified,
                   a.followers_count, a.profile_image_url,
                   coalesce(a.default_profile_image, false)
                       OR coalesce(a.profile_image_url ILIKE '%default_profile%', false)
                       AS default_image
            FROM _fwi_wanted_df w JOIN accounts a USING (platform, account_id)
            QUALIFY row_number() OVER (PARTITION BY w.pos ORDER BY a.last_seen_at DESC NULLS LAST) = 1
            ORDER BY w.pos
            """
        ).df()
    finally:
        con.unregister("_fwi_wanted_df")
    return rows.set_index("pos").reindex(range(len(wanted)))


def score_pair(
    cand: dict[str, Any],
    orig: dict[str, Any],
    sims: dict[str, Any],
    params: ScoreParams,
) -> dict[str, Any]:
    """Score, signals and reasons of one close pair.

    ``cand`` and ``orig`` are profile rows (``screen_name, display_name, description,
    created_at, verified, followers_count, profile_image_url, default_image``; the original's
    may lack all but the names); ``sims`` has ``name_sim, handle_sim, handle_name_sim`` and the
    cores ``cand_name, orig_name, cand_handle, orig_handle, orig_joined``.
    """
    parts: dict[str, float] = {}
    reasons: list[str] = []
    signals: dict[str, Any] = {}
    c_display, o_display = _text(cand.get("display_name")), _text(orig.get("display_name"))
    c_handle, o_handle = _text(cand.get("screen_name")), _text(orig.get("screen_name"))

    # -- name ----------------------------------------------------------------------------------
    name_sim = float(sims["name_sim"])
    core_equal = bool(sims["cand_name"]) and sims["cand_name"] == sims["orig_name"]
    name_match = core_equal or name_sim >= params.name_threshold
    padding = padding_words(c_display, c_handle)
    orig_padding = padding_words(o_display, o_handle)
    padding = [w for w in padding if w not in orig_padding]
    display_tricks = tricks(c_display, o_display) if name_match else []
    if core_equal:
        parts["name"] = WEIGHTS["name"]
    elif name_match:
        ramp = (name_sim - params.name_threshold) / max(1e-9, 1.0 - params.name_threshold)
        parts["name"] = WEIGHTS["name"] * (0.5 + 0.5 * min(1.0, max(0.0, ramp)))
    if name_match:
        padded = bool(set(padding_words(c_display, None)) - set(padding_words(o_display, None)))
        reasons.append(
            _name_reason(c_display, o_display, name_sim, core_equal, display_tricks, padded)
        )
    signals["name_similarity"] = round(name_sim, 4)
    signals["name_equal_after_confusables"] = core_equal

    # -- handle --------------------------------------------------------------------------------
    c_core, o_core, o_joined = sims["cand_handle"], sims["orig_handle"], sims["orig_joined"]
    truncates = len(c_core) >= 6 and bool(o_core) and o_core.startswith(c_core)
    spells = len(c_core) >= 6 and bool(o_joined) and o_joined.startswith(c_core)
    handle_sim, handle_name_sim = float(sims["handle_sim"]), float(sims["handle_name_sim"])
    # A handle that only spells the original's name (janedoe for Jane Doe) is what namesakes
    # choose too: copying it counts as mimicry only when the original's handle is more than
    # its name (iamKiara, KiaraOfficialHQ).
    distinctive = bool(o_core) and not _close(o_core, o_joined, params.handle_threshold)
    like_handle = handle_sim >= params.handle_threshold or truncates
    handle_tricks: list[str] = []
    if like_handle and distinctive:
        parts["handle"] = WEIGHTS["handle"]
        handle_tricks = tricks(c_handle, o_handle, handle=True)
        reasons.append(f"handle {c_handle} mimics @{o_handle}" + _paren(handle_tricks))
    elif like_handle or handle_name_sim >= params.handle_threshold or spells:
        parts["handle_name"] = WEIGHTS["handle_name"]
        handle_tricks = tricks(c_handle, o_handle, handle=True)
        reasons.append(f"handle {c_handle} spells the name" + _paren(handle_tricks))
    elif c_handle:
        reasons.append(f"handle {c_handle}")
    signals["handle_similarity"] = round(handle_sim, 4)
    signals["handle_name_similarity"] = round(handle_name_sim, 4)

    deception = display_tricks + [t for t in handle_tricks if t not in display_tricks]
    if deception:
        parts["deception"] = WEIGHTS["deception"]
    signals["tricks"] = deception
    if padding:
        parts["padding"] = WEIGHTS["padding"]
        reasons.append("padding " + ", ".join(f"'{w}'" for w in padding))
    signals["padding"] = padding

    # -- bio and image -------------------------------------------------------------------------
    bio_sim = sims.get("bio_sim", _MISSING)
    if _generic(orig):
        bio_sim = None
    elif bio_sim is _MISSING:
        bio_sim = _bio_similarity(cand.get("description"), orig.get("description"))
    elif bio_sim is not None and math.isnan(bio_sim):
        bio_sim = None
    signals["bio_similarity"] = None if bio_sim is None else round(bio_sim, 4)
    if bio_sim is not None and bio_sim >= BIO_FROM:
        ramp = (bio_sim - BIO_FROM) / max(1e-9, params.bio_threshold - BIO_FROM)
        parts["bio"] = WEIGHTS["bio"] * min(1.0, ramp)
        reasons.append(f"bio {bio_sim:.0%} similar")
    same_image = _same_image(cand, orig)
    signals["same_image"] = same_image
    if same_image:
        parts["image"] = WEIGHTS["image"]
        reasons.append("same profile image")

    # -- context -------------------------------------------------------------------------------
    c_at, o_at = _time(cand.get("created_at")), _time(orig.get("created_at"))
    if c_at is not None and o_at is not None and c_at > o_at:
        parts["younger"] = WEIGHTS["younger"]
        days = (c_at - o_at).days
        signals["days_after_original"] = days
        reasons.append(f"created {_span(days)} after the original")
    c_f, o_f = count_value(cand.get("followers_count")), count_value(orig.get("followers_count"))
    if c_f is not None and o_f and c_f < FEWER_FOLLOWERS * o_f:
        parts["fewer_followers"] = WEIGHTS["fewer_followers"]
        reasons.append(f"{c_f:,} followers against {o_f:,}")
    signals["followers"] = c_f
    signals["original_followers"] = o_f
    if not flag(cand.get("verified")) and (
        flag(orig.get("verified")) or flag(orig.get("watch_listed"))
    ):
        parts["unverified"] = WEIGHTS["unverified"]
        reasons.append("not verified")
    signals["verified"] = flag(cand.get("verified"))

    score = min(1.0, sum(parts.values()))
    # "Fan account" next to "Official" or look-alike letters is a disguise, not a disclosure.
    claims = [w for w in padding if w in CLAIMS]
    disclosed = (
        discloses(c_display, _text(cand.get("description"))) and not deception and not claims
    )
    signals["discloses_fan_or_parody"] = bool(disclosed)
    if disclosed:
        score *= DISCLOSURE_FACTOR
        reasons.append("says openly it is a fan, parody or unofficial account")
    return {
        "score": round(score, 4),
        "components": {k: round(v, 4) for k, v in parts.items()},
        "signals": signals,
        "reasons": reasons,
    }


def upper_bounds(
    cands: list[dict[str, Any]],
    origs: list[dict[str, Any]],
    core_equal: np.ndarray,
    name_sim: np.ndarray,
    handle_like: np.ndarray,
    handle_any: np.ndarray,
    params: ScoreParams,
) -> tuple[np.ndarray, np.ndarray]:
    """For many pairs at once: the highest score :func:`score_pair` could give each (so pairs
    that cannot reach the recording threshold are skipped) and the bio similarity (NaN where
    not compared). Deception counts only for names or handles with non-ASCII characters or
    digits; ``handle_like`` says the handle may mimic the original's, ``handle_any`` that it
    may at least spell its name; the bio is compared in bulk with rapidfuzz."""
    ramp = np.clip((name_sim - params.name_threshold) / (1.0 - params.name_threshold), 0, 1)
    name = np.where(
        core_equal,
        WEIGHTS["name"],
        np.where(name_sim >= params.name_threshold, WEIGHTS["name"] * (0.5 + 0.5 * ramp), 0.0),
    )
    handle = np.where(
        handle_like, WEIGHTS["handle"], np.where(handle_any, WEIGHTS["handle_name"], 0)
    )
    tricky = np.array([_may_trick(c) for c in cands], dtype=bool)
    padded = np.array(
        [
            bool(padding_words(_text(c.get("display_name")), _text(c.get("screen_name"))))
            for c in cands
        ],
        dtype=bool,
    )
    c_bio = [_bio_text(c.get("description")) for c in cands]
    o_bio = [_bio_text(o.get("description")) if not _generic(o) else "" for o in origs]
    compared = np.array([bool(x) and bool(y) for x, y in zip(c_bio, o_bio, strict=True)])
    if len(cands):
        ratio = process.cpdist(c_bio, o_bio, scorer=fuzz.ratio, workers=-1)
        tset = process.cpdist(c_bio, o_bio, scorer=fuzz.token_set_ratio, workers=-1)
        bio_sim = np.where(compared, np.maximum(ratio, SUPERSET_BIO * tset) / 100.0, np.nan)
    else:
        bio_sim = np.zeros(0)
    bio_ramp = np.clip((bio_sim - BIO_FROM) / (params.bio_threshold - BIO_FROM), 0, 1)
    bio = np.where(compared & (bio_sim >= BIO_FROM), WEIGHTS["bio"] * bio_ramp, 0.0)
    image = np.array([_same_image(c, o) for c, o in zip(cands, origs, strict=True)], dtype=bool)
    rest = WEIGHTS["younger"] + WEIGHTS["fewer_followers"] + WEIGHTS["unverified"]
    bound = name + handle + bio + image * WEIGHTS["image"] + rest
    bound += tricky * WEIGHTS["deception"] + padded * WEIGHTS["padding"]
    return np.minimum(bound, 1.0), bio_sim


def _generic(orig: dict[str, Any]) -> bool:
    n = count_value(orig.get("bio_accounts"))
    return n is not None and n >= GENERIC_BIO_ACCOUNTS


def _may_trick(cand: dict[str, Any]) -> bool:
    """Whether the name or handle holds any deceptive change at all (against an original
    without any, so a superset of what :func:`tricks` finds against the real one)."""
    display, handle = _text(cand.get("display_name")), _text(cand.get("screen_name"))
    return bool(tricks(display, "") or tricks(handle, "", handle=True))


def _bio_text(value: Any) -> str:
    text = _text(value)
    if len(text.strip()) < MIN_BIO_CHARS:
        return ""
    return _fold(IGNORABLE.sub("", text))


def _name_reason(
    cand: str, orig: str, name_sim: float, core_equal: bool, found: list[str], padded: bool
) -> str:
    if _fold(cand) == _fold(orig):
        return f"display name equals '{orig}'"
    if core_equal and (found or not padded):
        return f"display name equals '{orig}' after confusables" + _paren(found)
    if core_equal:
        return f"display name '{_visible(cand)}' is '{orig}' padded"
    return f"display name '{_visible(cand)}' is {name_sim:.0%} similar to '{orig}'" + _paren(found)


def _close(a: str, b: str, threshold: float) -> bool:
    """Whether two cores are alike: similar enough, or one begins the other."""
    if not a or not b:
        return False
    return fuzz.ratio(a, b) / 100.0 >= threshold or a.startswith(b) or b.startswith(a)


def _paren(items: list[str]) -> str:
    return f" ({'; '.join(items)})" if items else ""


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _visible(text: str) -> str:
    """Text with invisible characters shown as ``<U+200B>`` (an explanation must show them)."""
    return IGNORABLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def _bio_similarity(cand: Any, orig: Any) -> float | None:
    c, o = _bio_text(cand), _bio_text(orig)
    if not c or not o:
        return None
    # A bio copied whole with a line added is a copy: its token-set ratio is 100; counted as
    # SUPERSET_BIO so that an exact copy still ranks above it.
    return max(fuzz.ratio(c, o), SUPERSET_BIO * fuzz.token_set_ratio(c, o)) / 100.0


def image_key(url: Any) -> str | None:
    """The file name of a profile image without size suffix and extension (the same upload
    served in several sizes, or re-served from another path, keeps its name)."""
    text = _text(url).strip()
    if not text:
        return None
    name = text.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0]
    stem = _IMAGE_SIZE.sub("", name.rsplit(".", 1)[0])
    return stem.lower() if len(stem) >= 6 else None


def _same_image(cand: dict[str, Any], orig: dict[str, Any]) -> bool:
    if flag(cand.get("default_image")) or flag(orig.get("default_image")):
        return False
    c_url, o_url = _text(cand.get("profile_image_url")), _text(orig.get("profile_image_url"))
    if not c_url or not o_url:
        return False
    if c_url == o_url:
        return True
    key = image_key(c_url)
    return key is not None and key == image_key(o_url)


def _span(days: int) -> str:
    if days >= 548:
        return f"{round(days / 365.25)} years"
    if days >= 60:
        return f"{round(days / 30.44)} months"
    return f"{days} day{'s' if days != 1 else ''}"


def flag(value: Any) -> bool:
    """A boolean field that may be missing (None, NaN, NA): missing is False."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return False
    return bool(value)


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def count_value(value: Any) -> int | None:
    if value is None or value is pd.NA:
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else int(x)


def _time(value: Any) -> datetime | None:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        return None
    return None if ts is pd.NaT else ts.to_pydatetime()
