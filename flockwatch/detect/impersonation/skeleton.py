"""Confusable skeletons of names and handles, after Unicode TR39, and what an impostor changed.

Two strings are *confusable* when they have the same skeleton. The skeleton here follows
Unicode Technical Standard #39 (section 4, "Confusable Detection") with a small table kept in
code instead of the full ``confusables.txt``:

1. NFKC (full-width and mathematical letters, ligatures and the like become plain letters);
2. default-ignorable code points are removed (zero-width space and joiners, soft hyphen, word
   joiner, bidirectional marks, variation selectors);
3. letters of other scripts that render like Latin ones become Latin (:data:`CONFUSABLES`:
   Cyrillic, Greek, Armenian and Cherokee look-alikes, dotless i...);
4. case is folded, the string is decomposed (NFKD) and combining marks are dropped;
5. the swaps people use to dodge exact matches become letters (:data:`SWAPS`: ``0`` -> ``o``,
   ``1``/``i``/``|`` -> ``l``, ``3`` -> ``e``, ``4``/``@`` -> ``a``, ``5``/``$`` -> ``s``,
   ``7`` -> ``t``, ``8`` -> ``b``, ``9`` -> ``g``) and ``rn`` -> ``m``, ``vv`` -> ``w``.

``i`` and ``l`` share a skeleton because ``I`` (capital i) and ``l`` are the classic pair: the
skeleton is only ever compared with another skeleton, never shown. Unlike TR39 the skeleton
drops accents (``Sofía`` ~ ``Sofia``): a reader sees them as the same name.

On top of the skeleton, :func:`name_core` and :func:`handle_core` drop *padding*: the words and
affixes impostors add to a copied name (``official``, ``real``, ``the``, ``fan``, ``tv``, ``hq``,
digits...). :func:`tricks` says which deceptive changes one raw string shows against another
(look-alike letters, invisible characters, digit swaps, a fake badge), for the explanation.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Letters of other scripts (and a few Latin oddities) that render like a Latin letter.
CONFUSABLES: dict[str, str] = {
    # Cyrillic
    "а": "a", "в": "b", "г": "r", "е": "e", "ё": "e", "к": "k", "о": "o", "п": "n", "р": "p",
    "с": "c", "у": "y", "х": "x", "ь": "b", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d",
    "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l", "ү": "y", "ɡ": "g",
    "А": "A", "В": "B", "Е": "E", "Ё": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "У": "Y", "Х": "X", "І": "I", "Ї": "I", "Ј": "J", "Ѕ": "S", "Ԁ": "D",
    "Ԛ": "Q", "Ԝ": "W", "Һ": "H", "Ӏ": "I", "Ү": "Y", "Ь": "b",
    # Greek
    "α": "a", "β": "b", "γ": "y", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "ω": "w",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    # Armenian
    "օ": "o", "ս": "u", "հ": "h", "ո": "n", "ց": "g",
    # Cherokee capitals
    "Ꭺ": "A", "Ᏼ": "B", "Ꮯ": "C", "Ꭼ": "E", "Ꮋ": "H", "Ꭻ": "J", "Ꮶ": "K", "Ꮇ": "M",
    "Ꮲ": "P", "Ꮪ": "S", "Ꭲ": "T", "Ꮃ": "W",
    # Latin look-alikes
    "ı": "i", "ɑ": "a", "ʟ": "l", "ɩ": "i", "ꞵ": "b",
}  # fmt: skip
#: Digits and symbols swapped for letters, and letters merged with their twins.
SWAPS: dict[str, str] = {
    "0": "o", "1": "l", "i": "l", "|": "l", "3": "e", "4": "a", "@": "a", "5": "s", "$": "s",
    "7": "t", "8": "b", "9": "g",
}  # fmt: skip
#: Words and affixes that pad a copied name or handle ("the real X", "X_official", "X fan").
PADDING = (
    "official", "officiel", "oficial", "real", "the", "its", "fan", "fans", "fanclub", "fanpage",
    "club", "page", "account", "acc", "tv", "hq", "backup", "updates", "update", "team", "parody",
    "unofficial", "verified", "original", "fc", "news", "daily", "world", "army",
)  # fmt: skip
#: Words in a display name or bio that say the account is not the person (fans, parodies).
DISCLOSURE = re.compile(
    r"\b(fans?|fan ?(account|page|club|acc)|fanpage|parody|not affiliated|unofficial|"
    r"not (the )?real|commentary|tribute)\b",
    re.IGNORECASE,
)
#: Symbols that imitate a platform's verified badge inside a display name.
BADGES = ("✓", "✔", "☑", "✅", "🔵", "™", "®", "🆗", "☑️", "✔️")
#: Default-ignorable code points: invisible characters inserted to dodge exact matches.
IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U0001bca0-\U0001bca3\U000e0000-\U000e0fff]"
)

_CONFUSE = str.maketrans(CONFUSABLES)
_SWAP = str.maketrans(SWAPS)
_NON_WORD = re.compile(r"[^0-9a-z]+")
_SPLIT_HANDLE = re.compile(r"[_.\-]+")
_TRAILING_DIGITS = re.compile(r"(?<=[^0-9])[0-9]+$")


def skeleton(text: str | None) -> str:
    """The TR39-style skeleton of ``text`` (see the module docstring); ``''`` for None.

    >>> skeleton("Rаvееnа Tаndоn") == skeleton("Raveena Tandon")  # Cyrillic а, е, о
    True
    >>> skeleton("Rave\u200bena") == skeleton("Raveena"), skeleton("R4veena") == skeleton("Raveena")
    (True, True)
    """
    if not text:
        return ""
    if text.isascii():
        s = text.lower()
    else:
        s = unicodedata.normalize("NFKC", text)
        s = IGNORABLE.sub("", s).translate(_CONFUSE).casefold()
        s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    s = s.translate(_SWAP)
    if "rn" in s:
        s = s.replace("rn", "m")
    if "vv" in s:
        s = s.replace("vv", "w")
    return s


_PADDING_SKELETONS = frozenset(skeleton(w) for w in PADDING)
#: Affixes stripped from handles, longest first so ``fanclub`` goes before ``fan``.
_AFFIXES = tuple(sorted(_PADDING_SKELETONS, key=len, reverse=True))
#: A handle keeps at least this many characters when padding is stripped from it.
MIN_CORE = 4


def name_core(display_name: str | None) -> str:
    """Skeleton words of a display name without padding words and digit-only words.

    >>> name_core("Kiara Devanshi Official ✓") == name_core("Kiara Devanshi")
    True
    """
    if not display_name:
        return ""
    words = []
    for raw in _split_words(display_name):
        if raw.isdigit():
            continue
        word = skeleton(raw)
        word = _NON_WORD.sub("", word)
        if word and word not in _PADDING_SKELETONS:
            words.append(word)
    return " ".join(words)


def _split_words(text: str) -> list[str]:
    if not text.isascii():
        # symbols (emoji, badges) separate words; before NFKC, which spells ™ as "TM"
        text = "".join(
            " " if unicodedata.category(c)[0] == "S" and c not in SWAPS else c for c in text
        )
        text = unicodedata.normalize("NFKC", text)
    text = IGNORABLE.sub("", text)
    return [w for w in re.split(r"[\s_.,;:/|·•()\[\]{}\-]+", text) if w]


def handle_core(screen_name: str | None) -> str:
    """Skeleton of a handle without separators, trailing digits and padding affixes.

    >>> handle_core("raveenatandon_0fficial"), handle_core("TheRealRaveena99")
    ('raveenatandon', 'raveena')
    """
    if not screen_name:
        return ""
    parts = []
    for part in _SPLIT_HANDLE.split(screen_name.lstrip("@")):
        part = _TRAILING_DIGITS.sub("", part)
        s = _NON_WORD.sub("", skeleton(part))
        if s and s not in _PADDING_SKELETONS:
            parts.append(s)
    core, _ = _strip_affixes("".join(parts))
    return core


_AFFIX_ALT = "|".join(re.escape(a) for a in _AFFIXES)  # longest first: the longest wins
_PREFIX = re.compile(f"^(?:{_AFFIX_ALT})")
_SUFFIX = re.compile(f"(?:{_AFFIX_ALT})$")
_WORD_OF_AFFIX = {skeleton(w): w for w in reversed(PADDING)}


def _strip_affixes(core: str) -> tuple[str, list[str]]:
    """``core`` without padding prefixes and suffixes (keeping :data:`MIN_CORE` characters),
    and the affixes removed: "therealx" -> "realx" -> "x"; "xofficialfan" -> "xofficial" -> "x"."""
    removed = []
    while True:
        m = _PREFIX.match(core)
        if m and len(core) - m.end() >= MIN_CORE:
            removed.append(m.group())
            core = core[m.end() :]
            continue
        m = _SUFFIX.search(core)
        if m and m.start() >= MIN_CORE:
            removed.append(m.group())
            core = core[: m.start()]
            continue
        return core, removed


@lru_cache(maxsize=1 << 16)
def padding_words(display_name: str | None, screen_name: str | None) -> tuple[str, ...]:
    """Padding words in a display name or handle, display name first (for the reasons)."""
    found: list[str] = []
    if display_name:
        for word in _split_words(display_name):
            s = _NON_WORD.sub("", skeleton(word))
            if s in _PADDING_SKELETONS and word.lower() not in found:
                found.append(word.lower())
    if screen_name:
        handle = _NON_WORD.sub("", skeleton(_TRAILING_DIGITS.sub("", screen_name.lstrip("@"))))
        for affix in _strip_affixes(handle)[1]:
            word = _WORD_OF_AFFIX[affix]
            if word not in found:
                found.append(word)
    return tuple(found)


def discloses(*texts: str | None) -> bool:
    """Whether any text says openly that the account is a fan, parody or unofficial account."""
    return any(
        isinstance(t, str) and DISCLOSURE.search(unicodedata.normalize("NFKC", t)) for t in texts
    )


def tricks(candidate: str | None, original: str | None, *, handle: bool = False) -> list[str]:
    """The deceptive changes ``candidate`` shows that ``original`` does not, in plain words:
    look-alike letters (named by script), invisible characters between letters, styled
    (compatibility) letters, digit swaps, a fake badge. ``handle`` says both are handles (their
    trailing digits are padding, not swaps).

    >>> tricks("R\u0430v\u0435\u0435na T\u200bandon \u2713", "Raveena Tandon")
    ["Cyrillic 'а', 'е'", 'zero-width character', 'badge symbol ✓']
    """
    cand, orig = candidate or "", original or ""
    if cand.isascii():  # look-alikes, invisibles, styled letters and badges are not ASCII
        swapped = digit_swaps(cand, handle) - digit_swaps(orig, handle)
        return ["digit swap " + ", ".join(sorted(swapped))] if swapped else []
    out: list[str] = []
    cand_n = unicodedata.normalize("NFKC", cand)
    lookalikes: dict[str, list[str]] = {}
    for ch in dict.fromkeys(cand_n):
        if ch in CONFUSABLES and ch not in orig:
            script = unicodedata.name(ch, "OTHER").split(" ")[0].capitalize()
            lookalikes.setdefault(script, []).append(ch)
    for script, chars in lookalikes.items():
        out.append(f"{script} " + ", ".join(f"'{c}'" for c in chars))
    if _HIDDEN.search(cand) and not _HIDDEN.search(orig):
        out.append("zero-width character")
    if _styled(cand) and not _styled(orig):
        out.append("styled letters")
    swapped = digit_swaps(cand_n, handle) - digit_swaps(orig, handle)
    if swapped:
        out.append("digit swap " + ", ".join(sorted(swapped)))
    for badge in BADGES:
        if badge in cand and badge not in orig:
            out.append(f"badge symbol {badge}")
            break
    return out


#: Invisible characters next to a letter (emoji sequences join with U+200D legitimately).
_HIDDEN = re.compile(rf"(?<=\w){IGNORABLE.pattern}|{IGNORABLE.pattern}(?=\w)")
_DIGIT_RUN = re.compile(r"[0-9]+")
#: Longest run of digits inside a word read as letters ("Rav33na"); longer runs are numbers.
MAX_SWAP_RUN = 3


def _styled(text: str) -> bool:
    """Full-width or mathematical letters (NFKC turns them into plain ones)."""
    return not text.isascii() and any(
        c.isalpha() and unicodedata.normalize("NFKC", c) != c and c not in CONFUSABLES for c in text
    )


def digit_swaps(text: str, handle: bool) -> set[str]:
    """Digits standing for letters inside words (``Ferrande1``, ``0fficial``, ``Rav33na``), not
    numbers (``Team 2024``, ``kiara007``) nor, in handles, trailing digits (``kiara99``)."""
    found: set[str] = set()
    if not any(c.isdigit() for c in text):
        return found
    for word in re.split(r"[\s_.\-]+", text):
        if handle:
            word = _TRAILING_DIGITS.sub("", word)
        if not any(c.isalpha() for c in word):
            continue
        for m in _DIGIT_RUN.finditer(word):
            run, i, j = m.group(), m.start(), m.end()
            before = i > 0 and word[i - 1].isalpha()
            after = j < len(word) and word[j].isalpha()
            # one digit next to a letter (Ferrande1, 0fficial), or a short run inside a word
            # (Rav33na); not a number after a name (kiara007)
            if (len(run) == 1 and (before or after)) or (
                len(run) <= MAX_SWAP_RUN and before and after
            ):
                found.update(f"{ch}/{SWAPS[ch]}" for ch in run if ch in SWAPS)
    return found
