"""Benchmark: how long the dashboard's overview takes to load for 300 features x 365 days.

Builds a sample warehouse of that size in a temporary DuckDB file (vigil.dashboard.sample), then
times, over fresh read-only connections, what the overview page does on a cache miss: its queries
(vigil.dashboard.overview.load_overview) plus the insight sentences. Target: under 2 s.
Writes benchmarks/results/dashboard_load.json. A benchmark, not a test.

    .venv/bin/python benchmarks/dashboard_load.py [--features 300] [--days 365] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import tempfile
import time
from pathlib import Path

import duckdb

from vigil.attention.stage import run_stage as draw_attention
from vigil.config import default_config
from vigil.context import RunContext
from vigil.dashboard.insights import build_insights
from vigil.dashboard.overview import load_overview
from vigil.dashboard.sample import build_sample_warehouse
from vigil.warehouse.connection import connect, open_warehouse

RESULTS = Path(__file__).parent / "results" / "dashboard_load.json"
TARGET_S = 2.0


def build(root: Path, features: int, days: int) -> float:
    """Create the warehouse and draw up its attention list (what the overview reads); returns the
    seconds it took."""
    start = time.perf_counter()
    con = connect(root / ".vigil" / "warehouse.duckdb")
    try:
        runs = root / ".vigil" / "runs"
        build_sample_warehouse(con, n_features=features, days=days, report_dir=runs)
        ctx = RunContext(cfg=default_config(root), con=con, run_id="bench", report_dir=runs)
        draw_attention(ctx)
    finally:
        con.close()
    return time.perf_counter() - start


def time_overview(root: Path) -> tuple[float, int]:
    """One cold overview load (new connection, no cache); seconds and number of insights."""
    cfg = default_config(root)
    start = time.perf_counter()
    with open_warehouse(cfg.warehouse_path, read_only=True) as con:
        data = load_overview(con, cfg)
    insights = build_insights(data)
    return time.perf_counter() - start, len(insights)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", type=int, default=300)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        build_s = build(root, args.features, args.days)
        first_s, n_insights = time_overview(root)  # includes first-use costs (imports, SQL parsing)
        runs = [time_overview(root)[0] for _ in range(args.repeat)]
        rows = (
            duckdb.connect(str(root / ".vigil" / "warehouse.duckdb"), read_only=True)
            .execute("SELECT count(*) FROM fact_feature_daily")
            .fetchone()[0]
        )  # type: ignore[index]
    result = {
        "benchmark": "dashboard overview load (queries + insight sentences), cold cache",
        "features": args.features,
        "days": args.days,
        "fact_feature_daily_rows": rows,
        "build_warehouse_s": round(build_s, 3),
        "first_load_s": round(first_s, 3),
        "load_s_runs": [round(r, 3) for r in runs],
        "load_s_median": round(statistics.median(runs), 3),
        "insights": n_insights,
        "target_s": TARGET_S,
        "meets_target": max([first_s, *runs]) < TARGET_S,
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
