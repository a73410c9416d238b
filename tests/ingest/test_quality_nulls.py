"""Null shares of new telemetry: read from the Parquet footers, equal to a scan of the rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import polars as pl

from vigil.quality import NULL_CHECKED, _present_by_scan, _present_from_metadata


def _frame(n: int, missing_every: int) -> pl.DataFrame:
    def col(offset: int) -> list[str | None]:
        return [None if (i + offset) % missing_every == 0 else f"v{i}" for i in range(n)]

    return pl.DataFrame(
        {
            "event_time": [dt.datetime(2026, 2, 3)] * n,
            "user_id": col(0),
            "session_id": col(1),
            "error_count": [None if i % 2 else i for i in range(n)],
            "app_version": col(2),
            "device_model": [None] * n,
            "region": col(3),
        }
    )


def test_footer_counts_equal_a_scan(tmp_path: Path) -> None:
    files = []
    for i, (n, every) in enumerate([(50, 3), (7, 2), (1000, 10)]):
        path = tmp_path / f"{i}.parquet"
        _frame(n, every).write_parquet(path, statistics=True, row_group_size=100)
        files.append(str(path))
    con = duckdb.connect()
    from_footers = _present_from_metadata(con, files)
    assert from_footers == _present_by_scan(con, files)
    assert from_footers is not None
    assert from_footers[0] == 1057
    assert from_footers[1 + NULL_CHECKED.index("device_model")] == 0
    assert from_footers[1 + NULL_CHECKED.index("error_count")] == 25 + 4 + 500


def test_files_without_null_counts_are_scanned(tmp_path: Path) -> None:
    path = tmp_path / "bare.parquet"
    _frame(20, 4).write_parquet(path, statistics=False)
    con = duckdb.connect()
    assert _present_from_metadata(con, [str(path)]) is None
    assert _present_by_scan(con, [str(path)])[0] == 20
