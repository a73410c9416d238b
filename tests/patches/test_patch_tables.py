"""fact_patch and fact_device_daily: outcomes given or computed, maturity, idempotence."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from vigil.config import VigilConfig
from vigil.patches.features import build_patch_tables, load_patches, stability_curves

D0 = dt.datetime(2026, 1, 1, 12)


def day(n: int) -> dt.datetime:
    return D0 + dt.timedelta(days=n)


@pytest.fixture
def world(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    con.executemany(
        "INSERT INTO dim_device VALUES (?, ?, ?, ?)",
        [
            ("d1", "A", None, "eu"),
            ("d2", "A", None, "eu"),
            ("d3", "B", None, "us"),
            ("d4", "B", None, "us"),
        ],
    )
    con.execute("INSERT INTO fact_deployment VALUES ('dep0', ?, 'fw-000', 50, ['f1'])", [day(0)])
    con.executemany(
        "INSERT INTO dim_release (firmware_version, release_date, patch_type, code_churn, "
        "touched_features, error_rate_per_10k) VALUES (?, ?, 'bugfix', 10, ?, ?)",
        [
            ("fw-000", day(0).date(), ["f1", "f2"], None),
            ("fw-001", day(20).date(), ["f1"], 7.0),
            ("fw-002", day(35).date(), [], None),
        ],
    )
    events = [
        ("d1", day(0), "fw-000", "A"),
        ("d1", day(5), "fw-000", "A"),
        ("d3", day(10), "fw-000", "B"),
        ("d3", day(40), "fw-000", "B"),
        ("d2", day(-7), "fw-old", "A"),
        ("d4", day(-3), "fw-old", "B"),
    ]
    con.executemany("INSERT INTO raw_device_event VALUES (?, ?, ?, 'E1', 'high', ?, 'eu')", events)
    con.execute("INSERT INTO raw_support_ticket VALUES ('t1', 'd1', ?, 'E1', true)", [day(6)])
    con.execute("INSERT INTO raw_support_ticket VALUES ('t2', 'd3', ?, 'E1', false)", [day(11)])
    return con


def test_one_row_per_release_with_outcomes(
    world: duckdb.DuckDBPyConnection, cfg: VigilConfig
) -> None:
    assert build_patch_tables(world, cfg.patches) == 3
    rows = {r["firmware_version"]: r for r in load_patches(world).iter_rows(named=True)}
    computed = rows["fw-000"]
    assert computed["exposed_devices"] == pytest.approx(2.0)  # 4 devices x 50% rollout
    per_device_day = 3 * 10_000 / (2 * 30)  # 3 errors over 2 devices x 30 days
    assert computed["error_rate_per_10k"] == pytest.approx(per_device_day)
    assert computed["rma_rate"] == pytest.approx(1 / 2)  # d1's RMA counts against fw-000
    # device events start on day -7: 2 errors over 4 devices x the 7 covered days of 14
    assert computed["pre_error_rate_per_10k"] == pytest.approx(2 * 10_000 / (4 * 7))
    assert rows["fw-001"]["pre_error_rate_per_10k"] == pytest.approx(1 * 10_000 / (4 * 14))
    assert rows["fw-002"]["pre_error_rate_per_10k"] == 0.0  # covered, no errors in days 21-34
    assert (computed["outcome_source"], computed["outcome_mature"]) == ("events", True)
    assert computed["n_touched_features"] == 2
    assert (rows["fw-001"]["error_rate_per_10k"], rows["fw-001"]["outcome_source"]) == (
        7.0,
        "given",
    )
    immature = rows["fw-002"]  # released day 35, data ends day 40: window still open
    assert immature["outcome_mature"] is False
    assert immature["error_rate_per_10k"] is None and immature["outcome_source"] is None


def test_pre_release_rate_is_null_without_device_events_before_the_release(
    con: duckdb.DuckDBPyConnection, cfg: VigilConfig
) -> None:
    con.executemany(
        "INSERT INTO dim_release (firmware_version, release_date) VALUES (?, ?)",
        [("fw-a", day(0).date()), ("fw-b", day(3).date())],
    )
    build_patch_tables(con, cfg.patches)
    assert load_patches(con)["pre_error_rate_per_10k"].to_list() == [None, None]
    con.execute("INSERT INTO dim_device VALUES ('d1', 'A', NULL, 'eu')")
    con.execute(
        "INSERT INTO raw_device_event VALUES ('d1', ?, 'fw-x', 'E1', 'high', 'A', 'eu')", [day(0)]
    )
    build_patch_tables(con, cfg.patches)
    # events start on day 0: nothing is known before fw-a; fw-b sees 1 error in 3 device-days
    rates = load_patches(con)["pre_error_rate_per_10k"].to_list()
    assert rates == [None, pytest.approx(10_000 / 3)]


def test_rebuild_is_idempotent(world: duckdb.DuckDBPyConnection, cfg: VigilConfig) -> None:
    build_patch_tables(world, cfg.patches)
    first = load_patches(world)
    daily = world.execute("SELECT * FROM fact_device_daily ORDER BY ALL").fetchall()
    build_patch_tables(world, cfg.patches)
    assert load_patches(world).equals(first)
    assert world.execute("SELECT * FROM fact_device_daily ORDER BY ALL").fetchall() == daily


def test_stability_curve_by_days_since_release(
    world: duckdb.DuckDBPyConnection, cfg: VigilConfig
) -> None:
    build_patch_tables(world, cfg.patches)
    curve = stability_curves(world).filter(firmware_version="fw-000")
    assert curve["days_since_release"].to_list() == list(range(41))  # dense to the last event
    hits = {0, 5, 10, 40}
    assert curve["errors"].to_list() == [int(d in hits) for d in range(41)]
    rates = [5_000.0 if d in hits else 0.0 for d in range(41)]  # 1 error over 2 exposed devices
    assert curve["error_rate_per_10k"].to_list() == pytest.approx(rates)
    device_days = world.execute(
        "SELECT sum(devices), sum(rma_count) FROM fact_device_daily "
        "WHERE firmware_version = 'fw-000'"
    ).fetchall()[0]
    assert device_days == (pytest.approx(41 * 2.0), 1)  # 41 days x (1 + 1) exposed devices


def test_empty_warehouse_builds_nothing(con: duckdb.DuckDBPyConnection, cfg: VigilConfig) -> None:
    assert build_patch_tables(con, cfg.patches) == 0
    assert load_patches(con).height == 0
