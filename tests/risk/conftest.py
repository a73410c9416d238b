"""Shared fixtures for the risk tests: a tiny world in an in-memory warehouse, a small config."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import numpy as np
import pytest

from vigil.config import VigilConfig
from vigil.risk.model import FeatureRiskModel
from vigil.risk.settings import ModelSettings
from vigil.warehouse.connection import memory_warehouse

from .world import Regression, build_world

MODEL_INPUTS = ("a", "b", "c")


def toy_data(n: int = 300, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Three inputs (one with gaps) and a label driven by the first."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    X[rng.random(n) < 0.1, 2] = np.nan
    y = (X[:, 0] + 0.5 * rng.normal(size=n) > 0.8).astype(int)
    return X, y


SMALL_MODEL = {"iterations": 60, "depth": 3, "forest_trees": 20, "threads": 1}


def small_config(root: Path, **risk: object) -> VigilConfig:
    """A config rooted at ``root`` with a model small enough for tests."""
    return VigilConfig.model_validate({"root": root, "risk": {"model": SMALL_MODEL, **risk}})


@pytest.fixture
def world() -> Iterator[tuple[duckdb.DuckDBPyConnection, list[Regression]]]:
    con = memory_warehouse()
    regs = build_world(con, days=90)
    yield con, regs
    con.close()


@pytest.fixture
def cfg(tmp_path: Path) -> VigilConfig:
    return small_config(tmp_path)


@pytest.fixture(scope="module")
def fitted() -> FeatureRiskModel:
    X, y = toy_data()
    settings = ModelSettings(iterations=40, depth=3, threads=1)
    return FeatureRiskModel(settings).fit(
        X[:200], y[:200], features=MODEL_INPUTS, X_cal=X[200:], y_cal=y[200:]
    )
