"""Charts for the pages in the shared palette and a compact layout: Plotly figures, and the
overview's tier mix as inline SVG (the browser draws it without loading a chart library)."""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go

from vigil.dashboard import palette, svg
from vigil.dashboard.formatting import chart_text, tier_label

HEIGHT = 320


def _layout(fig: go.Figure, title: str, yaxis: str = "", height: int = HEIGHT) -> go.Figure:
    fig.update_layout(
        title={"text": title, "font": {"size": 15}},
        height=height,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1.0},
        yaxis_title=yaxis,
        plot_bgcolor="white",
        hovermode="x unified",
    )
    fig.update_xaxes(showgrid=False)
    fig.update_yaxes(gridcolor="#ECEFF1")
    return fig


def tier_bar(tiers: pd.DataFrame) -> str:
    """Features per tier, latest scores beside the previous ones: inline SVG (drawn with the
    overview's text, so the page does not wait for a chart library)."""

    def features(period: str, tier: str) -> int:
        rows = tiers[(tiers["period"] == period) & (tiers["tier"] == tier)]
        return int(rows["features"].sum())

    groups = [
        svg.Group(
            tier_label(tier),
            palette.TIER_COLORS[tier],
            (features("previous", tier), features("current", tier)),
        )
        for tier in palette.TIER_ORDER
    ]
    return svg.grouped_bars(
        "Features per risk tier", groups, series=("previous", "latest"), opacities=(0.35, 1.0)
    )


ROLLING_COLORS = (palette.LINE_ROLLING, "#00897B", "#5E35B1")
MAX_DEPLOYMENT_LINES = 12


def trend(
    daily: pd.DataFrame,
    lines: dict[str, str],
    title: str,
    yaxis: str,
    anomalies: pd.DataFrame | None = None,
    events: pd.DataFrame | None = None,
) -> go.Figure:
    """Daily lines (``column -> label``; columns ending in _7d are drawn as rolling lines)."""
    fig = go.Figure()
    rolling_colors = iter(ROLLING_COLORS)
    for column, label in lines.items():
        rolling = column.endswith("_7d")
        fig.add_scatter(
            x=daily["event_date"],
            y=daily[column],
            name=label,
            mode="lines",
            line={
                "width": 2.5 if rolling else 1.2,
                "color": next(rolling_colors) if rolling else palette.LINE,
                "dash": "solid" if rolling else "dot",
            },
        )
    first = daily[next(iter(lines))]
    if anomalies is not None and not anomalies.empty:
        marks = daily.merge(anomalies[["event_date", "kind"]], on="event_date")
        fig.add_scatter(
            x=marks["event_date"],
            y=marks[first.name],
            name="anomaly",
            mode="markers",
            text=marks["kind"],
            marker={
                "color": palette.ANOMALY,
                "size": 11,
                "symbol": "diamond",
                "line": {"color": "white", "width": 1},
            },
        )
    if events is not None and not events.empty:
        _deployments(fig, events[events["kind"] != "incident"], float(first.min()))
        _incidents(fig, events[events["kind"] == "incident"])
    return _layout(fig, title, yaxis)


def _deployments(fig: go.Figure, deployments: pd.DataFrame, baseline: float) -> None:
    """Purple triangles on the floor of the chart (hover for the version); lines when few."""
    if deployments.empty:
        return
    fig.add_scatter(
        x=deployments["start"],
        y=[baseline] * len(deployments),
        name="deployment",
        mode="markers",
        text=deployments["label"],
        hovertemplate="deployment %{text}<extra></extra>",
        marker={"color": palette.DEPLOYMENT, "size": 8, "symbol": "triangle-up", "opacity": 0.7},
    )
    if len(deployments) <= MAX_DEPLOYMENT_LINES:
        for start in deployments["start"]:
            fig.add_vline(
                x=pd.Timestamp(start), line_dash="dash", line_color=palette.DEPLOYMENT, opacity=0.4
            )


