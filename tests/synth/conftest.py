"""Shared synthetic worlds: generated once per test session, tiny enough for a fast suite."""

from __future__ import annotations

import pytest

from vigil.config import GenerateSettings
from vigil.synth import WorldSummary, generate_world

TINY = {
    "n_features": 5,
    "days": 14,
    "events_per_day": 200,
    "n_devices": 100,
    "n_users": 500,
    "n_pending": 20,
}
DIRTY = {
    **TINY,
    "events_per_day": 2000,
    "malformed_share": 0.05,
    "duplicate_share": 0.05,
    "late_share": 0.05,
    "missing_day_share": 0.1,
}
MEDIUM = {
    "n_features": 40,
    "days": 100,
    "events_per_day": 2500,
    "n_devices": 300,
    "n_users": 2000,
    "releases_per_day": 2.0,
    "n_pending": 20,
    "feedback_share": 0.2,
}


@pytest.fixture(scope="session")
def tiny_world(tmp_path_factory: pytest.TempPathFactory) -> WorldSummary:
    return generate_world(tmp_path_factory.mktemp("tiny"), GenerateSettings(), **TINY)


@pytest.fixture(scope="session")
def dirty_world(tmp_path_factory: pytest.TempPathFactory) -> WorldSummary:
    return generate_world(tmp_path_factory.mktemp("dirty"), GenerateSettings(), **DIRTY)


@pytest.fixture(scope="session")
def medium_world(tmp_path_factory: pytest.TempPathFactory) -> WorldSummary:
    return generate_world(tmp_path_factory.mktemp("medium"), GenerateSettings(), **MEDIUM)
