"""Near-duplicate texts: MinHash signatures of character shingles, grouped by LSH banding.

Texts are normalised in SQL (retweet prefix, URLs and @mentions stripped, lower case, spaces
collapsed), identical normalised texts are merged, and each distinct text gets a MinHash
signature over its character ``k``-shingles, so any language or script works (Thai and Chinese
have no spaces to split words on). The signatures are bit-for-bit those of
:class:`datasketch.MinHash` (scheme ``affine32``) fed with the shingles' 32-bit hashes
(:func:`shingle_hash`); they are computed for all texts at once with numpy instead of one Python
object per text, which is what makes millions of texts affordable. The band/row split comes from
:class:`datasketch.MinHashLSH` for the threshold (weighted towards recall, since every candidate
is checked afterwards).

Grouping is linear: in every band, texts with the same band key are compared with the first text
of that key (their estimated Jaccard similarity must reach the threshold) and joined to it; the
groups are the connected components. A text can thus join a group through a chain of near
duplicates (A ~ B ~ C with A and C further apart); the evidence of an edge always shows the two
texts, so a reader can judge.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
from datasketch import MinHash, MinHashLSH
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

#: Normalised texts shorter than this are left out of co-posting: "lol", "thanks!" or an emoji
#: are posted by everyone and say nothing about coordination.
MIN_TEXT_CHARS = 8
#: LSH false-positive / false-negative weights handed to datasketch when it picks bands and
#: rows: recall first, because every candidate is verified against the threshold.
LSH_WEIGHTS = (0.2, 0.8)
#: Texts handled per numpy batch (bounds memory to some 20 MB per thread whatever the data size;
#: smaller batches keep more of the per-permutation passes in cache).
BATCH_TEXTS = 10_000
#: Signature rows per block when computing LSH band keys (a block's 64-bit copy stays in cache).
KEY_BLOCK = 4096

_URL = r"(https?://|www\.)[^\s]+"
_MENTION = r"@[\p{L}\p{N}_]+"
_RT = r"^\s*rt\s+@[\p{L}\p{N}_]+:?\s*"


def normalized_text_sql(column: str) -> str:
    """SQL expression: ``column`` lower-cased, without RT prefix, URLs and mentions, one space
    between words."""
    lowered = f"lower({column})"
    no_rt = f"regexp_replace({lowered}, '{_RT}', '')"
    no_url = f"regexp_replace({no_rt}, '{_URL}', ' ', 'g')"
    no_mention = f"regexp_replace({no_url}, '{_MENTION}', ' ', 'g')"
    # Collapsing every whitespace run (``\\s+``) rewrites each single space between words, which
    # made this the costliest step; replacing only runs of two or more and single non-space
    # whitespace characters gives the same text.
    return f"trim(regexp_replace({no_mention}, '\\s\\s+|[^\\S ]', ' ', 'g'))"


@dataclass(frozen=True)
class TextParams:
    """How near-duplicates are found."""

    threshold: float = 0.8
    shingle: int = 5
    num_perm: int = 64
    seed: int = 0


def lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """``(bands, rows)`` that datasketch chooses for ``threshold`` (recall-weighted)."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=LSH_WEIGHTS)
    return lsh.b, lsh.r


def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine permutations ``(a, b)`` (uint32) for ``num_perm`` and ``seed``."""
    perms = MinHash(num_perm=num_perm, seed=seed).permutations
    return np.asarray(perms[0], dtype=np.uint32), np.asarray(perms[1], dtype=np.uint32)


def fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (what datasketch's affine32 scheme applies first)."""
    h = h.astype(np.uint32, copy=True)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h


