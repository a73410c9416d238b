"""SQL engines that turn raw events into daily facts: DuckDB (embedded, default) or Spark."""

from __future__ import annotations

from pathlib import Path

import duckdb

from vigil.engine.base import Engine
from vigil.engine.duckdb_engine import DuckDBEngine
from vigil.engine.settings import EngineSettings


def get_engine(settings: EngineSettings, spill_dir: Path | None = None) -> Engine:
    """The engine named in config (Spark is imported only when asked for)."""
    if settings.kind == "spark":
        from vigil.engine.spark_engine import SparkEngine

        return SparkEngine(settings, spill_dir)
    return DuckDBEngine()


def tune_connection(con: duckdb.DuckDBPyConnection, settings: EngineSettings, tmp: str) -> None:
    """Apply thread / memory limits and the spill folder ``tmp`` to a DuckDB connection."""
    if settings.threads:
        con.execute(f"SET threads = {int(settings.threads)}")
    if settings.memory_limit:
        con.execute("SET memory_limit = ?", [settings.memory_limit])
    con.execute("SET temp_directory = ?", [tmp])
    con.execute("SET enable_progress_bar = false")


__all__ = ["DuckDBEngine", "Engine", "EngineSettings", "get_engine", "tune_connection"]
