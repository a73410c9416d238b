"""Pipeline stage `fleet`: rebuild the device-fleet tables and summarise the watch list."""

from __future__ import annotations

import logging
from typing import Any

from vigil.context import RunContext
from vigil.fleet.build import FleetParams, rebuild
from vigil.fleet.queries import TIERS, fleet_risk, summary

log = logging.getLogger(__name__)


def run_stage(ctx: RunContext) -> dict[str, Any]:
    """Rebuild fleet_device_daily, fleet_ticket_link and fleet_risk; count tiers and spike days."""
    params = FleetParams.from_settings(ctx.cfg.fleet, ctx.cfg.patches.spike_ratio)
    counts = rebuild(ctx.con, params)
    if counts["fleet_device_daily"] == 0:
        log.info("fleet: no device events in the warehouse; nothing to score")
        return {"status": "empty", "message": "no device events yet", "rows": counts}
    risk = fleet_risk(ctx.con)
    tiers = {t: int((risk["tier"] == t).sum()) for t in TIERS}
    return {"status": "ok", "rows": counts, "tiers": tiers, **summary(ctx.con)}
