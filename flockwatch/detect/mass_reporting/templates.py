"""Templated report comments: the same text filed by many accounts, with small variations.

A comment is normalised (NFKC, case folded, links, @mentions, numbers and the target's own
names replaced by placeholders, punctuation dropped, spaces collapsed), so "Report @critic1 now!!
He posted 3 lies" and "report @critic2 now. he posted 5 lies" are one text. Within a campaign,
normalised texts at least :data:`TEMPLATE_SIMILARITY` alike (rapidfuzz ratio) are joined into
one template (connected components of the similarity graph, all pairs scored in bulk by
:func:`rapidfuzz.process.cdist`). A template is *shared* when two or more reporters used it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import numpy as np
from rapidfuzz import fuzz, process

#: Normalised texts at least this similar (0-100) are one template: "This account spreads
#: fake news" ~ "This account is spreading fake news" (about 90).
TEMPLATE_SIMILARITY = 85
#: A campaign with more distinct texts than this compares only exact normalised texts
#: (all-pairs similarity grows with the square).
MAX_TEXTS = 5000

_URL = re.compile(r"https?://\S+|www\.\S+")
_MENTION = re.compile(r"@\w+")
_NUMBER = re.compile(r"\d+")
_PUNCT = re.compile(r"[^\w<>]+")


def normalise(comment: str | None, target_names: Iterable[str] = ()) -> str:
    """The comparable form of a report comment (``''`` for none).

    >>> normalise("Report @critic1 NOW!! He posted 3 lies: https://x.co/a", ["Critic One"])
    'report <at> now he posted <n> lies <url>'
    """
    if not isinstance(comment, str) or not comment.strip():
        return ""
    text = unicodedata.normalize("NFKC", comment).casefold()
    text = _URL.sub(" <url> ", text)
    text = _MENTION.sub(" <at> ", text)
    for name in target_names:
        if isinstance(name, str) and len(name) >= 3:
            text = text.replace(unicodedata.normalize("NFKC", name).casefold(), " <target> ")
    text = _NUMBER.sub(" <n> ", text)
    return " ".join(_PUNCT.sub(" ", text).split())


def template_ids(texts: list[str]) -> list[int]:
    """A template number for each normalised text (equal numbers: one template); empty texts
    get -1."""
    distinct = sorted({t for t in texts if t})
    if not distinct:
        return [-1 for _ in texts]
    parent = list(range(len(distinct)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if 1 < len(distinct) <= MAX_TEXTS:
        scores = process.cdist(
            distinct, distinct, scorer=fuzz.ratio, score_cutoff=TEMPLATE_SIMILARITY, workers=-1
        )
        rows, cols = np.nonzero(np.triu(scores >= TEMPLATE_SIMILARITY, k=1))
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
            ri, rj = find(i), find(j)
            if ri != rj:
                parent[max(ri, rj)] = min(ri, rj)
    index = {t: find(i) for i, t in enumerate(distinct)}
    return [index[t] if t else -1 for t in texts]
