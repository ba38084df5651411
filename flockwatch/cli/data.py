"""``flockwatch ingest`` and ``flockwatch status``."""

from __future__ import annotations

import os
from pathlib import Path

import typer
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from flockwatch.cli import DB_HELP, app, console
from flockwatch.ingest.base import IngestOptions
from flockwatch.ingest.runner import IngestResult
from flockwatch.ingest.runner import Progress as IngestProgress
from flockwatch.store.db import INGEST_MEMORY_LIMIT, Store, memory_limit, resolve_db_path


class RichIngestProgress(IngestProgress):
    """A Rich progress bar per file (bytes read), shown for files over ~1 MB."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: int | None = None

    def start_file(self, name: str, total_bytes: int) -> None:
        self.task = self.progress.add_task(
            Path(name).name[:40], total=max(total_bytes, 1), visible=total_bytes > 1_000_000
        )

    def advance(self, bytes_done: int) -> None:
        if self.task is not None:
            self.progress.update(self.task, completed=bytes_done)

    def end_file(self, result: IngestResult) -> None:
        if self.task is not None:
            self.progress.update(self.task, completed=self.progress.tasks[-1].total)
            self.task = None


def ingest_files(
    db: Path | None,
    paths: list[Path],
    format: str | None = None,
    platform: str | None = None,
    tz: str = "UTC",
    force: bool = False,
    quiet: bool = False,
) -> list[IngestResult]:
    from flockwatch.ingest.runner import ingest_paths

    options = IngestOptions(platform=platform.lower() if platform else None, tz=tz)
    with Store(resolve_db_path(db), memory_limit=memory_limit(INGEST_MEMORY_LIMIT)) as store:
        columns = [
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeElapsedColumn(),
        ]
        with Progress(*columns, console=console, transient=True, disable=quiet) as bar:
            results = ingest_paths(
                store,
                list(paths),
                format=format,
                options=options,
                force=force,
                progress=RichIngestProgress(bar),
            )
    if not quiet:
        console.print(results_table(results))
    return results


def results_table(results: list[IngestResult]) -> Table:
    table = Table(title="Ingest", title_justify="left")
    for col in ("file", "format", "read", "stored", "rejected", "status"):
        table.add_column(col, justify="right" if col in ("read", "stored", "rejected") else "left")
    names = [Path(r.path.split("!", 1)[0]) for r in results]
    common = Path(os.path.commonpath([str(n.parent) for n in names])) if names else Path()
    for r in results:
        if r.status == "skipped":
            status = "skipped: not a known format"
        elif r.status in ("failed", "already ingested"):
            status = f"{r.status}: {r.message}"
        else:
            status = r.status
        shown = r.path
        if len(results) > 1 and str(common) not in ("", "."):
            shown = os.path.relpath(r.path, common) if "!" not in r.path else r.path
        table.add_row(
            shown,
            r.format or "-",
            f"{r.rows_read:,}",
            f"{r.rows_stored:,}",
            f"[red]{r.rows_rejected:,}[/]" if r.rows_rejected else "0",
            status,
        )
    return table


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="Files, directories, .gz or .zip archives"),
    db: Path | None = typer.Option(None, "--db", help=DB_HELP),
    format: str | None = typer.Option(
        None, "--format", help="Force a reader (see README: formats) instead of detecting it"
    ),
    platform: str | None = typer.Option(
        None, "--platform", help="Platform for every record, overriding what is inferred"
    ),
    tz: str = typer.Option("UTC", "--tz", help="Time zone of local times that carry none"),
    force: bool = typer.Option(
        False, "--force", help="Read files again even if the same bytes were ingested before"
    ),
) -> None:
    """Read export files into the store; bad records go to rejected_rows."""
    results = ingest_files(db, paths, format, platform, tz, force)
    rejected = sum(r.rows_rejected for r in results)
    if rejected:
        console.print(
            f"{rejected:,} record(s) rejected and kept in rejected_rows "
            "(SELECT * FROM rejected_rows) with file, line and reason."
        )


@app.command()
def status(db: Path | None = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Show what the store holds: rows per table, platforms, time range, ingests, rejects."""
    from flockwatch.store.queries import status as read_status

    with Store(resolve_db_path(db), read_only=True, memory_limit=memory_limit()) as store:
        s = read_status(store)
    console.print(f"[bold]Store[/] {s.path}")
    rows = Table(title="Rows per table", title_justify="left")
    rows.add_column("table")
    rows.add_column("rows", justify="right")
    for name, n in s.rows.items():
        rows.add_row(name, f"{n:,}")
    console.print(rows)
    if s.platforms:
        plat = Table(title="Platforms", title_justify="left")
        for col in ("platform", "accounts", "posts", "follows", "reports", "groups"):
            plat.add_column(col, justify="left" if col == "platform" else "right")
        for p in s.platforms:
            plat.add_row(p["platform"], *(f"{p[k]:,}" for k in list(p)[1:]))
        console.print(plat)
    if s.first_at:
        console.print(f"Posts from {s.first_at:%Y-%m-%d %H:%M} to {s.last_at:%Y-%m-%d %H:%M} UTC")
    if s.ingests:
        ing = Table(title="Last ingests", title_justify="left")
        for col in ("id", "file", "format", "finished", "read", "stored", "rejected"):
            ing.add_column(
                col, justify="right" if col in ("id", "read", "stored", "rejected") else "left"
            )
        for i in s.ingests:
            ing.add_row(
                str(i["ingest_id"]),
                i["path"],
                i["format"],
                f"{i['finished_at']:%Y-%m-%d %H:%M:%S}",
                f"{i['rows_read']:,}",
                f"{i['rows_stored']:,}",
                f"{i['rows_rejected']:,}",
            )
        console.print(ing)
    console.print(f"Rejected records kept: {s.rejected:,}")
