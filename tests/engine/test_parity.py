"""Both engines on one generated world: every row of fact_feature_daily compared.

Counts and sums, and the rates and feedback values built from them, must be identical. Latency
values are compared to a relative 1e-12, which only rounding can reach:

- percentiles: both engines are exact (Spark runs ``percentile``, not an approximation) and pick the
  same two order statistics; they interpolate between them with different arithmetic (DuckDB
  lo + d * (hi - lo), Spark (1 - d) * lo + d * hi), which can differ in the last bit;
- the mean: a sum of fractional doubles depends on the order rows are added in, which differs
  between engines (and between runs on several threads): about n * 2**-53 for n events;
- the windows and the delta built from those values in the warehouse carry the same last-bit
  difference (the delta, a difference near zero, to an absolute 1e-9 percentage points).
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import pytest

from vigil.config import VigilConfig
from vigil.engine.spark_engine import SparkEngine
from vigil.pipeline import run_pipeline
from vigil.synth import generate_events_only
from vigil.warehouse.aggregate import rebuild_days
from vigil.warehouse.connection import connect

from .conftest import SPARK_SETTINGS

NOW = dt.datetime(2026, 1, 20)
LATENCY_REL_TOL = 1e-12
DELTA_ABS_TOL = 1e-9
EXACT = (
    "usage_count",
    "active_users",
    "sessions",
    "crash_count",
    "crash_rate",
    "error_count",
    "error_rate",
    "feedback_count",
    "feedback_mean",
    "feedback_negative_share",
)

EDGE_CASES = "\n".join(
    [
        "event_time,feature_id,latency_ms,crashed,user_id,session_id,error_count,feedback_score",
        # one event: every percentile is that value; no users, sessions, errors or feedback
        "2026-01-11T08:00:00Z,F001,7.5,true,,,,",
        # four events: percentiles interpolate between 1, 2, 3, 10; a repeated user; mixed feedback
        "2026-01-11T09:00:00Z,F002,3,false,u1,s1,2,1",
        "2026-01-11T10:00:00Z,F002,10,true,u1,s1,,2",
        "2026-01-11T11:00:00Z,F002,1,false,u2,s2,1,",
        "2026-01-11T23:59:59Z,F002,2,false,,s3,0,5",
    ]
)


def _world(root: Path) -> int:
    """Writes the world; returns how many telemetry events it holds."""
    summary = generate_events_only(root, n_events=12_000, days=10, n_features=5)
    (root / "data" / "telemetry" / "edge.csv").write_text(EDGE_CASES + "\n", encoding="utf-8")
    return summary.clean_events + 5


def _config(root: Path, workspace: str, engine: dict[str, Any]) -> VigilConfig:
    return VigilConfig.model_validate(
        {
            "root": root,
            "workspace": workspace,
            "engine": engine,
            "inputs": {
                "telemetry": {"path": "data/telemetry"},
                "features": {"path": "data/features.csv"},
            },
        }
    )


def _daily(cfg: VigilConfig) -> tuple[list[str], list[tuple[Any, ...]]]:
    con = connect(cfg.warehouse_path)
    try:
        cur = con.execute("SELECT * FROM fact_feature_daily ORDER BY feature_id, event_date")
        rows = cur.fetchall()
        cols = [d[0] for d in cur.description]
    finally:
        con.close()
    return cols, rows


def _same(col: str, x: Any, y: Any) -> bool:
    """Identical, or (latency values only) within rounding of each other."""
    if x == y or (x is None and y is None):
        return True
    if not col.startswith("latency_") or x is None or y is None:
        return False
    abs_tol = DELTA_ABS_TOL if col.endswith("_delta_pct") else 0.0
    return math.isclose(x, y, rel_tol=LATENCY_REL_TOL, abs_tol=abs_tol)


def _differences(
    cols: list[str], left: list[tuple[Any, ...]], right: list[tuple[Any, ...]]
) -> list[str]:
    found = []
    for a, b in zip(left, right, strict=True):
        for col, x, y in zip(cols, a, b, strict=True):
            if not _same(col, x, y):
                found.append(f"{a[0]} {a[1]} {col}: duckdb {x!r} spark {y!r}")
    return found


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory, spark: Any) -> dict[str, Any]:
    """The same world run by `vigil run`'s load half once per engine."""
    root = tmp_path_factory.mktemp("parity")
    out: dict[str, Any] = {"events": _world(root)}
    for name, engine in (("duckdb", {"kind": "duckdb"}), ("spark", SPARK_SETTINGS.model_dump())):
        cfg = _config(root, f"ws_{name}", engine)
        out[name] = run_pipeline(cfg, stages=False, now=NOW)
        out[f"{name}_daily"] = _daily(cfg)
        out[f"{name}_cfg"] = cfg
    return out


