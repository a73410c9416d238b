"""Command groups shared by several areas (`vigil train`, `vigil patches`, `vigil registry`)."""

from __future__ import annotations

import typer

train_app = typer.Typer(help="Train models.", no_args_is_help=True)
patches_app = typer.Typer(
    help="Patch stability: evaluate, score, inspect patches.", no_args_is_help=True
)
registry_app = typer.Typer(
    help="The model registry: versions and champion / challenger aliases.", no_args_is_help=True
)
