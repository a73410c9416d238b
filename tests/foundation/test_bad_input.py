"""Every kind of bad input: exact exit code and message, nothing lost, nothing loaded twice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import duckdb
from tests.conftest import HEADER, event_rows
from typer.testing import CliRunner

from vigil.cli.main import app

runner = CliRunner()
DAY = dt.date(2026, 2, 3)


def _run(config: Path) -> tuple[int, str]:
    result = runner.invoke(app, ["run", "-c", str(config)])
    return result.exit_code, result.stderr.strip()


def _table(config: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(config.parent / ".vigil" / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _csv(rows: list[str], header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def test_missing_input_file(make_workspace: Callable[..., Path]) -> None:
    config = make_workspace(telemetry_spec={"path": "data/telemetry/nope.csv"})
    code, err = _run(config)
    assert code == 2
    missing = (config.parent / "data" / "telemetry" / "nope.csv").resolve()
    assert err == f"Error: {missing}: file not found"


def test_binary_file(make_workspace: Callable[..., Path]) -> None:
    config = make_workspace()
    bad = config.parent / "data" / "telemetry" / "blob.csv"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    code, err = _run(config)
    assert code == 2
    assert err == f"Error: {bad.resolve()}: binary file, expected CSV text"


def test_empty_file(make_workspace: Callable[..., Path]) -> None:
    config = make_workspace(telemetry={"empty.csv": ""})
    code, err = _run(config)
    path = (config.parent / "data" / "telemetry" / "empty.csv").resolve()
    assert code == 2
    assert err == f"Error: {path}: empty file (no header, no rows)"


def test_bad_file_loads_nothing_and_fixing_it_loses_nothing(
    make_workspace: Callable[..., Path],
) -> None:
    config = make_workspace(telemetry={"a.csv": _csv(event_rows(DAY, 5)), "b.csv": ""})
    assert _run(config)[0] == 2
    assert _table(config, "SELECT count(*) FROM ingest_manifest") == [(0,)]
    (config.parent / "data" / "telemetry" / "b.csv").unlink()
    code, _ = _run(config)
    assert code == 0
    assert _table(config, "SELECT sum(usage_count) FROM fact_feature_daily") == [(5,)]


def test_header_only_is_a_warning_not_an_error(make_workspace: Callable[..., Path]) -> None:
    config = make_workspace(telemetry={"h.csv": HEADER + "\n", "ok.csv": _csv(event_rows(DAY, 3))})
    result = runner.invoke(app, ["run", "-c", str(config), "--json"])
    assert result.exit_code == 0
    assert _table(
        config, "SELECT rows_in FROM ingest_manifest WHERE source_file LIKE '%h.csv'"
    ) == [(0,)]
    assert "file has a header but no rows" in result.stdout


def test_missing_required_columns_named_together(make_workspace: Callable[..., Path]) -> None:
    config = make_workspace(telemetry={"t.csv": "event_time,feature_id,user_id\n2026-01-01,F1,u\n"})
    code, err = _run(config)
    path = (config.parent / "data" / "telemetry" / "t.csv").resolve()
    assert code == 2
    assert err == (
        f"Error: {path}: missing columns: latency_ms, crashed (required by the telemetry contract)"
    )


def test_row_level_problems_are_quarantined_with_reasons(
    make_workspace: Callable[..., Path],
) -> None:
    good = event_rows(DAY, 4)
    bad = [
        f"{DAY}T10:00:00Z,F1,abc,false,u,s,0,",  # wrong type
        f"{DAY}T10:00:00Z,F1,NaN,false,u,s,0,",  # NaN
        f"{DAY}T10:00:00Z,F1,inf,false,u,s,0,",  # inf
        f"{DAY}T10:00:00Z,F1,-4,false,u,s,0,",  # negative
        "2099-01-01T00:00:00Z,F1,5,false,u,s,0,",  # future
        "yesterday-ish,F1,5,false,u,s,0,",  # unparsable time
        f"{DAY}T10:00:00Z,F404,5,false,u,s,0,",  # unknown feature
        f"{DAY}T10:00:00Z,F1,5,perhaps,u,s,0,",  # bad boolean
        f"{DAY}T10:00:00Z,F1,5,false,u,s,0,7",  # feedback out of 1-5
    ]
    config = make_workspace(telemetry={"t.csv": _csv(good + bad)})
    assert _run(config)[0] == 0
    reasons = _table(config, "SELECT line, column_name, reason FROM quarantine ORDER BY line")
    assert reasons == [
        (6, "latency_ms", "not_a_number"),
        (7, "latency_ms", "not_finite"),
        (8, "latency_ms", "not_finite"),
        (9, "latency_ms", "negative_value"),
        (10, "event_time", "future_timestamp"),
        (11, "event_time", "bad_timestamp"),
        (12, "feature_id", "unknown_feature"),
        (13, "crashed", "not_a_boolean"),
        (14, "feedback_score", "out_of_range"),
    ]
    assert _table(
        config,
        "SELECT rows_in, rows_loaded, rows_quarantined FROM ingest_manifest "
        "WHERE input = 'telemetry'",
    ) == [(13, 4, 9)]
    assert _table(config, "SELECT sum(usage_count) FROM fact_feature_daily") == [(4,)]


def test_quarantine_keeps_file_and_value(make_workspace: Callable[..., Path]) -> None:
    config = make_workspace(telemetry={"t.csv": _csv([f"{DAY}T10:00:00Z,F1,-1,false,u,s,0,"])})
    _run(config)
    assert _table(config, "SELECT input, source_file, value, detail FROM quarantine") == [
        ("telemetry", "data/telemetry/t.csv", "-1", "below 0")
    ]


def test_duplicates_counted_not_loaded_twice(make_workspace: Callable[..., Path]) -> None:
    rows = event_rows(DAY, 3)
    config = make_workspace(telemetry={"a.csv": _csv(rows + rows[:2]), "b.csv": _csv(rows[:1])})
    assert _run(config)[0] == 0
    assert _table(
        config,
        "SELECT source_file, rows_in, rows_loaded, rows_duplicate "
        "FROM ingest_manifest WHERE input = 'telemetry' ORDER BY 1",
    ) == [
        ("data/telemetry/a.csv", 5, 3, 2),
        ("data/telemetry/b.csv", 1, 0, 1),
    ]
    assert _table(config, "SELECT sum(usage_count) FROM fact_feature_daily") == [(3,)]


def test_unicode_loads_and_overlong_strings_are_quarantined(
    make_workspace: Callable[..., Path],
) -> None:
    features = "feature_id,feature_name\nF1,Recherche ✓ 検索 🔍\n"
    long_user = "u" * 300
    rows = [
        f"{DAY}T10:00:00Z,F1,5,false,ünïcødé-ユーザー,s,0,",
        f"{DAY}T10:00:00Z,F1,5,false,{long_user},s,0,",
    ]
    config = make_workspace(telemetry={"t.csv": _csv(rows)}, features=features)
    assert _run(config)[0] == 0
    assert _table(config, "SELECT feature_name FROM dim_feature") == [("Recherche ✓ 検索 🔍",)]
    assert _table(config, "SELECT line, column_name, reason FROM quarantine") == [
        (3, "user_id", "too_long")
    ]


def test_ragged_rows_are_quarantined_by_line(make_workspace: Callable[..., Path]) -> None:
    text = _csv([*event_rows(DAY, 2), f"{DAY}T10:00:00Z,F1,5,false,u,s,0,,EXTRA,FIELDS"])
    config = make_workspace(telemetry={"t.csv": text})
    assert _run(config)[0] == 0
    assert _table(config, "SELECT line, reason FROM quarantine") == [(4, "bad_field_count")]
    assert _table(
        config,
        "SELECT rows_in, rows_loaded, rows_quarantined FROM ingest_manifest "
        "WHERE input = 'telemetry'",
    ) == [(3, 2, 1)]


def test_not_utf8(make_workspace: Callable[..., Path]) -> None:
    config = make_workspace()
    bad = config.parent / "data" / "telemetry" / "latin1.csv"
    bad.write_bytes((HEADER + "\n2026-01-01,F1,1,false,caf\xe9,s,0,\n").encode("latin-1"))
    code, err = _run(config)
    assert code == 2
    assert err == f"Error: {bad.resolve()}: not UTF-8 text, expected CSV"
