"""Page 6: model and data health — registry, drift, baselines, quality, runs, quarantine."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import polars as pl
import streamlit as st

from vigil.dashboard import charts, palette, ui
from vigil.dashboard.formatting import plain
from vigil.dashboard.source import Source
from vigil.dashboard.views import alerts_panel
from vigil.errors import WarehouseError
from vigil.monitoring.read import dataset_baseline
from vigil.monitoring.store import latest_drift_report
from vigil.registry import read as registry_read
from vigil.reporting import quarantine_summary, run_history
from vigil.warehouse import read

TITLE = "Model & data health"
HEADLINE = ("roc_auc", "pr_auc", "brier", "recall", "precision", "accuracy", "r2")
URL = "health"
ICON = ":material/monitor_heart:"


def render(source: Source) -> None:
    """One section per concern, each with its own empty state."""
    ui.header("Model and data health", source)
    _models(source)
    _risk_performance(source)
    _drift(source)
    _quality(source)
    _runs(source)
    alerts_panel.render(source)


def flatten_metrics(raw: Any, prefix: str = "") -> dict[str, float]:
    """Numeric leaves of a (possibly nested, possibly JSON-text) metrics object, dotted keys."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return {}
    if not isinstance(raw, dict):
        return {}
    out: dict[str, float] = {}
    for key, value in raw.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten_metrics(value, f"{name}."))
        elif isinstance(value, int | float) and not isinstance(value, bool):
            out[name] = float(value)
    return out


def _models(source: Source) -> None:
    st.subheader("Models")
    versions = source.read(registry_read.versions)
    if versions.empty:
        ui.empty_state(
            "No model is registered yet.",
            "vigil train features -c vigil.yaml && vigil train patches -c vigil.yaml",
        )
        return
    aliases = source.read(registry_read.alias_moves)
    current = registry_read.current_aliases(pl.from_pandas(aliases))
    table = versions.assign(
        aliases=[
            ", ".join(current.get((r["name"], int(r["version"])), []))
            for _, r in versions.iterrows()
        ]
    )
    flat = [flatten_metrics(m) for m in table["metrics"]]
    metrics = pd.DataFrame([headline(f) for f in flat], index=table.index)
    shown = ["name", "version", "aliases", "created_at", "train_start", "train_end"]
    st.dataframe(pd.concat([table[shown], metrics], axis=1), hide_index=True, width="stretch")
    _metrics_over_versions(pd.concat([table[["name", "version"]], metrics], axis=1))
    for (_, row), metrics_of in zip(table.iterrows(), flat, strict=True):
        beside = baselines_table(metrics_of)
        if not beside.empty:
            with st.expander(plain(f"{row['name']} v{row['version']}: model beside its baselines")):
                st.dataframe(beside, width="stretch")
    if not aliases.empty:
        with st.expander("Alias history (champion / challenger moves)"):
            st.dataframe(aliases, hide_index=True, width="stretch")


def headline(flat: dict[str, float]) -> dict[str, float]:
    """The headline metrics of a model: top-level ones, else the CatBoost model's own."""
    out = {}
    for metric in HEADLINE:
        keys = [metric] + [k for k in flat if k.endswith(f"catboost.{metric}")]
        keys += [k for k in flat if k.endswith(f".{metric}")]
        found = next((k for k in keys if k in flat), None)
        if found is not None:
            out[metric] = flat[found]
    return out


def baselines_table(flat: dict[str, float]) -> pd.DataFrame:
    """One row per evaluated model (models.catboost, models.logistic_regression...), by metric."""
    rows: dict[str, dict[str, float]] = {}
    for key, value in flat.items():
        prefix, _, metric = key.rpartition(".")
        if prefix and metric in HEADLINE:
            rows.setdefault(prefix, {})[metric] = value
    return pd.DataFrame.from_dict(rows, orient="index") if len(rows) > 1 else pd.DataFrame()


