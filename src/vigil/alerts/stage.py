"""Pipeline stage `alerts`: the last step of every run. Delivery failures are recorded in
``alert_log`` and the stage's summary; they never fail the run."""

from __future__ import annotations

import logging
from typing import Any

from vigil.alerts.notify import missing_environment, run_alerts
from vigil.context import RunContext

log = logging.getLogger(__name__)


def run_stage(ctx: RunContext) -> dict[str, Any]:
    """Evaluate every rule on what the other stages wrote; send what is new or resolved."""
    settings = ctx.cfg.alerts
    if not settings.enabled:
        return {"status": "skipped", "reason": "alerts.enabled is false"}
    missing = missing_environment(settings)
    if missing and not settings.dry_run:
        log.error("alerts: environment variables not set: %s", ", ".join(missing))
    run = run_alerts(ctx.con, ctx.cfg, ctx.now, run_id=ctx.run_id)
    summary = run.summary()
    log.info(
        "alerts: %d firing, %d triggered, %d resolved, %d delivery failures",
        summary["firing"],
        summary["triggered"],
        summary["resolved"],
        summary["failed"],
    )
    return {"status": "ok", "dry_run": settings.dry_run, **summary, "alerts": run.entries()}
