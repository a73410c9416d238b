"""Row counts follow the settings; the dirt is there at the configured shares, as recorded."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import polars as pl
import pytest

from synth.helpers import connect_telemetry
from vigil.config import GenerateSettings
from vigil.errors import InputError
from vigil.synth import WorldSummary, generate_events_only, generate_world

MALFORMED_SQL = """
SELECT count(*) FROM t WHERE feature_id IS NULL OR feature_id NOT LIKE 'F0%'
    OR latency_ms < 0 OR isnan(latency_ms) OR isinf(latency_ms)
    OR feedback_score < 1 OR feedback_score > 5
    OR event_time >= TIMESTAMP '2027-01-01'
"""


def test_row_counts_follow_the_settings(tiny_world: WorldSummary) -> None:
    data = tiny_world.out_dir / "data"
    assert tiny_world.clean_events == 200 * 14  # no missing feature-days at the default share here
    assert tiny_world.events == tiny_world.clean_events + tiny_world.duplicates
    con = connect_telemetry(tiny_world.out_dir)
    assert con.execute("SELECT count(*) FROM t").fetchone() == (tiny_world.events,)
    assert pl.read_csv(data / "features.csv").height == 5
    assert pl.read_csv(data / "devices.csv").height == 100
    assert pl.read_csv(data / "support_tickets.csv").height == tiny_world.support_tickets


def test_weekly_seasonality_in_usage(medium_world: WorldSummary) -> None:
    con = connect_telemetry(medium_world.out_dir)
    weekday, weekend = con.execute(
        "SELECT avg(n) FILTER (WHERE dow BETWEEN 1 AND 5), avg(n) FILTER (WHERE dow IN (0, 6)) "
        "FROM (SELECT part, dayofweek(part) AS dow, count(*) AS n FROM t GROUP BY part)"
    ).fetchone()
    assert weekend < 0.9 * weekday


def test_malformed_rows_at_the_configured_share(dirty_world: WorldSummary) -> None:
    con = connect_telemetry(dirty_world.out_dir)
    (found,) = con.execute(MALFORMED_SQL).fetchone()
    assert found == dirty_world.malformed
    assert found / dirty_world.clean_events == pytest.approx(0.05, abs=0.01)
    kinds = json.loads((dirty_world.out_dir / "truth" / "dirt.json").read_text())["malformed"]
    assert sum(kinds.values()) == found
    assert all(n > 0 for n in kinds.values())


def test_exact_duplicates_at_the_configured_share(dirty_world: WorldSummary) -> None:
    con = connect_telemetry(dirty_world.out_dir)
    (dups,) = con.execute(
        "SELECT count(*) - (SELECT count(*) FROM (SELECT DISTINCT * EXCLUDE (date, part) FROM t)) "
        "FROM t"
    ).fetchone()
    assert dups == dirty_world.duplicates
    assert dups / dirty_world.clean_events == pytest.approx(0.05, abs=0.01)


def test_late_rows_land_in_a_later_partition(dirty_world: WorldSummary) -> None:
    con = connect_telemetry(dirty_world.out_dir)
    (late,) = con.execute("SELECT count(*) FROM t WHERE CAST(event_time AS DATE) < part").fetchone()
    assert late == dirty_world.late
    assert late / dirty_world.clean_events == pytest.approx(0.05, abs=0.01)
    (early,) = con.execute(
        "SELECT count(*) FROM t WHERE CAST(event_time AS DATE) > part "
        "AND event_time < TIMESTAMP '2027-01-01'"
    ).fetchone()
    assert early == 0


def test_missing_feature_days_have_no_on_time_rows(dirty_world: WorldSummary) -> None:
    dirt = json.loads((dirty_world.out_dir / "truth" / "dirt.json").read_text())
    missing = {tuple(r) for r in dirt["missing_feature_days"]}
    assert len(missing) == dirty_world.missing_feature_days > 0
    con = connect_telemetry(dirty_world.out_dir)
    present = con.execute(
        "SELECT DISTINCT feature_id, strftime(part, '%Y-%m-%d') FROM t "
        "WHERE CAST(event_time AS DATE) = part AND feature_id LIKE 'F0%'"
    ).fetchall()
    assert missing.isdisjoint(present)
    assert len(present) + len(missing) == 5 * 14
    assert dirty_world.clean_events < 2000 * 14


def test_events_only_writes_exactly_n_events(tmp_path: Path) -> None:
    summary = generate_events_only(tmp_path, n_events=1001, days=3, n_features=4, seed=7)
    con = connect_telemetry(tmp_path)
    assert con.execute("SELECT count(*), count(DISTINCT feature_id) FROM t").fetchone() == (1001, 4)
    assert summary.events == 1001 and summary.malformed == 0
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["features.csv", "telemetry"]


def test_unknown_override_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown generator option"):
        generate_world(tmp_path, GenerateSettings(), n_widgets=3)


def test_world_end_is_last_day(tiny_world: WorldSummary) -> None:
    assert tiny_world.end_date - tiny_world.start_date == timedelta(days=13)
