"""``flockwatch simulate`` and ``flockwatch demo``."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from flockwatch.cli import app, console


@app.command()
def simulate(
    outdir: Path = typer.Argument(..., help="Folder to write the synthetic world into"),
    seed: int = typer.Option(7, "--seed", help="Random seed: the same seed gives the same files"),
    accounts: int = typer.Option(2000, "--accounts", help="Number of accounts"),
    days: int = typer.Option(30, "--days", help="Days of activity"),
) -> None:
    """Write a synthetic world with ground truth (truth.csv) in the real export formats."""
    from flockwatch.errors import ParameterError
    from flockwatch.simulate import simulate as run_simulation

    started = time.monotonic()
    with console.status("Simulating..."):
        try:
            summary = run_simulation(outdir, seed=seed, accounts=accounts, days=days)
        except ValueError as exc:
            raise ParameterError(str(exc)) from exc
    console.print(
        f"Wrote {len(summary.files)} files to {summary.outdir} in {time.monotonic() - started:.1f}s: "
        + ", ".join(f"{name} {n:,}" for name, n in summary.counts.items())
    )


@app.command()
def demo(
    out: Path = typer.Option(
        Path("flockwatch-demo"), "--out", help="Folder for data, store, report"
    ),
    seed: int = typer.Option(7, "--seed", help="Random seed of the simulated world"),
    accounts: int = typer.Option(2000, "--accounts", help="Accounts in the simulated world"),
    days: int = typer.Option(30, "--days", help="Days of simulated activity"),
) -> None:
    """Run the whole job on a simulated world: simulate -> ingest -> status."""
    from flockwatch.cli.data import ingest_files, status
    from flockwatch.simulate import simulate as run_simulation

    out.mkdir(parents=True, exist_ok=True)
    data_dir = out / "data"
    db = out / "flockwatch.duckdb"
    if db.exists():
        db.unlink()
    started = time.monotonic()
    with console.status("1/3 Simulating a world..."):
        summary = run_simulation(data_dir, seed=seed, accounts=accounts, days=days)
    console.print(f"[bold]1/3[/] simulated {summary.accounts:,} accounts over {days} days")
    console.print("[bold]2/3[/] ingesting")
    ingest_files(db, [data_dir])
    console.print("[bold]3/3[/] status")
    status(db=db)
    console.print(
        f"Done in {time.monotonic() - started:.1f}s. Store: {db}  Data: {data_dir}  "
        f"Ground truth: {data_dir / 'truth.csv'}"
    )
