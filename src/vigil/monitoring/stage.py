"""Pipeline stage: the latest days of fact_feature_daily against the days before them."""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from vigil.config import VigilConfig
from vigil.context import RunContext
from vigil.errors import ConfigError
from vigil.monitoring import store
from vigil.monitoring.baseline_store import ensure_baseline
from vigil.monitoring.drift import INSUFFICIENT, DriftReport, detect_drift
from vigil.monitoring.settings import DriftSettings
from vigil.monitoring.windows import Windows, plan_windows

log = logging.getLogger(__name__)

DRIFT_FILE = "data_drift.json"


def _skipped(reason: str) -> dict[str, Any]:
    log.info("drift skipped: %s", reason)
    return {"status": "skipped", "reason": reason}


def _columns(frame: pl.DataFrame, settings: DriftSettings) -> list[str]:
    absent = [c for c in settings.columns if c not in frame.columns]
    if absent:
        raise ConfigError(
            f"drift.columns names columns fact_feature_daily does not have: {', '.join(absent)}",
            key="drift.columns",
        )
    return list(settings.columns)


def _window_text(start: dt.date, end: dt.date, rows: int) -> str:
    return f"{start + dt.timedelta(days=1)}..{end} ({rows} rows)"


def _write_report(path: Path, payload: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8")


def _summary(report: DriftReport, windows: Windows, path: Path) -> dict[str, Any]:
    return {
        "status": "ok",
        "dataset_drift": report.dataset_drift,
        "drift_share": round(report.drift_share, 4),
        "columns": len(report.columns),
        "drifted": report.drifted_columns,
        "insufficient": [c.column for c in report.columns if c.verdict == INSUFFICIENT],
        "reference": _window_text(
            windows.reference_start, windows.reference_end, report.reference_rows
        ),
        "current": _window_text(windows.current_start, windows.current_end, report.current_rows),
        "summary": report.summary(),
        "report": str(path),
    }


def compare_windows(
    con: duckdb.DuckDBPyConnection, cfg: VigilConfig, run_id: str
) -> dict[str, Any]:
    """Drift of the latest days against the preceding ones; files, table rows, summary."""
    settings = cfg.drift
    first, last, n_rows = store.fact_date_range(con)
    if n_rows == 0 or first is None or last is None:
        return _skipped("fact_feature_daily is empty; nothing to compare yet")
    windows = plan_windows(first, last, settings)
    if windows is None:
        days = (last - first).days + 1
        return _skipped(
            f"fact_feature_daily covers {days} day(s) ({first}..{last}); drift needs more than "
            f"drift.current_days={settings.current_days} days"
        )
    reference = store.fact_window(con, windows.reference_start, windows.reference_end)
    current = store.fact_window(con, windows.current_start, windows.current_end)
    columns = _columns(reference, settings)
    baseline = ensure_baseline(con, cfg, reference, columns, windows, run_id)
    report = detect_drift(reference.select(columns), current.select(columns), settings)
    path = cfg.reports_dir / DRIFT_FILE
    _write_report(
        path,
        {
            "run_id": run_id,
            "created_at": dt.datetime.now(dt.UTC)
            .replace(tzinfo=None)
            .isoformat(timespec="seconds"),
            "source": "fact_feature_daily",
            "windows": windows.as_dict(),
            **report.to_dict(),
        },
    )
    store.save_drift_report(con, report, run_id, windows)
    return {**_summary(report, windows, path), "baseline": baseline}


def run_stage(ctx: RunContext) -> dict[str, Any]:
    """The monitoring stage of ``vigil run`` (see :func:`compare_windows`)."""
    return compare_windows(ctx.con, ctx.cfg, ctx.run_id)
