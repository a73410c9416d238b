"""Small read-only queries behind the dashboard pages; each returns a pandas DataFrame.

Every function copes with a half-built warehouse: a table that does not exist yet (its stage has not
run, or its package has not shipped a schema) gives an empty frame, never an exception. Area APIs
(``vigil.risk.queries``, ``vigil.fleet.queries``) are used when they are installed; the SQL here is
the fallback over the same tables.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import logging
from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pandas as pd

if TYPE_CHECKING:
    from vigil.config import VigilConfig

log = logging.getLogger(__name__)

COHORT_COLUMNS = ("owner_team", "lifecycle_stage", "platform")


@cache
def _sql(name: str) -> str:
    return (resources.files("vigil.dashboard") / "sql" / f"{name}.sql").read_text(encoding="utf-8")


def existing_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Names of the tables (and views) in the warehouse's main schema."""
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
    ).fetchall()
    return {r[0] for r in rows}


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """Column names of a table, in order; empty when the table does not exist."""
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [r[0] for r in rows]


def row_count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    """Rows in a table; 0 when it does not exist."""
    if table not in existing_tables(con):
        return 0
    return int(con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])  # type: ignore[index]


def _frame(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    tables: Iterable[str],
    params: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """Run SQL when every table exists; an empty frame otherwise or when a column is missing."""
    missing = set(tables) - existing_tables(con)
    if missing:
        log.debug("skipping query: tables not built yet: %s", ", ".join(sorted(missing)))
        return pd.DataFrame()
    try:
        return con.execute(sql, params or {}).df()
    except (duckdb.BinderException, duckdb.CatalogException) as exc:
        # Another area's table with a different shape than expected: show nothing, log why.
        log.warning("dashboard query skipped (schema mismatch): %s", exc)
        return pd.DataFrame()


def _named(
    con: duckdb.DuckDBPyConnection, name: str, tables: Iterable[str], **params: Any
) -> pd.DataFrame:
    return _frame(con, _sql(name), tables, params)


def _area_api(module: str, func: str) -> Callable[..., Any] | None:
    """An area's public query function when that area has shipped it."""
    try:
        found: Callable[..., Any] | None = getattr(importlib.import_module(module), func, None)
    except ImportError:
        return None
    return found


def _to_pandas(frame: Any) -> pd.DataFrame:
    return frame.to_pandas() if hasattr(frame, "to_pandas") else pd.DataFrame(frame)


def whole_table(
    con: duckdb.DuckDBPyConnection, table: str, order_by: str | None = None
) -> pd.DataFrame:
    """Every row of a small table (registry, patches, drift); newest first by ``order_by``."""
    columns = table_columns(con, table)
    if not columns:
        return pd.DataFrame()
    order = f' ORDER BY "{order_by}" DESC' if order_by in columns else ""
    return con.execute(f'SELECT * FROM "{table}"{order}').df()


# --- runs and freshness ---------------------------------------------------------------------


def run_history(con: duckdb.DuckDBPyConnection, limit: int = 50) -> pd.DataFrame:
    """The latest runs, newest first."""
    return _named(con, "run_history", ["run_history"], limit=limit)


def latest_run(con: duckdb.DuckDBPyConnection) -> dict[str, Any] | None:
    """The newest run_history row as a dict, or None before the first run."""
    runs = run_history(con, limit=1)
    return None if runs.empty else {str(k): v for k, v in runs.iloc[0].items()}


def data_window(con: duckdb.DuckDBPyConnection) -> tuple[dt.date | None, dt.date | None]:
    """First and last day of feature data in the warehouse."""
    if "fact_feature_daily" not in existing_tables(con):
        return None, None
    row = con.execute("SELECT min(event_date), max(event_date) FROM fact_feature_daily").fetchone()
    return (row[0], row[1]) if row else (None, None)


def run_report(run: dict[str, Any] | None) -> dict[str, Any]:
    """The JSON run report a run_history row points at; empty when absent or unreadable."""
    path = (run or {}).get("report_path")
    if not path or not Path(path).is_file():
        return {}
    try:
        loaded = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("cannot read run report %s: %s", path, exc)
        return {}
    return loaded if isinstance(loaded, dict) else {}


def quality_checks(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The quality checks listed in a run report (any list of dicts carrying a status)."""
    section = report.get("quality")
    if isinstance(section, dict):
        section = section.get("checks", section.get("results"))
    if not isinstance(section, list):
        return []
    return [c for c in section if isinstance(c, dict) and "status" in c]


def quality_results(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The quality checks of the latest run, from its run report."""
    return pd.DataFrame(quality_checks(run_report(latest_run(con))))


# --- feature health and risk ------------------------------------------------------------------


def kpis(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Portfolio KPIs for the latest day ('current') and a week earlier ('previous')."""
    return _named(con, "kpis", ["fact_feature_daily"])


def tier_counts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Features per tier on the latest and the previous score date."""
    return _named(con, "tier_counts", ["feature_risk"])


def ranked_features(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Latest scores by impact with descriptors and each feature's previous score."""
    api = _area_api("vigil.risk.queries", "ranked_features")
    ranked = pd.DataFrame()
    if api is not None and "feature_risk" in existing_tables(con):
        ranked = _to_pandas(api(con))
    if ranked.empty:
        ranked = _named(con, "ranked_features", ["feature_risk", "dim_feature"])
    if ranked.empty:
        return ranked
    if "feature_name" not in ranked:
        ranked["feature_name"] = ranked["feature_id"]
    previous = _named(con, "previous_scores", ["feature_risk"])
    if previous.empty:
        previous = pd.DataFrame(columns=["feature_id", "prev_score_date", "prev_risk", "prev_tier"])
    return ranked.merge(previous, on="feature_id", how="left")


def sparklines(con: duckdb.DuckDBPyConnection, days: int = 28) -> pd.DataFrame:
    """Per feature, the last ``days`` values of p95 latency and crash rate (oldest first)."""
    return _named(con, "sparklines", ["fact_feature_daily"], days=days)


def threshold_crossings(
    con: duckdb.DuckDBPyConnection, latency_pct: float, crash_pp: float, feedback_drop: float
) -> pd.DataFrame:
    """Features whose latest day crosses a degradation threshold against their baseline."""
    return _named(
        con,
        "threshold_crossings",
        ["fact_feature_daily", "dim_feature"],
        latency_pct=latency_pct,
        crash_pp=crash_pp,
        feedback_drop=feedback_drop,
    )


def recent_anomalies(con: duckdb.DuckDBPyConnection, days: int = 7) -> pd.DataFrame:
    """Anomalies of the last ``days`` days of detection output, strongest first."""
    return _named(con, "recent_anomalies", ["feature_anomaly", "dim_feature"], days=days)


def attention_items(
    con: duckdb.DuckDBPyConnection, cfg: VigilConfig, day: dt.date | None
) -> pd.DataFrame:
    """The ranked attention list of ``day``: the one the last run stored, else drawn up now from
    the same tables (a warehouse built before the attention stage existed)."""
    from vigil.attention.build import current

    if day is None:
        return pd.DataFrame()
    return current(con, cfg, day).to_pandas()


def feature_list(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every feature with daily data: feature_id, feature_name."""
    return _named(con, "feature_list", ["fact_feature_daily", "dim_feature"])


def cohorts(con: duckdb.DuckDBPyConnection, by: str) -> pd.DataFrame:
    """Latest risk aggregated by owner_team, lifecycle_stage or platform."""
    if by not in COHORT_COLUMNS:
        raise ValueError(f"cohort must be one of {', '.join(COHORT_COLUMNS)}")
    return _frame(con, _sql("cohorts").format(by=by), ["feature_risk", "dim_feature"])


def feature_daily(con: duckdb.DuckDBPyConnection, feature_id: str) -> pd.DataFrame:
    """One feature's daily metrics with 7-day rolling lines."""
    return _named(con, "feature_daily", ["fact_feature_daily"], feature_id=feature_id)


def feature_anomalies(con: duckdb.DuckDBPyConnection, feature_id: str) -> pd.DataFrame:
    """Every anomaly flagged on one feature."""
    return _named(con, "feature_anomalies", ["feature_anomaly"], feature_id=feature_id)


def feature_deployments(con: duckdb.DuckDBPyConnection, feature_id: str) -> pd.DataFrame:
    """Deployments that touched one feature."""
    return _named(con, "feature_deployments", ["fact_deployment"], feature_id=feature_id)


def feature_incidents(con: duckdb.DuckDBPyConnection, feature_id: str) -> pd.DataFrame:
    """Incidents that involved one feature."""
    return _named(con, "feature_incidents", ["fact_incident"], feature_id=feature_id)


# --- patches, fleet, models, data -------------------------------------------------------------


def patches(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every scored release in fact_patch, newest first."""
    return whole_table(con, "fact_patch", order_by="release_date")


def fleet_risk(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Device model x firmware (x age band) risk with tiers, from the fleet area."""
    api = _area_api("vigil.fleet.queries", "fleet_risk")
    if api is not None and "fleet_risk" in existing_tables(con):
        return _to_pandas(api(con))
    return whole_table(con, "fleet_risk")


def fleet_heatmap(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Error rate per 10k devices by device model x firmware."""
    api = _area_api("vigil.fleet.queries", "heatmap")
    if api is not None and "fact_device_daily" in existing_tables(con):
        return _to_pandas(api(con))
    return _named(con, "device_heatmap", ["fact_device_daily"])


def fleet_trend(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Daily error rate per 10k devices per device model."""
    columns = table_columns(con, "fact_device_daily")
    date_col = next((c for c in ("event_date", "date", "day") if c in columns), None)
    if date_col is None:
        return pd.DataFrame()
    return _frame(con, _sql("device_daily").format(date_col=date_col), ["fact_device_daily"])


def model_versions(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Registered model versions, newest first."""
    return whole_table(con, "model_registry", order_by="created_at")


def alias_history(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Champion / challenger alias moves, newest first."""
    columns = table_columns(con, "model_alias_history")
    order = next(
        (c for c in ("changed_at", "set_at", "created_at", "moved_at") if c in columns), None
    )
    return whole_table(con, "model_alias_history", order_by=order)


def drift_latest(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The drift report of the most recent monitoring run."""
    columns = table_columns(con, "drift_report")
    if "run_id" not in columns:
        return pd.DataFrame()
    order = "created_at" if "created_at" in columns else "run_id"
    sql = (
        "SELECT * FROM drift_report WHERE run_id = "
        f'(SELECT run_id FROM drift_report ORDER BY "{order}" DESC LIMIT 1) ORDER BY drifted DESC'
    )
    return _frame(con, sql, ["drift_report"])


def quarantine_summary(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Quarantined rows by input and reason."""
    return _named(con, "quarantine_summary", ["quarantine"])


def baselines(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Dataset-level column baselines kept by monitoring (not per-feature ones)."""
    columns = table_columns(con, "drift_baseline")
    if not columns:
        return pd.DataFrame()
    where = " WHERE feature_id IS NULL" if "feature_id" in columns else ""
    return _frame(con, f"SELECT * FROM drift_baseline{where}", ["drift_baseline"])


def ingest_manifest(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Files ingested, newest first."""
    return whole_table(con, "ingest_manifest", order_by="loaded_at")
