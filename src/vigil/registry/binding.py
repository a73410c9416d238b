"""Bind the files a light reader trusts to the registry table.

The CI gate reads the champion from the JSON mirror beside the model files. A folder whose
files, manifest and mirror were all replaced together would pass those checks alone, so the
champion's version and checksum must also match the row in the warehouse's ``model_registry``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from vigil.errors import ModelError
from vigil.registry.files import ModelVersion

if TYPE_CHECKING:
    import duckdb


def check_bound(mv: ModelVersion, warehouse: Path | duckdb.DuckDBPyConnection) -> None:
    """ModelError unless ``mv`` is the champion the registry table records, checksum and all.

    ``warehouse``: the warehouse file, or a connection already open on it (inside a run).
    """
    sql = (resources.files("vigil.registry") / "sql" / "champion_entry.sql").read_text("utf-8")
    if isinstance(warehouse, Path):
        from vigil.warehouse.connection import open_warehouse

        if not warehouse.is_file():
            raise ModelError(
                f"no warehouse at {warehouse} to verify {mv.name} v{mv.version} against "
                "(the gate trusts only models the registry recorded)"
            )
        with open_warehouse(warehouse, read_only=True) as con:
            row = con.execute(sql, {"name": mv.name}).fetchone()
    else:
        row = warehouse.execute(sql, {"name": mv.name}).fetchone()
    if row is None:
        raise ModelError(f"the registry has no champion for {mv.name} (run 'vigil train patches')")
    version, checksum = int(row[0]), str(row[1])
    if (version, checksum) != (mv.version, mv.checksum):
        raise ModelError(
            f"{mv.name} v{mv.version} in the model folder does not match the registry's champion "
            f"v{version} (checksum {checksum[:12]} vs {mv.checksum[:12]}); re-train or roll back"
        )
