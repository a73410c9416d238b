"""CLI commands: `vigil generate` writes the seeded synthetic product world."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from vigil.cli.common import JsonOption, console, emit_json, handle_errors, progress

if TYPE_CHECKING:
    from vigil.synth import WorldSummary


def register(app: typer.Typer) -> None:
    """Add this area's commands to the app."""
    app.command("generate")(generate)


@handle_errors
def generate(
    out: Annotated[Path, typer.Option("--out", help="Folder to write data/ and truth/ into.")],
    seed: Annotated[int | None, typer.Option(help="Random seed (same seed, same bytes).")] = None,
    days: Annotated[int | None, typer.Option(help="Days of data (>= 7).")] = None,
    features: Annotated[int | None, typer.Option(help="Number of product features.")] = None,
    events_per_day: Annotated[
        int | None, typer.Option("--events-per-day", help="Telemetry events per day.")
    ] = None,
    devices: Annotated[int | None, typer.Option(help="Number of devices in the fleet.")] = None,
    as_json: JsonOption = False,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            "-c",
            help="Take the world's settings from this vigil.yaml's generate:.",
            envvar="VIGIL_CONFIG",
        ),
    ] = None,
) -> None:
    """Generate a seeded synthetic product world: inputs under data/, ground truth under truth/.

    Settings come from the config's ``generate:`` section when -c is given (else the defaults);
    the options override single values."""
    from vigil.config import GenerateSettings, load_config
    from vigil.synth import generate_world

    base = load_config(config).generate if config else GenerateSettings.model_validate({})

    given = {
        "seed": seed,
        "days": days,
        "n_features": features,
        "events_per_day": events_per_day,
        "n_devices": devices,
    }
    overrides = {k: v for k, v in given.items() if v is not None}
    with progress("generating the synthetic world", quiet=as_json) as step:
        step("telemetry, releases, fleet")
        summary = generate_world(out, base, **overrides)
    if as_json:
        emit_json(summary.as_dict())
    else:
        _show(summary)


def _show(summary: WorldSummary) -> None:
    """A short Rich summary of what was written."""
    from rich.table import Table

    table = Table(title=f"Synthetic world in {summary.out_dir}", show_header=False)
    table.add_row("days", f"{summary.start_date} .. {summary.end_date}")
    table.add_row("features / devices", f"{summary.features} / {summary.devices}")
    table.add_row("telemetry rows", f"{summary.events:,} ({summary.clean_events:,} clean events)")
    table.add_row(
        "dirt",
        f"{summary.malformed:,} malformed, {summary.duplicates:,} duplicates, "
        f"{summary.late:,} late, {summary.missing_feature_days} missing feature-days",
    )
    table.add_row("releases / pending", f"{summary.releases} / {summary.pending_patches}")
    table.add_row("regressions / incidents", f"{summary.regressions} / {summary.incidents}")
    table.add_row(
        "device events / tickets", f"{summary.device_events:,} / {summary.support_tickets:,}"
    )
    console.print(table)
