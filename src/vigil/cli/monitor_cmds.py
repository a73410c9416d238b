"""CLI commands for monitoring: `vigil drift`, `vigil drift-report`, `vigil drift-baseline`.

Exit codes for `vigil drift`: 0 no dataset drift, 1 dataset drift, 2 bad input or usage.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from vigil.cli.common import (
    DEFAULT_CONFIG,
    ConfigOption,
    JsonOption,
    console,
    emit_json,
    handle_errors,
    open_workspace,
)

VERDICT_STYLE = {"drift": "bold red", "no drift": "green", "insufficient data": "yellow"}


def drift_table(rows: Iterable[dict[str, Any]], title: str) -> Table:
    """Per-column verdicts as a Rich table (the reason carries the test and its numbers)."""
    table = Table(title=title, title_justify="left")
    table.add_column("column", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("verdict", no_wrap=True)
    table.add_column("reason", overflow="fold", ratio=1)
    for row in rows:
        name = str(row.get("column") or row.get("column_name") or "")
        verdict = str(row["verdict"])
        style = VERDICT_STYLE.get(verdict, "")
        reason = escape(str(row["reason"]).removeprefix(f"{name}: "))
        table.add_row(escape(name), str(row["kind"]), f"[{style}]{verdict}[/]", reason)
    return table


def drift(
    reference: Annotated[Path, typer.Argument(help="Reference sample (.csv or .parquet).")],
    current: Annotated[Path, typer.Argument(help="Current sample (.csv or .parquet).")],
    columns: Annotated[
        str | None, typer.Option("--columns", help="Comma-separated columns (default: shared).")
    ] = None,
    kinds: Annotated[
        str | None,
        typer.Option("--kinds", help="Override kinds: col=numeric|categorical|binary,..."),
    ] = None,
    as_json: JsonOption = False,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            "-c",
            help="Use this vigil.yaml's drift: thresholds (default: the built-in ones).",
            envvar="VIGIL_CONFIG",
        ),
    ] = None,
) -> None:
    """Compare two files column by column. Exit 0: no dataset drift, 1: dataset drift."""
    from vigil.config import load_config
    from vigil.monitoring.drift import detect_drift
    from vigil.monitoring.files import parse_columns, parse_kinds, read_sample
    from vigil.monitoring.settings import DriftSettings

    settings = load_config(config).drift if config else DriftSettings.model_validate({})
    names, given = parse_columns(columns), parse_kinds(kinds)
    report = detect_drift(
        read_sample(reference),
        read_sample(current),
        settings,
        columns=names,
        kinds=given,
    )
    if as_json:
        emit_json(report.to_dict())
    else:
        console.print(drift_table(report.to_dict()["columns"], f"Drift: {current} vs {reference}"))
        console.print(report.summary(), markup=False)
    if report.dataset_drift:
        raise typer.Exit(1)


def drift_report(
    config: ConfigOption = DEFAULT_CONFIG,
    as_json: JsonOption = False,
) -> None:
    """Show the latest drift report stored by `vigil run`."""
    head, rows = open_workspace(config).drift_report()
    if as_json:
        emit_json({"summary": head, "columns": rows.to_dicts()})
        return
    title = (
        f"Drift, run {head['run_id']}: current {head['current_start']}..{head['current_end']} "
        f"vs reference {head['reference_start']}..{head['reference_end']}"
    )
    console.print(drift_table(rows.to_dicts(), title))
    console.print(str(head["summary"]), markup=False)


def drift_baseline(
    config: ConfigOption = DEFAULT_CONFIG,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Rebuild the baseline from the warehouse now.")
    ] = False,
) -> None:
    """Show the stored drift baseline, or rebuild it with --refresh (nothing else replaces it)."""
    emit_json(open_workspace(config).drift_baseline(refresh=refresh))


def register(app: typer.Typer) -> None:
    """Add this area's commands to the app."""
    app.command("drift")(handle_errors(drift))
    app.command("drift-report")(handle_errors(drift_report))
    app.command("drift-baseline")(handle_errors(drift_baseline))
