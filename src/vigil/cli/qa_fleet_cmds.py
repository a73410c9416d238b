"""CLI: `vigil patches evaluate`, `vigil qa`, `vigil fleet`.

Module-level imports stay light (stdlib, typer, rich, vigil.cli.*); the package is imported inside
each command so `vigil --help` and `vigil gate` start fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
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
from vigil.cli.common import open_config as _open_config
from vigil.cli.groups import patches_app

METRIC_KEYS = ("auc", "pr_auc", "recall_at_20_effort", "effort_at_20_recall", "popt")
RANKERS = ("model", "lr_all_columns", "la_alone", "smallest_change_first")


@handle_errors
def evaluate(
    data: Annotated[Path, typer.Option("--data", help="Change-level CSV, one row per change.")],
    label_column: Annotated[
        str, typer.Option(help="0/1 column: the change induced a defect.")
    ] = "bug",
    time_column: Annotated[
        str, typer.Option(help="When the change was made (unix s or ISO).")
    ] = "date",
    train_fraction: Annotated[
        float, typer.Option(help="Earliest share of rows to train on.")
    ] = 0.8,
    effort_columns: Annotated[
        str, typer.Option(help="Comma-separated columns summed into review effort.")
    ] = "la,ld",
    gap_days: Annotated[
        float, typer.Option(help="Leave out training rows this close to the test part.")
    ] = 0.0,
    as_json: JsonOption = False,
) -> None:
    """Train a JIT defect model on a time-ordered split and compare it with baselines."""
    from vigil.patches.evaluate import evaluate_csv

    efforts = tuple(c.strip() for c in effort_columns.split(",") if c.strip())
    result = evaluate_csv(
        data,
        label_column=label_column,
        time_column=time_column,
        train_fraction=train_fraction,
        effort_columns=efforts,
        gap_days=gap_days,
    )
    if as_json:
        emit_json(result)
        return
    table = Table("ranking", *METRIC_KEYS, title=f"{data.name}: test part, time-ordered split")
    for name in RANKERS:
        if name in result:
            table.add_row(name, *(f"{result[name][k]:.3f}" for k in METRIC_KEYS))
    console.print(table)
    dropped = ", ".join(f"'{k}' ({v})" for k, v in result["dropped_columns"].items()) or "none"
    console.print(f"Dropped columns: {dropped}", markup=False)


@handle_errors
def qa(
    patches: Annotated[Path, typer.Argument(help="CSV of pending patches.")],
    risk_column: Annotated[
        str, typer.Option(help="Column with risk in [0, 1]; scored if absent.")
    ] = "risk",
    effort_column: Annotated[
        str | None, typer.Option(help="QA effort column (default: lines_added + lines_deleted).")
    ] = None,
    label_column: Annotated[
        str | None, typer.Option(help="0/1 outcome column to score the ranking (auto-detected).")
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            "-c",
            help="vigil.yaml (default: ./vigil.yaml when present).",
            envvar="VIGIL_CONFIG",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """QA queue: rank pending patches by expected regressions caught per line of QA effort."""
    from vigil.patches.qa import qa_queue

    cfg = _config_if_any(config)
    effort = effort_column or (cfg.patches.qa_effort_column if cfg else None)
    ranked, metrics = qa_queue(
        patches, risk_column=risk_column, effort_column=effort, label_column=label_column, cfg=cfg
    )
    if as_json:
        emit_json({"patches": ranked.to_dicts(), "metrics": metrics})
        return
    _print_queue(ranked, metrics)


def _config_if_any(config: Path | None) -> Any:
    if config is not None:
        return _open_config(config)
    return _open_config(DEFAULT_CONFIG) if DEFAULT_CONFIG.exists() else None


def _print_queue(ranked: Any, metrics: dict[str, Any] | None) -> None:
    key = next((c for c in ("firmware_version", "patch_id", "id") if c in ranked.columns), None)
    table = Table(
        "rank",
        key or "row",
        "bucket",
        "risk",
        "effort",
        "risk/kloc",
        "effort used",
        title="QA queue",
    )
    for i, row in enumerate(ranked.iter_rows(named=True)):
        table.add_row(
            str(row["qa_rank"]),
            str(row[key]) if key else str(i + 1),
            row["bucket"],
            f"{row['risk']:.2f}",
            f"{row['effort']:.0f}",
            f"{row['risk_per_kloc']:.2f}",
            f"{row['cumulative_effort_share']:.0%}",
        )
    console.print(table)
    if metrics and "qa_order" in metrics:
        for name in ("qa_order", "smallest_change_first"):
            values = ", ".join(f"{k} {v:.3f}" for k, v in metrics[name].items())
            console.print(f"{name}: {values}", markup=False)


@handle_errors
def fleet(config: ConfigOption = DEFAULT_CONFIG, as_json: JsonOption = False) -> None:
    """Fleet watch list: device model x firmware x age band in the immediate / enhanced tiers."""
    watch = open_workspace(config).fleet_watch()
    if as_json:
        emit_json({"watch_list": watch.to_dicts()})
        return
    if watch.height == 0:
        console.print("Fleet: no device group needs more than standard monitoring.")
        return
    table = Table(title="Fleet watch list")
    for name in ("tier", "model", "firmware", "age", "dev", "err/10k", "RMA", "risk", "trend"):
        table.add_column(name, no_wrap=True)
    for r in watch.iter_rows(named=True):
        table.add_row(
            r["tier"],
            r["device_model"],
            r["firmware_version"],
            r["age_band"],
            str(r["devices"]),
            _num(r["error_rate_per_10k"], ".0f"),
            _num(r["rma_rate"], ".1%"),
            _num(r["weighted_risk"], ".2f"),
            _num(r["error_rate_trend"], "+.0f"),
        )
    console.print(table)


def _num(value: float | None, fmt: str) -> str:
    return "-" if value is None else format(value, fmt)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the app."""
    patches_app.command("evaluate")(evaluate)
    app.command("qa")(qa)
    app.command("fleet")(fleet)
