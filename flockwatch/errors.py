"""Every error flockwatch raises on purpose.

The tree::

    FlockwatchError                 base of everything below; the CLI turns it into exit code 1
    ├── StoreError                  the DuckDB store cannot be used
    │   └── StoreVersionError       the store was written by another schema version
    ├── InputError                  an input file cannot be read at all (single records go to
    │   │                           ``rejected_rows`` instead)
    │   ├── UnknownFormatError      no reader recognises the file; names the formats tried
    │   └── InputNotFoundError      the path does not exist (also a FileNotFoundError)
    ├── ParameterError              a detector or command parameter has a bad value (also a ValueError)
    └── ModelError                  a trained model cannot be used

Library code raises these; only ``flockwatch/cli`` turns them into messages and exit codes.
"""

from __future__ import annotations

from collections.abc import Sequence


class FlockwatchError(Exception):
    """Base class of all flockwatch errors."""


class StoreError(FlockwatchError):
    """The DuckDB store cannot be opened or used."""


class StoreVersionError(StoreError):
    """The store on disk was written with a different schema version."""

    def __init__(self, path: str, found: str, expected: str) -> None:
        self.path, self.found, self.expected = path, found, expected
        super().__init__(
            f"store {path} has schema version {found}, this flockwatch uses version {expected}: "
            "ingest your files into a new store (--db NEW.duckdb), or use the flockwatch "
            "release that wrote it"
        )


class InputError(FlockwatchError):
    """An input file cannot be read at all."""


class InputNotFoundError(InputError, FileNotFoundError):
    """The input path does not exist."""


class UnknownFormatError(InputError):
    """No reader recognises the input file."""

    def __init__(self, path: str, tried: Sequence[str], detail: str = "") -> None:
        self.path, self.tried = path, list(tried)
        extra = f" ({detail})" if detail else ""
        super().__init__(
            f"{path}: not a format flockwatch reads{extra}; tried: {', '.join(self.tried)}. "
            "Force one with --format NAME"
        )


class ParameterError(FlockwatchError, ValueError):
    """A parameter has a value that is not allowed."""


class ModelError(FlockwatchError):
    """A trained model is missing or from another version."""
