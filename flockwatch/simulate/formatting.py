"""Fast text rendering of times and numbers for millions of rows.

Window times are rendered from a lookup table of every minute in the window, so rendering
costs one array index per row.
"""

from __future__ import annotations

import numpy as np

from . import plan as P


class Clock:
    """Renders window-relative milliseconds as UTC text."""

    def __init__(self, window: P.Window) -> None:
        minutes = np.arange(window.days * 1440 + 1, dtype=np.int64)
        stamps = (window.epoch_ms // P.MINUTE_MS + minutes).astype("datetime64[m]")
        text = np.strings.replace(np.datetime_as_string(stamps, unit="m"), "T", " ")
        self.minutes = text.astype(object)
        self.seconds = np.asarray([f":{s:02d}" for s in range(60)], dtype=object)
        self.window = window

    def minute(self, t_ms: np.ndarray) -> list[str]:
        """``YYYY-MM-DD HH:MM`` (truncated, as in the takedown archives)."""
        return self.minutes[np.asarray(t_ms) // P.MINUTE_MS].tolist()

    def second(self, t_ms: np.ndarray) -> list[str]:
        """``YYYY-MM-DD HH:MM:SS``; times before the window are allowed."""
        t_ms = np.asarray(t_ms, dtype=np.int64)
        inside = (t_ms >= 0) & (t_ms < self.window.length_ms + P.MINUTE_MS)
        if inside.all():
            return (self.minutes[t_ms // P.MINUTE_MS] + self.seconds[(t_ms // 1000) % 60]).tolist()
        return absolute_seconds(self.window.epoch_ms + t_ms)


def absolute_seconds(epoch_ms: np.ndarray) -> list[str]:
    stamps = (np.asarray(epoch_ms, dtype=np.int64) // 1000).astype("datetime64[s]")
    return np.strings.replace(np.datetime_as_string(stamps, unit="s"), "T", " ").tolist()


def absolute_dates(epoch_ms: np.ndarray) -> list[str]:
    stamps = (np.asarray(epoch_ms, dtype=np.int64) // P.DAY_MS).astype("datetime64[D]")
    return np.datetime_as_string(stamps, unit="D").tolist()


def numbers(values: np.ndarray) -> list[str]:
    return np.asarray(values, dtype=np.int64).astype(str).tolist()


def booleans(values: np.ndarray) -> list[str]:
    return np.where(np.asarray(values, dtype=bool), "true", "false").tolist()
