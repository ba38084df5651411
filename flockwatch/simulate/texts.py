"""Post texts for each kind of author, with their hashtag, link and mention entities.

Every generator returns a dict of equal-length lists (``text``, ``lang``, ``hashtags``,
``urls``, ``mentions``); the entity columns are already rendered as the Python-repr lists
the takedown archives use. Random numbers are drawn in blocks up front so that the Python
loop that assembles strings stays cheap at 100,000 accounts.
"""

from __future__ import annotations

import re
import string
from typing import TYPE_CHECKING

import numpy as np

from . import names as N
from . import phrases as T

if TYPE_CHECKING:
    from .world import World

BASE62 = np.frombuffer(b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", np.uint8)
URL_SECTIONS = ("news", "world", "sport", "culture", "tech", "video", "story", "p", "watch", "blog")
CAMPAIGN_DOMAIN = "rivia-truth.news"
SYNONYMS = (
    ("nation", "country"),
    ("leaders", "government"),
    ("lies", "propaganda"),
    ("progress", "development"),
    ("citizen", "patriot"),
)
HASHTAG = re.compile(r"#([A-Za-z0-9_]+)")


def repr_list(items: list[str]) -> str:
    """Render like Python's ``repr`` of a list of plain strings: ``['a', 'b']``."""
    return "['" + "', '".join(items) + "']" if items else "[]"


def tco_tokens(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` random 10-character ``t.co`` path tokens."""
    raw = BASE62[rng.integers(0, 62, (n, 10))]
    return np.ascontiguousarray(raw).view("S10").ravel().astype("U10").tolist()


def compile_templates(templates: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
    """Pair each template with the slot names it uses."""
    out = []
    for tpl in templates:
        fields = tuple(f for _, f, _, _ in string.Formatter().parse(tpl) if f)
        out.append((tpl, fields))
    return out


def zipf_cdf(size: int, exponent: float = 0.9) -> np.ndarray:
    weights = 1.0 / np.arange(1, size + 1) ** exponent
    return np.cumsum(weights) / weights.sum()


ORGANIC_COMPILED = {lang: compile_templates(t) for lang, t in T.TEMPLATES_BY_LANGUAGE.items()}
TAG_CDF = zipf_cdf(len(T.TOPIC_HASHTAGS))
DOMAIN_CDF = zipf_cdf(len(T.LINK_DOMAINS), 0.7)
CELEB_COMPILED = compile_templates(T.CELEBRITY_TEMPLATES)


def empty() -> dict[str, list]:
    return {"text": [], "lang": [], "hashtags": [], "urls": [], "mentions": []}


class TextFactory:
    """Writes post texts for the accounts of one world."""

    def __init__(self, rng: np.random.Generator, world: World) -> None:
        self.rng = rng
        self.w = world
        self.ids = [str(x) for x in world.account_id.tolist()]

    def _pick(self, options: tuple[str, ...], u: float) -> str:
        return options[int(u * len(options))]

    def _link(self, domain: str, num: int, section: str) -> str:
        return f"https://{domain}/{section}/{num}"

    def organic(self, authors: np.ndarray, mention_pool: np.ndarray) -> dict[str, list]:
        """Everyday posts in the author's language, with optional tags, links and mentions."""
        rng, n = self.rng, len(authors)
        out = empty()
        u = rng.random((n, 12))
        tokens = tco_tokens(rng, n)
        tags = np.searchsorted(TAG_CDF, u[:, 7:9]).clip(max=len(T.TOPIC_HASHTAGS) - 1)
        domains = np.searchsorted(DOMAIN_CDF, u[:, 9]).clip(max=len(T.LINK_DOMAINS) - 1)
        nums = rng.integers(10_000, 99_999_999, n)
        targets = mention_pool[rng.integers(0, len(mention_pool), n)] if len(mention_pool) else None
        langs = self.w.lang[authors].tolist()
        for i, lang in enumerate(langs):
            tpl, fields = ORGANIC_COMPILED[lang][int(u[i, 0] * len(ORGANIC_COMPILED[lang]))]
            text = tpl.format(
                **{f: self._pick(T.SLOTS[f], u[i, 1 + k]) for k, f in enumerate(fields)}
            )
            mentions = []
            if targets is not None and u[i, 10] < 0.05:
                target = int(targets[i])
                text = f"{text} @{self.w.screen[target]}"
                mentions.append(self.ids[target])
            hashtags = []
            if u[i, 5] < 0.25:
                hashtags.append(T.TOPIC_HASHTAGS[tags[i, 0]])
                if u[i, 6] < 0.3 and tags[i, 1] != tags[i, 0]:
                    hashtags.append(T.TOPIC_HASHTAGS[tags[i, 1]])
                text += " " + " ".join("#" + h for h in hashtags)
            urls = []
            if u[i, 11] < 0.15:
                section = URL_SECTIONS[int(u[i, 4] * len(URL_SECTIONS))]
                urls.append(self._link(T.LINK_DOMAINS[domains[i]], int(nums[i]), section))
                text += " https://t.co/" + tokens[i]
            if u[i, 6] > 0.97:
                text = text.replace(". ", ".\n", 1)
            self._append(out, text, lang, hashtags, urls, mentions)
        return out

    def _append(
        self,
        out: dict[str, list],
        text: str,
        lang: str,
        hashtags: list[str],
        urls: list[str],
        mentions: list[str],
    ) -> None:
        out["text"].append(text)
        out["lang"].append(lang)
        out["hashtags"].append(repr_list(hashtags))
        out["urls"].append(repr_list(urls))
        out["mentions"].append(repr_list(mentions))

    def replies(
        self,
        parent_authors: np.ndarray,
        templates: tuple[str, ...] = T.REPLY_TEMPLATES,
        fill: dict[str, str] | None = None,
    ) -> dict[str, list]:
        """``@handle`` replies; the parent author is the first mention."""
        out = empty()
        picks = self.rng.integers(0, len(templates), len(parent_authors))
        for p, k in zip(parent_authors.tolist(), picks.tolist(), strict=True):
            body = templates[k].format(**fill) if fill else templates[k]
            lang = "und" if not any(ch.isalpha() for ch in body) else "en"
            self._append(
                out, f"@{self.w.screen[p]} {body}", lang, HASHTAG.findall(body), [], [self.ids[p]]
            )
        return out

    def quotes(self, n: int) -> dict[str, list]:
        """Quote comments; the quoted post's link is filled in when ids are known."""
        out = empty()
        tokens = tco_tokens(self.rng, n)
        picks = self.rng.integers(0, len(T.QUOTE_TEMPLATES), n)
        for k, tok in zip(picks.tolist(), tokens, strict=True):
            body = T.QUOTE_TEMPLATES[k]
            lang = "und" if not any(ch.isalpha() for ch in body) else "en"
            self._append(out, f"{body} https://t.co/{tok}", lang, [], [], [])
        out["urls"] = [None] * n
        return out

    def celebrity(self, authors: np.ndarray) -> dict[str, list]:
        out = empty()
        u = self.rng.random((len(authors), 3))
        for i, a in enumerate(authors.tolist()):
            tpl, fields = CELEB_COMPILED[int(u[i, 0] * len(CELEB_COMPILED))]
            vals = {
                "n": str(int(u[i, 1] * 60) + 1),
                "work": self.w.celebrity_work[a],
                "feeling": self._pick(T.SLOTS["feeling"], u[i, 2]),
            }
            text = tpl.format(**{f: vals[f] for f in fields})
            self._append(out, text, "en", HASHTAG.findall(text), [], [])
        return out

    def critic(self, n: int) -> dict[str, list]:
        out = empty()
        u = self.rng.random((n, 2))
        tokens = tco_tokens(self.rng, n)
        nums = self.rng.integers(1000, 99999, n)
        for i in range(n):
            tpl = self._pick(T.CRITIC_TEMPLATES, u[i, 0])
            tag = self._pick(T.CAMPAIGN_HASHTAGS, u[i, 1])
            urls = [f"https://www.investigate-rivia.org/report/{nums[i]}"] if "{url}" in tpl else []
            text = tpl.format(tag=tag, url=f"https://t.co/{tokens[i]}")
            self._append(out, text, "en", HASHTAG.findall(text), urls, [])
        return out

    def campaign(
        self, n: int, mention_list: np.ndarray, copy_share: float = 0.0
    ) -> dict[str, list]:
        """Campaign posts: one narrative template with small variations.

        A ``copy_share`` of the posts repeats one of a few "master" posts of the batch
        verbatim, as when operators hand out a text to paste.
        """
        out = empty()
        rng = self.rng
        weights = np.array([5, 4, 3, 2, 1, 2], dtype=float)
        tpl_idx = rng.choice(len(T.CAMPAIGN_TEMPLATES), n, p=weights / weights.sum())
        u = rng.random((n, 8))
        tokens = tco_tokens(rng, n)
        nums = rng.integers(100, 9999, n)
        masters = min(n, max(3, n // 25))
        copy_of = np.where(rng.random(n) < copy_share, rng.integers(0, masters, n), -1)
        copy_of[:masters] = -1
        handles = [self.w.screen[m] for m in mention_list.tolist()]
        ids = [self.ids[m] for m in mention_list.tolist()]
        for i in range(n):
            if copy_of[i] >= 0:
                for key in out:
                    out[key].append(out[key][copy_of[i]])
                continue
            tags = [t for j, t in enumerate(T.CAMPAIGN_HASHTAGS) if u[i, j] < 0.45 or j == 0]
            k = 1 + int(u[i, 4] * 2)
            start = int(u[i, 5] * len(handles))
            chosen = [(start + j) % len(handles) for j in range(k)]
            text = T.CAMPAIGN_TEMPLATES[tpl_idx[i]].format(
                tags=" ".join("#" + t for t in tags),
                mentions=" ".join("@" + handles[c] for c in chosen),
                url=f"https://t.co/{tokens[i]}",
            )
            if u[i, 6] < 0.3:
                old, new = SYNONYMS[int(u[i, 7] * len(SYNONYMS))]
                text = text.replace(old, new, 1)
            text = text.rstrip() + self._pick(T.CAMPAIGN_EXTRAS, u[i, 6])
            if u[i, 7] < 0.15:  # shouting: the message in capitals, entities untouched
                cut = min(p for p in (text.find(" #"), text.find(" https://"), len(text)) if p >= 0)
                text = text[:cut].upper() + text[cut:]
            urls = [f"https://{CAMPAIGN_DOMAIN}/story/{nums[i]}"] if "https://t.co" in text else []
            self._append(out, text, "en", tags, urls, [ids[c] for c in chosen])
        return out

    def spam(self, authors: np.ndarray) -> dict[str, list]:
        out = empty()
        rng, n = self.rng, len(authors)
        u = rng.random((n, 3))
        tokens = tco_tokens(rng, n)
        pct = rng.integers(2, 18, n) * 5
        nums = rng.integers(1000, 99999, n)
        for i, a in enumerate(authors.tolist()):
            domain = self._pick(T.SPAM_DOMAINS, u[i, 2])
            text = self._pick(T.SPAM_TEMPLATES, u[i, 0]).format(
                pct=pct[i],
                product=self._pick(T.SPAM_PRODUCTS, u[i, 1]),
                url=f"https://t.co/{tokens[i]}",
            )
            urls = [f"https://{domain}/p/{nums[i]}?ref={self.w.screen[a]}"]
            self._append(out, text, "en", HASHTAG.findall(text), urls, [])
        return out

    def pick_lines(self, lines: tuple[str, ...], n: int, lang: str = "en") -> dict[str, list]:
        """Short stock lines (fake followers, reporters' slogans)."""
        out = empty()
        for k in self.rng.integers(0, len(lines), n).tolist():
            text = lines[k]
            has_alpha = any(ch.isalpha() for ch in text)
            self._append(out, text, lang if has_alpha else "und", HASHTAG.findall(text), [], [])
        return out

    def impersonator(self, authors: np.ndarray, copied: list[str | None]) -> dict[str, list]:
        """Copies of the celebrity's posts, or scam giveaways."""
        out = empty()
        tokens = tco_tokens(self.rng, len(authors))
        picks = self.rng.integers(0, len(T.IMPERSONATOR_SCAM_TEMPLATES), len(authors))
        nums = self.rng.integers(100, 9999, len(authors))
        for i, text in enumerate(copied):
            urls: list[str] = []
            if text is None:
                tpl = T.IMPERSONATOR_SCAM_TEMPLATES[picks[i]]
                if "{url}" in tpl:
                    urls = [f"https://fan-club-vip.online/join/{nums[i]}"]
                text = tpl.format(url=f"https://t.co/{tokens[i]}")
            self._append(out, text, "en", HASHTAG.findall(text), urls, [])
        return out

    def fan_fill(self, celeb: int) -> dict[str, str]:
        rng = self.rng
        return {
            "name": self.w.display[celeb].split(" ")[0],
            "job": "actor" if "Actor" in self.w.bio[celeb] else "artist",
            "city": N.CITIES["en"][int(rng.integers(0, len(N.CITIES["en"])))].split(",")[0],
            "work": self.w.celebrity_work.get(celeb, "Fans"),
        }
