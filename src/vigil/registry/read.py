"""Read-side API over the registry tables for the dashboard (no artifact access, read-only)."""

from __future__ import annotations

from functools import cache
from importlib import resources

import duckdb
import polars as pl


@cache
def _sql(name: str) -> str:
    return (resources.files("vigil.registry") / "sql" / f"{name}.sql").read_text("utf-8")


def versions(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every registered version, newest first."""
    rows = con.sql(_sql("select_versions"), params={"name": None}).pl()
    return rows.sort(["created_at", "name", "version"], descending=True)


def alias_moves(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every champion / challenger move of every model, newest first."""
    return con.sql(_sql("alias_moves")).pl()


def current_aliases(moves: pl.DataFrame) -> dict[tuple[str, int], list[str]]:
    """(model, version) -> the aliases it holds now ('champion (retired)' once retired)."""
    out: dict[tuple[str, int], list[str]] = {}
    for row in moves.unique(["name", "alias"], keep="first", maintain_order=True).iter_rows(
        named=True
    ):
        alias = f"{row['alias']} (retired)" if row["action"] == "retire" else str(row["alias"])
        out.setdefault((row["name"], int(row["version"])), []).append(alias)
    return out
