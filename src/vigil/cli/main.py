"""The `vigil` command. Each area registers its commands from its own module."""

from __future__ import annotations

from typing import Annotated

import typer

from vigil.cli import (
    alerts_cmd,
    annotate_cmd,
    attention_cmd,
    canary_cmd,
    dashboard_cmd,
    detect_cmd,
    generate_cmd,
    monitor_cmds,
    outcomes_cmd,
    patch_cmds,
    pipeline_cmds,
    qa_fleet_cmds,
    registry_cmds,
    risk_cmds,
    serve_cmd,
)
from vigil.cli.common import set_debug
from vigil.cli.groups import patches_app, registry_app, train_app

app = typer.Typer(
    name="vigil",
    help="Vigil: early warning on product reliability.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    """Vigil turns product telemetry into reliability decisions."""
    set_debug(debug)


app.add_typer(train_app, name="train")
app.add_typer(patches_app, name="patches")
app.add_typer(registry_app, name="registry")

for module in (
    generate_cmd,
    pipeline_cmds,
    risk_cmds,
    detect_cmd,
    monitor_cmds,
    patch_cmds,
    qa_fleet_cmds,
    registry_cmds,
    dashboard_cmd,
    attention_cmd,
    serve_cmd,
    alerts_cmd,
    outcomes_cmd,
    canary_cmd,
    annotate_cmd,
):
    module.register(app)


def main() -> None:
    """Console-script entry point."""
    app()
