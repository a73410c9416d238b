"""Fleet SQL on a hand-built warehouse: ticket linking, spike days, install base, age weighting."""

from __future__ import annotations

import datetime as dt

import pytest

from vigil.fleet.build import FleetParams, rebuild
from vigil.fleet.queries import (
    fleet_risk,
    heatmap,
    rma_by_error_code,
    rma_by_firmware,
    spike_days,
    watch_list,
)

from .world import DAY0, add_devices, add_events, add_tickets, at, warehouse


def test_ticket_is_tied_to_latest_matching_prior_event() -> None:
    con = warehouse()
    add_devices(con, [("d1", "M1", DAY0)])
    add_events(
        con,
        [
            ("d1", at(1), "A", "E1"),
            ("d1", at(3), "B", "E2"),
            ("d1", at(5), "C", "E3"),
        ],
    )
    add_tickets(
        con,
        [
            ("t_before_later_event", "d1", at(4), "E2", True),  # E2 on B; E3 comes after the ticket
            ("t_code_match", "d1", at(6), "E2", True),  # latest E2 is still B, not C
            ("t_no_code", "d1", at(6), None, False),  # any code: latest event, C
            ("t_same_time", "d1", at(1), "E1", True),  # event at the ticket's time counts
            ("t_too_early", "d1", at(0), "E1", True),  # no event before: unlinked
        ],
    )
    rebuild(con)
    rows = dict(con.execute("SELECT ticket_id, firmware_version FROM fleet_ticket_link").fetchall())
    assert rows == {
        "t_before_later_event": "B",
        "t_code_match": "B",
        "t_no_code": "C",
        "t_same_time": "A",
        "t_too_early": None,
    }
    by_fw = {r["firmware_version"]: r["rma_tickets"] for r in rma_by_firmware(con).to_dicts()}
    assert by_fw == {"A": 1, "B": 2, "C": 0}
    by_code = {r["error_code"]: r["rma_tickets"] for r in rma_by_error_code(con).to_dicts()}
    assert by_code == {"E1": 1, "E2": 2, "E3": 0}


def _daily_errors(con: object, counts: list[int], fw: str = "A") -> None:
    rows = []
    for day, n in enumerate(counts):
        rows += [("d1", at(day, hour), fw, "E") for hour in range(n)]
    add_events(con, rows)  # type: ignore[arg-type]


def test_spike_day_rule_uses_trailing_seven_day_mean() -> None:
    con = warehouse()
    add_devices(con, [("d1", "M1", DAY0)])
    # Days 0-6: 2 errors; day 7: 3 (3 / 2 = 1.5, a spike); day 8: 2; day 9: 3 (3 / 2.14 < 1.5).
    _daily_errors(con, [2, 2, 2, 2, 2, 2, 2, 3, 2, 3, 4])
    rebuild(con, FleetParams(spike_ratio=1.5))
    spikes = spike_days(con)
    # Day 10: 4 / mean(days 3-9 = 2,2,2,2,3,2,3 -> 16/7) = 1.75, a spike.
    assert spikes["event_date"].to_list() == [DAY0 + dt.timedelta(days=7), DAY0 + dt.timedelta(10)]
    assert spikes["spike_ratio"].to_list() == pytest.approx([1.5, 1.75])


def test_stricter_ratio_finds_fewer_spikes() -> None:
    con = warehouse()
    add_devices(con, [("d1", "M1", DAY0)])
    _daily_errors(con, [2, 2, 2, 2, 2, 2, 2, 3, 2, 3, 4])
    rebuild(con, FleetParams(spike_ratio=1.6))
    assert spike_days(con)["event_date"].to_list() == [DAY0 + dt.timedelta(days=10)]


