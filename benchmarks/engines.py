"""DuckDB against Spark (local mode) on the same events: vigil's aggregate stage on each engine.

Each contender runs in its own fresh process over the same Parquet files registered as landed:
``rebuild_days`` with the engine, so the same SQL (DuckDB's, transpiled for Spark), the same batches
of days and the same window refresh. Peak memory is the largest resident set of the worker and all
its children (the Spark JVM included), sampled every 0.2 s; ``peak_rss_mb_worker`` is the Python
process alone (wait4). Spark's session start (JVM launch) is timed apart from the aggregation.
``cpu_seconds`` is the CPU time (user + system) the worker and its JVM spent aggregating: on a
machine shared with other work it is the steadier basis for throughput per core.

  duckdb_<n>   DuckDB engine with n threads
  spark_<n>    Spark engine, master local[n]

After the runs the daily tables of the two engines are compared row by row (same checks as
tests/engine/test_parity.py), so the timing is of engines that agree.

Usage:  python benchmarks/engines.py --events 20000000 [--cores 1,2] [--cache DIR]
Writes: benchmarks/results/engines.json
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
EXACT_COLUMNS = (
    "usage_count",
    "active_users",
    "sessions",
    "crash_count",
    "error_count",
    "feedback_count",
)
FLOAT_COLUMNS = (
    "latency_mean_ms",
    "latency_p50_ms",
    "latency_p95_ms",
    "latency_p99_ms",
    "crash_rate",
    "error_rate",
    "feedback_mean",
    "feedback_negative_share",
)


def event_files(data: Path) -> list[str]:
    return sorted(str(p) for p in (data / "data" / "telemetry").rglob("*.parquet"))


def run_engine(kind: str, cores: int, batch_days: int, data: Path, work: Path) -> dict[str, Any]:
    """One engine over every day: session start apart, then rebuild_days timed."""
    from vigil.engine import DuckDBEngine, tune_connection
    from vigil.engine.settings import EngineSettings
    from vigil.warehouse.aggregate import rebuild_days
    from vigil.warehouse.connection import connect

    con = connect(work / "vigil.duckdb")
    files = event_files(data)
    days = [dt.date.fromisoformat(Path(f).parent.name.split("=")[1]) for f in files]
    con.execute(
        "INSERT INTO landing_file SELECT 'telemetry', d, p, 'bench-' || p, 0, 'bench' "
        "FROM (SELECT unnest(?) AS d, unnest(?) AS p)",
        [days, files],
    )
    start_seconds = 0.0
    if kind == "duckdb":
        tune_connection(con, EngineSettings(threads=cores), str(work / "spill"))
        engine: Any = DuckDBEngine()
    else:
        from vigil.engine.spark_engine import SparkEngine, spark_session

        tune_connection(con, EngineSettings(threads=1), str(work / "spill"))
        settings = EngineSettings(
            kind="spark",
            master=f"local[{cores}]",
            conf={"spark.driver.memory": "6g", "spark.sql.shuffle.partitions": str(2 * cores)},
        )
        t0 = time.perf_counter()
        spark_session(settings, work / "spill").sql("SELECT 1").collect()
        start_seconds = time.perf_counter() - t0
        engine = SparkEngine(settings, work / "spill")
    t0, cpu0 = time.perf_counter(), tree_cpu_seconds()
    con.execute("BEGIN TRANSACTION")
    summary = rebuild_days(con, engine, sorted(set(days)), batch_days)
    con.execute("COMMIT")
    seconds, cpu = time.perf_counter() - t0, tree_cpu_seconds() - cpu0
    con.execute(
        f"COPY (SELECT * FROM fact_feature_daily ORDER BY feature_id, event_date) "
        f"TO '{work / 'daily.parquet'}' (FORMAT parquet)"
    )
    con.close()
    return {
        "seconds": seconds,
        "cpu_seconds": round(cpu, 2),
        "session_start_seconds": start_seconds,
        **summary,
    }


def tree_cpu_seconds() -> float:
    """User + system CPU time of this process and its children (the Spark JVM) so far."""
    import psutil

    total = 0.0
    me = psutil.Process()
    for proc in [me, *me.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            times = proc.cpu_times()
            total += times.user + times.system
    return total


class TreeMemory:
    """Peak resident memory of a process and its descendants, sampled on a thread."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        self.pid, self.every, self.peak = pid, every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                root = psutil.Process(self.pid)
                procs = [root, *root.children(recursive=True)]
                total = 0
                for p in procs:
                    with contextlib.suppress(psutil.Error):
                        total += p.memory_info().rss
                self.peak = max(self.peak, total)
            except psutil.Error:
                pass
            self._stop.wait(self.every)


def measure(name: str, batch_days: int, data: Path, work: Path) -> dict[str, Any]:
    """Run one contender in a fresh process; add its peak memory."""
    work.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, __file__, "--worker", name, "--batch-days", str(batch_days)]
    cmd += ["--data", str(data), "--work", str(work)]
    wall = time.perf_counter()
    with (work / "stderr.log").open("w") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True)
        with TreeMemory(proc.pid) as tree:
            _, status, usage = os.wait4(proc.pid, 0)
    assert proc.stdout is not None
    out = proc.stdout.read().strip()
    result: dict[str, Any] = json.loads(out.splitlines()[-1]) if out else {}
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        lines = (work / "stderr.log").read_text().strip().splitlines()
        result["error"] = f"exit code {code}: {lines[-1] if lines else ''}"
    result["process_wall_seconds"] = round(time.perf_counter() - wall, 2)
    result["peak_rss_mb"] = round(tree.peak / 2**20, 1)
    result["peak_rss_mb_worker"] = round(usage.ru_maxrss / 1024, 1)
    return result


