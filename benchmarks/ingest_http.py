"""Live ingest over loopback HTTP: events per second and request latency with concurrent clients.

Starts `vigil serve` as a subprocess on a throw-away workspace, then for each batch size runs
``--clients`` threads, each with its own httpx client, posting JSON-array batches of unique events
(with event_ids) until ``--events`` events were sent or ``--seconds`` passed (both bounds hold).
Every 202 means the batch was fsync'd. References measured in the same run: the same clients on
GET /healthz (the HTTP floor) and the service's check+commit called in-process without HTTP.
After the load the server is stopped and the inbox is counted against the acknowledgements.

    flock /tmp/vigil-bench.lock .venv/bin/python benchmarks/ingest_http.py \
        [--clients 8] [--batches 10 100 1000] [--events 200000] [--seconds 30]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.serve.server import TOKEN, Server, auth, start

RESULTS = Path(__file__).parent / "results" / "ingest_http.json"
DAY = dt.date(2026, 3, 1)
FEATURES = [f"F{i}" for i in range(20)]


def workspace(root: Path) -> Path:
    """Features F0..F19, one tiny telemetry file, a pinned clock; roll every second."""
    (root / "data" / "telemetry").mkdir(parents=True)
    (root / "data" / "features.csv").write_text(
        "feature_id,feature_name\n" + "".join(f"{f},{f}\n" for f in FEATURES)
    )
    (root / "data" / "telemetry" / "seed.csv").write_text(
        "event_time,feature_id,latency_ms,crashed\n2026-02-28T00:00:00Z,F0,1,false\n"
    )
    doc = {
        "as_of": "2026-03-02T00:00:00",
        "inputs": {
            "telemetry": {"path": "data/telemetry"},
            "features": {"path": "data/features.csv"},
        },
        "serve": {"roll_seconds": 1.0, "max_events": 5_000, "max_body_bytes": 5_000_000},
    }
    config = root / "vigil.yaml"
    config.write_text(json.dumps(doc))
    return config


def batch_body(prefix: str, start: int, size: int) -> bytes:
    """A JSON array of ``size`` unique events."""
    events = [
        {
            "event_id": f"{prefix}-{n}",
            "event_time": f"{DAY}T{n // 3600 % 24:02d}:{n // 60 % 60:02d}:{n % 60:02d}Z",
            "feature_id": FEATURES[n % len(FEATURES)],
            "latency_ms": 50 + n % 400,
            "crashed": n % 97 == 0,
            "user_id": f"user{n % 5000}",
            "session_id": f"s{n}",
            "error_count": n % 3,
            "app_version": "5.2.0",
            "region": "eu",
        }
        for n in range(start, start + size)
    ]
    return json.dumps(events).encode()


def load(
    server: Server, clients: int, batch: int, max_events: int, seconds: float, path: str
) -> dict[str, object]:
    """Run the clients; latency per request, accepted events, wall time."""
    latencies: list[float] = []
    accepted = [0]
    lock = threading.Lock()
    next_batch = [0]
    deadline = time.monotonic() + seconds
    errors: list[str] = []

    def client(c: int) -> None:
        with httpx.Client(timeout=60) as http:
            while time.monotonic() < deadline:
                with lock:
                    k = next_batch[0]
                    if k * batch >= max_events:
                        return
                    next_batch[0] += 1
                if path == "/healthz":
                    t0 = time.perf_counter()
                    answer = http.get(server.url + path)
                else:
                    body = batch_body(f"b{batch}", k * batch, batch)
                    t0 = time.perf_counter()
                    answer = http.post(server.url + path, content=body, headers=auth())
                elapsed = time.perf_counter() - t0
                with lock:
                    if answer.status_code not in (200, 202):
                        errors.append(f"{answer.status_code} {answer.text[:200]}")
                        return
                    latencies.append(elapsed)
                    if path != "/healthz":
                        accepted[0] += answer.json()["accepted"]

    threads = [threading.Thread(target=client, args=(c,)) for c in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    if errors:
        raise SystemExit(f"requests failed: {errors[:3]}")
    ordered = sorted(latencies)
    return {
        "clients": clients,
        "batch_events": batch if path != "/healthz" else 0,
        "requests": len(latencies),
        "events_accepted": accepted[0],
        "seconds": round(wall, 3),
        "events_per_second": round(accepted[0] / wall, 1),
        "requests_per_second": round(len(latencies) / wall, 1),
        "latency_ms_p50": round(1000 * statistics.median(ordered), 2),
        "latency_ms_p99": round(1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))], 2),
    }


def in_process(config: Path, batch: int, max_events: int, seconds: float) -> dict[str, object]:
    """The same check + fsync'd commit without HTTP, one caller (what the endpoint adds to)."""
    from vigil.config import load_config
    from vigil.serve.service import IngestService

    cfg = load_config(config)
    with tempfile.TemporaryDirectory() as spool:
        cfg = cfg.model_copy(update={"workspace": spool})
        service = IngestService.open(cfg)
        sent, accepted = 0, 0
        t0 = time.perf_counter()
        while sent < max_events and time.perf_counter() - t0 < seconds:
            body = batch_body(f"p{batch}", sent, batch)
            accepted += int(service.ingest(body, None, "application/json")["accepted"])  # type: ignore[call-overload]
            sent += batch
        wall = time.perf_counter() - t0
        service.journal.close()
    return {
        "batch_events": batch,
        "events_accepted": accepted,
        "seconds": round(wall, 3),
        "events_per_second": round(accepted / wall, 1),
    }


def git_commit() -> str:
    out = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True)
    return out.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--batches", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--events", type=int, default=200_000, help="most events per batch size")
    parser.add_argument("--seconds", type=float, default=30.0, help="most seconds per batch size")
    args = parser.parse_args()
    os.environ.setdefault("VIGIL_INGEST_TOKEN", TOKEN)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        config = workspace(Path(tmp))
        server = start(config)
        try:
            floor = load(server, args.clients, 1, args.events, min(args.seconds, 10), "/healthz")
            runs = [
                load(server, args.clients, b, args.events, args.seconds, "/v1/events")
                for b in args.batches
            ]
        finally:
            code = server.stop()
        inbox = sorted((Path(tmp) / ".vigil" / "inbox" / "telemetry").glob("*.parquet"))
        stored = pl.scan_parquet(inbox).select(pl.len()).collect().item() if inbox else 0
        direct = [in_process(config, b, args.events, args.seconds) for b in args.batches]
    acknowledged = sum(int(r["events_accepted"]) for r in runs)  # type: ignore[call-overload]
    for run, ref in zip(runs, direct, strict=True):
        run["share_of_in_process_rate"] = round(
            float(run["events_per_second"]) / float(ref["events_per_second"]),
            3,  # type: ignore[arg-type]
        )
    result = {
        "command": "flock /tmp/vigil-bench.lock .venv/bin/python benchmarks/ingest_http.py "
        + " ".join(sys.argv[1:]),
        "git_commit": git_commit(),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_1m": {"before": load_before, "after": os.getloadavg()[0]},
            "platform": platform.platform(),
        },
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d"),
        "bounds": {"events_per_batch_size": args.events, "seconds_per_batch_size": args.seconds},
        "http": runs,
        "reference": {"healthz_round_trip": floor, "in_process_commit": direct},
        "check": {
            "acknowledged_events": acknowledged,
            "inbox_events": stored,
            "server_exit_code": code,
        },
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