def test_both_engines_load_the_same_rows(both: dict[str, Any]) -> None:
    assert both["duckdb"].report["engine"] == "duckdb"
    assert both["spark"].report["engine"] == "spark"
    for name in ("duckdb", "spark"):
        loaded = [i for i in both[name].report["inputs"] if i["input"] == "telemetry"]
        assert sum(i["rows_loaded"] for i in loaded) == both["events"]
    assert both["events"] > 12_000


def test_every_row_of_the_daily_table_matches(both: dict[str, Any]) -> None:
    cols, duck = both["duckdb_daily"]
    spark_cols, spark = both["spark_daily"]
    assert spark_cols == cols
    assert len(duck) == len(spark) == 5 * 10 + 2
    assert [r[:2] for r in spark] == [r[:2] for r in duck]
    assert _differences(cols, duck, spark) == []
    exact = [cols.index(c) for c in EXACT]
    assert [[r[i] for i in exact] for r in spark] == [[r[i] for i in exact] for r in duck]


def test_edge_case_groups_have_hand_computed_values(both: dict[str, Any]) -> None:
    cols, rows = both["spark_daily"]
    by_key = {(r[0], r[1]): dict(zip(cols, r, strict=True)) for r in rows}
    one = by_key[("F001", dt.date(2026, 1, 11))]
    assert (one["usage_count"], one["active_users"], one["sessions"]) == (1, 0, 0)
    assert (one["latency_p50_ms"], one["latency_p95_ms"], one["latency_p99_ms"]) == (7.5, 7.5, 7.5)
    assert (one["crash_count"], one["crash_rate"], one["error_count"]) == (1, 1.0, 0)
    assert (one["feedback_count"], one["feedback_mean"], one["feedback_negative_share"]) == (
        0,
        None,
        None,
    )
    four = by_key[("F002", dt.date(2026, 1, 11))]
    assert (four["usage_count"], four["active_users"], four["sessions"]) == (4, 2, 3)
    assert four["latency_p50_ms"] == 2.5
    assert four["latency_p95_ms"] == pytest.approx(8.95, rel=1e-12)
    assert four["latency_p99_ms"] == pytest.approx(9.79, rel=1e-12)
    assert (four["crash_count"], four["crash_rate"]) == (1, 0.25)
    assert (four["error_count"], four["error_rate"]) == (3, 0.75)
    assert (four["feedback_count"], four["feedback_mean"]) == (3, 8 / 3)
    assert four["feedback_negative_share"] == 2 / 3


def test_spark_recomputing_days_in_place_changes_nothing(both: dict[str, Any]) -> None:
    """The engine seam on its own: re-aggregating the landed days with Spark, row for row."""
    cfg = both["duckdb_cfg"]
    con = connect(cfg.warehouse_path)
    try:
        days = [
            r[0]
            for r in con.execute("SELECT DISTINCT event_date FROM fact_feature_daily").fetchall()
        ]
        summary = rebuild_days(con, SparkEngine(SPARK_SETTINGS), days, batch_days=4)
    finally:
        con.close()
    assert summary == {"days": 11, "rows": 52, "window_rows": 52}
    cols, before = both["duckdb_daily"]
    _, after = _daily(cfg)
    assert _differences(cols, before, after) == []
