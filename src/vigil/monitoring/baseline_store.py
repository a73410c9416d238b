"""The stored baseline's life cycle: built from a window of fact_feature_daily, written to
``<workspace>/reports/baseline_stats.json`` and the ``drift_baseline`` table, and replaced only by
an explicit refresh (or when none exists yet). No other step writes it.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from vigil.config import VigilConfig
from vigil.errors import StageError
from vigil.monitoring import store
from vigil.monitoring.baselines import (
    compute_baseline,
    compute_feature_baselines,
    load_baseline,
    write_baseline,
)
from vigil.monitoring.windows import Windows, plan_windows

log = logging.getLogger(__name__)

BASELINE_FILE = "baseline_stats.json"


def baseline_path(cfg: VigilConfig) -> Path:
    """Where the baseline JSON lives (apart from model artifacts)."""
    return cfg.reports_dir / BASELINE_FILE


def build_baseline(
    frame: pl.DataFrame, columns: list[str], windows: Windows, run_id: str, bins: int
) -> dict[str, Any]:
    """The baseline payload: per-column and per-feature statistics of one window."""
    column_stats = compute_baseline(frame, columns, bins=bins)
    return {
        "run_id": run_id,
        "created_at": dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(timespec="seconds"),
        "source": "fact_feature_daily",
        "window": {
            "start": (windows.reference_start + dt.timedelta(days=1)).isoformat(),
            "end": windows.reference_end.isoformat(),
            "days": (windows.reference_end - windows.reference_start).days,
        },
        "rows": column_stats["rows"],
        "columns": column_stats["columns"],
        "features": compute_feature_baselines(frame, columns) if "feature_id" in frame else {},
    }


def save_baseline(con: duckdb.DuckDBPyConnection, path: Path, baseline: dict[str, Any]) -> None:
    """Write the baseline to its JSON file and the drift_baseline table."""
    write_baseline(path, baseline)
    store.replace_baseline(con, store.baseline_rows(baseline))
    log.info(
        "baseline refreshed from %s to %s (%s rows) -> %s",
        baseline["window"]["start"],
        baseline["window"]["end"],
        baseline["rows"],
        path,
    )


def ensure_baseline(
    con: duckdb.DuckDBPyConnection,
    cfg: VigilConfig,
    frame: pl.DataFrame,
    columns: list[str],
    windows: Windows,
    run_id: str,
) -> dict[str, Any]:
    """Keep the stored baseline unless none exists or ``drift.refresh_baseline`` asks for one."""
    path = baseline_path(cfg)
    existing = load_baseline(path)
    if existing is not None and not cfg.drift.refresh_baseline:
        if not store.baseline_stored(con):  # a rebuilt warehouse: restore rows from the file
            store.replace_baseline(con, store.baseline_rows(existing))
        return {"refreshed": False, "path": str(path), "window": existing.get("window")}
    if frame.is_empty():
        raise StageError("cannot build a baseline from an empty window (load more days first)")
    baseline = build_baseline(frame, columns, windows, run_id, cfg.drift.histogram_bins)
    save_baseline(con, path, baseline)
    return {"refreshed": True, "path": str(path), "window": baseline["window"]}


def refresh_baseline(
    con: duckdb.DuckDBPyConnection, cfg: VigilConfig, run_id: str | None = None
) -> dict[str, Any]:
    """Explicit refresh: rebuild the baseline from the reference window drift would use now."""
    first, last, n_rows = store.fact_date_range(con)
    windows = plan_windows(first, last, cfg.drift) if first and last else None
    if not n_rows or windows is None:
        raise StageError(
            "fact_feature_daily does not reach back past the current window yet; the baseline "
            f"needs more than drift.current_days={cfg.drift.current_days} days (run 'vigil run')"
        )
    frame = store.fact_window(con, windows.reference_start, windows.reference_end)
    columns = [c for c in cfg.drift.columns if c in frame.columns]
    run_id = run_id or f"manual-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}"
    baseline = build_baseline(frame, columns, windows, run_id, cfg.drift.histogram_bins)
    save_baseline(con, baseline_path(cfg), baseline)
    return {
        "refreshed": True,
        "path": str(baseline_path(cfg)),
        "window": baseline["window"],
        "rows": baseline["rows"],
        "columns": len(columns),
        "features": len(baseline["features"]),
    }


def baseline_summary(cfg: VigilConfig) -> dict[str, Any]:
    """What the stored baseline covers (no per-column statistics)."""
    path = baseline_path(cfg)
    baseline = load_baseline(path)
    if baseline is None:
        raise StageError(
            f"no baseline at {path} yet (run 'vigil run', or 'vigil drift-baseline --refresh')"
        )
    return {
        "path": str(path),
        "run_id": baseline.get("run_id"),
        "created_at": baseline.get("created_at"),
        "window": baseline.get("window"),
        "rows": baseline.get("rows"),
        "columns": sorted(baseline.get("columns", {})),
        "features": len(baseline.get("features", {})),
    }
