"""Page 3: per-feature trends with rolling lines, anomaly markers, deployments and incidents."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from vigil.dashboard import charts, ui
from vigil.dashboard.formatting import chart_text
from vigil.dashboard.source import Source
from vigil.detection.read import feature_anomalies
from vigil.risk import read as risk_read
from vigil.warehouse import read

TITLE = "Trends"
URL = "trends"
ICON = ":material/show_chart:"

PANELS = (
    (
        {"latency_p95_ms": "p95", "latency_p95_7d": "p95 7-day"},
        "Latency",
        "ms",
        ("latency_p95_ms", "latency_p50_ms"),
    ),
    (
        {"crash_rate": "daily", "crash_rate_7d": "7-day"},
        "Crash rate",
        "share of events",
        ("crash_rate",),
    ),
    (
        {"feedback_mean": "daily", "feedback_mean_7d": "7-day"},
        "Feedback",
        "mean score (1-5)",
        ("feedback_mean",),
    ),
    (
        {"active_users": "daily", "active_users_7d": "7-day"},
        "Active users",
        "users",
        ("active_users", "usage_count"),
    ),
)


def render(source: Source) -> None:
    """A feature picker (riskiest first) and four annotated time charts."""
    ui.header(
        "Trends",
        source,
        "purple triangles: deployments · red bands: incidents · orange diamonds: anomalies",
    )
    features = _features(source)
    if features.empty:
        ui.empty_state("No daily feature data yet.", ui.run_command(source))
        return
    labels = dict(zip(features["feature_name"], features["feature_id"], strict=False))
    name = st.selectbox("Feature", list(labels), key="trend_feature")
    feature_id = labels[str(name)]
    daily = source.read(read.feature_daily, feature_id)
    anomalies = source.read(feature_anomalies, feature_id)
    events = _events(source, feature_id)
    cols = st.columns(2)
    for i, (lines, title, yaxis, metrics) in enumerate(PANELS):
        marks = anomalies[anomalies["metric"].isin(metrics)]
        cols[i % 2].plotly_chart(
            charts.trend(daily, lines, f"{title} — {chart_text(name)}", yaxis, marks, events),
            width="stretch",
            key=f"trend_{i}",
        )
    if not events.empty:
        with st.expander(f"Deployments and incidents on this feature ({len(events)})"):
            st.dataframe(
                events.rename(columns={"label": "event"}), hide_index=True, width="stretch"
            )


def _features(source: Source) -> pd.DataFrame:
    """Features for the picker: ranked by impact when scores exist, else by name."""
    listed = source.read(read.feature_list)
    ranked = source.read(risk_read.ranked)
    if ranked.empty or listed.empty:
        return listed
    order = list(ranked["feature_id"])
    rest = listed[~listed["feature_id"].isin(order)]
    return pd.concat([ranked[["feature_id", "feature_name"]], rest], ignore_index=True)


def _events(source: Source, feature_id: str) -> pd.DataFrame:
    """Deployments and incidents touching the feature, in one frame for annotations."""
    deployments = source.read(read.feature_deployments, feature_id)
    incidents = source.read(read.feature_incidents, feature_id)
    frames = []
    if not deployments.empty:
        frames.append(
            pd.DataFrame(
                {
                    "kind": "deployment",
                    "start": deployments["deployed_at"],
                    "end": pd.NaT,
                    "label": deployments["version"]
                    .fillna(deployments["deployment_id"])
                    .astype(str),
                }
            )
        )
    if not incidents.empty:
        frames.append(
            pd.DataFrame(
                {
                    "kind": "incident",
                    "start": incidents["started_at"],
                    "end": incidents["resolved_at"],
                    "label": incidents["severity"].fillna("").astype(str)
                    + " "
                    + incidents["incident_id"],
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=["kind", "start", "end", "label"])
    return pd.concat(frames, ignore_index=True).sort_values("start", ignore_index=True)
