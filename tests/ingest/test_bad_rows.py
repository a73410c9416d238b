"""Hardening: out-of-range timestamps, broken CSV records and mistyped Parquet are quarantined."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from tests.conftest import HEADER, event_rows
from typer.testing import CliRunner

from vigil.cli.main import app
from vigil.config import load_config
from vigil.errors import ConfigError

from .events import warehouse_rows

runner = CliRunner()
DAY = dt.date(2026, 2, 3)
AS_OF = "2026-02-03T12:00:00"


def _run(config: Path) -> int:
    return runner.invoke(app, ["run", "-c", str(config)]).exit_code


def _csv(rows: list[str]) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def _accounting(config: Path) -> list[tuple[object, ...]]:
    return warehouse_rows(
        config,
        "SELECT rows_in, rows_loaded, rows_quarantined FROM ingest_manifest "
        "WHERE input = 'telemetry'",
    )


def test_year_one_and_pre_2000_rows_are_quarantined_not_committed(
    make_workspace: Callable[..., Path],
) -> None:
    rows = [
        *event_rows(DAY, 2),
        "0001-01-01T00:00:00Z,F1,5,false,u,s,0,",
        "1999-12-31T23:59:59Z,F1,5,false,u,s,0,",
    ]
    config = make_workspace(telemetry={"t.csv": _csv(rows)}, extra_config={"as_of": AS_OF})
    assert _run(config) == 0
    assert warehouse_rows(config, "SELECT line, column_name, reason, value FROM quarantine") == [
        (4, "event_time", "before_min_timestamp", "0001-01-01T00:00:00Z"),
        (5, "event_time", "before_min_timestamp", "1999-12-31T23:59:59Z"),
    ]
    assert warehouse_rows(
        config, "SELECT min(event_date), sum(usage_count) FROM fact_feature_daily"
    ) == [(DAY, 2)]
    # A second run (nothing new) works: no year-1 day reached the daily facts.
    assert _run(config) == 0


def test_year_one_in_parquet_is_quarantined(make_workspace: Callable[..., Path]) -> None:
    config = make_workspace(extra_config={"as_of": AS_OF})
    _events(
        [dt.datetime(1, 1, 1), dt.datetime(2026, 2, 3, 10)], crashed=[False, True]
    ).write_parquet(config.parent / "data" / "telemetry" / "e.parquet")
    assert _run(config) == 0
    assert warehouse_rows(config, "SELECT line, reason FROM quarantine") == [
        (1, "before_min_timestamp")
    ]
    assert _accounting(config) == [(2, 1, 1)]


def test_lower_bound_is_configurable(make_workspace: Callable[..., Path]) -> None:
    rows = event_rows(DAY - dt.timedelta(days=1), 3) + event_rows(DAY, 2)
    config = make_workspace(
        telemetry={"t.csv": _csv(rows)},
        features=None,  # the bound applies to every date column, features' release dates too
        extra_config={"as_of": AS_OF, "quality": {"min_timestamp": DAY.isoformat()}},
    )
    assert _run(config) == 0
    assert warehouse_rows(config, "SELECT reason, count(*) FROM quarantine GROUP BY ALL") == [
        ("before_min_timestamp", 3)
    ]


@pytest.mark.parametrize(("tolerance", "quarantined"), [(60, 1), (0, 2), (120, 0)])
def test_future_tolerance_is_honoured(
    make_workspace: Callable[..., Path], tolerance: int, quarantined: int
) -> None:
    rows = [
        *event_rows(DAY, 2),
        "2026-02-03T12:30:00Z,F1,5,false,u,s,0,",  # 30 minutes after the run's clock
        "2026-02-03T13:30:00Z,F1,5,false,u,s,0,",  # 90 minutes after
    ]
    config = make_workspace(
        telemetry={"t.csv": _csv(rows)},
        extra_config={"as_of": AS_OF, "quality": {"future_tolerance_minutes": tolerance}},
    )
    assert _run(config) == 0
    assert warehouse_rows(
        config, "SELECT count(*) FROM quarantine WHERE reason = 'future_timestamp'"
    ) == [(quarantined,)]
    assert _accounting(config) == [(4, 4 - quarantined, quarantined)]


def test_stray_and_unterminated_quotes_quarantine_their_rows(
    make_workspace: Callable[..., Path],
) -> None:
    good = event_rows(DAY, 3)
    rows = [
        good[0],
        f'{DAY}T10:00:00Z,F1,5,false,"u"x,s,0,',  # stray: text after a closing quote
        good[1],
        f'{DAY}T10:00:00Z,F1,5,false,"u,s,0,',  # unterminated: never closed
        good[2],
    ]
    config = make_workspace(telemetry={"t.csv": _csv(rows)}, extra_config={"as_of": AS_OF})
    assert _run(config) == 0
    assert warehouse_rows(config, "SELECT line, reason, value FROM quarantine ORDER BY line") == [
        (3, "bad_quote", rows[1]),
        (5, "bad_quote", rows[3]),
    ]
    assert _accounting(config) == [(5, 3, 2)]
    assert warehouse_rows(config, "SELECT sum(usage_count) FROM fact_feature_daily") == [(3,)]


def test_quoted_newline_is_one_record(make_workspace: Callable[..., Path]) -> None:
    rows = [f'{DAY}T10:00:00Z,F1,5,false,"u\nv",s,0,', *event_rows(DAY, 1)]
    config = make_workspace(telemetry={"t.csv": _csv(rows)}, extra_config={"as_of": AS_OF})
    assert _run(config) == 0
    assert _accounting(config) == [(2, 2, 0)]


def test_too_few_fields_is_quarantined_like_too_many(make_workspace: Callable[..., Path]) -> None:
    rows = [
        *event_rows(DAY, 2),
        f"{DAY}T10:00:00Z,F1,5,false,u,s",  # 6 fields: optional columns would read as empty
        f"{DAY}T10:00:00Z,F1,5,false,u,s,0,,EXTRA",  # 9 fields
    ]
    config = make_workspace(telemetry={"t.csv": _csv(rows)}, extra_config={"as_of": AS_OF})
    assert _run(config) == 0
    assert warehouse_rows(config, "SELECT line, reason, detail FROM quarantine ORDER BY line") == [
        (4, "bad_field_count", "6 fields, header has 8"),
        (5, "bad_field_count", "9 fields, header has 8"),
    ]
    assert _accounting(config) == [(4, 2, 2)]


def _events(times: list[dt.datetime], crashed: pl.Series | list[object]) -> pl.DataFrame:
    n = len(times)
    return pl.DataFrame(
        {
            "event_time": pl.Series(times, dtype=pl.Datetime("us")),
            "feature_id": ["F1"] * n,
            "latency_ms": [10.0] * n,
            "crashed": crashed,
        }
    )


def test_parquet_boolean_holding_seven_is_rejected_like_csv(
    make_workspace: Callable[..., Path],
) -> None:
    config = make_workspace(extra_config={"as_of": AS_OF})
    folder = config.parent / "data" / "telemetry"
    times = [dt.datetime(2026, 2, 3, 10, i) for i in range(3)]
    _events(times, pl.Series([0, 1, 7], dtype=pl.Int64)).write_parquet(folder / "e.parquet")
    (folder / "t.csv").write_text(_csv([f"{DAY}T11:00:00Z,F1,5,7,u,s,0,"]))
    assert _run(config) == 0
    assert warehouse_rows(
        config, "SELECT source_file, line, column_name, reason, value FROM quarantine ORDER BY 1"
    ) == [
        ("data/telemetry/e.parquet", 3, "crashed", "not_a_boolean", "7"),
        ("data/telemetry/t.csv", 2, "crashed", "not_a_boolean", "7"),
    ]
    assert warehouse_rows(
        config, "SELECT sum(crash_count), sum(usage_count) FROM fact_feature_daily"
    ) == [(1, 2)]


def test_transforms_key_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "vigil.yaml"
    config.write_text("inputs:\n  telemetry:\n    path: data\n    transforms: {a: upper}\n")
    with pytest.raises(ConfigError, match=r"unknown key 'inputs\.telemetry\.transforms'"):
        load_config(config)
