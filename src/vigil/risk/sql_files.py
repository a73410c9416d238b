"""Reading the risk package's .sql files."""

from __future__ import annotations

from functools import cache
from importlib import resources

import duckdb
import polars as pl


@cache
def load_sql(name: str) -> str:
    """The text of ``vigil/risk/sql/<name>.sql``."""
    return (resources.files("vigil.risk") / "sql" / f"{name}.sql").read_text(encoding="utf-8")


def query_frame(
    con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object] | None = None
) -> pl.DataFrame:
    """Run a query and return its result as a polars DataFrame."""
    return con.sql(sql, params=params or None).pl()