def _incidents(fig: go.Figure, incidents: pd.DataFrame) -> None:
    """Incidents as red bands from start to resolution, labelled on top."""
    for _, incident in incidents.iterrows():
        start = pd.Timestamp(incident["start"])
        end = pd.Timestamp(incident["end"]) if pd.notna(incident["end"]) else start
        fig.add_vrect(
            x0=start,
            x1=max(end, start + pd.Timedelta(hours=12)),
            fillcolor=palette.INCIDENT,
            opacity=0.12,
            line_width=0,
        )


def comparison(series: pd.DataFrame, column: str, title: str, yaxis: str) -> go.Figure:
    """One line per feature for the side-by-side comparison."""
    fig = go.Figure()
    for name, part in series.groupby("feature_name", sort=False):
        fig.add_scatter(x=part["event_date"], y=part[column], name=chart_text(name), mode="lines")
    return _layout(fig, title, yaxis)


def cohort_bar(cohorts: pd.DataFrame, title: str) -> go.Figure:
    """Impact per cohort, with the act-now share shown in the bar colour."""
    share = cohorts["act_now"] / cohorts["features"].clip(lower=1)
    fig = go.Figure(
        go.Bar(
            x=cohorts["cohort"],
            y=cohorts["impact"],
            text=cohorts["features"].astype(str) + " features",
            marker={
                "color": share,
                "colorscale": palette.HEATMAP_SCALE,
                "cmin": 0,
                "cmax": 1,
                "colorbar": {"title": "act-now share"},
            },
        )
    )
    return _layout(fig, title, "impact (risk × users)")


def bar(frame: pd.DataFrame, x: str, y: str, title: str, yaxis: str) -> go.Figure:
    """A plain bar chart in the calm colour."""
    fig = go.Figure(go.Bar(x=frame[x].astype(str), y=frame[y], marker_color=palette.CALM))
    return _layout(fig, title, yaxis)


def version_key(version: object) -> tuple[tuple[int, object], ...]:
    """'3.0.12' sorts after '3.0.9': numeric parts compare as numbers."""
    parts = re.split(r"[.\-_]", str(version))
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)


def heatmap(cells: pd.DataFrame, value: str, title: str, max_columns: int = 24) -> go.Figure:
    """Device model x firmware heatmap of one value; the newest ``max_columns`` firmwares."""
    grid = cells.pivot_table(index="device_model", columns="firmware_version", values=value)
    newest = sorted(grid.columns, key=version_key)[-max_columns:]
    grid = grid[newest]
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=[str(c) for c in grid.columns],
            y=[str(i) for i in grid.index],
            colorscale=palette.HEATMAP_SCALE,
            colorbar={"title": value.replace("_", " ")},
            texttemplate="%{z:.0f}",
            hovertemplate="%{y} on %{x}: %{z:.2f}<extra></extra>",
            xgap=2,
            ygap=2,
        )
    )
    fig.update_xaxes(type="category")
    return _layout(fig, title, "device model", height=max(260, 60 * len(grid) + 100))


def lines_by(frame: pd.DataFrame, x: str, y: str, by: str, title: str, yaxis: str) -> go.Figure:
    """One line per group (fleet trends, metrics over model versions)."""
    fig = go.Figure()
    for name, part in frame.groupby(by, sort=True):
        fig.add_scatter(
            x=part[x],
            y=part[y],
            name=str(name),
            mode="lines+markers" if len(part) < 20 else "lines",
        )
    return _layout(fig, title, yaxis)


def drift_bar(report: pd.DataFrame, column: str) -> go.Figure:
    """Drift distance (or statistic) per column, red where the column drifted."""
    value = (
        report["distance"].fillna(report["statistic"])
        if "distance" in report
        else report["statistic"]
    )
    colors = [palette.CRITICAL if d else palette.GOOD for d in report["drifted"].fillna(False)]
    fig = go.Figure(go.Bar(x=value, y=report[column], orientation="h", marker_color=colors))
    return _layout(
        fig, "Drift per column (red = drifted)", "", height=max(220, 28 * len(report) + 80)
    )
