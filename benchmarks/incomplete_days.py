"""Anomalies on a day still arriving: with the incomplete-day guard, and scored as if complete.

Protocol
  * The demo world (fixed seed and start date 2026-01-01) generated one day longer than the demo,
    and run once through `vigil run` at 10:00 UTC on that extra day: its events up to 10:00 load,
    later ones are refused as future (the issue's scenario).
  * "guarded": the detection stage as shipped (the day is held back, ``detection.lateness_hours``).
  * "scored_as_complete": the detection stage re-run on the same warehouse with the clock moved to
    the next day, so the partial day is scored like a complete one (the behaviour before the
    guard). Nothing is tuned here: both use the default detection settings.
  * Reported per variant: anomalies on the partial day, features flagged on it, kinds, and how
    many are attributed to a deployment (within ``detection.blame_days``); and, over every
    anomaly of the guarded run, how many are attributed and how many days after the deployment.

Usage:  nice -n 5 python benchmarks/incomplete_days.py [--size tiny|default] [--work DIR]
Writes: benchmarks/results/incomplete_days.json  ({"<size>": {"guarded": {...}, ...}})
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

from vigil.config import load_config
from vigil.context import RunContext
from vigil.demo import demo_settings, write_config
from vigil.detection.stage import run_stage
from vigil.pipeline import run_pipeline
from vigil.synth import generate_world
from vigil.warehouse.connection import connect

RESULTS = Path(__file__).parent / "results" / "incomplete_days.json"
RUN_HOUR = 10


def partial_day_counts(con: Any, day: dt.date) -> dict[str, Any]:
    """Anomalies on ``day``: count, features, kinds, attributed."""
    rows = con.execute(
        "SELECT feature_id, kind, deployment_id FROM feature_anomaly WHERE event_date = ?", [day]
    ).fetchall()
    kinds: dict[str, int] = {}
    for _, kind, _ in rows:
        kinds[kind] = kinds.get(kind, 0) + 1
    return {
        "anomalies": len(rows),
        "features_flagged": len({f for f, _, _ in rows}),
        "attributed": sum(d is not None for _, _, d in rows),
        "by_kind": dict(sorted(kinds.items())),
    }


def attribution(con: Any) -> dict[str, Any]:
    """Over every anomaly: how many are attributed, and how long before them the deployment was."""
    row = con.execute(
        "SELECT count(*), count(a.deployment_id), "
        "max(date_diff('day', CAST(d.deployed_at AS DATE), a.event_date)), "
        "median(date_diff('day', CAST(d.deployed_at AS DATE), a.event_date)) "
        "FROM feature_anomaly AS a LEFT JOIN fact_deployment AS d USING (deployment_id)"
    ).fetchall()[0]
    return {"anomalies": row[0], "attributed": row[1], "max_days": row[2], "median_days": row[3]}


def measure(size: str, work: Path) -> dict[str, Any]:
    """Generate, run at 10:00 on the extra day, and count both ways."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    base = demo_settings(size)
    settings = base.model_copy(update={"days": base.days + 1})
    generate_world(work, settings)
    write_config(work, settings)
    partial = dt.date.fromisoformat(settings.start_date) + dt.timedelta(days=settings.days - 1)
    now = dt.datetime.combine(partial, dt.time(RUN_HOUR))
    cfg = load_config(work / "vigil.yaml").model_copy(update={"as_of": now})
    run = run_pipeline(cfg)
    con = connect(cfg.warehouse_path)
    try:
        features = con.execute("SELECT count(DISTINCT feature_id) FROM dim_feature").fetchall()
        volume = con.execute(
            "SELECT event_date, sum(usage_count) FROM fact_feature_daily "
            "WHERE event_date >= ? GROUP BY 1 ORDER BY 1",
            [partial - dt.timedelta(days=1)],
        ).fetchall()
        guarded = partial_day_counts(con, partial)
        blame = attribution(con)
        later = dt.datetime.combine(partial + dt.timedelta(days=1), dt.time(12))
        ctx = RunContext(cfg=cfg, con=con, run_id="as-if-complete", report_dir=work, now=later)
        run_stage(ctx)
        as_complete = partial_day_counts(con, partial)
    finally:
        con.close()
    return {
        "world": {"size": size, "days": settings.days, "features": features[0][0]},
        "partial_day": partial.isoformat(),
        "run_clock": now.isoformat(),
        "usage": {str(d): int(v) for d, v in volume},
        "detection_summary": run.report["stages"]["detection"],
        "guarded": guarded,
        "scored_as_complete": as_complete,
        "attribution_all_days": blame,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="tiny", choices=["tiny", "default"])
    parser.add_argument("--work", type=Path, default=Path("/tmp/vigil-bench-partial"))
    args = parser.parse_args()
    result = measure(args.size, args.work / args.size)
    payload = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
    payload[args.size] = result
    RESULTS.write_text(json.dumps(payload, indent=2, default=str) + "\n")
    print(json.dumps({k: result[k] for k in ("guarded", "scored_as_complete")}, indent=2))


if __name__ == "__main__":
    main()
