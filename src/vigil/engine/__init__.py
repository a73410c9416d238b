"""SQL engines that turn raw events into daily facts."""

from __future__ import annotations

import duckdb

from vigil.config import EngineSettings
from vigil.engine.base import Engine
from vigil.engine.duckdb_engine import DuckDBEngine


def get_engine(settings: EngineSettings) -> Engine:
    """The engine named in config."""
    return DuckDBEngine()


def tune_connection(con: duckdb.DuckDBPyConnection, settings: EngineSettings, tmp: str) -> None:
    """Apply thread / memory limits and a spill folder to a DuckDB connection."""
    if settings.threads:
        con.execute(f"SET threads = {int(settings.threads)}")
    if settings.memory_limit:
        con.execute("SET memory_limit = ?", [settings.memory_limit])
    con.execute("SET temp_directory = ?", [tmp])
    con.execute("SET enable_progress_bar = false")


__all__ = ["DuckDBEngine", "Engine", "get_engine", "tune_connection"]
