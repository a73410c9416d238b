"""kill -9 mid-load: no acknowledged event is lost and none is stored twice.

Two threads post batches over real HTTP to a `vigil serve` subprocess that rolls its log every
50 ms; the server is SIGKILLed while they post. A restarted server is sent every batch again
(same event_ids), then `vigil run` loads the inbox. Every event a 202 acknowledged must be in the
inbox batches and in the warehouse exactly once; resends must all come back as duplicates.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import httpx
import polars as pl
from tests.serve.data import event, write_workspace
from tests.serve.server import Server, auth, running

from vigil.config import load_config
from vigil.pipeline import run_pipeline
from vigil.warehouse.connection import open_warehouse, resolved_paths

BATCH = 25
BATCHES_PER_THREAD = 400
KILL_AFTER = 600  # acknowledged events


def _batch(thread: int, b: int) -> list[dict[str, object]]:
    first = (thread * BATCHES_PER_THREAD + b) * BATCH
    return [event(n, event_id=f"e{n}") for n in range(first, first + BATCH)]


class Poster(threading.Thread):
    """Posts its batches until the server goes away; remembers what was acknowledged."""

    def __init__(self, server: Server, thread: int) -> None:
        super().__init__(daemon=True)
        self.server, self.thread = server, thread
        self.sent: list[list[dict[str, object]]] = []
        self.acked: list[str] = []
        self.finished = False

    def run(self) -> None:
        with httpx.Client(timeout=30) as client:
            for b in range(BATCHES_PER_THREAD):
                batch = _batch(self.thread, b)
                self.sent.append(batch)
                try:
                    answer = client.post(
                        self.server.url + "/v1/events", content=json.dumps(batch), headers=auth()
                    )
                except httpx.HTTPError:
                    return
                assert answer.status_code == 202, answer.text
                assert answer.json()["accepted"] == BATCH
                self.acked.extend(str(e["event_id"]) for e in batch)
        self.finished = True


def test_kill9_mid_load_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    config = write_workspace(tmp_path, roll_seconds=0.05)
    with running(config) as server:
        posters = [Poster(server, t) for t in range(2)]
        for p in posters:
            p.start()
        deadline = time.monotonic() + 120
        while sum(len(p.acked) for p in posters) < KILL_AFTER and time.monotonic() < deadline:
            time.sleep(0.01)
        server.kill()
        for p in posters:
            p.join(timeout=60)
    acked = {i for p in posters for i in p.acked}
    sent = [batch for p in posters for batch in p.sent]
    assert len(acked) >= KILL_AFTER
    assert not any(p.finished for p in posters), "the kill must land mid-load"

    with running(config) as restarted, httpx.Client(timeout=30) as client:
        for batch in sent:
            answer = client.post(
                restarted.url + "/v1/events", content=json.dumps(batch), headers=auth()
            )
            assert answer.status_code == 202
            ids = {str(e["event_id"]) for e in batch}
            if ids <= acked:
                assert answer.json() == {
                    "accepted": 0,
                    "duplicate": BATCH,
                    "rejected": 0,
                    "rejections": [],
                }
        assert restarted.stop() == 0

    cfg = load_config(config)
    stored = pl.read_parquet(sorted((cfg.inbox_dir / "telemetry").glob("*.parquet")))
    every = {str(e["event_id"]) for batch in sent for e in batch}
    assert stored["event_id"].n_unique() == stored.height == len(every)
    assert set(stored["event_id"].to_list()) == every
    assert acked <= every

    run_pipeline(cfg, stages=False)
    with open_warehouse(cfg.warehouse_path, read_only=True) as con:
        stored = [r[0] for r in con.execute("SELECT path FROM landing_file").fetchall()]
        paths = resolved_paths(con, stored)
    users = pl.read_parquet(paths)["user_id"]
    live = users.filter(users.str.starts_with("live"))
    assert live.len() == live.n_unique() == len(every)
    assert set(live.to_list()) == {f"live{i[1:]}" for i in every}
