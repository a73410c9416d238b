"""Small Streamlit building blocks shared by the pages: headers, empty states, tiles, insights."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from vigil.dashboard import palette
from vigil.dashboard.formatting import count, day, is_missing, pct, plain, tier_label
from vigil.dashboard.insights import Insight
from vigil.dashboard.source import Source
from vigil.warehouse import read


def header(title: str, source: Source, caption: str = "") -> None:
    """Page title plus the date of the data and the run it comes from."""
    st.title(title)
    start, end = source.read(read.data_window)
    run = source.read(read.latest_run)
    parts = [f"Data through **{day(end)}**" if end else "No daily data yet"]
    if start:
        parts.append(f"from {day(start)}")
    if run:
        parts.append(f"run `{run['run_id']}` ({run['status']}, {day(run['started_at'])})")
    st.caption(" · ".join(parts) + (f" — {caption}" if caption else ""))


def empty_state(what: str, command: str) -> None:
    """A friendly note that something has not been built yet, with the command that builds it."""
    st.info(f"{what} Run this to build it:", icon=":material/info:")
    st.code(command, language="bash")


def run_command(source: Source) -> str:
    """The pipeline command for this dashboard's config."""
    return f"vigil run -c {source.config_path}"


def delta(current: Any, previous: Any, scale: float = 1.0, fmt: str = "{:+,.0f}") -> str | None:
    """Formatted change for a KPI tile; None when either side is missing."""
    if is_missing(current) or is_missing(previous):
        return None
    return fmt.format((float(current) - float(previous)) * scale)


def _tile(
    col: Any, label: str, value: Any, change: str | None, *, worse_up: bool, note: str
) -> None:
    """One bordered KPI tile; no arrow or colour when nothing changed."""
    flat = change is None or change.lstrip("+-").rstrip(" %pms").strip("0.,") == ""
    col.metric(
        label,
        value,
        change,
        border=True,
        help=f"Change {note}.",
        delta_color="off" if flat else ("inverse" if worse_up else "normal"),
        delta_arrow="off" if flat else "auto",
    )


def kpi_tiles(kpis: pd.DataFrame, tiers: pd.DataFrame) -> None:
    """KPI tiles for the latest day with deltas against a week earlier (and the previous scores)."""
    now, before = _period(kpis, "current"), _period(kpis, "previous")
    counts = _tier_counts(tiers)
    week, scores = "vs a week earlier", "vs previous scores"
    cols = st.columns(6)
    for col, tier in zip(cols[:2], ("act_now", "investigate"), strict=True):
        current, previous = counts[("current", tier)], counts[("previous", tier)]
        _tile(col, tier_label(tier), current, delta(current, previous), worse_up=True, note=scores)
    _tile(
        cols[2],
        "Active users",
        count(now.get("active_users")),
        delta(now.get("active_users"), before.get("active_users")),
        worse_up=False,
        note=week,
    )
    _tile(
        cols[3],
        "Crash rate",
        pct(now.get("crash_rate"), 2),
        delta(now.get("crash_rate"), before.get("crash_rate"), 100, "{:+.2f} pp"),
        worse_up=True,
        note=week,
    )
    _tile(
        cols[4],
        "Median p95 latency",
        _ms(now.get("latency_p95_ms")),
        delta(now.get("latency_p95_ms"), before.get("latency_p95_ms"), 1, "{:+,.0f} ms"),
        worse_up=True,
        note=week,
    )
    _tile(
        cols[5],
        "Feedback",
        _score(now.get("feedback_mean")),
        delta(now.get("feedback_mean"), before.get("feedback_mean"), 1, "{:+.2f}"),
        worse_up=False,
        note=week,
    )
    st.caption(f"Tier counts {scores}; other tiles on the latest day {week}.")


def _period(kpis: pd.DataFrame, period: str) -> dict[str, Any]:
    """One row of the KPI frame as a dict; empty when the period is absent."""
    rows = kpis[kpis["period"] == period] if not kpis.empty else kpis
    return {} if rows.empty else {str(k): v for k, v in rows.iloc[0].items()}


def _ms(value: Any) -> str:
    return "n/a" if is_missing(value) else f"{float(value):,.0f} ms"


def _score(value: Any) -> str:
    return "n/a" if is_missing(value) else f"{float(value):.2f} / 5"


def _tier_counts(tiers: pd.DataFrame) -> dict[tuple[str, str], int]:
    counts = {(p, t): 0 for p in ("current", "previous") for t in palette.TIER_ORDER}
    for _, row in tiers.iterrows():
        counts[(str(row["period"]), str(row["tier"]))] = int(row["features"])
    return counts


def insight_list(insights: Sequence[Insight]) -> None:
    """Insight sentences, most urgent first, each with a severity dot: one paragraph each, in one
    markdown element (the browser draws one element, not one per sentence)."""
    if insights:
        st.markdown(INSIGHT_BREAK.join(insight_line(i) for i in insights))


INSIGHT_BREAK = "\n\n"
"""between two insight sentences: a new paragraph"""


def insight_line(insight: Insight) -> str:
    """One insight as markdown: its severity icon, then its sentence shown as typed."""
    return f"{palette.SEVERITY_ICONS[insight.severity]}&nbsp; {plain(insight.text)}"


def markdown_table(frame: pd.DataFrame) -> str:
    """A small frame as a markdown table, drawn by the browser with the page's text (no data grid
    to load); every header and cell is shown as typed."""

    def row(values: Sequence[Any]) -> str:
        return "| " + " | ".join(plain(str(v).replace("\n", " ")) for v in values) + " |"

    lines = [row(list(frame.columns)), "|" + " --- |" * len(frame.columns)]
    return "\n".join(lines + [row(list(r)) for r in frame.itertuples(index=False)])


def colored(
    frame: pd.DataFrame,
    column: str,
    colors: Mapping[str, str],
    labels: Mapping[str, str] | None = None,
) -> Styler:
    """Show ``column`` with readable labels in its palette colour (same colours as the charts)."""
    labels = labels or {}
    shown = frame.assign(**{column: frame[column].map(lambda v: labels.get(str(v), str(v)))})
    by_label = {labels.get(code, code): color for code, color in colors.items()}

    def style(value: Any) -> str:
        return f"color: {by_label.get(str(value), palette.NEUTRAL)}; font-weight: 600"

    return shown.style.map(style, subset=[column])
