"""Finding look-alikes of the protected identities among all accounts, without comparing all pairs.

Every account gets a *name core* (skeleton words of its display name without padding) and a
*handle core* (skeleton of its handle without separators, trailing digits and padding), in
Python (:mod:`~flockwatch.detect.impersonation.skeleton`, memoised: names repeat). Both sides
then get blocking keys, in DuckDB:

- ``n``: the name core with its spaces removed, and the handle core (so a handle that spells
  the original's name meets it, and a display name copied exactly meets it whatever the tricks);
- ``d``: every one-character deletion of the spaceless name core (symmetric-delete blocking: two
  names one insertion, deletion or substitution apart share a key);
- ``t``: each word of the name core of at least :data:`MIN_TOKEN` characters;
- ``p``: the first :data:`PREFIX` characters of the handle core (and, for protected identities,
  of their spaceless name), for impostors that truncate a long handle (``TomasE_official``).

Accounts and protected identities that share a key are candidate pairs; a key that more than
``max_block`` accounts share (a common first name) is too unspecific and is not used. The
candidates are scored in bulk with :func:`rapidfuzz.process.cpdist` (name ratio and token-sort
ratio, handle ratio against the original's handle and spelt name, in C++ on all cores) and kept
when the name or the handle is close enough. The work grows with the number of accounts and of
candidate pairs, not with accounts x protected identities.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
from rapidfuzz import fuzz, process

from flockwatch.detect.impersonation.skeleton import handle_core, name_core

#: Shortest word used as a ``t`` key (shorter words are mostly particles and initials).
MIN_TOKEN = 4
#: Length of the handle-prefix keys: six characters are a given name or most of a surname.
PREFIX = 6
#: Spaceless names of this length or more get deletion keys (shorter ones collide by chance).
MIN_DELETE = 6
#: Longest spaceless name given deletion keys (longer ones are slogans, not names).
MAX_DELETE = 40
#: A key must be at least this long to block on (``n`` keys of ``"jo"`` would pair everyone).
MIN_KEY = 4

#: Candidate pairs scored per batch (bounds memory on large stores).
BATCH = 1 << 20

ACCOUNTS = "_fwi_accounts"
PROTECTED = "_fwi_protected"


@dataclass(frozen=True)
class SearchParams:
    name_threshold: float
    handle_threshold: float
    max_block: int


@dataclass
class Cores:
    """Name and handle cores of a list of identities, aligned with ``account_id``."""

    platform: list[str | None]
    account_id: list[str]
    name: np.ndarray  # object array of name cores
    handle: np.ndarray  # object array of handle cores

    @cached_property
    def has_name(self) -> np.ndarray:
        return np.fromiter((bool(n) for n in self.name), dtype=bool, count=len(self.name))

    @cached_property
    def has_handle(self) -> np.ndarray:
        return np.fromiter((bool(h) for h in self.handle), dtype=bool, count=len(self.handle))

    @cached_property
    def joined(self) -> np.ndarray:
        return np.array([n.replace(" ", "") for n in self.name], dtype=object)


def cores(
    platform: list[str | None],
    account_id: list[str],
    display_names: list[str | None],
    screen_names: list[str | None],
) -> Cores:
    """Cores of many identities; repeated names are computed once."""
    names: dict[str | None, str] = {}
    handles: dict[str | None, str] = {}
    name = [
        names.get(d) if d in names else names.setdefault(d, name_core(d)) for d in display_names
    ]
    handle = [
        handles.get(s) if s in handles else handles.setdefault(s, handle_core(s))
        for s in screen_names
    ]
    return Cores(
        platform=platform,
        account_id=account_id,
        name=np.array(name, dtype=object),
        handle=np.array(handle, dtype=object),
    )


def account_cores(con: duckdb.DuckDBPyConnection) -> Cores:
    """Cores of every account in the store, in ``(platform, account_id)`` order."""
    table = con.sql(
        "SELECT platform, account_id, screen_name, display_name FROM accounts "
        "ORDER BY platform, account_id"
    ).to_arrow_table()
    return cores(
        table.column("platform").to_pylist(),
        table.column("account_id").to_pylist(),
        table.column("display_name").to_pylist(),
        table.column("screen_name").to_pylist(),
    )


def _keys_sql(table: str, protected: bool) -> str:
    """``idx, pl, k`` blocking keys of the identities in ``table`` (see the module docstring)."""
    name_prefix = (
        f"UNION ALL SELECT idx, pl, hash('p', joined[1:{PREFIX}]) FROM c "
        f"WHERE length(joined) >= {PREFIX}"
        if protected
        else ""
    )
    return f"""
    WITH c AS (SELECT idx, pl, name, replace(name, ' ', '') AS joined, handle FROM {table})
    SELECT idx, pl, hash('n', joined) AS k FROM c WHERE length(joined) >= {MIN_KEY}
    UNION ALL SELECT idx, pl, hash('n', handle) FROM c WHERE length(handle) >= {MIN_KEY}
    UNION ALL SELECT idx, pl, hash('p', handle[1:{PREFIX}]) FROM c WHERE length(handle) >= {PREFIX}
    {name_prefix}
    UNION ALL SELECT idx, pl, hash('t', tok) FROM (
        SELECT idx, pl, unnest(string_split(name, ' ')) AS tok FROM c) WHERE length(tok) >= {MIN_TOKEN}
    UNION ALL SELECT idx, pl, hash('d', del) FROM (
        SELECT idx, pl, unnest(list_transform(range(1, length(joined) + 1),
                                              lambda i: joined[1:i - 1] || joined[i + 1:])) AS del
        FROM c WHERE length(joined) BETWEEN {MIN_DELETE} AND {MAX_DELETE})
    """


def _register(con: duckdb.DuckDBPyConnection, name: str, c: Cores, extra: dict) -> None:
    table = pa.table(
        {
            "idx": pa.array(np.arange(len(c.account_id), dtype=np.int32)),
            "pl": pa.array(c.platform, type=pa.string()),
            "account_id": pa.array(c.account_id, type=pa.string()),
            "name": pa.array(list(c.name), type=pa.string()),
            "handle": pa.array(list(c.handle), type=pa.string()),
            **extra,
        }
    )
    con.register(f"{name}_arrow", table)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_arrow")
    finally:
        con.unregister(f"{name}_arrow")


def _pairs_sql(max_block: int) -> str:
    """Pairs ``a`` (account row) x ``p`` (protected row) sharing a usable key, with ``prefix``:
    the account's handle core (at least :data:`PREFIX` characters) begins the original's handle
    core or spaceless name. The original itself and watch-listed accounts are not candidates."""
    return f"""
    WITH pk AS ({_keys_sql(PROTECTED, True)}),
    prot AS (
        SELECT p.*, replace(p.name, ' ', '') AS joined, o.aidx
        FROM {PROTECTED} p
        LEFT JOIN (SELECT p2.idx, min(a.idx) AS aidx FROM {PROTECTED} p2
                   JOIN {ACCOUNTS} a ON a.account_id = p2.account_id
                    AND (p2.pl IS NULL OR a.pl = p2.pl)
                   GROUP BY p2.idx) o USING (idx)),
    listed AS (SELECT DISTINCT aidx FROM prot WHERE watch AND aidx IS NOT NULL),
    ak AS (SELECT a.* FROM ({_keys_sql(ACCOUNTS, False)}) a
           SEMI JOIN (SELECT DISTINCT k FROM pk) USING (k)),
    usable AS (SELECT k FROM ak GROUP BY k HAVING count(DISTINCT idx) <= {int(max_block)}),
    pairs AS (
        SELECT DISTINCT ak.idx AS a, pk.idx AS p
        FROM ak JOIN usable USING (k) JOIN pk USING (k)
        WHERE pk.pl IS NULL OR pk.pl = ak.pl)
    SELECT pairs.a, pairs.p,
           length(acc.handle) >= {PREFIX}
           AND (starts_with(prot.handle, acc.handle)
                OR starts_with(prot.joined, acc.handle)) AS prefix
    FROM pairs
    JOIN {ACCOUNTS} acc ON acc.idx = pairs.a
    JOIN prot ON prot.idx = pairs.p
    WHERE pairs.a IS DISTINCT FROM prot.aidx
      AND pairs.a NOT IN (SELECT aidx FROM listed)
    """


def score_names(
    pairs: pd.DataFrame, accounts: Cores, protected: Cores, cutoff: float = 0.0
) -> pd.DataFrame:
    """``pairs`` with ``name_sim`` (display-name cores, the better of ratio and token-sort
    ratio), ``handle_sim`` (handle cores) and ``handle_name_sim`` (account handle core against
    the original's spaceless name), all in [0, 1]; 0 where a side is empty, and where it is
    below ``cutoff`` (rapidfuzz then stops early)."""
    out = pairs.copy()
    if out.empty:
        for col in ("name_sim", "handle_sim", "handle_name_sim"):
            out[col] = pd.Series(dtype=float)
        return out
    a = out["a"].to_numpy()
    p = out["p"].to_numpy()
    a_name, p_name = list(accounts.name[a]), list(protected.name[p])
    a_handle, p_handle = list(accounts.handle[a]), list(protected.handle[p])
    p_joined = list(protected.joined[p])
    a_has_name, a_has_handle = accounts.has_name[a], accounts.has_handle[a]
    p_has_name, p_has_handle = protected.has_name[p], protected.has_handle[p]

    def sim(x: list[str], y: list[str], scorer, ok: np.ndarray) -> np.ndarray:
        scores = process.cpdist(
            x, y, scorer=scorer, score_cutoff=100.0 * cutoff, workers=-1, dtype=np.float32
        )
        return np.where(ok, scores.astype(np.float64) / 100.0, 0.0)

    named = a_has_name & p_has_name
    out["name_sim"] = np.maximum(
        sim(a_name, p_name, fuzz.ratio, named), sim(a_name, p_name, fuzz.token_sort_ratio, named)
    )
    out["handle_sim"] = sim(a_handle, p_handle, fuzz.ratio, a_has_handle & p_has_handle)
    out["handle_name_sim"] = sim(a_handle, p_joined, fuzz.ratio, a_has_handle & p_has_name)
    return out


def search(
    con: duckdb.DuckDBPyConnection,
    accounts: Cores,
    protected: Cores,
    watch_listed: np.ndarray,
    params: SearchParams,
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Candidate pairs whose name or handle is close enough to a protected identity's (with
    their similarities), and counts for the run record.

    Candidates stream out of DuckDB in batches of :data:`BATCH` pairs and are scored with a
    cut-off, so memory holds one batch and the close pairs, never all candidates."""
    cutoff = min(params.name_threshold, params.handle_threshold)
    _register(con, ACCOUNTS, accounts, {})
    _register(con, PROTECTED, protected, {"watch": pa.array(np.asarray(watch_listed, dtype=bool))})
    n_pairs, close = 0, []
    try:
        reader = con.sql(_pairs_sql(params.max_block)).to_arrow_reader(BATCH)
        for batch in reader:
            pairs = batch.to_pandas()
            n_pairs += len(pairs)
            scored = score_names(pairs, accounts, protected, cutoff)
            keep = (
                (scored["name_sim"] >= params.name_threshold)
                | (scored["handle_sim"] >= params.handle_threshold)
                | (scored["handle_name_sim"] >= params.handle_threshold)
                | scored["prefix"].astype(bool)
            )
            close.append(scored.loc[keep, ["a", "p", "prefix"]])
    finally:
        con.execute(f"DROP TABLE IF EXISTS {ACCOUNTS}")
        con.execute(f"DROP TABLE IF EXISTS {PROTECTED}")
    kept = (
        pd.concat(close, ignore_index=True)
        if close
        else pd.DataFrame({"a": [], "p": [], "prefix": []})
    )
    kept = kept.sort_values(["a", "p"]).reset_index(drop=True)
    # exact similarities of the few close pairs, for their signals
    kept = score_names(kept, accounts, protected)
    counts = {
        "accounts": len(accounts.account_id),
        "protected": len(protected.account_id),
        "candidate_pairs": n_pairs,
        "close_pairs": len(kept),
    }
    return kept, counts
