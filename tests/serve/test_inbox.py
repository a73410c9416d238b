"""`vigil run` loads the inbox's micro-batches like input files: each once, even with no files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
from tests.serve.data import AS_OF, event, write_workspace

from vigil.config import load_config
from vigil.ingest.contracts import TELEMETRY_EVENTS
from vigil.pipeline import run_pipeline
from vigil.serve.events import EventRules, check_events
from vigil.serve.journal import Journal
from vigil.warehouse.connection import open_warehouse, resolved_paths

RULES = EventRules(TELEMETRY_EVENTS, {}, max_length=256, max_latency_ms=600_000.0)


def _post(config: Path, numbers: range) -> None:
    """What the server does with an accepted request, then its roll."""
    cfg = load_config(config)
    items = [event(n, event_id=f"e{n}") for n in numbers]
    checked = check_events(items, RULES, now=cfg.run_clock(), known=None)
    journal = Journal.open(
        cfg.workspace_dir / "serve" / "log",
        cfg.inbox_dir / "telemetry",
        now=dt.datetime(2026, 3, 2),
        dedupe=dt.timedelta(days=7),
    )
    journal.commit(checked.valid, dt.datetime(2026, 3, 1, 23))
    journal.close()


def _loaded(config: Path) -> tuple[list[str], list[tuple[str, int, int]]]:
    cfg = load_config(config)
    with open_warehouse(cfg.warehouse_path, read_only=True) as con:
        stored = [r[0] for r in con.execute("SELECT path FROM landing_file").fetchall()]
        paths = resolved_paths(con, stored)
        manifest = con.execute(
            "SELECT source_file, rows_in, rows_loaded FROM ingest_manifest "
            "WHERE source_file LIKE '%inbox%' ORDER BY source_file"
        ).fetchall()
    users = pl.read_parquet(paths)["user_id"].to_list()
    return sorted(u for u in users if u.startswith("live")), manifest


def test_each_batch_is_loaded_once_across_runs(tmp_path: Path) -> None:
    config = write_workspace(tmp_path)
    _post(config, range(0, 3))
    run_pipeline(load_config(config), stages=False)
    _post(config, range(3, 5))
    run_pipeline(load_config(config), stages=False)
    run_pipeline(load_config(config), stages=False)
    users, manifest = _loaded(config)
    assert users == ["live0", "live1", "live2", "live3", "live4"]
    assert manifest == [
        (".vigil/inbox/telemetry/batch-000000000001.parquet", 3, 3),
        (".vigil/inbox/telemetry/batch-000000000002.parquet", 2, 2),
    ]


def test_a_workspace_fed_only_over_http(tmp_path: Path) -> None:
    config = tmp_path / "vigil.yaml"
    config.write_text(json.dumps({"as_of": AS_OF}), encoding="utf-8")
    _post(config, range(10, 14))
    run_pipeline(load_config(config), stages=False)
    users, _ = _loaded(config)
    assert users == ["live10", "live11", "live12", "live13"]
    with open_warehouse(load_config(config).warehouse_path, read_only=True) as con:
        days = con.execute(
            "SELECT feature_id, sum(usage_count) FROM fact_feature_daily GROUP BY 1 ORDER BY 1"
        ).fetchall()
    assert days == [("F1", 2), ("F2", 2)]
