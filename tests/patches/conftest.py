"""Fixtures for the patch tests: an in-memory warehouse and a small config."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from vigil.config import VigilConfig
from vigil.warehouse.connection import memory_warehouse

from .patch_world import make_cfg


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = memory_warehouse()
    yield connection
    connection.close()


@pytest.fixture
def cfg(tmp_path: Path) -> VigilConfig:
    return make_cfg(tmp_path)
