"""Where the load half of `vigil run` spends its time: before and after, on the same events.

Each contender is the whole load half (`run_pipeline(stages=False)`: ingest, aggregate, quality,
commit) in its own fresh process over the same generated events, run from a source tree given with
--tree LABEL=PATH (e.g. `before=/tmp/src-at-3474a4f after=src`). The ingest steps are timed by
wrapping the loader's functions from outside (no timer in the product code):

  hash       sha256 of every source file (discover)
  read       Parquet / CSV into a DataFrame
  validate   column mapping + every row check
  land       dedup within the file and against landed rows, write or copy, landing_file row
  record     quarantine, manifest and landing_file rows
  other      the rest of ingest (per-file bookkeeping, skipped-file checks, known features, and
             waiting for the file prepared ahead)

Steps run on the loader's own thread are in ingest_steps; steps run on the worker thread that
prepares the next file (read, validate: overlapped with landing) are in ingest_steps_ahead.

The ratio that matters is load_half / aggregate (both from the same run). cpu_seconds (the whole
load half) and ingest_cpu_seconds are process CPU seconds, all threads: on a shared machine they
move much less than wall seconds.

Usage:  python benchmarks/load_profile.py --events 20000000 \
            --tree before=/tmp/x/src --tree after=src
Writes: benchmarks/results/load_profile_<events>.json
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import importlib
import json
import os
import platform
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
STEPS = {
    "hash": [("vigil.ingest.reader", "file_hash")],
    "read": [("vigil.ingest.loader", "read_source"), ("vigil.ingest.prepare", "read_source")],
    "validate": [
        ("vigil.ingest.loader", "map_columns"),
        ("vigil.ingest.loader", "validate"),
        ("vigil.ingest.prepare", "map_columns"),
        ("vigil.ingest.prepare", "validate"),
    ],
    "land": [("vigil.ingest.loader", "land_events")],
    "record": [
        ("vigil.ingest.loader", "_write_quarantine"),
        ("vigil.ingest.loader", "_write_manifest"),
        ("vigil.ingest.loader", "_flush"),
    ],
}


def instrument() -> tuple[dict[str, float], dict[str, float]]:
    """Wrap the ingest steps with timers: seconds on the loader's thread, and on worker threads."""
    spent, ahead = dict.fromkeys(STEPS, 0.0), dict.fromkeys(STEPS, 0.0)
    for step, targets in STEPS.items():
        for module_name, attr in targets:
            try:
                module = importlib.import_module(module_name)
            except ImportError:
                continue  # an older tree without this module
            if hasattr(module, attr):
                setattr(module, attr, _timed(getattr(module, attr), spent, ahead, step))
    return spent, ahead


def _timed(
    fn: Callable[..., Any], spent: dict[str, float], ahead: dict[str, float], step: str
) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            main = threading.current_thread() is threading.main_thread()
            (spent if main else ahead)[step] += time.perf_counter() - start

    return wrapper


def run_load_half(data: Path, work: Path, engine: dict[str, object]) -> dict[str, object]:
    """The whole load half of `vigil run` on ``data``, with the ingest steps timed."""
    spent, ahead = instrument()
    ingest_cpu = _cpu_of("vigil.ingest.loader", "ingest_all")
    from vigil.config import VigilConfig
    from vigil.pipeline import run_pipeline

    doc: dict[str, object] = {
        "root": data,
        "workspace": str(work / "ws"),
        "inputs": {
            "telemetry": {"path": "data/telemetry"},
            "features": {"path": "data/features.csv"},
        },
    }
    if engine:
        doc["engine"] = engine
    cfg = VigilConfig.model_validate(doc)
    spill = _SpillWatch(Path(str(engine["spill_dir"]))) if "spill_dir" in engine else None
    start, cpu_start = time.perf_counter(), _cpu()
    result = run_pipeline(cfg, stages=False, now=dt.datetime(2100, 1, 1))
    seconds, cpu = time.perf_counter() - start, _cpu() - cpu_start
    stages = result.report["seconds"]
    ingest = {k: round(v, 3) for k, v in spent.items()}
    ingest["other"] = round(stages["ingest"] - sum(spent.values()), 3)
    import vigil

    return {
        "vigil_from": str(Path(vigil.__file__).parent),
        "seconds": round(seconds, 3),
        "rows": result.report["row_accounting"]["rows_loaded"],
        "stage_seconds": stages,
        "ingest_steps": ingest,
        "ingest_steps_ahead": {k: round(v, 3) for k, v in ahead.items() if v},
        "outside_stages": round(seconds - sum(stages.values()), 3),
        "cpu_seconds": round(cpu, 3),
        "ingest_cpu_seconds": round(ingest_cpu[0], 3),
        "load_over_aggregate": round(seconds / stages["aggregate"], 3),
        "engine": engine,
        "spill_peak_mb": spill.stop() if spill else None,
    }


