"""Labels come from future values against the baseline known at t, never from model inputs."""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vigil.risk.dataset import feature_days, labels, prepare
from vigil.risk.settings import RiskSettings
from vigil.warehouse.connection import memory_warehouse

from .world import START, build_world

SETTINGS = RiskSettings()
DAY = dt.timedelta(days=1)


def _labels(con: duckdb.DuckDBPyConnection, s: RiskSettings = SETTINGS) -> pl.DataFrame:
    prepare(con, s)
    return labels(con, s).sort("feature_id", "score_date")


def _flat_world(days: int = 60, usage: int = 1000, feedback: int = 50) -> duckdb.DuckDBPyConnection:
    """One perfectly flat feature: nothing ever degrades unless a test changes a value."""
    con = memory_warehouse()
    con.execute(
        """
        INSERT INTO fact_feature_daily (feature_id, event_date, usage_count, active_users,
            latency_p95_ms, crash_count, crash_rate, error_count, feedback_count, feedback_mean)
        SELECT 'flat', DATE '2026-01-01' + CAST(range AS INTEGER), $usage, 300,
               400.0, $usage // 200, 0.005, $usage // 100, $feedback, 4.0
        FROM range($days)
        """,
        {"days": days, "usage": usage, "feedback": feedback},
    )
    return con


def _label_at(con: duckdb.DuckDBPyConnection, day: dt.date) -> bool | None:
    frame = _labels(con).filter(pl.col("score_date") == day)
    return frame["degrading"][0]


def test_flat_series_never_degrades_and_tail_is_immature() -> None:
    frame = _labels(_flat_world(60))
    mature = frame.filter(pl.col("degrading").is_not_null())
    assert mature["degrading"].sum() == 0
    last = START + 59 * DAY
    immature = frame.filter(pl.col("degrading").is_null())["score_date"]
    assert immature.min() == last - (SETTINGS.horizon_days - 1) * DAY
    assert immature.len() == SETTINGS.horizon_days


def test_future_latency_jump_makes_earlier_day_degrading() -> None:
    con = _flat_world(60)
    t = START + 30 * DAY
    assert _label_at(con, t) is False
    con.execute(
        "UPDATE fact_feature_daily SET latency_p95_ms = 900 WHERE event_date BETWEEN ? AND ?",
        [t + 3 * DAY, t + 5 * DAY],
    )
    assert _label_at(con, t) is True
    # the days just after the jump ends see a pooled future below the (now higher) baseline
    assert _label_at(con, t + 6 * DAY) is False


def test_values_beyond_the_horizon_do_not_change_the_label() -> None:
    con = _flat_world(60)
    t = START + 30 * DAY
    con.execute(
        "UPDATE fact_feature_daily SET latency_p95_ms = 900, crash_count = 500 "
        "WHERE event_date > ?",
        [t + SETTINGS.horizon_days * DAY],
    )
    assert _label_at(con, t) is False


def test_crash_and_feedback_thresholds_each_trigger() -> None:
    t = START + 30 * DAY
    window = [t + 2 * DAY, t + 4 * DAY]
    con = _flat_world(60)
    con.execute(
        "UPDATE fact_feature_daily SET crash_count = 11 WHERE event_date BETWEEN ? AND ?", window
    )  # 1.1% vs a 0.5% baseline: +0.6 pp
    assert _label_at(con, t) is True
    con = _flat_world(60)
    con.execute(
        "UPDATE fact_feature_daily SET feedback_mean = 3.6 WHERE event_date BETWEEN ? AND ?", window
    )
    assert _label_at(con, t) is True


def test_noise_on_small_features_is_not_a_regression() -> None:
    t = START + 30 * DAY
    window = [t + 2 * DAY, t + 4 * DAY]
    # +0.5 pp crash rate on 200 events a day is within two standard errors: not degrading
    con = _flat_world(60, usage=200)
    con.execute(
        "UPDATE fact_feature_daily SET crash_count = 2 WHERE event_date BETWEEN ? AND ?", window
    )
    assert _label_at(con, t) is False
    # the same rise on 2,000 events a day is
    con = _flat_world(60, usage=2000)
    con.execute(
        "UPDATE fact_feature_daily SET crash_count = 20 WHERE event_date BETWEEN ? AND ?", window
    )
    assert _label_at(con, t) is True
    # a feedback drop from a handful of ratings is not
    con = _flat_world(60, feedback=5)
    con.execute(
        "UPDATE fact_feature_daily SET feedback_mean = 3.0 WHERE event_date BETWEEN ? AND ?", window
    )
    assert _label_at(con, t) is False


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    users=st.integers(min_value=0, max_value=10_000),
    sessions=st.integers(min_value=0, max_value=10_000),
    scale=st.floats(min_value=0.01, max_value=100.0),
    drop_deployments=st.booleans(),
)
def test_changing_model_only_inputs_never_changes_labels(
    users: int, sessions: int, scale: float, drop_deployments: bool
) -> None:
    con = memory_warehouse()
    build_world(con, n_features=3, days=50, seed=3)
    before = _labels(con)
    con.execute(
        "UPDATE fact_feature_daily SET active_users = ?, sessions = ?, error_rate = error_rate * ?",
        [users, sessions, scale],
    )
    con.execute(
        "UPDATE dim_release SET files_changed = files_changed * ?, code_churn = ?", [scale, users]
    )
    con.execute("UPDATE dim_feature SET lifecycle_stage = 'alpha'")
    if drop_deployments:
        con.execute("DELETE FROM fact_deployment")
    after = _labels(con)
    assert after.equals(before)


