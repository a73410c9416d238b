"""Load and run the detection package's SQL files (kept beside the code for analysts to read)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import duckdb
import polars as pl


@cache
def sql(name: str) -> str:
    """The text of ``sql/<name>.sql``."""
    return (resources.files("vigil.detection") / "sql" / f"{name}.sql").read_text(encoding="utf-8")


def query(
    con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None
) -> pl.DataFrame:
    """Run ``sql/<name>.sql`` and return its rows as a polars frame."""
    frame = con.sql(sql(name), params=params or None).pl()
    assert isinstance(frame, pl.DataFrame)
    return frame
