"""`vigil run`: ingest -> validate -> quality -> aggregate in one transaction, then the stages.

The load half is atomic: a run that fails or is killed before its commit leaves the warehouse as it
was, and the next run does the work again. The stages after it (detection, patches, risk, fleet,
monitoring) recompute their own tables idempotently from the warehouse.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from vigil.config import VigilConfig
from vigil.context import RunContext
from vigil.engine import get_engine, tune_connection
from vigil.ingest.loader import FileOutcome, IngestContext, ingest_all
from vigil.quality import QualityResult, overall, run_checks
from vigil.stages import STAGES, Stage, one_line, run_stages
from vigil.warehouse.aggregate import rebuild_days
from vigil.warehouse.connection import connect

log = logging.getLogger(__name__)

Progress = Callable[[str], None]


@dataclass
class RunResult:
    """What a run did, as written to run_report.json."""

    run_id: str
    status: str
    report_path: Path
    report: dict[str, Any] = field(default_factory=dict)


def new_run_id(now: dt.datetime) -> str:
    """Sortable, unique run id."""
    return f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"


def run_pipeline(
    cfg: VigilConfig,
    *,
    now: dt.datetime | None = None,
    stages: bool | tuple[Stage, ...] = True,
    progress: Progress | None = None,
) -> RunResult:
    """Run every stage once; returns the run report. Raises VigilError for unusable input.

    ``stages``: True for the whole spine (``vigil.stages.STAGES``), False for the load half only, or
    the stages to run. Whatever fails, run_history is closed and the load half is all or nothing.
    """
    now = now or cfg.run_clock()
    run_id = new_run_id(now)
    report_dir = cfg.runs_dir / run_id
    report_dir.mkdir(parents=True, exist_ok=True)
    say = progress or (lambda _: None)
    timer = _Timer()
    report: dict[str, Any] = {
        "run_id": run_id,
        "started_at": now.isoformat(),
        "config_hash": cfg.config_hash(),
        "engine": cfg.engine.kind,
    }
    con = connect(cfg.warehouse_path, lock_wait_s=cfg.warehouse.lock_wait_s)
    try:
        tune_connection(con, cfg.engine, str(cfg.spill_dir))
        _start_history(con, run_id, now, cfg.config_hash())
        try:
            outcomes, quality, dates = _load(con, cfg, run_id, now, timer, say)
        except BaseException as exc:
            status = "failed" if isinstance(exc, Exception) else "aborted"
            _finish_history(con, run_id, status, report={}, message=one_line(exc))
            raise
        report.update(_load_report(outcomes, quality, dates))
        ctx = RunContext(
            cfg=cfg, con=con, run_id=run_id, report_dir=report_dir, now=now, affected_dates=dates
        )
        spine = STAGES if stages is True else (stages or ())
        try:
            report["stages"] = _run_stages(ctx, spine, timer, say)
        except BaseException as exc:  # interrupted between stages: close the history, then stop
            _finish_history(con, run_id, "aborted", report=report, message=one_line(exc))
            raise
        report["seconds"] = timer.seconds
        status = (
            "failed_stages"
            if any(s.get("status") == "failed" for s in report["stages"].values())
            else "succeeded"
        )
        report["status"] = status
        report["finished_at"] = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat()
        path = _write_report(report_dir, report)
        # relative to the workspace, so a moved or copied workspace still finds its reports
        stored = path.relative_to(cfg.workspace_dir)
        _finish_history(con, run_id, status, report=report, report_path=stored)
    finally:
        con.close()
    return RunResult(run_id=run_id, status=status, report_path=path, report=report)


def _load(
    con: duckdb.DuckDBPyConnection,
    cfg: VigilConfig,
    run_id: str,
    now: dt.datetime,
    timer: _Timer,
    say: Progress,
) -> tuple[list[FileOutcome], list[QualityResult], list[dt.date]]:
    """Ingest, aggregate and check quality inside one transaction."""
    ingest = IngestContext(cfg=cfg, con=con, run_id=run_id, now=now)
    con.execute("BEGIN TRANSACTION")
    try:
        with timer("ingest"):
            say("ingest and validate")
            outcomes = ingest_all(ingest)
        dates = sorted({d for o in outcomes if o.input == "telemetry" for d in o.dates})
        with timer("aggregate"):
            say("aggregate daily facts")
            rebuild_days(con, get_engine(cfg.engine, cfg.spill_dir), dates, cfg.engine.batch_days)
        with timer("quality"):
            say("quality checks")
            quality = run_checks(con, outcomes, cfg.quality, run_id, now.date())
        ingest.landed.sync()  # landed files durable before the commit that makes them visible
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        ingest.landed.discard(con)  # no orphan landing files from a rolled-back run
        raise
    return outcomes, quality, dates


def _run_stages(
    ctx: RunContext, spine: tuple[Stage, ...], timer: _Timer, say: Progress
) -> dict[str, Any]:
    results = run_stages(ctx, spine, progress=say)
    timer.seconds.update({r.name: r.seconds for r in results})
    return {r.name: r.to_report() for r in results}


def _load_report(
    outcomes: list[FileOutcome], quality: list[QualityResult], dates: list[dt.date]
) -> dict[str, Any]:
    loaded = [o for o in outcomes if o.status == "loaded"]
    totals = {
        key: sum(getattr(o, key) for o in loaded)
        for key in ("rows_in", "rows_loaded", "rows_quarantined", "rows_duplicate")
    }
    totals["balanced"] = all(o.balanced for o in loaded)
    return {
        "inputs": [
            {k: v for k, v in vars(o).items() if k != "dates"} | {"n_dates": len(o.dates)}
            for o in outcomes
        ],
        "files_new": len(loaded),
        "files_skipped": len(outcomes) - len(loaded),
        "row_accounting": totals,
        "quality": {"status": overall(quality), "checks": [q.to_dict() for q in quality]},
        "affected_dates": {
            "count": len(dates),
            "first": dates[0].isoformat() if dates else None,
            "last": dates[-1].isoformat() if dates else None,
        },
    }


def _write_report(report_dir: Path, report: dict[str, Any]) -> Path:
    path = report_dir / "run_report.json"
    path.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    return path


def _start_history(con: duckdb.DuckDBPyConnection, run_id: str, now: dt.datetime, h: str) -> None:
    con.execute(
        "UPDATE run_history SET status = 'aborted', message = 'did not finish' "
        "WHERE status = 'running'"
    )
    con.execute(
        "INSERT INTO run_history (run_id, started_at, status, config_hash) "
        "VALUES (?, ?, 'running', ?)",
        [run_id, now, h],
    )


def _finish_history(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    status: str,
    *,
    report: dict[str, Any],
    report_path: Path | None = None,
    message: str | None = None,
) -> None:
    acc = report.get("row_accounting", {})
    con.execute(
        "UPDATE run_history SET finished_at = ?, status = ?, files_new = ?, files_skipped = ?, "
        "rows_in = ?, rows_loaded = ?, rows_quarantined = ?, rows_duplicate = ?, "
        "quality_status = ?, duration_s = ?, report_path = ?, message = ? WHERE run_id = ?",
        [
            dt.datetime.now(dt.UTC).replace(tzinfo=None),
            status,
            report.get("files_new"),
            report.get("files_skipped"),
            acc.get("rows_in"),
            acc.get("rows_loaded"),
            acc.get("rows_quarantined"),
            acc.get("rows_duplicate"),
            report.get("quality", {}).get("status"),
            sum(report.get("seconds", {}).values()),
            str(report_path) if report_path else None,
            message,
            run_id,
        ],
    )


class _Timer:
    """Collects wall-clock seconds per named step."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = round(time.perf_counter() - start, 3)
