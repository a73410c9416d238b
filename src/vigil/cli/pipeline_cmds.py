"""CLI: `vigil run`, `vigil history`, `vigil quarantine`, `vigil demo`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from vigil.cli.common import (
    DEFAULT_CONFIG,
    ConfigOption,
    JsonOption,
    console,
    emit_json,
    handle_errors,
)

if TYPE_CHECKING:
    from vigil.pipeline import RunResult

_STATUS_STYLE = {"pass": "green", "warn": "yellow", "fail": "red", "not_provided": "dim"}


def register(app: typer.Typer) -> None:
    """Add the pipeline commands."""
    app.command("run")(run)
    app.command("history")(history)
    app.command("quarantine")(quarantine)
    app.command("demo")(demo)


@handle_errors
def run(
    config: ConfigOption = DEFAULT_CONFIG,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when a quality check fails.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Run the pipeline once: ingest, validate, quality, aggregate, score, monitor, report."""
    from vigil.cli.common import open_workspace, progress
    from vigil.stages import STAGES

    ws = open_workspace(config)
    with progress("vigil run", total=3 + len(STAGES), quiet=as_json) as step:
        result = ws.run(progress=step)
    if as_json:
        emit_json(result.report)
    else:
        print_run_summary(result)
    failed_quality = result.report["quality"]["status"] == "fail"
    if result.status != "succeeded" or (strict and failed_quality):
        raise typer.Exit(1)


def print_run_summary(result: RunResult) -> None:
    """The human summary of a run: row accounting, quality verdicts, stage outcomes."""
    report = result.report
    acc = report["row_accounting"]
    console.print(
        f"[bold]Run {result.run_id}[/]: {report['files_new']} new file(s), "
        f"{report['files_skipped']} already loaded"
    )
    console.print(
        f"rows in {acc['rows_in']:,} = loaded {acc['rows_loaded']:,} + quarantined "
        f"{acc['rows_quarantined']:,} + duplicate {acc['rows_duplicate']:,}"
        + ("" if acc["balanced"] else "  [red](does not balance!)[/]")
    )
    table = Table("check", "target", "verdict", "reason", title="Quality")
    for check in report["quality"]["checks"]:
        style = _STATUS_STYLE[check["status"]]
        table.add_row(
            check["check"],
            check["target"],
            f"[{style}]{check['status'].replace('_', ' ')}[/]",
            check["reason"],
        )
    console.print(table)
    for name, stage in report.get("stages", {}).items():
        detail = stage.get("error") or _brief(stage)
        console.print(f"  {name}: {stage['status']} {detail}")
    console.print(f"report: {result.report_path}")


def _brief(stage: dict[str, Any]) -> str:
    items = [
        f"{k}={v}" for k, v in stage.items() if k != "status" and not isinstance(v, dict | list)
    ]
    return ", ".join(items[:6])


@handle_errors
def history(
    config: ConfigOption = DEFAULT_CONFIG,
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many runs.")] = 20,
    as_json: JsonOption = False,
) -> None:
    """List past runs, newest first."""
    from vigil.cli.common import open_workspace

    rows = open_workspace(config).history(limit)
    if as_json:
        emit_json(rows)
        return
    table = Table(
        "run",
        "started",
        "status",
        "quality",
        "in",
        "loaded",
        "quarantined",
        "duplicate",
        "seconds",
        title="Run history",
    )
    for r in rows:
        table.add_row(
            r["run_id"],
            str(r["started_at"])[:19],
            r["status"],
            r["quality_status"] or "",
            *(
                f"{r[k]:,}" if r[k] is not None else ""
                for k in ("rows_in", "rows_loaded", "rows_quarantined", "rows_duplicate")
            ),
            f"{r['duration_s']:.1f}" if r["duration_s"] is not None else "",
        )
    console.print(table)


@handle_errors
def quarantine(
    config: ConfigOption = DEFAULT_CONFIG,
    run_id: Annotated[str | None, typer.Option("--run", help="Only this run.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="Rows to show.")] = 20,
    as_json: JsonOption = False,
) -> None:
    """Show quarantined rows by reason, and the first few of them."""
    from vigil.cli.common import open_workspace

    found = open_workspace(config).quarantine(run_id, limit)
    if as_json:
        emit_json(found)
        return
    table = Table("input", "reason", "rows", title="Quarantine by reason")
    for r in found["by_reason"]:
        table.add_row(r["input"], r["reason"], f"{r['n']:,}")
    console.print(table)
    detail = Table("file", "line", "column", "value", "reason")
    for r in found["rows"]:
        detail.add_row(
            r["source_file"], str(r["line"]), r["column_name"] or "", r["value"] or "", r["reason"]
        )
    console.print(detail)


@handle_errors
def demo(
    workspace: Annotated[
        Path, typer.Option("--workspace", "-w", help="Folder for the demo.")
    ] = Path("demo"),
    size: Annotated[str, typer.Option("--size", help="default or tiny.")] = "default",
    dashboard: Annotated[
        bool, typer.Option("--dashboard/--no-dashboard", help="Start the dashboard at the end.")
    ] = True,
    port: Annotated[int, typer.Option("--port", help="Dashboard port.")] = 8501,
) -> None:
    """Generate a synthetic world, run the whole pipeline, train models, then open the dashboard."""
    from vigil.demo import build_demo, print_demo_summary

    if size not in ("default", "tiny"):
        raise typer.BadParameter("must be 'default' or 'tiny'", param_hint="--size")
    from vigil.cli.common import progress

    with progress("building the demo") as step:
        outcome = build_demo(workspace, size=size, progress=step)
    print_demo_summary(outcome, console)
    if dashboard:
        from vigil.dashboard.server import serve, url

        console.print(f"Vigil dashboard: {url('127.0.0.1', port)}  (Ctrl-C to stop)")
        code = serve(outcome.config_path, host="127.0.0.1", port=port)
        if code not in (0, -2, -15, 130):
            raise typer.Exit(code)
