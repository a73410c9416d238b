"""The six rules: each reads the table another stage writes and returns the alerts firing now.

A rule whose source table does not exist yet (or whose input is unusable) is *not evaluated*: its
open alerts stay as they are rather than resolving on missing data. Thresholds come from
:mod:`vigil.alerts.settings`; the tiers themselves (act now, immediate, blocked) are the owning
stage's decisions, read back as stored, never recomputed here.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import duckdb
import polars as pl

from vigil.alerts.alert import Alert
from vigil.alerts.settings import MinimumSample
from vigil.config import VigilConfig
from vigil.errors import VigilError

log = logging.getLogger(__name__)


@dataclass
class RuleResult:
    """What one rule saw: its alerts, or why it could not look."""

    rule: str
    evaluated: bool
    alerts: list[Alert] = field(default_factory=list)
    note: str = ""
    below_sample: int = 0
    """features held back by the minimum-sample guard"""


def sql(name: str) -> str:
    """The text of ``alerts/sql/<name>.sql``."""
    return (resources.files("vigil.alerts") / "sql" / f"{name}.sql").read_text(encoding="utf-8")


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
    ).fetchall()
    return {r[0] for r in rows}


def _frame(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> pl.DataFrame:
    return con.sql(sql(name), params=params or None).pl()


def _enough(frame: pl.DataFrame, rule: MinimumSample) -> pl.DataFrame:
    return frame.filter((pl.col("users") >= rule.min_users) & (pl.col("events") >= rule.min_events))


def _traffic(row: dict[str, Any]) -> str:
    return f"{row['users']:,.0f} daily users, {row['events']:,.0f} events in 7 days"


def act_now(con: duckdb.DuckDBPyConnection, cfg: VigilConfig, now: dt.datetime) -> RuleResult:
    """Features in the attention list's budget whose risk is in the act-now tier."""
    if not {"attention_item", "feature_risk", "fact_feature_daily"} <= _tables(con):
        return RuleResult("act_now", False, note="no attention list yet")
    rule = cfg.alerts.rules.act_now
    found = _frame(con, "act_now")
    enough = _enough(found, rule)
    alerts = [
        Alert(
            rule="act_now",
            subject=r["feature_id"],
            label=r["title"],
            severity=rule.severity,
            message=(
                f"{r['title']} is in the act-now tier: risk {r['risk']:.0%}, #{r['rank']} on the "
                f"attention list of {r['as_of_date']:%Y-%m-%d} ({r['reason']}; {_traffic(r)})"
            ),
            details={"risk": r["risk"], "rank": r["rank"], "as_of_date": str(r["as_of_date"])},
        )
        for r in enough.iter_rows(named=True)
    ]
    return RuleResult("act_now", True, alerts, below_sample=found.height - enough.height)


def anomaly(con: duckdb.DuckDBPyConnection, cfg: VigilConfig, now: dt.datetime) -> RuleResult:
    """A recent anomaly on a feature with enough users and events."""
    if not {"feature_anomaly", "fact_feature_daily"} <= _tables(con):
        return RuleResult("anomaly", False, note="no anomaly table yet")
    rule = cfg.alerts.rules.anomaly
    found = _frame(con, "anomalies", lookback=rule.lookback_days, min_score=rule.min_score)
    enough = _enough(found, rule)
    alerts = []
    for r in enough.iter_rows(named=True):
        more = f", {r['n_anomalies']} anomalies" if r["n_anomalies"] > 1 else ""
        alerts.append(
            Alert(
                rule="anomaly",
                subject=r["feature_id"],
                label=r["feature_name"],
                severity=rule.severity,
                message=(
                    f"{r['feature_name']}, {r['event_date']:%Y-%m-%d}: {r['message']} "
                    f"(score {r['score']:.2f}{more}; {_traffic(r)})"
                ),
                details={
                    "metric": r["metric"],
                    "kind": r["kind"],
                    "event_date": str(r["event_date"]),
                    "score": r["score"],
                },
            )
        )
    return RuleResult("anomaly", True, alerts, below_sample=found.height - enough.height)


def drift(con: duckdb.DuckDBPyConnection, cfg: VigilConfig, now: dt.datetime) -> RuleResult:
    """The latest monitoring run found dataset drift."""
    if "drift_summary" not in _tables(con):
        return RuleResult("drift", False, note="no drift verdict yet")
    latest = _frame(con, "drift")
    if latest.height == 0:
        return RuleResult("drift", False, note="no drift verdict yet")
    r = latest.row(0, named=True)
    if not r["dataset_drift"]:
        return RuleResult("drift", True)
    alert = Alert(
        rule="drift",
        subject="dataset",
        label="telemetry",
        severity=cfg.alerts.rules.drift.severity,
        message=f"Dataset drift: {r['summary']}",
        details={"run_id": r["run_id"], "columns_drifted": r["columns_drifted"]},
    )
    return RuleResult("drift", True, [alert])