def signatures(
    text_idx: np.ndarray, hashes: np.ndarray, n_texts: int, num_perm: int, seed: int
) -> np.ndarray:
    """MinHash signatures (``n_texts x num_perm``, uint32) from shingle hashes.

    ``text_idx`` (sorted ascending) says which text each 32-bit shingle hash in ``hashes``
    belongs to. Row ``i`` equals ``datasketch.MinHash(num_perm, seed, hashfunc=int)`` updated with
    the hashes of text ``i``; texts without shingles keep datasketch's empty value (all ones).
    """
    a, b = permutations(num_perm, seed)
    sig = np.full((n_texts, num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
    if not len(hashes):
        return sig
    mixed = fmix32(hashes)
    starts = np.flatnonzero(np.r_[True, text_idx[1:] != text_idx[:-1]])
    owners = text_idx[starts]
    values = np.empty_like(mixed)
    with np.errstate(over="ignore"):
        for j in range(num_perm):
            np.multiply(mixed, a[j], out=values)
            values += b[j]
            sig[owners, j] = np.minimum.reduceat(values, starts)
    return sig


def band_keys(sig: np.ndarray, bands: int, rows: int, mult: np.ndarray) -> np.ndarray:
    """LSH band keys (``bands x n``, uint64): band ``i`` of row ``r`` is
    ``sum_j sig[r, i * rows + j] * mult[j]`` modulo 2**64 (the last band may be narrower).

    Computed over blocks of :data:`KEY_BLOCK` rows, all bands at once: slicing a band's columns out
    of the whole ``n x num_perm`` signature matrix and widening it to 64 bits streams the matrix
    through memory once per band, which cost several times more than the arithmetic.
    """
    n, width = sig.shape[0], min(bands * rows, sig.shape[1])
    factors = np.zeros(bands * rows, dtype=np.uint64)
    factors[:width] = np.tile(mult[:rows], bands)[:width]
    keys = np.empty((bands, n), dtype=np.uint64)
    block = np.zeros((min(KEY_BLOCK, n), bands * rows), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for lo in range(0, n, KEY_BLOCK):
            m = min(KEY_BLOCK, n - lo)
            part = block[:m]
            part[:, :width] = sig[lo : lo + m, :width]
            part *= factors
            keys[:, lo : lo + m] = part.reshape(m, bands, rows).sum(axis=2, dtype=np.uint64).T
    return keys


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` for a 1-d array: sorted, each value once. Sorting and dropping
    repeats by hand is several times faster than ``np.unique`` on large int64 arrays."""
    out = np.sort(values)
    return out[np.r_[True, out[1:] != out[:-1]]]


def _workers() -> int:
    """Threads for numpy work (it releases the GIL in its loops)."""
    return max(1, min(4, os.cpu_count() or 1))


def rows_sharing_bucket(key: np.ndarray) -> np.ndarray:
    """Rows (ascending) whose key's top bits, over some ``2 n`` buckets, are those of another
    row's key: a superset of the rows that share their key with another row."""
    n = len(key)
    bits = max(1, (2 * n - 1).bit_length())
    bucket = (key >> np.uint64(64 - bits)).astype(np.intp)
    counts = np.bincount(bucket, minlength=1 << bits)
    return np.flatnonzero(counts[bucket] > 1)


def near_duplicate_groups(sig: np.ndarray, params: TextParams) -> np.ndarray:
    """Group id per text (connected components of verified LSH candidates)."""
    n = len(sig)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    bands, rows = lsh_bands(params.threshold, params.num_perm)
    rows_a, rows_b = [], []
    mult = np.random.default_rng(params.seed).integers(1, 2**63, rows, dtype=np.uint64) | 1
    keys = band_keys(sig, bands, rows, mult)

    def band_pairs(band: int) -> tuple[np.ndarray, np.ndarray]:
        """Verified ``(member, representative)`` pairs of one band."""
        key = keys[band]
        # Rows in key order, ties in row order; each row's representative is the first row
        # of its key. Only rows that may share their key matter, and they are few: sorting
        # those alone is several times faster than sorting every row's key.
        maybe = rows_sharing_bucket(key)
        order = maybe[np.argsort(key[maybe], kind="stable")]
        sorted_key = key[order]
        first = np.r_[True, sorted_key[1:] != sorted_key[:-1]]
        rep = order[np.maximum.accumulate(np.where(first, np.arange(len(order)), 0))]
        member = order
        cand = member != rep
        member, rep = member[cand], rep[cand]
        est = (sig[member] == sig[rep]).mean(axis=1)
        ok = est >= params.threshold
        return member[ok], rep[ok]

    # numpy releases the GIL in sorts and loops: bands run in parallel threads (the components
    # do not depend on the order of the pairs).
    with ThreadPoolExecutor(max_workers=_workers()) as pool:
        for member, rep in pool.map(band_pairs, range(bands)):
            if len(member):
                rows_a.append(member)
                rows_b.append(rep)
    if not rows_a:
        return np.arange(n, dtype=np.int64)
    src = np.concatenate(rows_a)
    dst = np.concatenate(rows_b)
    graph = coo_matrix((np.ones(len(src), dtype=np.int8), (src, dst)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    return labels.astype(np.int64)


def shingle_hashes(texts: list[str], k: int) -> tuple[np.ndarray, np.ndarray]:
    """32-bit hashes of the character ``k``-shingles of every text: ``(text_idx, hashes)``.

    A text shorter than ``k`` is one shingle (itself); an empty text has none. The hash is a
    polynomial over the code points finished with a 64-bit mixer; :func:`shingle_hash` is the
    same for one shingle.
    """
    n = len(texts)
    if n == 0:
        return np.empty(0, np.int64), np.empty(0, np.uint32)
    lens = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    pad = "\0" * (k - 1)
    cp = np.frombuffer((pad.join(texts) + pad).encode("utf-32-le"), dtype=np.uint32)
    cp = cp.astype(np.uint64)
    total = len(cp) - k + 1
    h = cp[:total].copy()
    with np.errstate(over="ignore"):
        for i in range(1, k):
            h *= _POLY
            h += cp[i : i + total]
    # Shingles start in the first max(len - k + 1, 1) positions of each text's segment (the text
    # plus k - 1 padding zeros); a short text's only shingle ends in its padding.
    n_sh = np.where(lens > 0, np.maximum(lens - k + 1, 1), 0)
    take = np.zeros(2 * n, dtype=bool)
    take[0::2] = True
    counts = np.empty(2 * n, dtype=np.int64)
    counts[0::2] = n_sh
    counts[1::2] = lens + k - 1 - n_sh
    valid = np.repeat(take, counts)[:total]
    return np.repeat(np.arange(n, dtype=np.int64), n_sh), fold64(h[valid])


def shingle_hash(shingle: str, k: int | None = None) -> int:
    """The 32-bit hash :func:`shingle_hashes` gives ``shingle`` (reference, for tests); a text
    shorter than ``k`` is padded with NUL characters, as there."""
    if k is not None:
        shingle = shingle.ljust(k, "\0")
    h = 0
    for ch in shingle:
        h = (h * int(_POLY) + ord(ch)) % 2**64
    return int(fold64(np.array([h], dtype=np.uint64))[0])


_POLY = np.uint64(0x9E3779B97F4A7C15)


def fold64(h: np.ndarray) -> np.ndarray:
    """A 64-bit finalizer (splitmix64's) folded to 32 bits."""
    with np.errstate(over="ignore"):
        h = h ^ (h >> np.uint64(30))
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(27)
        h *= np.uint64(0x94D049BB133111EB)
        h ^= h >> np.uint64(31)
    return (h >> np.uint64(32)).astype(np.uint32)


def text_groups(con: duckdb.DuckDBPyConnection, texts_sql: str, params: TextParams) -> pd.DataFrame:
    """Near-duplicate group of every distinct normalised text.

    ``texts_sql`` selects one column ``ntext`` (normalised texts, duplicates allowed). Returns a
    frame ``ntext, h, n, text_group`` with one row per distinct text of at least
    :data:`MIN_TEXT_CHARS` characters: its DuckDB ``hash``, how many times it occurs, and its
    group; texts in the same group are (near-)duplicates. Texts are ordered by hash and the group
    id is the position of the group's first text in that order, so ids do not depend on
    processing order.
    """
    # GROUP BY's output order varies between runs; sorting by a hash (cheaper than by the text)
    # gives one order, so that the LSH buckets' representatives and the group ids are stable.
    got = con.execute(
        f"SELECT ntext, hash(ntext) AS h, count(*) AS n FROM ({texts_sql}) "
        f"WHERE length(ntext) >= {MIN_TEXT_CHARS} GROUP BY ntext"
    ).fetchnumpy()
    n = len(got["h"])
    if n == 0:
        return pd.DataFrame(
            {"ntext": pd.Series([], dtype=object), "h": [], "n": [], "text_group": []}
        )
    order = np.argsort(got["h"], kind="stable")  # ties would need a 64-bit hash collision
    texts = got["ntext"][order].tolist()

    sig = np.empty((n, params.num_perm), dtype=np.uint32)

    def batch_signatures(lo: int) -> None:
        batch = texts[lo : lo + BATCH_TEXTS]
        idx, hashes = shingle_hashes(batch, int(params.shingle))
        sig[lo : lo + len(batch)] = signatures(
            idx, hashes, len(batch), params.num_perm, params.seed
        )

    # numpy releases the GIL in its loops: batches run in parallel threads, each writing its
    # rows of one matrix (stacking the parts afterwards copied it all once more).
    with ThreadPoolExecutor(max_workers=_workers()) as pool:
        list(pool.map(batch_signatures, range(0, n, BATCH_TEXTS)))
    labels = near_duplicate_groups(sig, params)
    first_of_label = np.full(labels.max() + 1, n, dtype=np.int64)
    np.minimum.at(first_of_label, labels, np.arange(n))
    return pd.DataFrame(
        {
            "ntext": texts,
            "h": got["h"][order],
            "n": got["n"][order],
            "text_group": first_of_label[labels],
        }
    )
