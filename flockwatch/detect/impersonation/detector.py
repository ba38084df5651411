"""The ``impersonation`` detector: look-alikes of protected identities (verified, famous or on a
watch list) that copy their name, handle, bio or picture."""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np

from flockwatch.detect.base import Detector, DetectorOutput, Example, Finding
from flockwatch.detect.impersonation import examples
from flockwatch.detect.impersonation.protected import (
    protected_identities,
    read_watch_list,
    text_column,
)
from flockwatch.detect.impersonation.scoring import (
    IMPERSONATOR_AT,
    ScoreParams,
    account_rows,
    count_value,
    flag,
    score_pair,
    upper_bounds,
)
from flockwatch.detect.impersonation.search import SearchParams, account_cores, cores, search
from flockwatch.store.db import Store

#: Other protected identities an account resembles, listed in its finding's details.
OTHER_MATCHES = 3


class ImpersonationDetector(Detector):
    """Accounts that pose as a protected identity: its name with look-alike characters, a
    padded copy of its handle, its bio, its picture.

    *What it measures.* Protected identities are the rows of the ``watch`` list (a CSV with
    ``platform``, ``account_id`` or ``screen_name``, and ``display_name``) plus the store's
    verified accounts and those with at least ``min_followers_protected`` followers. Display
    names and handles are reduced to confusable skeletons after Unicode TR39 (NFKC, invisible
    characters removed, Cyrillic, Greek and other look-alike letters mapped to Latin, case
    folded, accents dropped, digit swaps such as 0/o, 1/l, 3/e, 5/s undone) and stripped of
    padding (``official``, ``real``, ``the``, ``fan``, ``tv``, ``hq``, digits). Look-alikes are
    found among all accounts by blocking on the skeletons (the whole name, its one-character
    deletions, its words, handle prefixes) and scoring the candidate pairs in bulk with
    rapidfuzz, so a million accounts are searched against ten thousand identities without
    comparing every pair. Each close pair is scored from its signals: the name equal or near
    after confusables, deceptive characters (look-alike letters, zero-width characters, digit
    swaps, a fake badge), a handle built from the original's, a copied bio (token-set
    similarity), the same profile image (same URL or file name), padding words, created after
    the original, far fewer followers, not verified. An account is reported against the
    identity it resembles most. An account that is itself protected (verified or famous) is
    reported only when it is younger than the original and has under 1% of its followers: two
    stars with similar names are not an impostor and its victim.

    Findings: one per account scoring at least ``min_score`` (subject ``account``, the
    impostor; label ``impersonator`` from 0.5, else ``lookalike``), with ``details``:
    ``impersonated_account_id`` (an ``@screen_name`` for a watch-list entry not in the store),
    the signals, the score's components and the reasons, which the explanation joins: "Poses
    as @raveenatandon (Raveena Tandon): display name equals 'Raveena Tandon' after confusables
    (Cyrillic 'а'); handle raveenatandon_0fficial mimics @raveenatandon (digit swap 0/o); bio
    92% similar; same profile image; created 10 years after the original; ...".

    Parameters
    ----------
    watch : str or None, default None
        Path of the watch-list CSV (``flockwatch detect --watch FILE``); None protects only the
        store's verified and high-follower accounts.
    min_followers_protected : int, default 100000
        Accounts with at least this many followers are protected automatically.
    include_verified : bool, default True
        Protect the store's verified accounts automatically.
    name_threshold : float, default 0.85
        Similarity of display-name skeletons (rapidfuzz ratio, 0..1) from which names match.
    handle_threshold : float, default 0.85
        Similarity of handle skeletons from which a handle mimics the original's.
    bio_threshold : float, default 0.9
        Bio similarity at which a bio counts in full as copied (it starts to count at 0.6).
    max_block : int, default 5000
        A blocking key shared by more accounts than this (a common first name) is not used.
    min_score : float, default 0.4
        Pairs scoring below this are not recorded (0.4 keeps namesakes who show a protected
        name exactly, as ``lookalike`` findings, and leaves out mere similar names).

    Notes
    -----
    The score is a transparent sum of weights (see
    :mod:`flockwatch.detect.impersonation.scoring`), not a trained model. Profile images are
    compared by URL and file name only: the store keeps no image bytes, so a re-uploaded copy
    of the original's picture goes unseen; a perceptual hash (PDQ, pdqhash) of downloaded
    pictures is the way to catch it, left for when the store holds images.

    What this does *not* show. A similar name is not an impersonation. Namesakes share a
    celebrity's name (and then score low unless they copy her bio or picture or use deceptive
    characters). Fan accounts and fan clubs use the star's name and picture on purpose; those
    that say "fan", "parody" or "not affiliated" in their name or bio have their score halved
    unless they also use deceptive characters, but an honest fan account that copies the
    picture and bio can still score high. Parody and commentary accounts are legitimate on most
    platforms. Official secondary accounts (a star's "backup" or team account) look exactly
    like impostors unless they are on the watch list or verified. Names in scripts without
    Latin look-alikes (Devanagari, Thai) are compared on their own letters, with no confusable
    table for homoglyphs inside those scripts. Identities whose every key is common (a very
    common full name shared by more than ``max_block`` accounts) are searched less thoroughly.
    Only identities the detector knows are protected: add the person to the watch list.

    Examples
    --------
    >>> from flockwatch.store.db import Store
    >>> store = Store(":memory:")
    >>> ImpersonationDetector.positive_example().build(store)
    >>> out = ImpersonationDetector().run(store)
    >>> [(f.subject_id, f.label, f.details["impersonated_account_id"]) for f in out.findings]
    [('1100000002', 'impersonator', '1100000001')]
    """

    name = "impersonation"
    version = "1"
    summary = (
        "Look-alikes of verified, famous or watch-listed accounts: the same name after "
        "confusables, padded handles, copied bios and pictures."
    )
    subject_kinds = ("account",)

    def __init__(
        self,
        *,
        watch: str | None = None,
        min_followers_protected: int = 100000,
        include_verified: bool = True,
        name_threshold: float = 0.85,
        handle_threshold: float = 0.85,
        bio_threshold: float = 0.9,
        max_block: int = 5000,
        min_score: float = 0.4,
    ) -> None:
        self.watch = watch
        self.min_followers_protected = min_followers_protected
        self.include_verified = include_verified
        self.name_threshold = name_threshold
        self.handle_threshold = handle_threshold
        self.bio_threshold = bio_threshold
        self.max_block = max_block
        self.min_score = min_score

    def _check(self) -> None:
        def is_int(v: object) -> bool:
            return isinstance(v, int) and not isinstance(v, bool)

        def is_unit(v: object) -> bool:
            return (
                isinstance(v, int | float)
                and not isinstance(v, bool)
                and math.isfinite(v)
                and 0 < v <= 1
            )

        self.check_param(
            "watch",
            self.watch is None or (isinstance(self.watch, str) and self.watch.strip() != ""),
            "None or the path of a CSV file",
        )
        self.check_param(
            "min_followers_protected",
            is_int(self.min_followers_protected) and self.min_followers_protected >= 1,
            "an int >= 1",
        )
        self.check_param("include_verified", isinstance(self.include_verified, bool), "a bool")
        for name in ("name_threshold", "handle_threshold", "bio_threshold", "min_score"):
            self.check_param(name, is_unit(getattr(self, name)), "a number in (0, 1]")
        self.check_param(
            "bio_threshold", self.bio_threshold > 0.6, "a number above 0.6 and at most 1"
        )
        self.check_param("max_block", is_int(self.max_block) and self.max_block >= 1, "an int >= 1")

    def run(self, store: Store) -> DetectorOutput:
        self._check()
        con = store.con
        watch = read_watch_list(self.watch) if self.watch else []
        protected = protected_identities(
            store,
            watch=watch,
            min_followers=int(self.min_followers_protected),
            include_verified=bool(self.include_verified),
        )
        summary: dict[str, Any] = {
            "protected": len(protected),
            "watch_list": len(watch),
        }
        n_accounts = con.execute("SELECT count(*) FROM accounts").fetchall()[0][0]
        if protected.empty or not n_accounts:
            return DetectorOutput([], {}, summary)
        clock = time.perf_counter()
        accounts = account_cores(con)
        pcores = cores(
            text_column(protected, "platform"),
            text_column(protected, "account_id"),
            text_column(protected, "display_name"),
            text_column(protected, "screen_name"),
        )
        watch_listed = (protected["source"] == "watch list").to_numpy()
        seconds = {"skeletons": time.perf_counter() - clock}
        clock = time.perf_counter()
        close, counts = search(
            con,
            accounts,
            pcores,
            watch_listed,
            SearchParams(
                name_threshold=float(self.name_threshold),
                handle_threshold=float(self.handle_threshold),
                max_block=int(self.max_block),
            ),
        )
        summary.update(counts)
        seconds["search"] = time.perf_counter() - clock
        clock = time.perf_counter()
        findings = self._findings(con, close, accounts, pcores, protected)
        seconds["scoring"] = time.perf_counter() - clock
        summary["findings"] = len(findings)
        summary["seconds"] = {k: round(v, 2) for k, v in seconds.items()}
        return DetectorOutput(findings, {}, summary)

    def _findings(self, con, close, accounts, pcores, protected) -> list[Finding]:
        if close.empty:
            return []
        idx = np.unique(close["a"].to_numpy())
        rows = account_rows(
            con, [accounts.platform[i] for i in idx], [accounts.account_id[i] for i in idx]
        )
        cand_of = dict(zip(idx.tolist(), rows.to_dict("records"), strict=True))
        prot_rows = protected.to_dict("records")
        for r in prot_rows:
            r["watch_listed"] = r["source"] == "watch list"
        params = ScoreParams(
            name_threshold=float(self.name_threshold),
            handle_threshold=float(self.handle_threshold),
            bio_threshold=float(self.bio_threshold),
        )
        a_arr, p_arr = close["a"].to_numpy(), close["p"].to_numpy()
        a_core, o_core, o_joined = (
            accounts.handle[a_arr],
            pcores.handle[p_arr],
            pcores.joined[p_arr],
        )
        handle_like = (close["handle_sim"].to_numpy() >= params.handle_threshold) | np.array(
            [len(c) >= 6 and o.startswith(c) for c, o in zip(a_core, o_core, strict=True)],
            dtype=bool,
        )
        handle_any = (
            handle_like
            | (close["handle_name_sim"].to_numpy() >= params.handle_threshold)
            | np.array(
                [len(c) >= 6 and o.startswith(c) for c, o in zip(a_core, o_joined, strict=True)],
                dtype=bool,
            )
        )
        bound, bio_sim = upper_bounds(
            [cand_of[a] for a in a_arr.tolist()],
            [prot_rows[p] for p in p_arr.tolist()],
            (accounts.name[a_arr] == pcores.name[p_arr]) & accounts.has_name[a_arr],
            close["name_sim"].to_numpy(),
            handle_like,
            handle_any,
            params,
        )
        name_sim = close["name_sim"].to_numpy(dtype=float)
        handle_sim = close["handle_sim"].to_numpy(dtype=float)
        handle_name_sim = close["handle_name_sim"].to_numpy(dtype=float)
        best: dict[int, list[tuple[float, int, dict[str, Any]]]] = {}
        for k in np.flatnonzero(bound >= float(self.min_score)).tolist():
            a, p = int(a_arr[k]), int(p_arr[k])
            sims = {
                "name_sim": name_sim[k],
                "handle_sim": handle_sim[k],
                "handle_name_sim": handle_name_sim[k],
                "bio_sim": float(bio_sim[k]),
                "cand_name": accounts.name[a],
                "orig_name": pcores.name[p],
                "cand_handle": accounts.handle[a],
                "orig_handle": pcores.handle[p],
                "orig_joined": pcores.joined[p],
            }
            result = score_pair(cand_of[a], prot_rows[p], sims, params)
            if self._protected(cand_of[a]) and not {"younger", "fewer_followers"} <= set(
                result["components"]
            ):
                continue  # two famous accounts with similar names: not an impostor and its star
            best.setdefault(a, []).append((result["score"], p, result))
        out = []
        for a, results in best.items():
            results.sort(key=lambda t: (-t[0], str(prot_rows[t[1]]["account_id"])))
            score, p, result = results[0]
            if score < float(self.min_score):
                continue
            out.append(self._finding(accounts, a, cand_of[a], prot_rows, p, result, results[1:]))
        out.sort(key=lambda f: (-f.score, f.platform or "", f.subject_id))
        return out

    def _protected(self, cand: dict[str, Any]) -> bool:
        """Whether a candidate is itself protected (verified or with many followers)."""
        followers = count_value(cand.get("followers_count"))
        return (bool(self.include_verified) and flag(cand.get("verified"))) or (
            followers is not None and followers >= self.min_followers_protected
        )

    def _finding(self, accounts, a, cand, prot_rows, p, result, others) -> Finding:
        orig = prot_rows[p]
        o_handle = orig.get("screen_name")
        who = f"@{o_handle}" if isinstance(o_handle, str) and o_handle else str(orig["account_id"])
        o_name = orig.get("display_name")
        who += f" ({o_name})" if isinstance(o_name, str) and o_name else ""
        reasons = result["reasons"]
        explanation = f"Poses as {who}: " + "; ".join(reasons) + "."
        evidence = {"accounts": [accounts.account_id[a]]}
        if bool(orig.get("in_store")):
            evidence["accounts"].append(str(orig["account_id"]))
        details = {
            "impersonated_account_id": str(orig["account_id"]),
            "impersonated_platform": _none(orig.get("platform")),
            "impersonated_screen_name": _none(o_handle),
            "impersonated_display_name": _none(o_name),
            "protected_because": orig.get("source"),
            "screen_name": _none(cand.get("screen_name")),
            "display_name": _none(cand.get("display_name")),
            "reasons": reasons,
            "signals": result["signals"],
            "components": result["components"],
            "other_matches": [
                {"account_id": str(prot_rows[q]["account_id"]), "score": s}
                for s, q, _ in others[:OTHER_MATCHES]
            ],
        }
        score = float(result["score"])
        return Finding(
            subject_kind="account",
            subject_id=accounts.account_id[a],
            platform=accounts.platform[a],
            score=score,
            label="impersonator" if score >= IMPERSONATOR_AT else "lookalike",
            explanation=explanation,
            evidence=evidence,
            details=details,
        )

    @classmethod
    def positive_example(cls) -> Example:
        return Example(build=examples.build_positive, subject=("account", examples.IMPOSTOR))

    @classmethod
    def negative_example(cls) -> Example:
        return Example(build=examples.build_negative, subject=("account", examples.FAN))


def _none(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value
