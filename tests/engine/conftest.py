"""One small local Spark session for the whole test session: two cores, two partitions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from vigil.engine.settings import EngineSettings

SPARK_SETTINGS = EngineSettings(
    kind="spark",
    master="local[2]",
    conf={"spark.sql.shuffle.partitions": "2", "spark.default.parallelism": "2"},
)


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """The process's Spark session; engines built later in the session reuse it."""
    from vigil.engine.spark_engine import spark_session

    session = spark_session(SPARK_SETTINGS)
    yield session
    session.stop()
