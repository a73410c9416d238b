"""Read-side of run bookkeeping: run history, reports and quarantine, for the CLI and dashboard."""

from __future__ import annotations

import json
from typing import Any

from vigil.config import VigilConfig
from vigil.warehouse.connection import open_warehouse


def _rows(cfg: VigilConfig, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    with open_warehouse(cfg.warehouse_path, read_only=True) as con:
        cur = con.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def run_history(cfg: VigilConfig, limit: int = 20) -> list[dict[str, Any]]:
    """Past runs, newest first."""
    return _rows(cfg, "SELECT * FROM run_history ORDER BY started_at DESC LIMIT ?", [limit])


def latest_report(cfg: VigilConfig) -> dict[str, Any] | None:
    """The newest successful run's report, or None before the first run."""
    rows = _rows(
        cfg,
        "SELECT report_path FROM run_history WHERE report_path IS NOT NULL "
        "ORDER BY started_at DESC LIMIT 1",
        [],
    )
    if not rows:
        return None
    with open(rows[0]["report_path"], encoding="utf-8") as fh:
        report: dict[str, Any] = json.load(fh)
    return report


def quarantine_summary(cfg: VigilConfig, run_id: str | None = None) -> list[dict[str, Any]]:
    """Quarantined failures counted by input and reason."""
    return _rows(
        cfg,
        "SELECT input, reason, count(*) AS n FROM quarantine "
        "WHERE ? IS NULL OR run_id = ? GROUP BY ALL ORDER BY n DESC",
        [run_id, run_id],
    )


def quarantine_rows(cfg: VigilConfig, run_id: str | None, limit: int) -> list[dict[str, Any]]:
    """The first quarantined failures, in file and line order."""
    return _rows(
        cfg,
        "SELECT source_file, line, column_name, value, reason, detail FROM quarantine "
        "WHERE ? IS NULL OR run_id = ? ORDER BY source_file, line LIMIT ?",
        [run_id, run_id, limit],
    )
