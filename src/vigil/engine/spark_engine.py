"""Spark as the engine: the event-level aggregation runs where the landed Parquet lives.

Spark reads the landed files (through ``path_map`` when its executors see them at another URI,
such as object storage), runs ``engine/sql/daily_metrics.sql`` transpiled to Spark SQL, and hands
back the small feature x day table as Arrow; rolling windows and everything after stay in the
DuckDB warehouse. The session's time zone is pinned to UTC so an event falls on the same day in
both engines.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from vigil.engine.base import BASE_COLUMNS
from vigil.engine.duckdb_engine import daily_metrics_sql
from vigil.engine.settings import SPARK_TIME_ZONE, EngineSettings
from vigil.engine.transpile import to_spark
from vigil.errors import EngineError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

log = logging.getLogger(__name__)

EVENTS_VIEW = "vigil_events"
DEFAULT_CONF = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.log.level": "WARN",
    "spark.sql.shuffle.partitions": "8",
}
"""Defaults a user's ``engine.conf`` overrides (the time zone is not among them: it stays UTC)."""


def spark_conf(settings: EngineSettings, spill_dir: Path | None) -> dict[str, str]:
    """Every Spark setting the session is built with."""
    conf = {**DEFAULT_CONF, **settings.conf, SPARK_TIME_ZONE: "UTC"}
    if spill_dir is not None:
        conf.setdefault("spark.local.dir", str(spill_dir))
    return conf


def spark_uri(path: str, path_map: dict[str, str]) -> str:
    """The URI Spark reads a landed file at: the longest matching ``path_map`` prefix swapped."""
    for local in sorted(path_map, key=len, reverse=True):
        if path.startswith(local):
            return path_map[local] + path[len(local) :]
    return path


def spark_session(settings: EngineSettings, spill_dir: Path | None = None) -> SparkSession:
    """The process's Spark session, started on first use (later calls get the same one)."""
    try:
        with warnings.catch_warnings():  # pyspark warns about pandas versions it does not use here
            warnings.simplefilter("ignore", FutureWarning)
            from pyspark.sql import SparkSession
    except ImportError:
        raise EngineError(
            "engine.kind is spark but pyspark is not installed (pip install 'vigil[spark]')"
        ) from None
    builder = SparkSession.builder.appName("vigil")
    if settings.master:
        builder = builder.master(settings.master)
    for key, value in spark_conf(settings, spill_dir).items():
        builder = builder.config(key, value)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        session = builder.getOrCreate()
    if session.conf.get(SPARK_TIME_ZONE) != "UTC":  # an already running session keeps its own
        session.conf.set(SPARK_TIME_ZONE, "UTC")
    return session


class SparkEngine:
    """Computes the daily base metrics on Spark and inserts the result into the warehouse."""

    name = "spark"

    def __init__(self, settings: EngineSettings, spill_dir: Path | None = None) -> None:
        self.settings = settings
        self.spill_dir = spill_dir

    @cached_property
    def query(self) -> str:
        """The DuckDB aggregation, transpiled once."""
        return to_spark(daily_metrics_sql(EVENTS_VIEW))

    def write_daily_metrics(
        self, con: duckdb.DuckDBPyConnection, event_files: Sequence[str], target: str
    ) -> int:
        if not event_files:
            return 0
        spark = spark_session(self.settings, self.spill_dir)
        paths = [spark_uri(p, self.settings.path_map) for p in event_files]
        spark.read.parquet(*paths).createOrReplaceTempView(EVENTS_VIEW)
        daily = spark.sql(self.query).toArrow()
        cols = ", ".join(BASE_COLUMNS)
        con.register("spark_daily", daily)
        try:
            con.execute(f"INSERT INTO {target} ({cols}) SELECT {cols} FROM spark_daily")
        finally:
            con.unregister("spark_daily")
        log.info("spark: %d feature-days from %d files", daily.num_rows, len(paths))
        return int(daily.num_rows)
