"""CLI: `vigil registry list / promote / rollback`."""

from __future__ import annotations

from typing import Annotated

import typer

from vigil.cli.common import (
    DEFAULT_CONFIG,
    ConfigOption,
    JsonOption,
    console,
    emit_json,
    handle_errors,
    open_workspace,
)
from vigil.cli.groups import registry_app


@handle_errors
def list_models(
    config: ConfigOption = DEFAULT_CONFIG,
    name: Annotated[str | None, typer.Argument(help="Only this model.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List registered model versions with their aliases and key metrics."""
    from rich.table import Table

    versions = open_workspace(config).models(name)
    if as_json:
        emit_json([mv.to_json() | {"aliases": aliases} for mv, aliases in versions])
        return
    table = Table("model", "version", "aliases", "created", "train window", "roc_auc", "checksum")
    for mv, aliases in versions:
        auc = mv.metrics.get("roc_auc")
        table.add_row(
            mv.name,
            str(mv.version),
            ", ".join(aliases),
            f"{mv.created_at:%Y-%m-%d %H:%M}",
            f"{mv.train_start} .. {mv.train_end}",
            "-" if auc is None else f"{auc:.3f}",
            mv.checksum[:12],
        )
    console.print(table)


@handle_errors
def promote(
    name: Annotated[str, typer.Argument(help="Model name, e.g. patch_risk.")],
    version: Annotated[int, typer.Argument(help="Version to make champion.")],
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """Make a version the champion by hand (recorded in the alias history)."""
    open_workspace(config).promote(name, version)
    console.print(f"{name}: champion -> v{version}")


@handle_errors
def rollback(
    name: Annotated[str, typer.Argument(help="Model name, e.g. patch_risk.")],
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """Point the champion back at the previous champion."""
    mv = open_workspace(config).rollback(name)
    console.print(f"{name}: champion -> v{mv.version} (rolled back)")


def register(app: typer.Typer) -> None:
    """Add this area's commands to the app."""
    registry_app.command("list")(list_models)
    registry_app.command("promote")(promote)
    registry_app.command("rollback")(rollback)