def _cpu() -> float:
    """CPU seconds of this process so far, every thread (Polars' and DuckDB's pools included)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _cpu_of(module_name: str, attr: str) -> list[float]:
    """Wrap ``module.attr`` (before anyone imports it by name) to add up the process CPU seconds
    spent while it runs; a machine shared with other work slows the wall clock, much less this."""
    total = [0.0]
    module = importlib.import_module(module_name)
    fn = getattr(module, attr)

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = _cpu()
        try:
            return fn(*args, **kwargs)
        finally:
            total[0] += _cpu() - start

    setattr(module, attr, wrapper)
    return total


class _SpillWatch:
    """Samples the size of the spill folder every half second; the peak says it was used."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.peak, self._done = folder, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._done.wait(0.5):
            self.peak = max(self.peak, _folder_bytes(self.folder))

    def stop(self) -> float:
        self._done.set()
        self._thread.join()
        return round(self.peak / 2**20, 1)


def _folder_bytes(folder: Path) -> int:
    total = 0
    for path in folder.rglob("*"):
        with contextlib.suppress(OSError):  # spill files come and go while we look
            total += path.stat().st_size if path.is_file() else 0
    return total


def measure(tree: Path, data: Path, work: Path, engine: dict[str, object]) -> dict[str, object]:
    """One load half in a fresh process importing vigil from ``tree``; adds peak RSS."""
    work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": f"{tree.resolve()}{os.pathsep}{HERE}"}
    cmd = [sys.executable, __file__, "--worker", "--data", str(data), "--work", str(work)]
    cmd += ["--engine", json.dumps(engine)]
    from aggregate import worker_result

    return worker_result(subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env))


def _git_commit() -> str:
    out = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=HERE, capture_output=True, text=True, check=False
    )
    return out.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--features", type=int, default=300)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/vigil-bench"))
    parser.add_argument("--tree", action="append", default=[], help="LABEL=PATH to a src folder")
    parser.add_argument("--memory-limit", help="engine.memory_limit, e.g. 2GB")
    parser.add_argument("--spill-dir", type=Path, help="engine.spill_dir (absolute)")
    parser.add_argument("--out", type=Path, help="result file (default: load_profile_<events>)")
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--engine", default="{}", help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path)
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(run_load_half(args.data, args.work, json.loads(args.engine))))
        return
    engine: dict[str, object] = {}
    if args.memory_limit:
        engine["memory_limit"] = args.memory_limit
    if args.spill_dir:
        args.spill_dir.mkdir(parents=True, exist_ok=True)
        engine["spill_dir"] = str(args.spill_dir.resolve())
    from aggregate import generate

    data = generate(args.events, args.days, args.features, args.cache)
    trees = dict(t.split("=", 1) for t in args.tree) or {"current": str(HERE.parent / "src")}
    stamp, commit = f"{time.time_ns()}", _git_commit()  # the code the workers import
    results = {
        label: measure(Path(path), data, args.cache / "work" / stamp / label, engine)
        for label, path in trees.items()
    }
    report = {
        "benchmark": "load_profile",
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "events": args.events,
        "days": args.days,
        "features": args.features,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "git_commit": commit,
        "trees": trees,
        "results": results,
        "target": {"load_over_aggregate_max": 2.0},
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    RESULTS.mkdir(exist_ok=True)
    out = args.out or RESULTS / f"load_profile_{args.events}.json"
    out.write_text(json.dumps(report, indent=2))
    print(json.dumps({k: v.get("load_over_aggregate") for k, v in results.items()}, indent=2))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
