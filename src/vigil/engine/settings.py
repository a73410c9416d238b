"""Config section ``engine``: which engine computes the daily base metrics, and its limits."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, model_validator

from vigil.settings_base import Section

SPARK_TIME_ZONE = "spark.sql.session.timeZone"


class EngineSettings(Section):
    """The SQL engine that turns raw events into daily facts (docs/SCALING.md)."""

    kind: Literal["duckdb", "spark"] = "duckdb"
    threads: int | None = Field(None, ge=1)
    """DuckDB threads (default: every core)"""
    memory_limit: str | None = None
    """DuckDB memory limit, e.g. "4GB"; past it DuckDB spills to ``spill_dir``"""
    spill_dir: str | None = None
    """where DuckDB spills (and Spark, as spark.local.dir, unless conf sets it); relative to the
    config file; default <workspace>/tmp"""
    batch_days: int = Field(31, ge=1)
    """days aggregated per query: bounds memory on large histories"""
    master: str | None = None
    """Spark master: "local[2]", "spark://host:7077", "yarn", "k8s://..."; unset means what
    spark-submit passed, else local[*]"""
    conf: dict[str, str] = Field(default_factory=dict)
    """Spark settings passed through unchanged (spark.executor.memory, spark.hadoop.fs.s3a...)"""
    path_map: dict[str, str] = Field(default_factory=dict)
    """local landing prefix -> the URI Spark's executors read it at (e.g. a mount of a bucket ->
    s3a://bucket/prefix)"""

    @model_validator(mode="after")
    def _spark_keys_need_spark(self) -> Self:
        if self.kind != "spark" and (self.master or self.conf or self.path_map):
            raise ValueError("master, conf and path_map apply only with kind: spark")
        zone = self.conf.get(SPARK_TIME_ZONE, "UTC")
        if zone != "UTC":
            raise ValueError(
                f"{SPARK_TIME_ZONE} must stay UTC (got {zone!r}): event dates are UTC days in "
                "both engines"
            )
        return self
