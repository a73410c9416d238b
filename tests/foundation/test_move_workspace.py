"""A workspace can be moved or copied whole: the paths it records are relative to it."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
from tests.conftest import HEADER, event_rows

from vigil.config import load_config
from vigil.pipeline import run_pipeline

DAY = dt.date(2026, 3, 1)


def _csv(rows: list[str]) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def _rows(root: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(root / ".vigil" / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_moved_workspace_keeps_loading(make_workspace: Callable[..., Path], tmp_path: Path) -> None:
    days = {
        f"{DAY + dt.timedelta(days=i)}.csv": _csv(event_rows(DAY + dt.timedelta(days=i), 5))
        for i in range(2)
    }
    config = make_workspace(telemetry=days)
    run_pipeline(load_config(config), stages=False)
    stored = _rows(config.parent, "SELECT path, report_path FROM landing_file, run_history")
    assert all(not Path(str(p)).is_absolute() for row in stored for p in row)

    moved = tmp_path.parent / f"{tmp_path.name}-moved"
    shutil.move(str(tmp_path), moved)  # the old folder is gone: nothing may point into it
    late = event_rows(DAY + dt.timedelta(days=1), 5)[:2]  # repeats of rows already landed
    new = [r.replace(",u", ",late-u", 1) for r in event_rows(DAY + dt.timedelta(days=1), 3)]
    (moved / "data" / "telemetry" / "late.csv").write_text(_csv(late + new), encoding="utf-8")
    result = run_pipeline(load_config(moved / "vigil.yaml"), stages=False)

    assert result.report["row_accounting"]["rows_duplicate"] == 2  # found in the moved landing
    assert result.report["row_accounting"]["rows_loaded"] == 3
    assert _rows(moved, "SELECT event_date, usage_count FROM fact_feature_daily ORDER BY 1") == [
        (DAY, 5),
        (DAY + dt.timedelta(days=1), 8),
    ]
