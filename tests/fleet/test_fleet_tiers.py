"""The fleet's immediate tier stays within its budget: cut-off, cap, still-installed, as-of day."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from vigil.fleet.build import FleetParams, rebuild
from vigil.fleet.queries import fleet_risk
from vigil.fleet.settings import FleetSettings

from .world import DAY0, add_devices, add_events, at, warehouse

NO_PRIOR = {"error_prior_days": 0.0, "rma_prior_devices": 0.0, "enhanced": 1.25}


def _fleet(con, bad: int, good: int = 40, days: int = 10) -> None:  # type: ignore[no-untyped-def]
    """``bad`` devices (each its own model and firmware) erring 2+i times a day; ``good`` devices
    on firmware G seen once on day 0 and once on the last day."""
    add_devices(con, [(f"b{i}", f"M{i}", DAY0) for i in range(bad)])
    add_devices(con, [(f"g{i}", "MG", DAY0) for i in range(good)])
    events = [
        (f"b{i}", at(d, h), f"B{i}", "E1")
        for i in range(bad)
        for d in range(days)
        for h in range(2 + i)
    ]
    events += [(f"g{i}", at(d), "G", "E1") for i in range(good) for d in (0, days - 1)]
    add_events(con, events)


def _tiers(con) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {r["firmware_version"]: r["tier"] for r in fleet_risk(con).to_dicts()}


def test_immediate_tier_keeps_only_the_riskiest_up_to_the_cap() -> None:
    con = warehouse()
    _fleet(con, bad=6)
    rebuild(con, FleetParams(immediate=1.5, immediate_max=3, **NO_PRIOR))
    risk = fleet_risk(con)
    over = risk.filter(risk["weighted_risk"] >= 1.5)
    assert over.height == 6  # six segments past the cut-off ...
    tiers = _tiers(con)
    assert sorted(v for v, t in tiers.items() if t == "immediate") == ["B3", "B4", "B5"]
    assert sorted(v for v, t in tiers.items() if t == "enhanced") == ["B0", "B1", "B2"]
    assert tiers["G"] == "standard"


def test_without_a_cap_every_segment_past_the_cut_off_is_immediate() -> None:
    con = warehouse()
    _fleet(con, bad=6)
    rebuild(con, FleetParams(immediate=1.5, immediate_max=100, **NO_PRIOR))
    assert sum(t == "immediate" for t in _tiers(con).values()) == 6


def test_a_firmware_no_device_runs_any_more_is_not_immediate() -> None:
    con = warehouse()
    _fleet(con, bad=1, days=20)
    add_devices(con, [("x", "MX", DAY0)])
    # x errs a lot on OLD for five days, then moves to NEW (one event) for the rest of the window.
    add_events(con, [("x", at(d, h), "OLD", "E1") for d in range(5) for h in range(12)])
    add_events(con, [("x", at(5), "NEW", "E1")])
    rebuild(con, FleetParams(immediate=1.5, immediate_max=10, **NO_PRIOR))
    risk = {r["firmware_version"]: r for r in fleet_risk(con).to_dicts()}
    assert risk["OLD"]["weighted_risk"] > risk["B0"]["weighted_risk"] >= 1.5
    assert risk["OLD"]["tier"] == "enhanced"
    assert risk["B0"]["tier"] == "immediate"


def test_rebuild_as_of_a_day_reads_nothing_after_it() -> None:
    con = warehouse()
    _fleet(con, bad=2, days=10)
    as_of = DAY0 + dt.timedelta(days=4)
    rebuild(con, FleetParams(**NO_PRIOR), as_of=as_of)
    rows = fleet_risk(con).to_dicts()
    assert {r["as_of_date"] for r in rows} == {as_of}
    b0 = next(r for r in rows if r["firmware_version"] == "B0")
    assert b0["errors"] == 2 * 5  # days 0-4 only
    assert {r["firmware_version"] for r in rows} == {"B0", "B1", "G"}
    rebuild(con, FleetParams(**NO_PRIOR))
    b0 = next(r for r in fleet_risk(con).to_dicts() if r["firmware_version"] == "B0")
    assert b0["errors"] == 2 * 10


def test_tier_settings_come_from_config_and_are_checked() -> None:
    params = FleetParams.from_settings(FleetSettings(immediate_max=4, immediate=3.0), 1.7)
    assert (params.immediate_max, params.immediate, params.spike_ratio) == (4, 3.0, 1.7)
    with pytest.raises(ValidationError, match=r"fleet\.enhanced must not exceed fleet\.immediate"):
        FleetSettings(immediate=1.2, enhanced=1.5)


def test_cap_keeps_the_segments_of_the_firmware_that_is_worst_overall() -> None:
    con = warehouse()
    add_devices(con, [("a1", "M1", DAY0), ("a2", "M2", DAY0), ("b", "M3", DAY0)])
    add_devices(con, [(f"g{i}", "MG", DAY0) for i in range(40)])
    events = [
        (d, at(day, h), "A", "E1") for d in ("a1", "a2") for day in range(10) for h in range(3)
    ]
    events += [("b", at(day, h), "B", "E1") for day in range(10) for h in range(4)]
    events += [(f"g{i}", at(day), "G", "E1") for i in range(40) for day in (0, 9)]
    add_events(con, events)
    rebuild(con, FleetParams(immediate=1.1, enhanced=1.0, immediate_max=2))
    risk = {(r["device_model"], r["firmware_version"]): r for r in fleet_risk(con).to_dicts()}
    b, a1 = risk[("M3", "B")], risk[("M1", "A")]
    assert b["weighted_risk"] > a1["weighted_risk"] > 1.1  # B's one segment is the worst ...
    # ... but A's two segments pooled are worse than B: A fills the cap of two.
    assert [risk[k]["tier"] for k in (("M1", "A"), ("M2", "A"), ("M3", "B"))] == [
        "immediate",
        "immediate",
        "enhanced",
    ]