def test_install_base_follows_the_latest_firmware() -> None:
    con = warehouse()
    add_devices(con, [("d1", "M1", DAY0), ("d2", "M1", DAY0)])
    add_events(
        con,
        [
            ("d1", at(0), "A", "E"),
            ("d2", at(0), "A", "E"),
            ("d1", at(2), "B", "E"),  # d1 moves to B on day 2
            ("d2", at(4), "A", "E"),
        ],
    )
    rebuild(con)
    devices = {
        (fw, (day - DAY0).days): n
        for fw, day, n in con.execute(
            "SELECT firmware_version, event_date, devices FROM fleet_device_daily"
        ).fetchall()
    }
    assert [devices[("A", d)] for d in range(5)] == [2, 2, 1, 1, 1]
    assert [devices[("B", d)] for d in range(2, 5)] == [1, 1, 1]
    assert ("B", 1) not in devices
    errors = dict(
        con.execute(
            "SELECT event_date, error_rate_per_10k FROM fleet_device_daily "
            "WHERE firmware_version = 'A'"
        ).fetchall()
    )
    assert errors[DAY0] == pytest.approx(10_000.0)  # 2 errors / 2 devices
    assert errors[DAY0 + dt.timedelta(days=4)] == pytest.approx(10_000.0)  # 1 / 1


def test_older_devices_weigh_more() -> None:
    con = warehouse()
    as_of = DAY0 + dt.timedelta(days=9)
    # Same firmware, same error pattern; ages at as_of: 0 days, 1.5 years (548 days), 6 years.
    add_devices(
        con,
        [
            ("new", "M1", as_of),
            ("two", "M1", as_of - dt.timedelta(days=548)),
            ("six", "M1", as_of - dt.timedelta(days=6 * 365)),
        ],
    )
    add_events(con, [(d, at(day), "A", "E") for d in ("new", "two", "six") for day in range(10)])
    rebuild(con)
    risk = {r["age_band"]: r for r in fleet_risk(con).to_dicts()}
    assert set(risk) == {"0-6m", "1-2y", "2y+"}
    assert risk["0-6m"]["age_weight"] == pytest.approx(1.0)
    assert risk["1-2y"]["age_weight"] == pytest.approx(1.0 + 0.25 * 548 / 365)
    assert risk["2y+"]["age_weight"] == pytest.approx(2.0)  # capped at 4 years
    # Identical rates -> relative risk 1.0 each; the weighted risk orders by age alone.
    assert [risk[b]["relative_risk"] for b in risk] == pytest.approx([1.0, 1.0, 1.0])
    assert fleet_risk(con)["age_band"].to_list() == ["2y+", "1-2y", "0-6m"]
    # weighted = relative risk x age weight / fleet mean age weight (one device each).
    mean_weight = (1.0 + (1.0 + 0.25 * 548 / 365) + 2.0) / 3
    for band in risk:
        assert risk[band]["weighted_risk"] == pytest.approx(risk[band]["age_weight"] / mean_weight)
    tiers = [risk[b]["tier"] for b in ("2y+", "1-2y", "0-6m")]
    assert tiers == ["enhanced", "standard", "standard"]
    assert watch_list(con)["age_band"].to_list() == ["2y+"]


def test_error_trend_compares_last_week_with_the_one_before() -> None:
    con = warehouse()
    add_devices(con, [("d1", "M1", DAY0)])
    _daily_errors(con, [1] * 7 + [3] * 7)
    rebuild(con)
    row = fleet_risk(con).row(0, named=True)
    assert row["error_rate_trend"] == pytest.approx(
        20_000.0
    )  # 3 vs 1 error per device-day, per 10k
    assert row["errors"] == 28
    assert row["device_days"] == 14


def test_heatmap_has_one_row_per_model_and_firmware() -> None:
    con = warehouse()
    add_devices(con, [("d1", "M1", DAY0), ("d2", "M2", DAY0)])
    add_events(con, [("d1", at(0), "A", "E"), ("d2", at(0), "A", "E"), ("d2", at(1), "B", "E")])
    rebuild(con)
    keys = [(r["device_model"], r["firmware_version"]) for r in heatmap(con).to_dicts()]
    assert keys == [("M1", "A"), ("M2", "A"), ("M2", "B")]