def compare(left: Path, right: Path) -> dict[str, Any]:
    """Row-by-row comparison of two daily tables (the parity test's rules, at benchmark size)."""
    import duckdb

    con = duckdb.connect()
    a = con.execute(f"SELECT count(*) FROM '{left}'").fetchall()[0][0]
    b = con.execute(f"SELECT count(*) FROM '{right}'").fetchall()[0][0]
    join = f"'{left}' l JOIN '{right}' r USING (feature_id, event_date)"
    matched = con.execute(f"SELECT count(*) FROM {join}").fetchall()[0][0]
    exact = " + ".join(
        f"count(*) FILTER (WHERE l.{c} IS DISTINCT FROM r.{c})" for c in EXACT_COLUMNS
    )
    exact_mismatches = con.execute(f"SELECT {exact} FROM {join}").fetchall()[0][0]
    worst = {}
    for c in FLOAT_COLUMNS:
        worst[c] = con.execute(
            f"SELECT coalesce(max(abs(l.{c} - r.{c}) / nullif(abs(l.{c}), 0)), 0), "
            f"count(*) FILTER (WHERE l.{c} IS DISTINCT FROM r.{c}) FROM {join}"
        ).fetchall()[0]
    return {
        "rows": [a, b],
        "rows_matched_on_key": matched,
        "count_and_sum_mismatches": exact_mismatches,
        "float_max_relative_difference": {c: v[0] for c, v in worst.items()},
        "float_values_not_bit_identical": {c: v[1] for c, v in worst.items()},
    }


def git_commit() -> str:
    out = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=HERE, capture_output=True, text=True, check=False
    )
    return out.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--features", type=int, default=300)
    parser.add_argument("--cores", default="2", help="comma-separated core counts to run each at")
    parser.add_argument("--batch-days", type=int, default=31)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/vigil-bench"))
    parser.add_argument(
        "--compare-run",
        type=Path,
        help="only compare the daily tables of a run folder into the JSON",
    )
    parser.add_argument("--worker")
    parser.add_argument("--data", type=Path)
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    if args.worker:
        kind, cores = args.worker.split("_")
        print(json.dumps(run_engine(kind, int(cores), args.batch_days, args.data, args.work)))
        return
    if args.compare_run:
        print(f"wrote {_compare_run(args.compare_run)}")
        return
    sys.path.insert(0, str(HERE))  # the sibling benchmark that generates the events
    from aggregate import generate

    data = generate(args.events, args.days, args.features, args.cache)
    stamp = f"{time.time_ns()}"
    names = [f"{k}_{n}" for n in args.cores.split(",") for k in ("duckdb", "spark")]
    work = {n: args.cache / "engines" / stamp / n for n in names}
    results: dict[str, dict[str, Any]] = {}
    report: dict[str, Any] = {
        "benchmark": "engines",
        "command": "python " + " ".join(sys.argv),
        "git_commit": git_commit(),
        "events": args.events,
        "days": args.days,
        "features": args.features,
        "batch_days": args.batch_days,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_1_5_15": {"start": os.getloadavg()},
        "results": results,
        "complete": False,
    }
    for n in names:
        print(f"running {n} ...", flush=True)
        results[n] = measure(n, args.batch_days, data, work[n])
        seconds = results[n].get("seconds")
        if isinstance(seconds, float):
            cores = int(n.split("_")[1])
            results[n]["events_per_second"] = round(args.events / seconds)
            results[n]["events_per_second_per_core"] = round(args.events / seconds / cores)
        cpu = results[n].get("cpu_seconds")
        if isinstance(cpu, float) and cpu > 0:
            results[n]["events_per_cpu_second"] = round(args.events / cpu)
        report["load_average_1_5_15"][f"after_{n}"] = os.getloadavg()
        print(json.dumps(results[n]), flush=True)
        _write(report)
    report["spark_over_duckdb"] = _ratios(results, args.cores.split(","))
    report["parity"] = {
        n: compare(work[f"duckdb_{c}"] / "daily.parquet", work[n] / "daily.parquet")
        for n in names
        if n.startswith("spark_")
        for c in [n.split("_")[1]]
        if "error" not in results[n] and "error" not in results[f"duckdb_{c}"]
    }
    report["complete"] = True
    report["measured_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    print(json.dumps(report["spark_over_duckdb"], indent=2))
    print(f"wrote {_write(report)}")


def _compare_run(folder: Path) -> Path:
    """Parity of a run stopped before its end: each spark_<n> against duckdb_<n> in ``folder``."""
    report = json.loads((RESULTS / "engines.json").read_text())
    report["parity"] = {
        spark.name: compare(folder / f"duckdb_{spark.name.split('_')[1]}" / "daily.parquet", daily)
        for spark in sorted(folder.glob("spark_*"))
        if (daily := spark / "daily.parquet").exists()
    }
    report["parity_command"] = "python " + " ".join(sys.argv)
    return _write(report)


def _write(report: dict[str, Any]) -> Path:
    """Written after every contender, so a long run keeps what it measured."""
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "engines.json"
    out.write_text(json.dumps(report, indent=2, default=str))
    return out


def _ratios(results: dict[str, dict[str, Any]], cores: list[str]) -> dict[str, float | None]:
    """Spark's aggregation time over DuckDB's, per core count (session start not included)."""
    out: dict[str, float | None] = {}
    for c in cores:
        spark, duck = results[f"spark_{c}"].get("seconds"), results[f"duckdb_{c}"].get("seconds")
        out[f"{c}_cores"] = round(spark / duck, 2) if spark and duck else None
    return out


if __name__ == "__main__":
    main()
