"""``flockwatch detect``."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from flockwatch.cli import DB_HELP, app, console


@app.command()
def detect(
    names: list[str] = typer.Argument(None, help="Detectors to run (default: all)"),
    db: Path | None = typer.Option(None, "--db", help=DB_HELP),
    set_: list[str] = typer.Option(
        [], "--set", help="Detector parameter, DETECTOR.PARAM=VALUE (repeatable)"
    ),
    seed: int = typer.Option(0, "--seed", help="Seed for every random choice"),
    watch: Path | None = typer.Option(
        None,
        "--watch",
        help="impersonation: watch-list CSV of protected identities (platform, account_id or "
        "screen_name, display_name); same as --set impersonation.watch=FILE",
    ),
) -> None:
    """Run detectors over the store and record their findings."""
    from flockwatch.detect.runner import parse_settings, run_detectors
    from flockwatch.store.db import Store, memory_limit, resolve_db_path

    settings = parse_settings(set_)
    if watch is not None:
        settings.setdefault("impersonation", {})["watch"] = str(watch)
    with (
        Store(resolve_db_path(db), memory_limit=memory_limit()) as store,
        console.status("Detecting...") as status,
    ):
        results = run_detectors(
            store,
            names or [],
            settings,
            seed=seed,
            on_start=lambda n: status.update(f"Running {n}..."),
        )
    table = Table(title="Detectors", title_justify="left")
    for col in ("detector", "version", "findings", "flagged", "seconds", "top finding"):
        table.add_column(
            col, justify="right" if col in ("findings", "flagged", "seconds") else "left"
        )
    for r in results:
        top = f"{r.top[0][1]:.2f} {r.top[0][0]}: {r.top[0][2]}" if r.top else "-"
        table.add_row(
            r.detector, r.version, f"{r.n_findings:,}", f"{r.n_flagged:,}", f"{r.seconds:.1f}", top
        )
    console.print(table)
