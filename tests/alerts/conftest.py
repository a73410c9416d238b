"""Alert fixtures: a real HTTP receiver on 127.0.0.1 and a tiny warehouse of every source."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import duckdb
import pytest

from vigil.warehouse.connection import memory_warehouse

DAY = dt.date(2026, 3, 10)
NOW = dt.datetime(2026, 3, 11, 12, 0)


@dataclass
class Receiver:
    """Records every POST (path, JSON body) and answers with scripted status codes per path
    (then 202). ``"hang"`` holds the response until the test ends (a client timeout)."""

    url: str = ""
    requests: list[tuple[str, Any]] = field(default_factory=list)
    script: dict[str, list[int | str]] = field(default_factory=dict)
    release: threading.Event = field(default_factory=threading.Event)

    def bodies(self, path: str) -> list[Any]:
        return [body for p, body in self.requests if p == path]


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length))
            receiver.requests.append((self.path, body))
            queue = receiver.script.get(self.path, [])
            answer = queue.pop(0) if queue else 202
            if answer == "hang":
                receiver.release.wait(5)
                return
            self.send_response(int(answer))
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"status": "ok"}')

        def log_message(self, *args: Any) -> None:
            return

    return Handler


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A live HTTP server on a free local port, shut down after the test."""
    rec = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(rec))
    server.daemon_threads = True
    rec.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield rec
    finally:
        rec.release.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


def daily_rows(feature: str, users: int, events: int, days: int = 7) -> list[tuple[Any, ...]]:
    """``days`` days of traffic ending on DAY."""
    return [(feature, DAY - dt.timedelta(days=i), events, users, users) for i in range(days)]


def seed_warehouse(con: duckdb.DuckDBPyConnection) -> None:
    """Two features: Checkout (busy) and Tiny (3 users a day); each with an act-now risk score,
    in the attention budget, and an anomaly on DAY; dataset drift; one fleet segment in the
    immediate tier and one too small to alert on."""
    con.execute("INSERT INTO dim_feature (feature_id, feature_name) VALUES ('F1', 'Checkout')")
    con.execute("INSERT INTO dim_feature (feature_id, feature_name) VALUES ('F2', 'Tiny')")
    con.executemany(
        "INSERT INTO fact_feature_daily (feature_id, event_date, usage_count, active_users, "
        "sessions) VALUES (?, ?, ?, ?, ?)",
        daily_rows("F1", 400, 900) + daily_rows("F2", 3, 5),
    )
    for fid, name, risk, rank in (("F1", "Checkout", 0.82, 1), ("F2", "Tiny", 0.9, 2)):
        con.execute(
            "INSERT INTO feature_risk (feature_id, score_date, risk, impact, users_exposed, tier, "
            "reason) VALUES (?, ?, ?, 1.0, 100, 'act_now', 'crash rate up')",
            [fid, DAY, risk],
        )
        con.execute(
            "INSERT INTO attention_item (as_of_date, rank, item_key, kind, title, probability, "
            "signals, evidence, in_budget) VALUES (?, ?, ?, 'feature', ?, 0.7, 'risk', 'x', TRUE)",
            [DAY, rank, fid, name],
        )
    add_anomaly(con, "F1")
    add_anomaly(con, "F2")
    con.execute(
        "INSERT INTO drift_summary (run_id, dataset_drift, drift_share, columns_evaluated, "
        "columns_drifted, summary, created_at) VALUES ('r1', TRUE, 0.6, 10, 6, "
        "'6 of 10 columns drifted', ?)",
        [NOW],
    )
    for model, devices in (("hub-1", 40), ("hub-2", 2)):
        con.execute(
            "INSERT INTO fleet_risk (device_model, firmware_version, age_band, devices, "
            "device_days, errors, rma_count, error_rate_per_10k, weighted_risk, tier, spike_days) "
            "VALUES (?, '3.2.1', '2y+', ?, 100, 5, 0, 12.5, 3.25, 'immediate', 0)",
            [model, devices],
        )


def add_anomaly(con: duckdb.DuckDBPyConnection, feature: str, day: dt.date = DAY) -> None:
    con.execute(
        "INSERT INTO feature_anomaly (feature_id, event_date, metric, kind, score, message) "
        "VALUES (?, ?, 'crash_rate', 'level_shift_up', 0.97, 'crash_rate level shift up')",
        [feature, day],
    )


@pytest.fixture
def warehouse() -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory warehouse with the full schema and the seed rows."""
    con = memory_warehouse()
    seed_warehouse(con)
    try:
        yield con
    finally:
        con.close()
