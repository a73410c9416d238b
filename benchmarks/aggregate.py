"""Raw events -> fact_feature_daily: vigil against a hand-written DuckDB query and plain pandas.

Each contender runs in its own fresh process over the same Parquet files, so times and peak memory
(max RSS of that process) are comparable within one run of this script:

  floor      one hand-written DuckDB SQL statement: daily metrics + 7/28-day windows + deltas
  vigil      vigil's aggregate stage (engine seam, delete/insert of the days, window refresh)
  pandas     a straightforward pandas groupby + rolling implementation (skipped above --pandas-max)
  vigil_run  the whole `vigil run` load half: ingest, validate, land, aggregate (optional)

Usage:  python benchmarks/aggregate.py --events 20000000 [--with-run] [--pandas-max N]
Writes: benchmarks/results/aggregate_<events>.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"

FLOOR_SQL = """
CREATE TABLE fact AS
WITH grouped AS (
    SELECT feature_id, CAST(event_time AS DATE) AS event_date,
           count(*) AS usage_count, count(DISTINCT user_id) AS active_users,
           count(DISTINCT session_id) AS sessions, avg(latency_ms) AS latency_mean_ms,
           quantile_cont(latency_ms, [0.50, 0.95, 0.99]) AS q,
           count(*) FILTER (WHERE crashed) AS crash_count,
           avg(CAST(crashed AS DOUBLE)) AS crash_rate,
           coalesce(sum(error_count), 0) AS error_count,
           coalesce(sum(error_count), 0) / count(*) AS error_rate,
           count(feedback_score) AS feedback_count, avg(feedback_score) AS feedback_mean,
           avg(CAST(feedback_score <= 2 AS DOUBLE)) AS feedback_negative_share
    FROM read_parquet($files) GROUP BY ALL
),
daily AS (
    SELECT * EXCLUDE (q), q[1] AS latency_p50_ms, q[2] AS latency_p95_ms, q[3] AS latency_p99_ms
    FROM grouped
)
SELECT *,
    usage_count / sum(usage_count) OVER (PARTITION BY event_date) AS usage_share,
    avg(latency_p95_ms) OVER w7 AS latency_p95_7d, avg(latency_p95_ms) OVER w28 AS latency_p95_28d,
    avg(crash_rate) OVER w7 AS crash_rate_7d, avg(crash_rate) OVER w28 AS crash_rate_28d,
    avg(error_rate) OVER w7 AS error_rate_7d, avg(error_rate) OVER w28 AS error_rate_28d,
    avg(feedback_mean) OVER w7 AS feedback_mean_7d,
    avg(feedback_mean) OVER w28 AS feedback_mean_28d,
    avg(active_users) OVER w7 AS active_users_7d,
    100 * (latency_p95_ms / nullif(avg(latency_p95_ms) OVER b28, 0) - 1) AS latency_p95_delta_pct,
    100 * (crash_rate - avg(crash_rate) OVER b28) AS crash_rate_delta_pp,
    feedback_mean - avg(feedback_mean) OVER b28 AS feedback_delta
FROM daily
WINDOW w7 AS (PARTITION BY feature_id ORDER BY event_date
              RANGE BETWEEN INTERVAL 6 DAY PRECEDING AND CURRENT ROW),
       w28 AS (PARTITION BY feature_id ORDER BY event_date
               RANGE BETWEEN INTERVAL 27 DAY PRECEDING AND CURRENT ROW),
       b28 AS (PARTITION BY feature_id ORDER BY event_date
               RANGE BETWEEN INTERVAL 28 DAY PRECEDING AND INTERVAL 1 DAY PRECEDING)
