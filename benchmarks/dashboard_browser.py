"""Benchmark: what a user waits for on the dashboard's overview, in a real headless Chromium.

Writes a 300-feature x 365-day daily-grain world (seeded numpy, fixed dates; a few features
regress over the last days so the attention list has items), runs ``vigil run`` on it, serves it
with ``vigil dashboard`` and opens the overview in headless Chromium (Playwright on the system
browser). Per visit it times, from the start of the navigation:

- ``insights_s``: the insight list is visible (its first item and the data-quality sentence);
- ``complete_s``: the insight list, every chart (drawn) and every table (first cell) are visible
  (a chart: Plotly, Vega-Lite or the dashboard's inline SVG bars; a table: a data grid, a static
  table or a markdown table).

The first visit is a fresh server (empty caches) and a fresh browser; warm visits reuse both.
Target: complete under 2 s warm and 3 s on the first visit. The 1-minute load average before
and after the visits is recorded: on a shared machine compare labels measured back to back. Writes
benchmarks/results/dashboard_browser.json (``--label`` keys the entry, e.g. before / after, so
runs at two commits land side by side). A benchmark, not a test.

    flock /tmp/vigil-bench.lock .venv/bin/python benchmarks/dashboard_browser.py --label after \
        --world /tmp/bench_world
    # the same world served by the code of another commit (its src first on the path):
    PYTHONPATH=<checkout>/src flock /tmp/vigil-bench.lock .venv/bin/python \
        benchmarks/dashboard_browser.py --label before --world /tmp/bench_world
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

RESULTS = Path(__file__).parent / "results" / "dashboard_browser.json"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
"""headless Chromium on this closed network (the browser tests use the same flags)"""
START = dt.date(2025, 5, 1)
TARGET_WARM_S, TARGET_FIRST_S = 2.0, 3.0
WAIT_MS = 120_000
TEAMS = ("payments", "discovery", "identity", "media")
STAGES = ("ga", "beta", "alpha", "deprecated")
PLATFORMS = ("ios", "android", "web")
INSIGHTS_SHOWN = (
    "() => [...document.querySelectorAll('[data-testid=stMarkdownContainer]')]"
    ".some(e => e.innerText.includes('Data quality of the latest run'))"
    " && [...document.querySelectorAll('[data-testid=stMarkdownContainer]')]"
    ".some(e => /likely regressing|Nothing needs attention/.test(e.innerText))"
)
CHARTS = "[data-testid=stPlotlyChart], [data-testid=stVegaLiteChart], [data-testid=vigilBarChart]"
"""Plotly and Vega-Lite charts, and the dashboard's inline SVG bar charts"""
TABLES = "[data-testid=stDataFrame], [data-testid=stTable], [data-testid=stMarkdownContainer] table"
"""data grids, static tables and markdown tables"""
CHARTS_AND_TABLES_SHOWN = (
    "() => !document.querySelector('[data-testid=stSkeleton]')"
    f" && document.querySelectorAll('{CHARTS}').length > 0"
    " && [...document.querySelectorAll('[data-testid=stPlotlyChart]')]"
    ".every(e => e.querySelector('svg.main-svg'))"
    " && [...document.querySelectorAll('[data-testid=stVegaLiteChart]')]"
    ".every(e => e.querySelector('canvas, svg'))"
    " && [...document.querySelectorAll('[data-testid=vigilBarChart]')]"
    ".every(e => e.querySelector('rect'))"
    f" && document.querySelectorAll('{TABLES}').length > 0"
    " && [...document.querySelectorAll('[data-testid=stDataFrame]')]"
    ".every(e => e.querySelector('[data-testid=glide-cell-0-0]'))"
    " && [...document.querySelectorAll('[data-testid=stTable]')].every(e => e.querySelector('td'))"
    " && [...document.querySelectorAll('[data-testid=stMarkdownContainer] table')]"
    ".every(e => e.querySelector('td'))"
)


def write_world(root: Path, features: int, days: int, seed: int) -> Path:
    """Daily-grain telemetry and a feature list; returns the config path."""
    rng = np.random.default_rng(seed)
    ids = [f"f{i:03d}" for i in range(features)]
    data = root / "data"
    data.mkdir(parents=True)
    pd.DataFrame(
        {
            "feature_id": ids,
            "feature_name": [f"Feature {i:03d}" for i in range(features)],
            "owner_team": [TEAMS[i % len(TEAMS)] for i in range(features)],
            "lifecycle_stage": [STAGES[i % len(STAGES)] for i in range(features)],
            "release_date": START.isoformat(),
            "platform": [PLATFORMS[i % len(PLATFORMS)] for i in range(features)],
        }
    ).to_csv(data / "features.csv", index=False)
    n = features * days
    feat = np.repeat(np.arange(features), days)
    day = np.tile(np.arange(days), features)
    usage = rng.integers(800, 5000, features)[feat] + rng.integers(0, 200, n)
    latency = rng.uniform(60, 180, features)[feat] * rng.normal(1.0, 0.03, n)
    crash = np.clip(rng.normal(0.004, 0.0008, n), 0, None)
    regressing = (feat % 30 == 0) & (day >= days - 10)  # ten features regress at the end
    latency = np.where(regressing, latency * 1.6, latency)
    crash = np.where(regressing, crash + 0.01, crash)
    pd.DataFrame(
        {
            "event_date": (pd.Timestamp(START) + pd.to_timedelta(day, unit="D")).date,
            "feature_id": np.asarray(ids)[feat],
            "latency_ms": latency.round(2),
            "latency_p95_ms": (latency * 2.2).round(2),
            "crash_rate": crash.round(6),
            "error_rate": (crash * 2).round(6),
            "feedback_score": np.clip(rng.normal(4.2, 0.05, n) - regressing * 0.5, 1, 5).round(3),
            "active_users": (usage * 0.6).astype(int),
            "usage_count": usage,
        }
    ).to_csv(data / "telemetry.csv", index=False)
    end = START + dt.timedelta(days=days)
    config = root / "vigil.yaml"
    doc = {
        "workspace": ".vigil",
        "as_of": dt.datetime.combine(end, dt.time(12)).isoformat(),
        "inputs": {
            "telemetry": {"path": "data/telemetry.csv", "grain": "daily"},
            "features": {"path": "data/features.csv"},
        },
    }
    config.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return config


