"""CLI: `vigil canary` — judge a candidate release against its baseline over the same window."""

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

BaselineOption = Annotated[
    str, typer.Option("--baseline", help="The version running now (app_version).")
]
CandidateOption = Annotated[
    str, typer.Option("--candidate", help="The new version being rolled out (app_version).")
]
FeatureOption = Annotated[
    str | None, typer.Option("--feature", help="Judge one feature's events only.")
]
MarginalOption = Annotated[
    bool, typer.Option("--fail-on-marginal", help="Exit 1 on Marginal too (default: exit 0).")
]


@handle_errors
def canary(
    baseline: BaselineOption,
    candidate: CandidateOption,
    config: ConfigOption = DEFAULT_CONFIG,
    feature: FeatureOption = None,
    fail_on_marginal: MarginalOption = False,
    as_json: JsonOption = False,
) -> None:
    """Canary judge: Pass / Marginal / Fail / NoData with a reason per metric.

    Exit 0 Pass (and Marginal unless --fail-on-marginal), 1 Fail, 2 bad input or too little data.
    """
    from rich.table import Table

    from vigil.canary.run import exit_code

    found = open_workspace(config).canary(baseline, candidate, feature)
    if as_json:
        emit_json(found.as_dict())
    else:
        table = Table("metric", "verdict", "reason", title=found.summary)
        for m in found.metrics:
            table.add_row(m.name, m.verdict, m.reason)
        console.print(table)
        if found.window:
            start, end = found.window
            console.print(f"window {start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M}")
    raise typer.Exit(exit_code(found.verdict, fail_on_marginal))


def register(app: typer.Typer) -> None:
    """Add this area's command to the app."""
    app.command("canary")(canary)
