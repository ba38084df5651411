"""Look-alike names for accounts that impersonate celebrities.

Impersonators swap Latin letters for Cyrillic twins, hide zero-width characters in the
display name, swap 0/o and 1/l, and pick handles such as ``<name>_official`` or ``real<name>``.
"""

from __future__ import annotations

import numpy as np

HOMOGLYPHS = {"a": "\u0430", "e": "\u0435", "o": "\u043e", "p": "\u0440", "c": "\u0441"}
"""Latin letter -> Cyrillic letter that renders the same."""

ZERO_WIDTH = ("\u200d", "\u200b")
HANDLE_PATTERNS = ("{h}_official", "real{h}", "{h}fan", "{h}0", "the{h}", "{h}_real", "{h}__")
BIO_EDITS = (
    "{bio}",
    "{bio}",
    "Fan account. {bio}",
    "{bio} | DM for collabs",
    "{bio} Backup account.",
    "{bio} 🎁 Giveaways every week",
)


def lookalike_display(rng: np.random.Generator, display: str) -> str:
    """Return ``display`` with one or two invisible or near-invisible changes."""
    chars = list(display)
    trick = int(rng.integers(0, 4))
    if trick == 0:
        spots = [i for i, ch in enumerate(chars) if ch.lower() in HOMOGLYPHS]
        for i in rng.permutation(spots)[: int(rng.integers(1, 3))] if spots else []:
            chars[int(i)] = HOMOGLYPHS[chars[int(i)].lower()]
    elif trick == 1:
        pos = int(rng.integers(1, max(2, len(chars))))
        chars.insert(pos, ZERO_WIDTH[int(rng.integers(0, 2))])
    elif trick == 2:
        swaps = {"o": "0", "l": "1", "O": "0", "I": "l", "i": "1"}
        spots = [i for i, ch in enumerate(chars) if ch in swaps]
        if spots:
            i = int(spots[int(rng.integers(0, len(spots)))])
            chars[i] = swaps[chars[i]]
        else:
            chars.append(" ✓")
    else:
        chars.append((" ✓", " 🔵", "™", " Official")[int(rng.integers(0, 4))])
    return "".join(chars)


def lookalike_handle(rng: np.random.Generator, handle: str) -> str:
    """Return a handle that reads like ``handle`` (at most 15 characters)."""
    pattern = HANDLE_PATTERNS[int(rng.integers(0, len(HANDLE_PATTERNS)))]
    room = 15 - len(pattern.replace("{h}", ""))
    base = handle[:room]
    if rng.random() < 0.3:
        base = base.replace("o", "0", 1) if "o" in base else base.replace("l", "1", 1)
    return pattern.format(h=base)


def lookalike_bio(rng: np.random.Generator, bio: str) -> str:
    """Copy ``bio`` verbatim or with a light edit."""
    template = BIO_EDITS[int(rng.integers(0, len(BIO_EDITS)))]
    return template.format(bio=bio)
