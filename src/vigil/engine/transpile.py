"""DuckDB SQL -> Spark SQL with sqlglot. The DuckDB ``.sql`` files stay the one source of truth.

Anything that could change a result on the way raises ``EngineError`` instead of being carried
over silently: a function sqlglot does not know (it would pass through by name, meaning whatever
Spark means by it), a construct whose result is approximate or random (the two engines use
different algorithms, so their answers differ), and anything sqlglot itself flags as unsupported.

``SPARK_REWRITES`` is the one place the two engines' SQL differs. Each entry keeps the value
identical and says why the rewrite is needed.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlglot
from sqlglot import ErrorLevel, exp
from sqlglot.errors import SqlglotError

from vigil.errors import EngineError

NOT_PORTABLE: dict[type[exp.Expr], str] = {
    exp.ApproxQuantile: "approximate quantiles use different sketches in DuckDB and Spark",
    exp.ApproxDistinct: "approximate distinct counts use different sketches in DuckDB and Spark",
    exp.PercentileDisc: "discrete percentiles have no exact Spark aggregate outside WITHIN GROUP",
    exp.Rand: "random numbers differ between engines",
}
"""Constructs refused outright, with the reason given to whoever writes them."""


def _exact_percentile(node: exp.Expr) -> exp.Expr:
    """``quantile_cont(x, p | [p, ...])`` -> ``percentile(x, p | array(p, ...))``.

    Spark's ``percentile_cont`` takes one fraction and only in ``WITHIN GROUP`` form, so the
    list form (three percentiles from one sort per group) has no literal translation. Spark's
    ``percentile`` is the exact percentile with the same definition as DuckDB's
    ``quantile_cont``: linear interpolation between the two values around position (n - 1) * p.
    The values are equal, not approximate; tests/engine compares them.
    """
    assert isinstance(node, exp.PercentileCont)
    return exp.Anonymous(this="PERCENTILE", expressions=[node.this, node.expression])


SPARK_REWRITES: dict[type[exp.Expr], Callable[[exp.Expr], exp.Expr]] = {
    exp.PercentileCont: _exact_percentile,
}
"""The one place the engines differ: DuckDB construct -> its exact Spark spelling."""


def to_spark(sql: str) -> str:
    """Spark SQL for one DuckDB statement; raises EngineError for what cannot carry over exactly."""
    try:
        tree = sqlglot.parse_one(sql, read="duckdb")
    except SqlglotError as exc:
        raise EngineError(f"cannot parse the DuckDB SQL for Spark: {exc}") from None
    _refuse_unportable(tree)
    tree = tree.transform(_rewrite)
    try:
        return tree.sql(dialect="spark", unsupported_level=ErrorLevel.RAISE, pretty=True)
    except SqlglotError as exc:
        raise EngineError(f"no exact Spark SQL for this DuckDB SQL: {exc}") from None


def _refuse_unportable(tree: exp.Expr) -> None:
    for node in tree.walk():
        if isinstance(node, exp.Anonymous):
            raise EngineError(
                f"function {node.name}() is not known to the transpiler, so its meaning in Spark "
                "cannot be checked; use a standard function or add a rewrite in "
                "vigil.engine.transpile"
            )
        reason = NOT_PORTABLE.get(type(node))
        if reason:
            raise EngineError(f"{node.sql(dialect='duckdb')} cannot run on Spark: {reason}")


def _rewrite(node: exp.Expr) -> exp.Expr:
    rewrite = SPARK_REWRITES.get(type(node))
    return rewrite(node) if rewrite else node
