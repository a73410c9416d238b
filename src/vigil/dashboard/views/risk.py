"""Page 2: feature risk and impact — ranked table, filters, comparison, cohorts."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from vigil.dashboard import charts, palette, ui
from vigil.dashboard.formatting import TIER_LABELS, plain, tier_label
from vigil.dashboard.source import Source
from vigil.fleet.queries import heatmap
from vigil.risk import read as risk_read
from vigil.warehouse import read

TITLE = "Feature risk"
URL = "risk"
ICON = ":material/leaderboard:"
FILTERS = (
    ("owner_team", "Owner team"),
    ("lifecycle_stage", "Lifecycle stage"),
    ("platform", "Platform"),
)
COHORTS = {
    "Owner team": "owner_team",
    "Lifecycle stage": "lifecycle_stage",
    "Platform": "platform",
    "Device model": "device_model",
}


def render(source: Source) -> None:
    """Ranked table with sparklines, then comparison and cohort views."""
    ui.header("Feature risk and impact", source, "impact = risk × users exposed")
    ranked = source.read(risk_read.ranked)
    if ranked.empty:
        ui.empty_state("No feature risk scores yet.", ui.run_command(source))
        return
    _method_note(ranked)
    shown = _filtered(ranked)
    if shown.empty:
        st.caption(f"No feature matches these filters ({len(ranked)} scored).")
        return
    top = shown.iloc[0]
    st.markdown(
        f"Highest impact: **{plain(top['feature_name'])}** — {tier_label(top['tier'])}, "
        f"{top['risk']:.0%} risk · {len(shown)} of {len(ranked)} features shown"
    )
    _ranked_table(shown, source.read(read.sparklines, source.cfg.dashboard.sparkline_days))
    st.divider()
    _comparison(source, ranked)
    st.divider()
    _cohorts(source)


def _method_note(ranked: pd.DataFrame) -> None:
    """Say plainly when the scores come from the cold-start rules, not a trained model."""
    from vigil.risk.rules import MIN_MATURE_DAYS, WEIGHTS, method_of

    if method_of(str(ranked["model_version"].iloc[0])) != "rules":
        return
    weights = " + ".join(f"{w:.2f} × {name}" for name, w in WEIGHTS.items())
    st.info(
        f"**Rules-based risk (cold start)**: no model is trained yet, so risk = {weights}. "
        f"Each reason names the rule that fired. A trained model takes over once "
        f"{MIN_MATURE_DAYS} days have mature labels.",
        icon=":material/rule:",
    )


def _filtered(ranked: pd.DataFrame) -> pd.DataFrame:
    cols = st.columns(len(FILTERS))
    keep = pd.Series(True, index=ranked.index)
    for col, (column, label) in zip(cols, FILTERS, strict=True):
        options = sorted(ranked[column].dropna().astype(str).unique())
        chosen = col.multiselect(label, options, key=f"filter_{column}", placeholder="All")
        if chosen:
            keep &= ranked[column].astype(str).isin(chosen)
    return ranked[keep]


def _ranked_table(ranked: pd.DataFrame, sparks: pd.DataFrame) -> None:
    table = ranked.merge(sparks, on="feature_id", how="left")
    columns = [
        "feature_name",
        "tier",
        "risk",
        "latency_trend",
        "impact",
        "users_exposed",
        "reason",
        "owner_team",
        "lifecycle_stage",
        "platform",
    ]
    st.dataframe(
        ui.colored(table[columns], "tier", palette.TIER_COLORS, TIER_LABELS),
        hide_index=True,
        width="stretch",
        height=min(35 * (len(table) + 1) + 3, 530),
        column_config={
            "feature_name": st.column_config.TextColumn("Feature", pinned=True),
            "tier": "Tier",
            "risk": st.column_config.ProgressColumn(
                "Risk", format="percent", min_value=0, max_value=1
            ),
            "impact": st.column_config.NumberColumn("Impact", format="%.0f"),
            "users_exposed": st.column_config.NumberColumn("Users exposed", format="%d"),
            "reason": st.column_config.TextColumn("Why", width="large"),
            "owner_team": "Team",
            "lifecycle_stage": "Stage",
            "platform": "Platform",
            "latency_trend": st.column_config.LineChartColumn("p95 latency, last weeks"),
        },
    )


def _comparison(source: Source, ranked: pd.DataFrame) -> None:
    st.subheader("Compare features")
    names = dict(zip(ranked["feature_name"], ranked["feature_id"], strict=False))
    chosen = st.multiselect(
        "Pick 2 to 4 features",
        list(names),
        default=list(names)[:2],
        max_selections=4,
        key="compare",
    )
    if len(chosen) < 2:
        st.caption("Pick at least two features to compare them side by side.")
        return
    cols = st.columns(len(chosen))
    for col, name in zip(cols, chosen, strict=True):
        row = ranked[ranked["feature_name"] == name].iloc[0]
        col.metric(
            plain(name),
            f"{row['risk']:.0%} risk",
            tier_label(row["tier"]),
            delta_color="off",
            delta_arrow="off",
            border=True,
        )
        col.caption(plain(row["reason"] or ""))
    series = pd.concat(
        [source.read(read.feature_daily, names[n]).assign(feature_name=n) for n in chosen]
    )
    left, right = st.columns(2)
    left.plotly_chart(
        charts.comparison(series, "latency_p95_7d", "p95 latency (7-day mean)", "ms"),
        width="stretch",
    )
    right.plotly_chart(
        charts.comparison(series, "crash_rate_7d", "Crash rate (7-day mean)", "share"),
        width="stretch",
    )


def _cohorts(source: Source) -> None:
    st.subheader("Cohorts")
    label = st.radio("Group by", list(COHORTS), horizontal=True, key="cohort")
    by = COHORTS[label]
    if by == "device_model":
        cells = source.read(heatmap)
        if cells.empty:
            ui.empty_state("No device fleet data yet.", ui.run_command(source))
            return
        per_model = cells.groupby("device_model", as_index=False)["error_rate_per_10k"].mean()
        st.plotly_chart(
            charts.bar(
                per_model,
                "device_model",
                "error_rate_per_10k",
                "Device error rate by model",
                "errors per 10k devices",
            ),
            width="stretch",
        )
        return
    cohorts = source.read(risk_read.cohorts, by)
    st.plotly_chart(charts.cohort_bar(cohorts, f"Impact by {label.lower()}"), width="stretch")
