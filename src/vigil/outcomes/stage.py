"""Pipeline stage ``outcomes``: after detection (reads feature_anomaly), before patches (whose
training reads release_outcome when ``outcomes.label_source = telemetry``)."""

from __future__ import annotations

from typing import Any

from vigil.context import RunContext
from vigil.detection.completeness import last_complete_day
from vigil.outcomes import store
from vigil.outcomes.attribute import attribute


def run_stage(ctx: RunContext) -> dict[str, Any]:
    """Attribute every episode up to the last complete day; rewrite both tables."""
    through = last_complete_day(ctx.now, ctx.cfg.detection.lateness_hours)
    result = attribute(ctx.con, ctx.cfg.outcomes, through, ctx.cfg.detection.min_samples)
    store.replace(ctx.con, result.pairs, result.outcomes, ctx.run_id)
    telemetry = result.outcomes.filter(source="telemetry")
    return {
        "status": "ok",
        "through": through.isoformat(),
        "episodes": result.episodes.height,
        "attributed": int(result.pairs["attributed"].sum()) if result.pairs.height else 0,
        "releases_regressed": int(telemetry["high_risk"].sum()),
        "releases_clean": int((~telemetry["high_risk"]).sum()),
        "releases_pending": int(telemetry["high_risk"].is_null().sum()),
        "label_source": ctx.cfg.outcomes.label_source,
    }
