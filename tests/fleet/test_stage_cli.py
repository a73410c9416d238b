"""The fleet stage (idempotent, copes with empty tables) and `vigil fleet`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from vigil.cli.main import app
from vigil.config import VigilConfig, load_config
from vigil.context import RunContext
from vigil.fleet.build import TABLES
from vigil.fleet.stage import run_stage
from vigil.warehouse.connection import connect

from .world import DAY0, add_devices, add_events, add_tickets, at, warehouse

runner = CliRunner()


def fill(con: duckdb.DuckDBPyConnection) -> None:
    """Two models; M2's old devices error five times as often and file RMAs."""
    add_devices(
        con,
        [
            *[(f"a{i}", "M1", DAY0) for i in range(4)],
            *[(f"b{i}", "M2", DAY0 - dt.timedelta(days=1500)) for i in range(4)],
        ],
    )
    events = [(f"a{i}", at(d), "1.0", "E1") for i in range(4) for d in range(0, 14, 2)]
    events += [
        (f"b{i}", at(d, h), "1.0", "E2") for i in range(4) for d in range(14) for h in (1, 2)
    ]
    events += [(f"b{i}", at(d, 3), "1.1", "E2") for i in range(2) for d in range(10, 14)]
    add_events(con, events)
    add_tickets(con, [(f"t{i}", f"b{i}", at(12, 20), "E2", True) for i in range(4)])


def context(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, cfg: VigilConfig | None = None
) -> RunContext:
    return RunContext(cfg=cfg or VigilConfig(), con=con, run_id="r1", report_dir=tmp_path)


def snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=str) for t in TABLES}


def test_stage_on_empty_warehouse_says_so(tmp_path: Path) -> None:
    summary = run_stage(context(warehouse(), tmp_path))
    assert summary["status"] == "empty"
    assert summary["rows"] == {t: 0 for t in TABLES}


def test_stage_is_idempotent(tmp_path: Path) -> None:
    con = warehouse()
    fill(con)
    first = run_stage(context(con, tmp_path))
    before = snapshot(con)
    second = run_stage(context(con, tmp_path))
    assert first == second
    assert snapshot(con) == before
    assert first["status"] == "ok"
    assert first["rows"]["fleet_ticket_link"] == 4
    assert first["tiers"]["standard"] >= 1
    assert first["tiers"]["immediate"] + first["tiers"]["enhanced"] >= 1


def test_stage_without_fleet_schema_creates_it(tmp_path: Path) -> None:
    from vigil.warehouse.connection import memory_warehouse

    con = memory_warehouse()
    fill(con)
    assert run_stage(context(con, tmp_path))["status"] == "ok"


def make_workspace(tmp_path: Path) -> Path:
    config = tmp_path / "vigil.yaml"
    config.write_text("workspace: .vigil\n", encoding="utf-8")
    cfg = load_config(config)
    con = connect(cfg.warehouse_path)
    fill(con)
    run_stage(context(con, tmp_path, cfg))
    con.close()
    return config


def test_cli_watch_list_json(tmp_path: Path) -> None:
    out = runner.invoke(app, ["fleet", "-c", str(make_workspace(tmp_path)), "--json"])
    assert out.exit_code == 0, out.output
    watch = json.loads(out.stdout)["watch_list"]
    assert watch, "the old, error-prone M2 devices must be on the watch list"
    assert watch[0]["device_model"] == "M2"
    assert {w["device_model"] for w in watch} == {"M2"}  # the new, quiet M1 devices stay off it
    assert all(w["tier"] in ("immediate", "enhanced") for w in watch)


def test_cli_table(tmp_path: Path) -> None:
    out = runner.invoke(app, ["fleet", "-c", str(make_workspace(tmp_path))])
    assert out.exit_code == 0, out.output
    assert "Fleet watch list" in out.stdout
    assert "M2" in out.stdout
    assert "M1" not in out.stdout


def test_cli_without_warehouse_exits_1(tmp_path: Path) -> None:
    config = tmp_path / "vigil.yaml"
    config.write_text("workspace: .vigil\n", encoding="utf-8")
    out = runner.invoke(app, ["fleet", "-c", str(config)])
    assert out.exit_code == 1
    warehouse_file = tmp_path / ".vigil" / "warehouse.duckdb"
    assert out.stderr.strip() == (
        f"Error: no warehouse at {warehouse_file} (run 'vigil run' or 'vigil demo' first)"
    )
