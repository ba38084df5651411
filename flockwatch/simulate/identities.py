"""Who each account says it is: handles, display names, bios, locations and profile links.

Each role gets its own naming habits: organic people use varied handles and bios in several
languages and scripts, bulk-created accounts use ``name + digits`` handles and empty bios,
impersonators copy a celebrity. Handles are unique ignoring case, as on the platform.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

import numpy as np

from . import names as N
from . import plan as P
from .impersonation import lookalike_bio, lookalike_display, lookalike_handle

if TYPE_CHECKING:
    from .world import World

CORE_HANDLES = (
    "NationPulse",
    "TruthDaily",
    "RiviaToday",
    "VoiceOfUnity",
    "PatriotNews",
    "ProgressWatch",
    "RiviaFirst",
    "TheRealFacts",
    "UnityDesk",
    "CitizenVoice",
)
SPAM_WORDS = ("Deal", "Promo", "Sale", "Offer", "Discount", "Bargain", "Coupon", "Savings")
SPAM_WORDS2 = ("Hub", "Zone", "King", "Daily", "World", "Club", "Spot", "Now")
IO_LOCATIONS = ("Rivia", "Capital City, Rivia", "Rivia 🇺🇳", "")
BASE62 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def ascii_fold(text: str) -> str:
    """Strip accents and anything a handle may not contain."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded if ch.isalnum())


def token(rng: np.random.Generator, length: int = 10) -> str:
    """A random base-62 token like those in ``t.co`` links."""
    return "".join(BASE62[i] for i in rng.integers(0, 62, length))


def pick(rng: np.random.Generator, options: tuple[str, ...]) -> str:
    return options[int(rng.integers(0, len(options)))]


def person(rng: np.random.Generator, lang: str) -> tuple[str, str]:
    """A (first, last) pair in the account's language."""
    return pick(rng, N.FIRST_NAMES[lang]), pick(rng, N.SURNAMES[lang])


def digits(rng: np.random.Generator, count: int) -> str:
    return "".join(str(d) for d in rng.integers(0, 10, count))


def organic_handle(rng: np.random.Generator, first: str, last: str) -> str:
    f, s = ascii_fold(first) or "user", ascii_fold(last) or "x"
    nick = pick(rng, N.NICKNAME_WORDS)
    style = int(rng.integers(0, 10))
    options = (
        f + s,
        f"{f}_{s}",
        f"{f}{s}{int(rng.integers(1, 100))}",
        f[0] + s,
        nick + f,
        f"the{f}{s[0]}",
        f"{nick}_{f}",
        f"{f}{int(rng.integers(1965, 2008))}",
        f"{f}_{nick}",
        f"{s}{f[0]}{int(rng.integers(1, 10))}",
    )
    handle = options[style]
    return (handle.lower() if rng.random() < 0.55 else handle)[:15]


def organic_display(rng: np.random.Generator, first: str, last: str, lang: str) -> str:
    if lang in N.NATIVE_NAMES and rng.random() < 0.5:
        return pick(rng, N.NATIVE_NAMES[lang])
    style = rng.random()
    if style < 0.5:
        return f"{first} {last}"
    if style < 0.65:
        return first
    if style < 0.75:
        return f"{first} {last} {pick(rng, N.BIO_EMOJI)}"
    if style < 0.85:
        return f"{first.lower()} {pick(rng, N.BIO_EMOJI)}"
    if style < 0.95:
        return f"{first} {last[0]}."
    return f"{first} {last}".lower()


def organic_bio(rng: np.random.Generator, lang: str) -> str:
    if rng.random() < 0.25:
        return ""
    parts = [pick(rng, N.BIO_ROLES[lang]).capitalize()]
    if rng.random() < 0.6:
        parts.append(" & ".join(rng.choice(N.BIO_INTERESTS, 2, replace=False).tolist()))
    if rng.random() < 0.4:
        parts.append(pick(rng, N.BIO_EMOJI))
    if rng.random() < 0.3:
        parts.append(pick(rng, N.BIO_TAGLINES))
    sep = pick(rng, (" | ", ". ", " • ", " / "))
    return sep.join(parts)


def bulk_handle(rng: np.random.Generator, first: str, last: str) -> str:
    """Handles like the platform suggests for hastily created accounts."""
    f, s = ascii_fold(first) or "user", ascii_fold(last) or "x"
    if rng.random() < 0.6:
        base = (f + s)[: int(rng.integers(4, 8))]
        return base + digits(rng, 15 - len(base))
    if rng.random() < 0.5:
        return f"{f.lower()}{s.lower()[:4]}{digits(rng, int(rng.integers(4, 7)))}"[:15]
    return f"{f.lower()}_{s.lower()}{digits(rng, 4)}"[:15]


