"""Protected identities: who may be impersonated.

Two sources, merged: a *watch list* the investigator supplies (a CSV with ``platform``,
``account_id`` or ``screen_name``, and ``display_name``: the singer, the actor, the minister
whose fake profiles are being reported) and, automatically, the accounts of the store that are
verified or have at least ``min_followers`` followers. A watch-list row is matched to the store
by account id, else by screen name (case-insensitive); when it is not in the store it is still
protected by the names on the list (the original's bio, picture and dates are then unknown).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from flockwatch.errors import InputError, InputNotFoundError
from flockwatch.store.db import Store

#: Columns of the protected-identity frame (``aidx`` is the account's row in the search, or -1).
COLUMNS = (
    "platform",
    "account_id",
    "in_store",
    "screen_name",
    "display_name",
    "description",
    "created_at",
    "verified",
    "followers_count",
    "profile_image_url",
    "default_image",
    "source",
    "bio_accounts",
)

_STORE_SQL = """
SELECT platform, account_id, screen_name, display_name, description, created_at,
       coalesce(verified, false) AS verified, followers_count, profile_image_url,
       coalesce(default_profile_image, false)
           OR coalesce(profile_image_url ILIKE '%default_profile%', false) AS default_image
FROM accounts
"""


def read_watch_list(path: str | Path) -> list[dict[str, str | None]]:
    """Rows of a watch-list CSV: ``platform`` (optional: empty matches every platform),
    ``account_id`` or ``screen_name`` (at least one), ``display_name`` (optional when the
    account is in the store). Extra columns are ignored; a bad row raises :class:`InputError`
    naming the file and line."""
    path = Path(path)
    if not path.is_file():
        raise InputNotFoundError(f"watch list {path} does not exist")
    with path.open(newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        fields = {(c or "").strip().lower() for c in reader.fieldnames or []}
        if not fields & {"account_id", "screen_name"}:
            raise InputError(
                f"watch list {path}: needs an account_id or a screen_name column (with platform "
                f"and display_name); found columns {sorted(fields) or 'none'}"
            )
        rows = []
        for line, raw in enumerate(reader, start=2):
            row = {(k or "").strip().lower(): (v or "").strip() or None for k, v in raw.items()}
            screen = row.get("screen_name")
            entry = {
                "platform": (row.get("platform") or "").lower() or None,
                "account_id": row.get("account_id"),
                "screen_name": screen.lstrip("@") if screen else None,
                "display_name": row.get("display_name"),
            }
            if not entry["account_id"] and not entry["screen_name"]:
                if not any(row.values()):
                    continue  # a blank line
                raise InputError(
                    f"watch list {path}, line {line}: neither account_id nor screen_name is "
                    f"given ({raw!r}); every row names the protected account"
                )
            rows.append(entry)
    return rows


def protected_identities(
    store: Store,
    *,
    watch: list[dict[str, str | None]],
    min_followers: int,
    include_verified: bool,
) -> pd.DataFrame:
    """One row per protected identity (:data:`COLUMNS`), watch-list entries first.

    ``source`` says why it is protected: ``watch list``, ``verified`` or ``followers``.
    """
    store_rows = store.con.execute(
        _STORE_SQL + " WHERE (? AND coalesce(verified, false)) OR coalesce(followers_count, 0) >= ?"
        " ORDER BY platform, account_id",
        [include_verified, int(min_followers)],
    ).df()
    store_rows["in_store"] = True
    store_rows["source"] = [
        "verified" if v and include_verified else "followers" for v in store_rows["verified"]
    ]
    listed = _resolve_watch(store, watch)
    if len(listed):
        keys = set(zip(listed["platform"], listed["account_id"], strict=True))
        store_rows = store_rows[
            [
                (p, a) not in keys
                for p, a in zip(store_rows["platform"], store_rows["account_id"], strict=True)
            ]
        ]
    frame = pd.concat([listed, store_rows], ignore_index=True) if len(listed) else store_rows
    frame = frame.reindex(columns=list(COLUMNS)).reset_index(drop=True)
    frame["bio_accounts"] = _bio_accounts(store, text_column(frame, "description"))
    return frame


def _bio_accounts(store: Store, bios: list[str | None]) -> list[int]:
    """How many accounts of the store have each bio (a bio many share is generic, not copied)."""
    wanted = pd.DataFrame({"description": sorted({b for b in bios if b})}, dtype=object)
    if wanted.empty:
        return [0] * len(bios)
    store.con.register("_fwi_bios_df", wanted)
    try:
        counts = dict(
            store.con.execute(
                "SELECT a.description, count(*) FROM accounts a "
                "SEMI JOIN _fwi_bios_df w ON w.description = a.description GROUP BY ALL"
            ).fetchall()
        )
    finally:
        store.con.unregister("_fwi_bios_df")
    return [int(counts.get(b, 0)) if b else 0 for b in bios]


def text_column(frame: pd.DataFrame, name: str) -> list[str | None]:
    """A text column as a list with None for missing values (pandas may hold them as NaN)."""
    return [None if _missing(v) else str(v) for v in frame[name]]


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _resolve_watch(store: Store, watch: list[dict[str, str | None]]) -> pd.DataFrame:
    if not watch:
        return pd.DataFrame(columns=list(COLUMNS))
    wanted = pd.DataFrame(watch, columns=["platform", "account_id", "screen_name", "display_name"])
    wanted["row"] = range(len(wanted))
    store.con.register("_fwi_watch_df", wanted)
    try:
        found = store.con.execute(
            f"""
            WITH a AS ({_STORE_SQL}),
            hits AS (
                SELECT w.row, a.*, 0 AS how FROM _fwi_watch_df w JOIN a
                  ON w.account_id = a.account_id AND (w.platform IS NULL OR w.platform = a.platform)
                UNION ALL
                SELECT w.row, a.*, 1 AS how FROM _fwi_watch_df w JOIN a
                  ON w.account_id IS NULL AND lower(w.screen_name) = lower(a.screen_name)
                 AND (w.platform IS NULL OR w.platform = a.platform)
            )
            SELECT * EXCLUDE (how) FROM hits
            QUALIFY row_number() OVER (PARTITION BY row ORDER BY how, platform, account_id) = 1
            """
        ).df()
    finally:
        store.con.unregister("_fwi_watch_df")
    by_row = {int(r["row"]): r for r in found.to_dict("records")}
    out = []
    for entry in wanted.to_dict("records"):
        hit = by_row.get(int(entry["row"]))
        if hit is not None:
            row = {c: hit.get(c) for c in COLUMNS}
            row["display_name"] = entry["display_name"] or hit.get("display_name")
            row["in_store"] = True
        else:
            row = {c: None for c in COLUMNS}
            row.update(
                platform=entry["platform"],
                account_id=entry["account_id"] or f"@{entry['screen_name']}",
                screen_name=entry["screen_name"],
                display_name=entry["display_name"],
                in_store=False,
                verified=None,
                default_image=False,
            )
        row["source"] = "watch list"
        out.append(row)
    frame = pd.DataFrame(out, columns=list(COLUMNS))
    return frame.drop_duplicates(["platform", "account_id"]).reset_index(drop=True)