"""


def event_files(data: Path) -> list[str]:
    return sorted(str(p) for p in (data / "data" / "telemetry").rglob("*.parquet"))


def run_floor(data: Path, work: Path) -> dict[str, object]:
    import duckdb

    con = duckdb.connect(str(work / "floor.duckdb"))
    start = time.perf_counter()
    con.execute(FLOOR_SQL, {"files": event_files(data)})
    seconds = time.perf_counter() - start
    rows = con.execute("SELECT count(*) FROM fact").fetchall()[0][0]
    return {"seconds": seconds, "rows": rows}


def run_vigil(data: Path, work: Path) -> dict[str, object]:
    """vigil's aggregate stage over files registered in the landing table (no ingest timed)."""
    from vigil.engine import DuckDBEngine
    from vigil.warehouse.aggregate import rebuild_days
    from vigil.warehouse.connection import connect

    con = connect(work / "vigil.duckdb")
    con.execute("SET enable_progress_bar = false")
    files = event_files(data)
    days = [dt.date.fromisoformat(Path(f).parent.name.split("=")[1]) for f in files]
    con.execute(
        "INSERT INTO landing_file SELECT 'telemetry', d, p, 'bench-' || p, 0, 'bench' "
        "FROM (SELECT unnest(?) AS d, unnest(?) AS p)",
        [days, files],
    )
    start = time.perf_counter()
    con.execute("BEGIN TRANSACTION")
    rebuild_days(con, DuckDBEngine(), sorted(set(days)))
    con.execute("COMMIT")
    seconds = time.perf_counter() - start
    rows = con.execute("SELECT count(*) FROM fact_feature_daily").fetchall()[0][0]
    return {"seconds": seconds, "rows": rows}


def run_pandas(data: Path, work: Path) -> dict[str, object]:
    """What a straightforward pandas implementation of the same facts looks like."""
    import pandas as pd

    start = time.perf_counter()
    events = pd.read_parquet(event_files(data))
    events["event_date"] = events["event_time"].dt.normalize()
    events["negative"] = (events["feedback_score"] <= 2).where(events["feedback_score"].notna())
    grouped = events.groupby(["feature_id", "event_date"])
    daily = grouped.agg(
        usage_count=("latency_ms", "size"),
        active_users=("user_id", "nunique"),
        sessions=("session_id", "nunique"),
        latency_mean_ms=("latency_ms", "mean"),
        crash_count=("crashed", "sum"),
        crash_rate=("crashed", "mean"),
        error_count=("error_count", "sum"),
        feedback_count=("feedback_score", "count"),
        feedback_mean=("feedback_score", "mean"),
        feedback_negative_share=("negative", "mean"),
    )
    quantiles = grouped["latency_ms"].quantile([0.5, 0.95, 0.99]).unstack()
    daily[["latency_p50_ms", "latency_p95_ms", "latency_p99_ms"]] = quantiles.to_numpy()
    daily["error_rate"] = daily["error_count"] / daily["usage_count"]
    daily = daily.reset_index().sort_values(["feature_id", "event_date"])
    daily["usage_share"] = daily["usage_count"] / daily.groupby("event_date")[
        "usage_count"
    ].transform("sum")
    parts = []
    for _, part in daily.groupby("feature_id"):
        part = part.set_index("event_date")
        for col in ("latency_p95_ms", "crash_rate", "error_rate", "feedback_mean"):
            stem = col.removesuffix("_ms")
            part[f"{stem}_7d"] = part[col].rolling("7D").mean()
            part[f"{stem}_28d"] = part[col].rolling("28D").mean()
        part["active_users_7d"] = part["active_users"].rolling("7D").mean()
        base = part["latency_p95_ms"].rolling("28D", closed="left").mean()
        part["latency_p95_delta_pct"] = 100 * (part["latency_p95_ms"] / base - 1)
        parts.append(part.reset_index())
    result = pd.concat(parts)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": len(result)}


def run_vigil_pipeline(data: Path, work: Path) -> dict[str, object]:
    """The whole load half of `vigil run`: read, validate, land, aggregate, quality.

    The ingest steps are timed from outside by load_profile.py (same folder); see it for the keys.
    """
    from load_profile import run_load_half

    return run_load_half(data, work, {})


WORKERS = {
    "floor": run_floor,
    "vigil": run_vigil,
    "pandas": run_pandas,
    "vigil_run": run_vigil_pipeline,
}