class IdentityBuilder:
    """Fills the identity columns of a :class:`~flockwatch.simulate.world.World`."""

    def __init__(self, rng: np.random.Generator, world: World) -> None:
        self.rng = rng
        self.w = world

    def build(self) -> None:
        w, rng = self.w, self.rng
        n = len(w.role)
        w.screen = np.empty(n, dtype=object)
        w.display = np.empty(n, dtype=object)
        w.bio = np.empty(n, dtype=object)
        w.location = np.empty(n, dtype=object)
        w.profile_url = np.empty(n, dtype=object)
        link_share = {
            P.CELEBRITY: 0.9,
            P.CUSTOMER: 0.9,
            P.SPAM_BOT: 1.0,
            P.CRITIC: 0.5,
            P.IO_CORE: 0.3,
        }
        for i in range(n):
            role, lang = int(w.role[i]), w.lang[i]
            first, last = person(rng, lang)
            handle, display, bio, loc = self.identity(role, lang, first, last)
            w.screen[i], w.display[i], w.bio[i], w.location[i] = handle, display, bio, loc
            share = link_share.get(role, 0.12 if role in P.ORGANIC_LIKE else 0.03)
            w.profile_url[i] = f"https://t.co/{token(rng)}" if rng.random() < share else ""
        self.celebrities()
        self.impersonate()
        self.unique_handles()

    def identity(self, role: int, lang: str, first: str, last: str) -> tuple[str, str, str, str]:
        rng = self.rng
        city = pick(rng, N.CITIES[lang]) if rng.random() < 0.6 else ""
        if role in (P.ORGANIC, P.FAN):
            bio = organic_bio(rng, lang)
            return (
                organic_handle(rng, first, last),
                organic_display(rng, first, last, lang),
                bio,
                city,
            )
        if role == P.CUSTOMER:
            handle = f"{ascii_fold(first)}{pick(rng, ('_vibes', 'official', '_life', 'x', ''))}"
            display = f"{first} {last} {pick(rng, ('✨', '🌟', '💫', '📸'))}"
            return handle[:15], display, pick(rng, N.INFLUENCER_BIOS), city
        if role == P.CRITIC:
            display = f"{first} {last}"
            return organic_handle(rng, first, last), display, pick(rng, N.CRITIC_BIOS), city
        if role == P.CELEBRITY:
            return "", "", "", pick(rng, N.CITIES[lang])  # filled by celebrities()
        if role == P.IO_CORE:
            handle = f"{pick(rng, CORE_HANDLES)}{int(rng.integers(1, 100))}"
            bio = f"{pick(rng, N.AMPLIFIER_SLOGANS)} #{pick(rng, ('UnityForward', 'Rivia'))}"
            return handle, f"{first} {last}", bio, pick(rng, IO_LOCATIONS)
        if role == P.IO_AMPLIFIER:
            bio = "" if rng.random() < 0.6 else pick(rng, N.AMPLIFIER_SLOGANS)
            display = first if rng.random() < 0.4 else f"{first} {last}"
            loc = pick(rng, IO_LOCATIONS) if rng.random() < 0.3 else ""
            return bulk_handle(rng, first, last), display, bio, loc
        if role == P.SPAM_BOT:
            handle = f"{pick(rng, SPAM_WORDS)}{pick(rng, SPAM_WORDS2)}{digits(rng, 4)}"
            display = f"{pick(rng, SPAM_WORDS)} {pick(rng, SPAM_WORDS2)} 🔥"
            return handle, display, pick(rng, N.SPAM_BIOS), pick(rng, ("Worldwide", "", "USA"))
        if role == P.FAKE_FOLLOWER:
            bio = "" if rng.random() < 0.7 else pick(rng, N.GENERIC_BIOS)
            display = first if rng.random() < 0.5 else f"{first} {last}"
            return bulk_handle(rng, first, last), display, bio, ""
        if role == P.REPORTER:
            flag = pick(rng, ("", "", " 🇺🇳", " 🛡️"))
            handle = organic_handle(rng, first, last)
            if rng.random() < 0.4:
                handle = f"{ascii_fold(first)}{pick(rng, ('_patriot', 'Guard', '_nation'))}"
                handle = (handle + digits(rng, 2))[:15]
            bio = "" if rng.random() < 0.4 else pick(rng, N.REPORTER_BIOS)
            return handle, f"{first} {last}{flag}", bio, pick(rng, IO_LOCATIONS)
        return "", "", "", ""  # impersonators: filled by impersonate()

    def celebrities(self) -> None:
        """Give celebrities invented star names, a job and a current work."""
        w, rng = self.w, self.rng
        celebs = np.flatnonzero(w.role == P.CELEBRITY)
        chosen = rng.choice(len(N.CELEBRITY_NAMES), len(celebs), replace=False)
        w.celebrity_work = {}
        for i, k in zip(celebs.tolist(), chosen.tolist(), strict=True):
            name = N.CELEBRITY_NAMES[k]
            first, last = name.split(" ", 1)
            handle = pick(rng, (first + last, f"iam{first}", f"{first}{last}HQ", f"{last}{first}"))
            job, work = pick(rng, N.CELEBRITY_JOBS), pick(rng, N.CELEBRITY_WORKS)
            w.screen[i] = ascii_fold(handle)[:15]
            w.display[i] = name
            w.bio[i] = f"{job}. Official account of {name}. Next: #{work} 🎬"
            w.celebrity_work[i] = work

    def impersonate(self) -> None:
        """Impersonators copy their celebrity's names, bio and sometimes location."""
        w, rng = self.w, self.rng
        for i in np.flatnonzero(w.role == P.IMPERSONATOR).tolist():
            target = int(w.celeb_of[i])
            w.screen[i] = lookalike_handle(rng, w.screen[target])
            w.display[i] = lookalike_display(rng, w.display[target])
            w.bio[i] = lookalike_bio(rng, w.bio[target])
            w.location[i] = w.location[target] if rng.random() < 0.5 else ""

    def unique_handles(self) -> None:
        """Make handles unique ignoring case by appending digits to later duplicates.

        Celebrities keep theirs: their impersonators' handles were derived from them.
        """
        seen: set[str] = set()
        celebs = self.w.role == P.CELEBRITY
        for i in np.concatenate([np.flatnonzero(celebs), np.flatnonzero(~celebs)]).tolist():
            handle = self.w.screen[i] or "user"
            while handle.casefold() in seen:
                handle = handle[:11] + digits(self.rng, 4)
            seen.add(handle.casefold())
            self.w.screen[i] = handle