def _metrics_over_versions(metrics: pd.DataFrame) -> None:
    """Headline metrics per version, drawn once some model has more than one version."""
    if metrics.groupby("name")["version"].nunique().max() < 2:
        return
    long = metrics.melt(id_vars=["name", "version"], var_name="metric").dropna()
    long = long.assign(series=long["name"] + " · " + long["metric"]).sort_values("version")
    st.plotly_chart(
        charts.lines_by(long, "version", "value", "series", "Metrics over versions", "value"),
        width="stretch",
    )


def _risk_performance(source: Source) -> None:
    """Feature-risk champion: last realised figures beside the CBPE estimate on unlabelled days."""
    from vigil.risk.estimate import estimate_rows, load_estimate

    report = load_estimate(source.cfg.reports_dir)
    if not report:
        return
    st.subheader("Feature risk while labels lag")
    current = report.get("current_estimate") or {}
    st.caption(
        "Labels mature only after the horizon, so the latest days are estimated from the "
        "champion's calibrated probabilities (confidence-based performance estimation, as "
        f"NannyML's CBPE): {current.get('rows', 0)} unlabelled feature-days, top k = "
        f"{report.get('top_k')}, act now at risk >= {report.get('act_now')}. The estimate on "
        "the realised period shows how far to trust it."
    )
    st.dataframe(pd.DataFrame(estimate_rows(report)), hide_index=True, width="stretch")


def _drift(source: Source) -> None:
    st.subheader("Data drift")
    try:
        summary, stored = source.read(latest_drift_report)
    except WarehouseError:
        ui.empty_state("No drift report yet.", ui.run_command(source))
        return
    report = stored.to_pandas()
    drifted = int(report["drifted"].sum())
    st.markdown(
        f"**{drifted} of {len(report)}** monitored columns drifted "
        f"in run `{summary['run_id']}`: {plain(summary['summary'])}"
    )
    left, right = st.columns([2, 3])
    left.plotly_chart(charts.drift_bar(report, "column_name"), width="stretch")
    right.dataframe(
        report[["column_name", "test", "drifted", "psi", "reason"]],
        hide_index=True,
        width="stretch",
        column_config={"reason": st.column_config.TextColumn("Why", width="large")},
    )
    baselines = source.read(dataset_baseline)
    if not baselines.empty:
        with st.expander("Baselines (reference statistics per column)"):
            st.dataframe(baselines, hide_index=True, width="stretch")


def _quality(source: Source) -> None:
    st.subheader("Data quality (latest run)")
    run = source.read(read.latest_run)
    checks = pd.DataFrame(read.quality_checks(run, source.cfg.workspace_dir))
    if checks.empty:
        st.caption("The latest run report lists no quality checks.")
    else:
        st.dataframe(
            ui.colored(checks, "status", palette.QUALITY_COLORS),
            hide_index=True,
            width="stretch",
            column_config={"value": st.column_config.NumberColumn("value", format="%.4g")},
        )
    quarantine = pd.DataFrame(source.read(quarantine_summary))
    if not quarantine.empty:
        st.markdown(f"**{int(quarantine['n'].sum()):,} rows in quarantine**, by input and reason:")
        st.dataframe(quarantine, hide_index=True, width="stretch")


def _runs(source: Source) -> None:
    st.subheader("Run history")
    runs = pd.DataFrame(source.read(run_history, 50))
    if runs.empty:
        ui.empty_state("No pipeline run recorded yet.", ui.run_command(source))
        return
    columns = [
        "run_id",
        "started_at",
        "status",
        "quality_status",
        "rows_in",
        "rows_loaded",
        "rows_quarantined",
        "rows_duplicate",
        "duration_s",
        "message",
    ]
    st.dataframe(runs[columns], hide_index=True, width="stretch")
    manifest = source.read(read.ingest_manifest)
    if not manifest.empty:
        with st.expander("Ingested files"):
            st.dataframe(manifest, hide_index=True, width="stretch")
