"""CLI: `vigil outcomes` — each release's outcome observed in telemetry, with its evidence."""

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

ReleaseOption = Annotated[
    str | None,
    typer.Option("--release", help="Every candidate of the episodes attributed to this release."),
]


@handle_errors
def outcomes(
    config: ConfigOption = DEFAULT_CONFIG,
    as_json: JsonOption = False,
    release: ReleaseOption = None,
) -> None:
    """Release outcomes from telemetry: regressions the detectors saw, attributed to releases."""
    from rich.table import Table

    found = open_workspace(config).release_outcomes(release)
    rows = found["releases"]
    candidates = list(found["episodes"].values())
    if as_json:
        payload: dict[str, object] = {
            "label_source": found["label_source"],
            "releases": rows.to_dicts(),
        }
        if release is not None:
            payload["episodes"] = [
                {"episode_id": e, "candidates": c} for e, c in found["episodes"].items()
            ]
        emit_json(payload)
        return
    if rows.height == 0:
        console.print("No release outcomes yet: 'vigil run' writes them (its outcomes stage).")
        return
    if release is None:
        table = Table("firmware", "released", "outcome", "confidence", "evidence")
        for r in rows.iter_rows(named=True):
            word = {True: "regressed", False: "clean"}.get(r["high_risk"], "pending")
            conf = "-" if r["confidence"] is None else f"{r['confidence']:.0%}"
            table.add_row(r["firmware_version"], str(r["release_date"]), word, conf, r["evidence"])
        console.print(table)
        return
    table = Table("episode", "rank", "deployment", "version", "days", "touched", "confidence")
    for group in candidates:
        for c in group:
            table.add_row(
                c["episode_id"],
                str(c["rank"]),
                c["deployment_id"],
                str(c["firmware_version"]),
                str(c["days_since"]),
                "yes" if c["touched"] else "no",
                f"{c['confidence']:.0%}",
            )
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add this area's command to the app."""
    app.command("outcomes")(outcomes)