def measure(name: str, data: Path, work: Path) -> dict[str, object]:
    """Run one contender in a fresh process; add its peak resident memory (from wait4)."""
    work.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(
        [sys.executable, __file__, "--worker", name, "--data", str(data), "--work", str(work)],
        stdout=subprocess.PIPE,
        text=True,
    )
    return worker_result(proc)


def worker_result(proc: subprocess.Popen[str]) -> dict[str, object]:
    """The worker's last stdout line as JSON, its exit code and peak resident memory (wait4)."""
    _, status, usage = os.wait4(proc.pid, 0)  # the worker prints one short line: no pipe stall
    assert proc.stdout is not None
    out = proc.stdout.read().strip()
    result: dict[str, object] = json.loads(out.splitlines()[-1]) if out else {}
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        result["error"] = f"exit code {code}"
    result["peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)
    return result


def generate(events: int, days: int, features: int, cache: Path) -> Path:
    from vigil.synth import generate_events_only

    target = cache / f"events_{events}_{days}d_{features}f"
    marker = target / ".complete"
    if not marker.exists():
        start = time.perf_counter()
        generate_events_only(target, events, days, features)
        marker.write_text(f"{time.perf_counter() - start:.1f}")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--features", type=int, default=300)
    parser.add_argument("--pandas-max", type=int, default=20_000_000)
    parser.add_argument("--with-run", action="store_true", help="also time the full vigil run")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/vigil-bench"))
    parser.add_argument("--only", help="comma-separated contenders to run (default: all that fit)")
    parser.add_argument("--worker", choices=sorted(WORKERS))
    parser.add_argument("--data", type=Path)
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(WORKERS[args.worker](args.data, args.work)))
        return
    data = generate(args.events, args.days, args.features, args.cache)
    names = ["floor", "vigil"]
    if args.events <= args.pandas_max:
        names.append("pandas")
    if args.with_run:
        names.append("vigil_run")
    if args.only:
        names = [n for n in args.only.split(",") if n in WORKERS]
    stamp = f"{time.time_ns()}"
    out = RESULTS / f"aggregate_{args.events}.json"
    results = _earlier_results(out) if args.only else {}
    results |= {n: measure(n, data, args.cache / "work" / stamp / n) for n in names}
    report = {
        "benchmark": "aggregate",
        "command": " ".join(["python", *sys.argv]),
        "git_commit": subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=HERE, capture_output=True, text=True, check=False
        ).stdout.strip(),
        "events": args.events,
        "days": args.days,
        "features": args.features,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "results": results,
        "ratios": _ratios(results),
        "targets": {
            "vigil_over_floor_max": 1.3,
            "pandas_over_vigil_min": 4.0,
            "load_over_aggregate_max": 2.0,
        },
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    RESULTS.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(json.dumps(report["ratios"], indent=2))
    print(f"wrote {out}")


def _earlier_results(path: Path) -> dict[str, dict[str, object]]:
    """Results of contenders not rerun (--only), kept from the last report of this size."""
    if not path.exists():
        return {}
    earlier: dict[str, dict[str, object]] = json.loads(path.read_text()).get("results", {})
    stamp = json.loads(path.read_text()).get("measured_at")
    return {name: {**r, "measured_at": r.get("measured_at", stamp)} for name, r in earlier.items()}


def _ratios(results: dict[str, dict[str, object]]) -> dict[str, float | None]:
    def secs(name: str) -> float | None:
        value = results.get(name, {}).get("seconds")
        return float(value) if isinstance(value, int | float) else None

    floor, vigil, pandas = secs("floor"), secs("vigil"), secs("pandas")
    load = results.get("vigil_run", {}).get("load_over_aggregate")
    return {
        "vigil_over_floor": round(vigil / floor, 3) if vigil and floor else None,
        "pandas_over_vigil": round(pandas / vigil, 3) if pandas and vigil else None,
        "load_over_aggregate": float(load) if isinstance(load, int | float) else None,
    }


if __name__ == "__main__":
    main()