def gate(con: duckdb.DuckDBPyConnection, cfg: VigilConfig, now: dt.datetime) -> RuleResult:
    """The CI gate's own decision on the pending patches: BLOCKED raises one alert."""
    from vigil.patches.gate import BLOCKED, configured_gate

    path = cfg.dashboard.pending_patches_path(cfg.root)
    if path is None or not path.is_file():
        return RuleResult("gate", False, note="no pending patches file")
    try:
        result = configured_gate(cfg, path, warehouse=con)
    except VigilError as exc:
        return RuleResult("gate", False, note=f"gate not run: {exc}")
    payload = result.payload
    if payload["decision"] != BLOCKED:
        return RuleResult("gate", True)
    high = [p for p in payload["patches"] if p["tier"] == "high"]
    high.sort(key=lambda p: -p["risk"])
    shown = ", ".join(f"{p['id']} ({p['risk']:.0%})" for p in high[:3])
    more = f" and {len(high) - 3} more" if len(high) > 3 else ""
    alert = Alert(
        rule="gate",
        subject="pending patches",
        severity=cfg.alerts.rules.gate.severity,
        message=(
            f"The CI gate blocks {len(high)} of {payload['n_patches']} pending patches at risk >= "
            f"{payload['block']:.0%}: {shown}{more}"
        ),
        details={"blocked": [p["id"] for p in high], "model_version": payload["model_version"]},
    )
    return RuleResult("gate", True, [alert])


def fleet(con: duckdb.DuckDBPyConnection, cfg: VigilConfig, now: dt.datetime) -> RuleResult:
    """Device segments in the fleet's immediate tier."""
    if "fleet_risk" not in _tables(con):
        return RuleResult("fleet", False, note="no fleet risk yet")
    rule = cfg.alerts.rules.fleet
    found = _frame(con, "fleet", min_devices=rule.min_devices)
    alerts = [
        Alert(
            rule="fleet",
            subject=f"{r['device_model']} on {r['firmware_version']}, {r['age_band']}",
            severity=rule.severity,
            message=(
                f"{r['devices']:,} {r['device_model']} devices aged {r['age_band']} on firmware "
                f"{r['firmware_version']} run at {r['weighted_risk']:.1f}x the fleet's risk"
                f"{_per_10k(r['error_rate_per_10k'])}"
            ),
            details={"weighted_risk": r["weighted_risk"], "devices": r["devices"]},
        )
        for r in found.iter_rows(named=True)
    ]
    return RuleResult("fleet", True, alerts)


def _per_10k(rate: float | None) -> str:
    return "" if rate is None else f" ({rate:.1f} errors per 10k device-days)"


def canary(con: duckdb.DuckDBPyConnection, cfg: VigilConfig, now: dt.datetime) -> RuleResult:
    """Baseline/candidate pairs whose latest canary verdict is Fail."""
    if "canary_verdict" not in _tables(con):
        return RuleResult("canary", True, note="no canary verdicts")
    rule = cfg.alerts.rules.canary
    since = now - dt.timedelta(days=rule.max_age_days)
    latest = _frame(con, "canary", since=since)
    alerts = []
    for r in latest.filter(pl.col("verdict") == "Fail").iter_rows(named=True):
        scope = f" on {r['feature_id']}" if r["feature_id"] else ""
        subject = f"{r['candidate']} vs {r['baseline']}{scope}"
        why = failing_reasons(r["detail"])
        alerts.append(
            Alert(
                rule="canary",
                subject=subject,
                severity=rule.severity,
                message=f"Canary {subject}: Fail{_score(r['score'])}"
                + (f" ({why})" if why else ""),
                details={"judged_at": str(r["judged_at"]), "score": r["score"]},
            )
        )
    return RuleResult("canary", True, alerts)


def _score(score: float | None) -> str:
    return "" if score is None else f", score {score:.0f}"


def failing_reasons(detail: str | None, limit: int = 2) -> str:
    """The reasons of the failing metrics in a verdict's detail JSON, '; '-joined."""
    try:
        parsed = json.loads(detail or "{}")
    except json.JSONDecodeError:
        return ""
    metrics = parsed.get("metrics", []) if isinstance(parsed, dict) else parsed
    if not isinstance(metrics, list):
        return ""
    reasons = [
        str(m.get("reason"))
        for m in metrics
        if isinstance(m, dict) and m.get("verdict") == "Fail" and m.get("reason")
    ]
    return "; ".join(reasons[:limit])


RuleFn = Callable[[duckdb.DuckDBPyConnection, VigilConfig, dt.datetime], RuleResult]
RULES: dict[str, RuleFn] = {
    "act_now": act_now,
    "anomaly": anomaly,
    "drift": drift,
    "gate": gate,
    "fleet": fleet,
    "canary": canary,
}


def evaluate(
    con: duckdb.DuckDBPyConnection, cfg: VigilConfig, now: dt.datetime
) -> list[RuleResult]:
    """Every enabled rule, in order. A rule that fails is reported as not evaluated (its open
    alerts neither resolve nor re-send), so the others still run."""
    results = []
    for name, fn in RULES.items():
        if not cfg.alerts.rules.get(name).enabled:
            results.append(RuleResult(name, False, note="disabled"))
            continue
        try:
            result = fn(con, cfg, now)
        except Exception as exc:  # one broken source must not silence the other rules
            log.exception("alerts: rule %s failed", name)
            result = RuleResult(name, False, note=f"failed: {type(exc).__name__}: {exc}")
        if result.note:
            log.info("alerts: rule %s: %s", name, result.note)
        results.append(result)
    return results
