"""CLI command: `vigil detect` scores one time series from a CSV file with the causal detector."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vigil.cli.common import console, handle_errors, open_config


def register(app: typer.Typer) -> None:
    """Add this area's commands to the app."""
    app.command("detect")(detect)


@handle_errors
def detect(
    input_csv: Annotated[Path, typer.Argument(metavar="INPUT.csv", help="CSV with the series.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="CSV to write.")],
    time_column: Annotated[
        str, typer.Option("--time-column", help="Column holding the timestamps.")
    ] = "timestamp",
    value_column: Annotated[
        str, typer.Option("--value-column", help="Column holding the values.")
    ] = "value",
    config: Annotated[
        Path | None,
        typer.Option("--config", "-c", help="vigil.yaml whose detection.series settings to use."),
    ] = None,
) -> None:
    """Score every row with a causal anomaly detector (the score at t uses rows up to t only).

    Writes timestamp,value,anomaly_score (score in [0, 1]), one row per input row.
    """
    from vigil.detection.csv_series import detect_csv

    settings = open_config(config).detection.series if config is not None else None
    result = detect_csv(input_csv, output, time_column=time_column,
                        value_column=value_column, settings=settings)  # fmt: skip
    console.print(f"Scored {result.rows} rows: {result.detections} at or above "
                  f"{result.threshold} -> {result.output}")  # fmt: skip
