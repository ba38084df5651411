"""``flockwatch train``: reproduce the committed models from the labeled public data."""

from __future__ import annotations

from pathlib import Path

import typer

from flockwatch.cli import app, console

train_app = typer.Typer(help="Train the models flockwatch ships, from labeled data.")
app.add_typer(train_app, name="train")

DATA_HELP = "Folder of labeled data (e.g. ../shared/data/training)"


@train_app.command("bot-model")
def bot_model(
    data: Path = typer.Option(Path("../shared/data/training"), "--data", help=DATA_HELP),
    out: Path = typer.Option(None, "--out", help="Output folder [default: the package's models/]"),
    seed: int = typer.Option(0, "--seed", help="Seed for splits, LightGBM and augmentation"),
) -> None:
    """Train the profile bot model (cresci-2017 + cresci-2015 subset) and print its metrics."""
    from flockwatch.detect.bot_score.model import MODEL_DIR
    from flockwatch.detect.bot_score.train import report, train_profile_model
    from flockwatch.errors import InputNotFoundError

    if not data.is_dir():
        raise InputNotFoundError(f"{data}: no such folder of labeled data")
    with console.status("Training the profile bot model..."):
        metadata = train_profile_model(data, out or MODEL_DIR, seed=seed)
    console.print(report(metadata))
    console.print(f"Wrote {metadata.get('model_path')}")


@train_app.command("fake-profile-model")
def fake_profile_model(
    data: Path = typer.Option(Path("../shared/data/training"), "--data", help=DATA_HELP),
    out: Path = typer.Option(None, "--out", help="Output folder [default: the package's models/]"),
    seed: int = typer.Option(0, "--seed", help="Seed for splits, LightGBM and augmentation"),
) -> None:
    """Train the fake-profile model (Instagram table; non-Twitter followers) and print its metrics."""
    from flockwatch.detect.bot_score.model import MODEL_DIR
    from flockwatch.detect.fake_followers.train import report, train_fake_profile_model
    from flockwatch.errors import InputNotFoundError

    if not data.is_dir():
        raise InputNotFoundError(f"{data}: no such folder of labeled data")
    with console.status("Training the fake-profile model..."):
        metadata = train_fake_profile_model(data, out or MODEL_DIR, seed=seed)
    console.print(report(metadata))
    console.print(f"Wrote {metadata.get('model_path')}")
