"""DuckDB SQL -> Spark SQL: the one documented rewrite; refusals for what would change meaning."""

from __future__ import annotations

import pytest

from vigil.engine.duckdb_engine import daily_metrics_sql
from vigil.engine.transpile import SPARK_REWRITES, to_spark
from vigil.errors import EngineError


def _flat(sql: str) -> str:
    return " ".join(sql.split())


def test_list_quantile_becomes_exact_percentile_with_zero_based_index() -> None:
    sql = (
        "SELECT q[1] AS p50, q[3] AS p99 "
        "FROM (SELECT quantile_cont(x, [0.5, 0.95, 0.99]) AS q FROM t)"
    )
    assert _flat(to_spark(sql)) == (
        "SELECT q[0] AS p50, q[2] AS p99 "
        "FROM ( SELECT PERCENTILE(x, ARRAY(0.5, 0.95, 0.99)) AS q FROM t )"
    )


def test_scalar_quantile_becomes_exact_percentile() -> None:
    assert (
        _flat(to_spark("SELECT quantile_cont(x, 0.5) FROM t")) == "SELECT PERCENTILE(x, 0.5) FROM t"
    )


def test_daily_metrics_sql_transpiles_with_the_filter_clause_and_group_by_all() -> None:
    spark = _flat(to_spark(daily_metrics_sql("vigil_events")))
    assert "PERCENTILE(latency_ms, ARRAY(0.50, 0.95, 0.99)) AS latency_q" in spark
    assert "latency_q[0] AS latency_p50_ms" in spark
    assert "latency_q[2] AS latency_p99_ms" in spark
    assert "COUNT(*) FILTER(WHERE crashed) AS crash_count" in spark
    assert "FROM vigil_events GROUP BY ALL" in spark
    assert "QUANTILE_CONT" not in spark.upper()


def test_the_percentile_rewrite_is_the_only_difference() -> None:
    assert [t.__name__ for t in SPARK_REWRITES] == ["PercentileCont"]


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        (
            "SELECT approx_quantile(x, 0.5) FROM t",
            "APPROX_QUANTILE(x, 0.5) cannot run on Spark: approximate quantiles use different "
            "sketches in DuckDB and Spark",
        ),
        (
            "SELECT approx_count_distinct(u) FROM t",
            "APPROX_COUNT_DISTINCT(u) cannot run on Spark: approximate distinct counts use "
            "different sketches in DuckDB and Spark",
        ),
        (
            "SELECT random() FROM t",
            "RANDOM() cannot run on Spark: random numbers differ between engines",
        ),
        (
            "SELECT list_reduce(xs, (a, b) -> a + b) FROM t",
            "function list_reduce() is not known to the transpiler, so its meaning in Spark cannot "
            "be checked; use a standard function or add a rewrite in vigil.engine.transpile",
        ),
    ],
)
def test_constructs_that_could_change_meaning_raise(sql: str, message: str) -> None:
    with pytest.raises(EngineError) as err:
        to_spark(sql)
    assert str(err.value) == message


def test_unparseable_sql_raises_engine_error() -> None:
    with pytest.raises(EngineError, match="cannot parse the DuckDB SQL for Spark"):
        to_spark("SELECT FROM WHERE (")
