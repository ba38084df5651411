"""Parsing of the field values exports contain: times, counts, booleans, list cells.

Every parser returns ``None`` for an empty or missing value and raises :class:`ValueError` with the
value quoted when it is present but cannot be understood, so readers can reject the record and say
which field and value were wrong.
"""

from __future__ import annotations

import ast
import re
from datetime import UTC, datetime
from typing import Any

_EMPTY = {"", "null", "none", "nan", "n/a", "-", "absent"}
_TWITTER_V1 = "%a %b %d %H:%M:%S %z %Y"  # Wed Aug 27 13:08:45 +0000 2008


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in _EMPTY)


def parse_time(value: Any) -> datetime | None:
    """A naive UTC datetime from ISO 8601, ``YYYY-MM-DD HH:MM``, Twitter v1.1 or epoch seconds/ms."""
    if is_empty(value):
        return None
    if isinstance(value, datetime):
        return _naive_utc(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_epoch(float(value))
    text = str(value).strip()
    if re.fullmatch(r"\d{9,13}(\.\d+)?", text):
        return _from_epoch(float(text))
    iso = text.replace("Z", "+00:00") if text.endswith("Z") else text
    try:
        return _naive_utc(datetime.fromisoformat(iso))
    except ValueError:
        pass
    try:
        return _naive_utc(datetime.strptime(text, _TWITTER_V1))
    except ValueError:
        pass
    raise ValueError(f"not a time: {text!r}")


def _from_epoch(seconds: float) -> datetime:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000.0
    return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)


def _naive_utc(dt: datetime) -> datetime:
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC).replace(tzinfo=None)
    return dt


def parse_int(value: Any) -> int | None:
    if is_empty(value):
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        return int(value)
    text = str(value).strip()
    try:
        return int(text)
    except ValueError:
        try:
            f = float(text)
        except ValueError:
            raise ValueError(f"not a whole number: {text!r}") from None
        if f != f:
            return None
        return int(f)


def parse_bool(value: Any) -> bool | None:
    if is_empty(value):
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "t", "1", "yes", "y", "1.0"):
        return True
    if text in ("false", "f", "0", "no", "n", "0.0"):
        return False
    raise ValueError(f"not true/false: {value!r}")


def parse_list(value: Any) -> list[str]:
    """A list cell: Python repr (``"['a', 'b']"``), JSON, or a comma/space separated string."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value if v is not None]
    text = str(value).strip()
    if is_empty(text) or text == "[]":
        return []
    if text.startswith("["):
        try:
            parsed = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            raise ValueError(f"not a list: {text[:80]!r}") from None
        if isinstance(parsed, list | tuple):
            return [str(v) for v in parsed if v is not None]
        raise ValueError(f"not a list: {text[:80]!r}")
    sep = "," if "," in text else None
    return [part.strip() for part in text.split(sep) if part.strip()]


def clean_str(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value)
    return text if text != "" else None
