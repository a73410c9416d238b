"""`vigil run` while a dashboard reads: the run waits for the warehouse lock for a bounded time
(``warehouse.lock_wait_s``), then fails with one clear line; a brief read does not fail it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from vigil.cli.main import app
from vigil.errors import WarehouseError
from vigil.warehouse.connection import connect

runner = CliRunner()

HOLD = (
    "import sys, time, duckdb\n"
    "con = duckdb.connect(sys.argv[1], read_only=sys.argv[3] == 'read')\n"
    "print('holding', flush=True)\n"
    "time.sleep(float(sys.argv[2]))\n"
    "con.close()\n"
)


@contextmanager
def reader(path: Path, seconds: float, mode: str = "read") -> Iterator[subprocess.Popen[str]]:
    """Another process holding a read-only connection (what a dashboard query does), or a
    writing one (``mode="write"``: what a run does), for ``seconds``; yields once it is open."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path), str(seconds), mode],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None and process.stdout.readline() == "holding\n"
        yield process
    finally:
        process.kill()
        process.wait()


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / ".vigil" / "warehouse.duckdb"
    connect(path).close()
    return path


def test_a_writer_gives_up_after_the_wait_with_one_line(warehouse: Path) -> None:
    with reader(warehouse, 600), pytest.raises(WarehouseError) as caught:
        connect(warehouse, lock_wait_s=0.5)
    assert str(caught.value) == (
        f"warehouse {warehouse} is locked by another process (a dashboard or another run) and "
        "stayed locked for 0.5 s; retry when it is free or raise warehouse.lock_wait_s"
    )


def test_a_writer_gets_the_warehouse_once_a_brief_read_ends(warehouse: Path) -> None:
    with reader(warehouse, 1.0):
        con = connect(warehouse, lock_wait_s=120)  # the reader closes after a second
    con.execute("CREATE TABLE written AS SELECT 1 AS x")
    assert con.execute("SELECT x FROM written").fetchall() == [(1,)]
    con.close()


def test_vigil_run_fails_with_one_line_and_exit_1_while_the_lock_is_held(
    make_workspace: object, tmp_path: Path
) -> None:
    config = make_workspace(extra_config={"warehouse": {"lock_wait_s": 0.3}})  # type: ignore[operator]
    warehouse = tmp_path / ".vigil" / "warehouse.duckdb"
    connect(warehouse).close()
    with reader(warehouse, 600):
        result = runner.invoke(app, ["run", "-c", str(config)])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: warehouse {warehouse} is locked by another process (a dashboard or another run) "
        "and stayed locked for 0.3 s; retry when it is free or raise warehouse.lock_wait_s"
    )


def test_lock_wait_is_bounded_in_config(tmp_path: Path) -> None:
    config = tmp_path / "vigil.yaml"
    config.write_text(yaml.safe_dump({"warehouse": {"lock_wait_s": -1}}), encoding="utf-8")
    result = runner.invoke(app, ["run", "-c", str(config)])
    assert result.exit_code == 2
    assert "warehouse.lock_wait_s" in result.stderr


def test_the_dashboard_says_a_run_is_writing_instead_of_failing(
    run_page: Callable[..., AppTest], tmp_path: Path
) -> None:
    config = tmp_path / "vigil.yaml"
    config.write_text("workspace: .vigil\n", encoding="utf-8")
    warehouse = tmp_path / ".vigil" / "warehouse.duckdb"
    connect(warehouse).close()
    with reader(warehouse, 600, mode="write"):
        at = run_page(config, None)
    assert not at.exception and not at.error
    assert at.warning[0].value.startswith("The warehouse cannot be read right now (")
    assert at.code[0].value == "reload this page in a minute"
