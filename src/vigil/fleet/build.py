"""Rebuild the fleet tables from raw device events, support tickets and the device dimension.

Order: resolve events -> devices and age bands -> daily install base -> tie tickets to events ->
``fleet_device_daily`` (with spike days) -> ``fleet_risk``. Each rebuild deletes and re-inserts in
one transaction, so running it twice gives the same tables.

Risk per device model x firmware x age band:

* ``relative_risk`` = 0.5 x (error rate / fleet error rate) + 0.5 x (RMA rate / fleet RMA rate),
  1.0 being the fleet average. Each rate is credibility-weighted first: a group's counts are
  blended with ``error_prior_days`` device-days (``rma_prior_devices`` devices) at the fleet rate,
  so a model with three devices and one error does not top the list on noise.
* ``age_weight`` = 1 + ``age_weight_per_year`` x min(mean device age in years, ``age_cap_years``):
  with the defaults a new device weighs 1.0, a two-year-old 1.5 and a four-year-old or older 2.0.
  Older devices weigh more because the same error rate does more harm there: worn batteries and
  flash fail under firmware stress, owners are out of warranty, and a bricked old device is
  rarely repairable, so an error on an old device turns into a return more often.
* ``weighted_risk`` = relative_risk x age_weight / (the fleet's mean age weight per device), so
  1.0 is an average group of average age and older groups rank above younger ones with the same
  rates; tiers: immediate (>= ``immediate``, still installed in the last ``active_days`` days,
  and among the first ``immediate_max`` such segments ranked by their firmware's relative risk
  pooled over all its segments, then their own), enhanced (>= ``enhanced``), else standard.
  The cap keeps the immediate tier within the attention budget; ranking by the pooled firmware
  risk was chosen on the tuning worlds of ``benchmarks/attention.py`` (top-10 precision 0.84
  against 0.79 by the segment's own weighted risk).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass
from importlib import resources

import duckdb

from vigil.fleet.settings import FleetSettings

log = logging.getLogger(__name__)

TABLES = ("fleet_device_daily", "fleet_ticket_link", "fleet_risk")
TEMP_STEPS = ("events", "devices", "device_day")
LAST_DAY = dt.date(9999, 12, 31)
"""``as_of`` when none is given: every event and ticket counts"""


@dataclass(frozen=True)
class FleetParams:
    """Knobs of the fleet rebuild (spike ratio comes from ``patches.spike_ratio`` in config)."""

    spike_ratio: float = 1.5
    error_prior_days: float = 200.0
    rma_prior_devices: float = 20.0
    age_weight_per_year: float = 0.25
    age_cap_years: float = 4.0
    immediate: float = 2.0
    enhanced: float = 1.25
    immediate_max: int = 10
    active_days: int = 7

    @classmethod
    def from_settings(cls, settings: FleetSettings, spike_ratio: float) -> FleetParams:
        """The rebuild's knobs from the ``fleet`` config section."""
        return cls(spike_ratio=spike_ratio, **settings.model_dump())


def sql(name: str) -> str:
    """The text of ``fleet/sql/<name>.sql``."""
    return (resources.files("vigil.fleet") / "sql" / f"{name}.sql").read_text(encoding="utf-8")


def ensure_fleet_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the fleet tables if missing (idempotent; also applied by the warehouse schema)."""
    con.execute(sql("schema"))


def rebuild(
    con: duckdb.DuckDBPyConnection,
    params: FleetParams | None = None,
    as_of: dt.date | None = None,
) -> dict[str, int]:
    """Rebuild every fleet table from events and tickets up to ``as_of`` (default: all of
    them); return the row count of each."""
    params = params or FleetParams()
    ensure_fleet_schema(con)
    for step in TEMP_STEPS:
        con.execute(sql(step), {"as_of": as_of or LAST_DAY} if step == "events" else None)
    con.execute("BEGIN TRANSACTION")
    try:
        for table in TABLES:
            con.execute(f"DELETE FROM {table}")
        con.execute(sql("ticket_link"), {"as_of": as_of or LAST_DAY})
        con.execute(sql("device_daily"), {"spike_ratio": params.spike_ratio})
        risk_params = {k: v for k, v in asdict(params).items() if k != "spike_ratio"}
        con.execute(sql("risk"), risk_params)
        con.execute("COMMIT")
    except duckdb.Error:
        con.execute("ROLLBACK")
        raise
    finally:
        for step in ("fleet_event", "fleet_device", "fleet_device_day"):
            con.execute(f"DROP TABLE IF EXISTS {step}")
    counts = {t: _count(con, t) for t in TABLES}
    log.info("fleet rebuilt: %s", counts)
    return counts


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return int(con.execute(f"SELECT COUNT(*) FROM {table}").fetchall()[0][0])
