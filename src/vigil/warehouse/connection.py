"""Opening the warehouse and applying every module's schema."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import duckdb

from vigil.errors import WarehouseError

log = logging.getLogger(__name__)

LOCK_RETRY_S = 0.2
"""pause between attempts to open a warehouse another process holds"""

# Each package that owns tables ships `sql/schema.sql`; the core one goes first.
SCHEMA_PACKAGES = (
    "vigil.warehouse",
    "vigil.risk",
    "vigil.detection",
    "vigil.monitoring",
    "vigil.patches",
    "vigil.fleet",
    "vigil.registry",
    "vigil.attention",
    "vigil.outcomes",
    "vigil.canary",
    "vigil.annotations",
)


def schema_statements() -> list[str]:
    """The DDL of every package that owns tables, in a fixed order."""
    texts = []
    for package in SCHEMA_PACKAGES:
        path = resources.files(package) / "sql" / "schema.sql"
        if path.is_file():
            texts.append(path.read_text(encoding="utf-8"))
    return texts


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table that does not exist yet (idempotent)."""
    for ddl in schema_statements():
        con.execute(ddl)


def connect(
    path: Path, *, read_only: bool = False, lock_wait_s: float = 0.0
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse file; creates it (and its schema) unless read_only. While another
    process holds its lock, retry for up to ``lock_wait_s`` seconds, then fail with one line."""
    if read_only and not path.exists():
        raise WarehouseError(f"no warehouse at {path} (run 'vigil run' or 'vigil demo' first)")
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + lock_wait_s
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise WarehouseError(f"cannot open warehouse {path}: {exc}") from exc
            if time.monotonic() >= deadline:
                raise WarehouseError(
                    f"warehouse {path} is locked by another process (a dashboard or another run) "
                    f"and stayed locked for {lock_wait_s:g} s; retry when it is free or raise "
                    "warehouse.lock_wait_s"
                ) from None
            time.sleep(LOCK_RETRY_S)
    if not read_only:
        ensure_schema(con)
    return con


@contextmanager
def open_warehouse(
    path: Path, *, read_only: bool = False, lock_wait_s: float = 0.0
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Context manager around :func:`connect` that always closes the connection."""
    con = connect(path, read_only=read_only, lock_wait_s=lock_wait_s)
    try:
        yield con
    finally:
        con.close()


def memory_warehouse() -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse with the full schema, for tests and small jobs."""
    con = duckdb.connect(":memory:")
    ensure_schema(con)
    return con


def fetch_one(
    con: duckdb.DuckDBPyConnection, sql: str, params: object = None
) -> tuple[object, ...] | None:
    """First row of a query, with the result fully consumed (DuckDB 2 refuses further work
    on a connection, such as registering a frame, while a result is only partly fetched)."""
    rows = (
        con.execute(sql, params).fetchall() if params is not None else con.execute(sql).fetchall()
    )
    return rows[0] if rows else None


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: object = None) -> object:
    """The single value of a one-row, one-column query (None when there are no rows)."""
    row = fetch_one(con, sql, params)
    return row[0] if row else None


def workspace_root(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The folder of the warehouse file (the workspace), None for an in-memory warehouse."""
    row = fetch_one(
        con, "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    )
    return Path(str(row[0])).resolve().parent if row and row[0] else None


def stored_path(con: duckdb.DuckDBPyConnection, path: Path) -> str:
    """How a file inside the workspace is recorded: relative to the workspace, so the workspace
    can be moved or copied whole (a file outside it keeps its absolute path)."""
    return stored_under(workspace_root(con), path)


def stored_under(root: Path | None, path: Path) -> str:
    """``stored_path`` for a workspace folder already looked up (``root``; None: in memory)."""
    resolved = path.resolve()
    if root is not None and resolved.is_relative_to(root):
        return resolved.relative_to(root).as_posix()
    return str(path)


def resolved_paths(con: duckdb.DuckDBPyConnection, stored: list[str]) -> list[str]:
    """Absolute paths of recorded files (absolute ones, from older workspaces, stay as they are)."""
    root = workspace_root(con)
    return [str(root / p) if root is not None else p for p in stored]
