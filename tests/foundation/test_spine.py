"""The run's spine: a failing stage (any exception) is recorded, the rest run, history closes."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest
from tests.conftest import HEADER, event_rows

from vigil.config import load_config
from vigil.context import RunContext
from vigil.errors import InputError
from vigil.pipeline import run_pipeline
from vigil.stages import STAGES, Stage, one_line

DAY = dt.date(2026, 3, 1)


def _workspace(make_workspace: Callable[..., Path]) -> Path:
    rows = event_rows(DAY, 6, "F1", 100.0)
    return make_workspace(telemetry={"day.csv": "\n".join([HEADER, *rows]) + "\n"})


def _history(config: Path) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(config.parent / ".vigil" / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute("SELECT status, message FROM run_history ORDER BY started_at").fetchall()
    finally:
        con.close()


def test_spine_is_a_typed_list_of_importable_stages() -> None:
    assert [s.name for s in STAGES] == [
        "detection",
        "outcomes",
        "patches",
        "risk",
        "fleet",
        "monitoring",
        "attention",
        "alerts",
    ]
    assert all(isinstance(s, Stage) and callable(s.run) for s in STAGES)


def test_foreign_exception_fails_only_its_stage(make_workspace: Callable[..., Path]) -> None:
    config = _workspace(make_workspace)
    seen: list[str] = []

    def broken(ctx: RunContext) -> dict[str, Any]:
        raise ZeroDivisionError("division by zero\nsecond line")

    def fine(ctx: RunContext) -> dict[str, Any]:
        seen.append(ctx.run_id)
        return {"rows": 3}

    def dependent(ctx: RunContext) -> dict[str, Any]:
        raise AssertionError("must not run")

    spine = (Stage("broken", broken), Stage("fine", fine), Stage("after", dependent, ("broken",)))
    result = run_pipeline(load_config(config), stages=spine)

    assert result.status == "failed_stages"
    assert result.report["stages"] == {
        "broken": {"status": "failed", "error": "ZeroDivisionError: division by zero"},
        "fine": {"status": "ok", "rows": 3},
        "after": {"status": "skipped", "reason": "needs broken, which failed"},
    }
    assert json.loads(result.report_path.read_text())["status"] == "failed_stages"
    assert _history(config) == [("failed_stages", None)]
    assert len(seen) == 1


def test_foreign_exception_in_load_closes_history(
    make_workspace: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _workspace(make_workspace)

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("vigil.pipeline.rebuild_days", disk_full)
    with pytest.raises(OSError):
        run_pipeline(load_config(config), stages=False)
    assert _history(config) == [("failed", "OSError: [Errno 28] No space left on device")]


def test_one_line_keeps_vigil_messages_as_they_are() -> None:
    assert one_line(InputError("bad file: x.csv")) == "bad file: x.csv"
    assert one_line(KeyError("k")) == "KeyError: 'k'"
