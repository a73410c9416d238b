"""The monitoring stage on an in-memory warehouse."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from vigil.context import RunContext
from vigil.errors import ConfigError
from vigil.monitoring.stage import run_stage
from vigil.warehouse.connection import memory_warehouse

from .factories import STAGE_COLUMNS, fact_frame, load_facts, settings_config


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    con = memory_warehouse()
    yield con
    con.close()


def _ctx(
    con: duckdb.DuckDBPyConnection, root: Path, run_id: str = "r1", **drift: object
) -> RunContext:
    cfg = settings_config(root, columns=STAGE_COLUMNS, **drift)
    return RunContext(cfg=cfg, con=con, run_id=run_id, report_dir=root / "runs" / run_id)


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return int(con.execute(sql).fetchall()[0][0])


def test_empty_table_is_skipped_with_a_reason(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    summary = run_stage(_ctx(con, tmp_path))
    assert summary == {
        "status": "skipped",
        "reason": "fact_feature_daily is empty; nothing to compare yet",
    }
    assert _count(con, "SELECT count(*) FROM drift_report") == 0
    assert not (tmp_path / ".vigil" / "reports" / "baseline_stats.json").exists()


def test_too_short_table_is_skipped(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    load_facts(con, fact_frame(days=7))
    summary = run_stage(_ctx(con, tmp_path))
    assert summary["status"] == "skipped"
    assert summary["reason"] == (
        "fact_feature_daily covers 7 day(s) (2026-01-01..2026-01-07); drift needs more than "
        "drift.current_days=7 days"
    )


def test_stage_flags_an_injected_latency_shift(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    load_facts(con, fact_frame(days=35, shift_from=28))
    summary = run_stage(_ctx(con, tmp_path))
    assert summary["status"] == "ok"
    assert summary["drifted"] == ["latency_p95_ms"]
    assert summary["reference"] == "2026-01-01..2026-01-28 (168 rows)"
    assert summary["current"] == "2026-01-29..2026-02-04 (42 rows)"
    assert (summary["dataset_drift"], summary["drift_share"]) == (
        False,
        pytest.approx(1 / 3, abs=1e-4),
    )
    report = json.loads(Path(summary["report"]).read_text(encoding="utf-8"))
    assert report["windows"]["current"] == {"first": "2026-01-29", "last": "2026-02-04"}
    assert report["drifted_columns"] == ["latency_p95_ms"]


def test_stage_is_idempotent_per_run_id(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    load_facts(con, fact_frame(days=35, shift_from=28))
    first = run_stage(_ctx(con, tmp_path, "r1"))
    rows = con.execute(
        "SELECT * EXCLUDE (created_at) FROM drift_report ORDER BY column_name"
    ).fetchall()
    again = run_stage(_ctx(con, tmp_path, "r1"))
    assert first.pop("baseline")["refreshed"] is True
    assert again.pop("baseline")["refreshed"] is False
    assert first == again
    assert (
        con.execute(
            "SELECT * EXCLUDE (created_at) FROM drift_report ORDER BY column_name"
        ).fetchall()
        == rows
    )
    assert _count(con, "SELECT count(*) FROM drift_report") == len(STAGE_COLUMNS)
    assert _count(con, "SELECT count(*) FROM drift_summary") == 1
    run_stage(_ctx(con, tmp_path, "r2"))
    assert _count(con, "SELECT count(*) FROM drift_report") == 2 * len(STAGE_COLUMNS)


def test_baseline_is_written_once_and_kept(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    load_facts(con, fact_frame(days=35))
    summary = run_stage(_ctx(con, tmp_path, "r1"))
    path = Path(summary["baseline"]["path"])
    assert summary["baseline"]["refreshed"] is True
    written = path.read_text(encoding="utf-8")
    baseline = json.loads(written)
    assert baseline["window"] == {"start": "2026-01-01", "end": "2026-01-28", "days": 28}
    assert sorted(baseline["columns"]) == sorted(STAGE_COLUMNS)
    assert len(baseline["features"]) == 6
    stored = _count(con, "SELECT count(*) FROM drift_baseline")
    assert stored == len(STAGE_COLUMNS) * (1 + 6)

    load_facts(con, fact_frame(days=50, seed=9, shift_from=20))  # new data, unrelated run
    later = run_stage(_ctx(con, tmp_path, "r2"))
    assert later["baseline"]["refreshed"] is False
    assert path.read_text(encoding="utf-8") == written
    assert _count(con, "SELECT count(DISTINCT run_id) FROM drift_baseline") == 1


def test_baseline_refreshes_only_when_asked(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    load_facts(con, fact_frame(days=35))
    run_stage(_ctx(con, tmp_path, "r1"))
    load_facts(con, fact_frame(days=50, seed=9))
    summary = run_stage(_ctx(con, tmp_path, "r2", refresh_baseline=True))
    assert summary["baseline"]["refreshed"] is True
    assert summary["baseline"]["window"]["end"] == "2026-02-12"
    assert con.execute("SELECT DISTINCT run_id FROM drift_baseline").fetchall() == [("r2",)]


def test_baseline_rows_restored_from_file_into_a_new_warehouse(tmp_path: Path) -> None:
    first = memory_warehouse()
    load_facts(first, fact_frame(days=35))
    run_stage(_ctx(first, tmp_path, "r1"))
    first.close()
    fresh = memory_warehouse()
    load_facts(fresh, fact_frame(days=40, seed=3))
    summary = run_stage(_ctx(fresh, tmp_path, "r2"))
    assert summary["baseline"]["refreshed"] is False
    assert fresh.execute("SELECT DISTINCT run_id FROM drift_baseline").fetchall() == [("r1",)]
    fresh.close()


def test_unknown_drift_column_is_a_config_error(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    load_facts(con, fact_frame(days=35))
    ctx = _ctx(con, tmp_path)
    ctx.cfg = settings_config(tmp_path, columns=["latency_p95_ms", "latency_p42"])
    with pytest.raises(ConfigError) as err:
        run_stage(ctx)
    assert str(err.value) == (
        "drift.columns names columns fact_feature_daily does not have: latency_p42"
    )
