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
    """Run the whole job on a simulated world: simulate -> ingest -> detect -> report."""
    from flockwatch.cli.data import ingest_files
    from flockwatch.detect.runner import run_detectors
    from flockwatch.report import ReportOptions, write_report
    from flockwatch.simulate import simulate as run_simulation
    from flockwatch.store.db import Store, memory_limit

    out.mkdir(parents=True, exist_ok=True)
    data_dir = out / "data"
    db = out / "flockwatch.duckdb"
    report_path = out / "report.html"
    for stale in (db, Path(str(db) + ".wal")):
        stale.unlink(missing_ok=True)
    started = time.monotonic()

    def step(n: int, text: str) -> str:
        return f"[bold]{n}/4[/] {text} [dim]({time.monotonic() - started:.0f}s)[/]"

    with console.status(step(1, "Simulating a world...")):
        summary = run_simulation(data_dir, seed=seed, accounts=accounts, days=days)
    console.print(step(1, f"simulated {summary.accounts:,} accounts over {days} days"))
    with console.status(step(2, "Ingesting...")):
        results = ingest_files(db, [data_dir], quiet=True)
    read = sum(r.rows_read for r in results)
    ingested = sum(1 for r in results if r.status == "ingested")
    console.print(step(2, f"ingested {ingested} files, {read:,} records"))
    with (
        Store(db, memory_limit=memory_limit()) as store,
        console.status(step(3, "Detecting...")) as status,
    ):
        runs = run_detectors(
            store, seed=seed, on_start=lambda n: status.update(step(3, f"Running {n}..."))
        )
        console.print(
            step(3, "ran " + ", ".join(f"{r.detector} ({r.n_flagged:,} flagged)" for r in runs))
        )
        status.update(step(4, "Writing the report..."))
        report = write_report(store, report_path, ReportOptions(seed=seed))
        console.print(
            step(
                4,
                f"wrote the report: {report.bytes / 1e6:.1f} MB, {len(report.sections)} "
                f"sections, {report.panels:,} account panels",
            )
        )
        lines = demo_summary(store, flagged=report.flagged_accounts, report=report_path)
    console.print(f"\nDone in {time.monotonic() - started:.1f}s.")
    console.print(f"  Report:       {report_path}  (open it in a browser; works offline)")
    console.print(f"  Store:        {db}")
    console.print(f"  Data:         {data_dir} (ground truth: {data_dir / 'truth.csv'})")
    console.print("[bold]Summary[/]")
    for line in lines:
        console.print(f"  {line}", highlight=False)


def demo_summary(
    store: object, flagged: int | None = None, report: Path | None = None
) -> list[str]:
    """Five lines: accounts, clusters, top cluster, flagged accounts, what to do next.

    ``flagged`` is the report's count of flagged accounts (so both say the same), else the
    accounts with a finding scored 0.5 or more."""
    con = store.con  # type: ignore[attr-defined]
    n_accounts, n_posts = con.execute(
        "SELECT (SELECT count(*) FROM accounts), (SELECT count(*) FROM posts)"
    ).fetchone()
    if flagged is None:
        flagged = con.execute(
            "SELECT count(DISTINCT subject_id) FROM latest_findings "
            "WHERE subject_kind = 'account' AND score >= 0.5"
        ).fetchone()[0]
    clusters, inauthentic = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE score >= 0.5) FROM latest_findings "
        "WHERE subject_kind = 'cluster'"
    ).fetchone()
    top = con.execute(
        "SELECT subject_id, score, explanation FROM latest_findings "
        "WHERE subject_kind = 'cluster' ORDER BY score DESC LIMIT 1"
    ).fetchone()
    cohorts = con.execute(
        "SELECT count(*) FROM latest_findings WHERE subject_kind = 'cohort' AND score >= 0.5"
    ).fetchone()[0]
    return [
        f"Accounts: {n_accounts:,} ({n_posts:,} posts)",
        f"Clusters: {clusters:,} ({inauthentic:,} scored inauthentic)"
        + (f"; creation bursts: {cohorts:,}" if cohorts else ""),
        f"Top cluster: {top[0]} (score {top[1]:.2f}): {_short(top[2])}"
        if top
        else "Top cluster: -",
        f"Flagged accounts: {flagged:,}",
        f"Next: open {report} in a browser; flockwatch export takedown --db "
        f"{getattr(store, 'path', '')} --out takedown.csv"
        if report
        else f"Next: flockwatch export accounts --db {getattr(store, 'path', '')} --out accounts.csv",
    ]


def _short(text: str | None, limit: int = 110) -> str:
    """The first clause of an explanation, cut to ``limit`` characters."""
    text = (text or "").split(":")[0].strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
