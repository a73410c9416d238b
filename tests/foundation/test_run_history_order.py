"""The newest run comes first even when runs share a start time (a pinned as_of clock)."""

from __future__ import annotations

import datetime as dt

from vigil.reporting import run_history
from vigil.warehouse.connection import memory_warehouse


def test_runs_with_one_start_time_list_the_last_recorded_first() -> None:
    con = memory_warehouse()
    pinned = dt.datetime(2026, 5, 31, 12)
    for run_id in ("run-b", "run-a", "run-c"):
        con.execute(
            "INSERT INTO run_history (run_id, started_at, status) VALUES (?, ?, 'running')",
            [run_id, pinned],
        )
        con.execute("UPDATE run_history SET status = 'ok' WHERE run_id = ?", [run_id])
    con.execute(
        "INSERT INTO run_history (run_id, started_at, status) VALUES ('run-old', ?, 'ok')",
        [pinned - dt.timedelta(days=1)],
    )
    assert [r["run_id"] for r in run_history(con)] == ["run-c", "run-a", "run-b", "run-old"]
    assert run_history(con, 1)[0]["run_id"] == "run-c"