def test_inputs_do_not_change_when_the_future_changes() -> None:
    con = memory_warehouse()
    build_world(con, n_features=4, days=60, seed=3)
    cutoff = START + 40 * DAY
    before = feature_days(con, SETTINGS).filter(pl.col("score_date") <= cutoff)
    con.execute(
        "UPDATE fact_feature_daily SET latency_p95_ms = latency_p95_ms * 3, "
        "crash_count = usage_count WHERE event_date > ?",
        [cutoff],
    )
    after = feature_days(con, SETTINGS).filter(pl.col("score_date") <= cutoff)
    assert after.drop("degrading").equals(before.drop("degrading"))
    assert not after["degrading"].equals(before["degrading"])


def _guarded(**changes: object) -> RiskSettings:
    return RiskSettings(thresholds=SETTINGS.thresholds.model_copy(update=changes))


def test_count_test_sqrt_keeps_a_few_extra_crashes_on_a_small_feature_from_counting() -> None:
    # 100 events and 1 crash a day; the window holds 9 crashes in 300 events (3% vs 1%):
    # Wald z = 0.02 / sqrt(0.01 * 0.99 / 300) = 3.48 flags it, 2 * (sqrt(9) - sqrt(3)) = 2.54 not
    t = START + 30 * DAY
    con = _flat_world(60, usage=100)
    con.execute("UPDATE fact_feature_daily SET crash_count = 1")
    con.execute(
        "UPDATE fact_feature_daily SET crash_count = 3 WHERE event_date BETWEEN ? AND ?",
        [t + 2 * DAY, t + 4 * DAY],
    )
    day = pl.col("score_date") == t
    assert _labels(con, _guarded(count_test="wald")).filter(day)["degrading"][0] is True
    assert _labels(con, _guarded(count_test="sqrt")).filter(day)["degrading"][0] is False
    # 30 crashes in the same window (2 * (sqrt(30) - sqrt(3)) = 7.49) count under both tests
    con.execute(
        "UPDATE fact_feature_daily SET crash_count = 10 WHERE event_date BETWEEN ? AND ?",
        [t + 2 * DAY, t + 4 * DAY],
    )
    assert _labels(con, _guarded(count_test="sqrt")).filter(day)["degrading"][0] is True


def test_feedback_guard_needs_the_drop_to_clear_the_rating_noise() -> None:
    # 50 ratings a day whose daily means alternate 3.7 / 4.3 (sd of a rating ~ 0.3 * sqrt(50)):
    # a 3-day drop to 3.6 (0.4 below the 4.0 baseline) is about 2.3 standard errors
    t = START + 30 * DAY
    con = _flat_world(60, feedback=50)
    con.execute(
        "UPDATE fact_feature_daily SET feedback_mean = CASE WHEN day(event_date) % 2 = 0 "
        "THEN 3.7 ELSE 4.3 END"
    )
    con.execute(
        "UPDATE fact_feature_daily SET feedback_mean = 3.6 WHERE event_date BETWEEN ? AND ?",
        [t + 2 * DAY, t + 4 * DAY],
    )
    day = pl.col("score_date") == t
    assert _labels(con, _guarded(feedback_min_z=0.0)).filter(day)["degrading"][0] is True
    assert _labels(con, _guarded(feedback_min_z=3.0)).filter(day)["degrading"][0] is False
    assert _labels(con, _guarded(feedback_min_z=2.0)).filter(day)["degrading"][0] is True


def test_latency_guard_needs_the_rise_to_clear_the_day_to_day_spread() -> None:
    # p95 alternating 300 / 500 around a 400 baseline (sd ~ 100): a 3-day rise to 520 (+30%)
    # passes the 1.25 ratio but not 3 day-to-day standard deviations
    t = START + 30 * DAY
    con = _flat_world(60)
    con.execute(
        "UPDATE fact_feature_daily SET latency_p95_ms = CASE WHEN day(event_date) % 2 = 0 "
        "THEN 300 ELSE 500 END"
    )
    con.execute(
        "UPDATE fact_feature_daily SET latency_p95_ms = 520 WHERE event_date BETWEEN ? AND ?",
        [t + 2 * DAY, t + 4 * DAY],
    )
    day = pl.col("score_date") == t
    assert _labels(con, _guarded(latency_min_z=0.0)).filter(day)["degrading"][0] is True
    assert _labels(con, _guarded(latency_min_z=3.0)).filter(day)["degrading"][0] is False
