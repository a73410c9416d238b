"""CLI: `vigil gate`, `vigil train patches`, `vigil retrain`.

Module level imports stay light (stdlib, typer, vigil.cli.*): `vigil gate` must start fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from vigil.cli.common import (
    DEFAULT_CONFIG,
    ConfigOption,
    emit_json,
    err_console,
    handle_errors,
    open_workspace,
    progress,
)
from vigil.cli.groups import train_app


@handle_errors
def gate(
    patches: Annotated[Path, typer.Argument(help="CSV of pending patches (pre-release columns).")],
    config: ConfigOption = DEFAULT_CONFIG,
    block: Annotated[
        float | None,
        typer.Option("--block", help="Block at or above this risk (default: patches.gate.block)."),
    ] = None,
    marginal: Annotated[
        float | None,
        typer.Option(
            "--marginal", help="Marginal at or above this risk (default: patches.gate.marginal)."
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the scored patches to this CSV.")
    ] = None,
) -> None:
    """CI gate: score pending patches; exit 0 PASS, 1 BLOCKED, 2 bad input or usage."""
    result = open_workspace(config).gate(patches, block=block, marginal=marginal, output=output)
    emit_json(result.payload)
    err_console.print(result.summary, markup=False, soft_wrap=True)
    raise typer.Exit(result.exit_code)


@handle_errors
def train_patches(config: ConfigOption = DEFAULT_CONFIG) -> None:
    """Train the patch-risk models (CatBoost beside random forest and logistic regression)."""
    with progress("training the patch-risk models"):
        report = open_workspace(config).train_patches()
    emit_json(report)
    promo = report["promotion"]
    err_console.print(
        f"patch_risk v{report['version']} registered as {promo['alias']}", markup=False
    )
    err_console.print(_patch_summary(report), markup=False, soft_wrap=True)
    label = report["label"]
    shares = ", ".join(f"{k} {v:.0%}" for k, v in label["positive_share"].items() if v is not None)
    err_console.print(
        f"label ({label['used']}): {label['definition']}; high-risk share {shares}",
        markup=False,
        soft_wrap=True,
    )


def _figure(metric: dict[str, Any]) -> str:
    value, ci = metric["value"], metric["ci90"]
    if value is None:
        return "n/a"
    return f"{value:.3f}" + (f" (90% CI {ci[0]:.3f}-{ci[1]:.3f})" if ci else "")


def _patch_summary(report: dict[str, Any]) -> str:
    """One line: the hold-out size, ROC-AUC and calibration of the calibrated model."""
    split, cat = report["split"], report["models"]["catboost"]
    catch = report["catch_curve"]["catboost"]["20"]["value"]
    caught = "n/a" if catch is None else f"{catch:.0%}"
    return (
        f"test: {split['n_test']} releases after a {split['gap_days']}-day gap; "
        f"ROC-AUC {_figure(cat['roc_auc'])}; Brier {_figure(cat['brier'])}; "
        f"ECE {_figure(cat['ece'])}; riskiest 20% catch {caught} of high-risk releases"
    )


@handle_errors
def retrain(
    config: ConfigOption = DEFAULT_CONFIG,
    force: Annotated[
        bool, typer.Option("--force", help="Retrain even when no trigger fires.")
    ] = False,
) -> None:
    """Retrain the patch model when its inputs drift or its accuracy decays (or with --force)."""
    report = open_workspace(config).retrain(force=force)
    emit_json(report)
    verdict = (
        f"retrained ({', '.join(report['triggers'])})" if report["retrained"] else "no retrain"
    )
    err_console.print(f"{verdict}; promoted: {report['promoted']}", markup=False)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the app."""
    app.command("gate")(gate)
    app.command("retrain")(retrain)
    train_app.command("patches")(train_patches)
