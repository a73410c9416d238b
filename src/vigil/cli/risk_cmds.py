"""CLI commands for feature risk: `vigil train features` and `vigil risk`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from vigil.cli.common import (
    DEFAULT_CONFIG,
    ConfigOption,
    JsonOption,
    console,
    emit_json,
    handle_errors,
    open_workspace,
    progress,
)
from vigil.cli.groups import train_app

TruthOption = Annotated[
    Path | None,
    typer.Option("--truth", help="Ground-truth regressions.csv, to measure lead time (optional)."),
]


@train_app.command("features")
@handle_errors
def train_features(
    config: ConfigOption = DEFAULT_CONFIG, truth: TruthOption = None, as_json: JsonOption = False
) -> None:
    """Train the feature-risk model (CatBoost vs baselines) and register it."""
    with progress("training the feature-risk model", quiet=as_json):
        result = open_workspace(config).train_features(truth)
    if as_json:
        emit_json(result.metrics)
        return
    _print_training(result.metrics)


def _print_training(metrics: dict[str, Any]) -> None:
    from rich.table import Table

    table = Table(
        title=f"Feature risk, test {metrics['split']['test_start']} .. "
        f"{metrics['split']['test_end']}"
    )
    for column in ("model", "ROC-AUC", "PR-AUC", "Brier", "recall@k", "lead (median days)"):
        table.add_column(column)
    for name, m in metrics["models"].items():
        lead = (m.get("lead_time_act_now") or {}).get("median_days")
        table.add_row(
            name, *(_fmt(m[k]) for k in ("roc_auc", "pr_auc", "brier", "recall_at_k")), _fmt(lead)
        )
    console.print(table)
    _print_new_onset(metrics.get("new_onset") or {})
    state = "champion" if metrics.get("promoted") else "challenger"
    console.print(f"Registered feature_risk v{metrics.get('model_version')} as {state}.")


def _print_new_onset(new_onset: dict[str, Any]) -> None:
    from rich.table import Table

    if new_onset.get("available") is False:
        console.print(f"New onsets: not measured, {new_onset.get('reason')}.")
        return
    table = Table(title="New onsets (no true regression active at t)")
    for column in ("scorer", "PR-AUC [90% CI]", "ROC-AUC [90% CI]", "lead days [90% CI] (n)"):
        table.add_column(column)
    for name, m in new_onset.items():
        lead = m["lead_time_days"]
        median = _with_ci({"value": lead["median"], "ci90": lead["ci90"]})
        table.add_row(
            name,
            _with_ci(m["pr_auc"]),
            _with_ci(m["roc_auc"]),
            f"{median} ({lead['n_regressions']})",
        )
    console.print(table)


def _with_ci(metric: dict[str, Any]) -> str:
    ci = metric.get("ci90")
    interval = f" [{ci[0]:.2f}, {ci[1]:.2f}]" if ci else ""
    return _fmt(metric.get("value")) + interval


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


@handle_errors
def risk(
    config: ConfigOption = DEFAULT_CONFIG,
    date: Annotated[str | None, typer.Option("--date", help="Score date (YYYY-MM-DD).")] = None,
    top: Annotated[int, typer.Option("--top", min=1, help="How many features to show.")] = 10,
    as_json: JsonOption = False,
) -> None:
    """Features ranked by impact (risk x users exposed) with the reason for each."""
    from vigil.errors import InputError, WarehouseError

    try:
        day = dt.date.fromisoformat(date) if date else None
    except ValueError:
        raise InputError(f"--date '{date}' is not a date (use YYYY-MM-DD)") from None
    rows = open_workspace(config).ranked_features(day, top)
    if not rows:
        when = f"for {day}" if day else "yet"
        raise WarehouseError(f"no feature-risk scores {when} (run 'vigil run' to score)")
    if as_json:
        emit_json(rows)
        return
    _print_ranked(rows)


def _print_ranked(rows: list[dict[str, Any]]) -> None:
    from rich.table import Table

    rules_based = rows[0]["method"] == "rules"
    how = "rules-based risk (no trained model yet)" if rules_based else "model risk"
    table = Table(title=f"Features by impact, {rows[0]['score_date']}: {how}")
    for column in ("tier", "feature", "risk", "impact", "reason"):
        table.add_column(column, overflow="fold")
    for r in rows:
        name = r["feature_name"] or r["feature_id"]
        table.add_row(r["tier"], name, f"{r['risk']:.2f}", f"{r['impact']:,.0f}", r["reason"])
    console.print(table)
    if rules_based:
        from vigil.risk.rules import MIN_MATURE_DAYS, WEIGHTS

        weights = " + ".join(f"{w:.2f} x {name}" for name, w in WEIGHTS.items())
        console.print(
            f"Cold start: risk = {weights} (transparent rules, see vigil.risk.rules); "
            f"a trained model takes over once {MIN_MATURE_DAYS} days have mature labels."
        )


def register(app: typer.Typer) -> None:
    """Add this area's commands to the app (`train features` registers on import)."""
    app.command("risk")(risk)
