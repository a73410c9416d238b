"""The outcomes package's SQL files, read once."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import duckdb
import polars as pl


@cache
def sql(name: str) -> str:
    """The text of ``outcomes/sql/<name>.sql``."""
    return (resources.files("vigil.outcomes") / "sql" / f"{name}.sql").read_text("utf-8")


def query(
    con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None
) -> pl.DataFrame:
    """Run ``outcomes/sql/<name>.sql`` and return its rows."""
    return con.sql(sql(name), params=params).pl()
