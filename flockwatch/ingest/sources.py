"""Input files as readers see them: plain, gzip, or members of a zip archive.

A :class:`Source` is one logical input file. Zip archives (takedown releases ship as zip) expand into
one source per member, extracted to a temporary file by streaming so memory stays bounded; gzip files
are read directly (DuckDB and :func:`gzip.open` both stream them).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from flockwatch.errors import InputError, InputNotFoundError

HEAD_BYTES = 256 * 1024
_CHUNK = 1 << 20
BOM = b"\xef\xbb\xbf"


@dataclass
class Source:
    """One input file.

    ``name`` is what users see (``archive.zip!tweets.csv`` for a zip member); ``local_path`` is a
    file on disk that DuckDB can read (gzip allowed); ``gzipped`` says whether it is compressed.
    """

    name: str
    local_path: Path
    gzipped: bool = False
    size: int = 0
    _sha256: str | None = field(default=None, repr=False)
    _hashing: threading.Thread | None = field(default=None, repr=False, compare=False)
    _hash_error: OSError | None = field(default=None, repr=False, compare=False)

    @property
    def suffix(self) -> str:
        """Lower-case extension of the logical file, without .gz (``.csv``, ``.json``...)."""
        name = self.name.lower()
        if name.endswith(".gz"):
            name = name[:-3]
        return Path(name).suffix

    @property
    def sha256(self) -> str:
        """SHA-256 of the file's bytes as stored (compressed bytes for .gz)."""
        if self._hashing is not None:
            self._hashing.join()
            self._hashing = None
            if self._hash_error is not None:
                raise self._hash_error
        if self._sha256 is None:
            self._sha256 = _digest(self.local_path)
        return self._sha256

    def hash_in_background(self) -> None:
        """Start working out :attr:`sha256` in a thread (hashing and file reads release the GIL,
        so it runs beside DuckDB reading the same file); :attr:`sha256` waits for it."""
        if self._sha256 is not None or self._hashing is not None:
            return

        def work() -> None:
            try:
                self._sha256 = _digest(self.local_path)
            except OSError as exc:
                self._hash_error = exc

        self._hashing = threading.Thread(target=work, name="flockwatch-sha256", daemon=True)
        self._hashing.start()

    def open_binary(self) -> BinaryIO:
        """The decompressed bytes."""
        if self.gzipped:
            return gzip.open(self.local_path, "rb")  # type: ignore[return-value]
        return open(self.local_path, "rb")

    def head(self, n: int = HEAD_BYTES) -> bytes:
        """The first ``n`` decompressed bytes, without a UTF-8 byte-order mark."""
        try:
            with self.open_binary() as fh:
                data = fh.read(n)
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            raise InputError(f"{self.name}: cannot read: {exc}") from exc
        return data[3:] if data.startswith(BOM) else data

    def head_text(self, n: int = HEAD_BYTES) -> str:
        return self.head(n).decode("utf-8", errors="replace")


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _is_gzip(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(2) == b"\x1f\x8b"


@dataclass
class Sources:
    """Sources expanded from user paths, plus the temporary files to remove afterwards."""

    items: list[Source] = field(default_factory=list)
    from_directory: set[str] = field(default_factory=set)
    _tmpdir: str | None = None

    def cleanup(self) -> None:
        if self._tmpdir:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None

    def tmpdir(self) -> Path:
        if self._tmpdir is None:
            self._tmpdir = tempfile.mkdtemp(prefix="flockwatch-")
        return Path(self._tmpdir)


def expand_paths(paths: list[str | os.PathLike]) -> Sources:
    """Turn user paths (files, directories, zip archives) into sources, in a stable order."""
    out = Sources()
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputNotFoundError(f"{path}: no such file or directory")
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if any(part.startswith(".") for part in child.relative_to(path).parts):
                    continue
                before = len(out.items)
                _add_file(out, child)
                out.from_directory.update(s.name for s in out.items[before:])
        else:
            _add_file(out, path)
    return out


def _add_file(out: Sources, path: Path) -> None:
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as zf:
                for info in zf.infolist():
                    if info.is_dir() or Path(info.filename).name.startswith((".", "__MACOSX")):
                        continue
                    if "__MACOSX" in info.filename:
                        continue
                    target = out.tmpdir() / f"{len(out.items)}_{Path(info.filename).name}"
                    with zf.open(info) as src, open(target, "wb") as dst:
                        shutil.copyfileobj(src, dst, _CHUNK)
                    out.items.append(
                        Source(
                            name=f"{path}!{info.filename}",
                            local_path=target,
                            gzipped=_is_gzip(target),
                            size=info.file_size,
                        )
                    )
        except (zipfile.BadZipFile, OSError) as exc:
            raise InputError(f"{path}: broken zip archive: {exc}") from exc
        return
    out.items.append(
        Source(name=str(path), local_path=path, gzipped=_is_gzip(path), size=path.stat().st_size)
    )


def iter_lines(source: Source) -> Iterator[tuple[int, bytes]]:
    """Yield ``(line_number, raw_bytes)`` for each line, 1-based, newline stripped, BOM removed."""
    with source.open_binary() as fh:
        buffered = io.BufferedReader(fh, _CHUNK) if not isinstance(fh, io.BufferedReader) else fh
        for number, line in enumerate(buffered, start=1):
            if number == 1 and line.startswith(BOM):
                line = line[3:]
            yield number, line.rstrip(b"\r\n")