def vigil(*args: str) -> list[str]:
    return [str(Path(sys.executable).with_name("vigil")), *args]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(config: Path, port: int) -> subprocess.Popen[str]:
    """``vigil dashboard`` in its own process group; returns once Streamlit prints its URL."""
    process = subprocess.Popen(
        vigil("dashboard", "-c", str(config), "--port", str(port)),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    seen = []
    for line in process.stdout:  # blocks until the server prints; EOF if it dies
        seen.append(line)
        if "URL:" in line and f":{port}" in line:
            return process
    raise RuntimeError("vigil dashboard exited before serving:\n" + "".join(seen))


def stop(process: subprocess.Popen[str]) -> None:
    """Stop the CLI and the Streamlit server it started (one process group, ours)."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def visit(page: Any, url: str) -> dict[str, float]:
    """Seconds from navigation until the insight list, then charts and tables, are visible."""
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_function(INSIGHTS_SHOWN, timeout=WAIT_MS, polling="raf")
    insights = time.perf_counter() - start
    page.wait_for_function(CHARTS_AND_TABLES_SHOWN, timeout=WAIT_MS, polling="raf")
    complete = time.perf_counter() - start
    if page.locator("[data-testid=stException]").count():
        raise RuntimeError("the overview showed an exception")
    return {"insights_s": round(insights, 3), "complete_s": round(complete, 3)}


def measure(config: Path, warm: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    port = free_port()
    started = time.perf_counter()
    process = serve(config, port)
    server_start_s = round(time.perf_counter() - started, 2)  # until Streamlit prints its URL
    url = f"http://127.0.0.1:{port}/"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1440, "height": 900})
            page = context.new_page()
            first = visit(page, url)
            warm_runs = []
            for _ in range(warm):
                page.close()
                page = context.new_page()
                warm_runs.append(visit(page, url))
            browser.close()
    finally:
        stop(process)
    return {
        "server_start_s": server_start_s,
        "first_visit": first,
        "warm_runs": warm_runs,
        "warm_median": {
            key: round(statistics.median(r[key] for r in warm_runs), 3)
            for key in ("insights_s", "complete_s")
        },
    }


def git_commit() -> str:
    import vigil as package

    where = Path(package.__file__).resolve().parent
    out = subprocess.run(
        ["git", "-C", str(where), "rev-parse", "HEAD"], capture_output=True, text=True
    )
    dirty = subprocess.run(
        ["git", "-C", str(where), "status", "--porcelain", "--", str(where)],
        capture_output=True,
        text=True,
    )
    return out.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", type=int, default=300)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--warm", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--label", default="after")
    parser.add_argument(
        "--world", type=Path, help="folder to build the world in, or reuse it from (before/after)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.world or Path(tmp)
        config, build_s, run_exit = root / "vigil.yaml", None, None
        if not config.is_file():  # --world reuses a world built by an earlier run
            write_world(root, args.features, args.days, args.seed)
            start = time.perf_counter()
            run = subprocess.run(vigil("run", "-c", str(config), "--json"), capture_output=True)
            run_exit = run.returncode  # 1 when a stage failed: the overview is still measured
            build_s = round(time.perf_counter() - start, 1)
        load_before = os.getloadavg()[0]
        timings = measure(config, args.warm)
        load_after = os.getloadavg()[0]
    entry = {
        "command": " ".join(["python", *sys.argv]),
        "git_commit": git_commit(),
        "cpu_count": os.cpu_count(),
        "load_average_1min": [round(load_before, 1), round(load_after, 1)],
        "features": args.features,
        "days": args.days,
        "seed": args.seed,
        "grain": "daily",
        "world": "built by this run" if build_s is not None else f"reused from {args.world}",
        "vigil_run_s": build_s,
        "vigil_run_exit": run_exit,
        **timings,
        "target_warm_s": TARGET_WARM_S,
        "target_first_s": TARGET_FIRST_S,
        "meets_target": timings["warm_median"]["complete_s"] < TARGET_WARM_S
        and timings["first_visit"]["complete_s"] < TARGET_FIRST_S,
        "python": platform.python_version(),
    }
    results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.is_file() else {}
    results["benchmark"] = "dashboard overview in headless Chromium: navigation to visible"
    results.setdefault("runs", {})[args.label] = entry
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(entry, indent=2))


if __name__ == "__main__":
    main()
