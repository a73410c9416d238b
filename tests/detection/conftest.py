"""Fixtures for the detection tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

NAB_SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "nab.py"


@pytest.fixture(scope="session")
def nab() -> ModuleType:
    """benchmarks/nab.py loaded as a module (the scorer lives in the benchmark)."""
    spec = importlib.util.spec_from_file_location("vigil_nab_benchmark", NAB_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
