"""Cold-start feature risk: three transparent rules, used until enough mature days exist to train
the model.

``risk = sum(weight x strength)`` over the rules; each strength is in [0, 1] and the weights sum
to 1, so the risk is in [0, 1]:

=========== ====== =========================================================================
rule        weight strength
=========== ====== =========================================================================
trend       0.45   the worst metric's move over the last 3 days against the baseline before
                   them, as a share of the move the label calls a regression (risk.thresholds):
                   p95 latency ratio, crash-rate rise (pp), error-rate ratio (1.25 when the
                   label ignores errors), feedback drop. A move within ``min_z`` standard errors
                   of the baseline counts as 0 (noise on small features is not a trend).
anomalies   0.35   the strongest detector score on the feature in the last 7 days.
deployment  0.20   a deployment touched the feature in the last 7 days: 1 on its day, falling
                   linearly to 0 after 7 days, times its rollout share.
=========== ====== =========================================================================

The weights are set by hand, not fitted: there are no mature labels yet to fit them on. The trend
is the symptom the label itself measures, an anomaly is the detector's confirmation, and a recent
deployment only a prior. Scores go to ``feature_risk`` with model version ``rules-v1``; the rules
scorer is registered as ``feature_risk_rules`` so the registry records when it served and when
the trained model took over.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from vigil.config import VigilConfig
from vigil.risk.champion import registry
from vigil.risk.scoring import tier_expr
from vigil.risk.settings import DegradationThresholds
from vigil.risk.sql_files import load_sql, query_frame

log = logging.getLogger(__name__)

RULES_VERSION = "rules-v1"
RULES_MODEL = "feature_risk_rules"
WEIGHTS: dict[str, float] = {"trend": 0.45, "anomalies": 0.35, "deployment": 0.20}
RECENT_DAYS = 3
"""the trend rule's recent window, in days ending at the score date"""
MIN_BASELINE_DAYS = 7
"""the trend rule stays silent until the baseline before the recent window has this many days"""
ANOMALY_DAYS = 7
DEPLOY_DAYS = 7
DEFAULT_ERROR_RATIO = 1.25
"""the error-rate ratio the trend rule measures against when the label leaves errors out"""
MIN_MATURE_DAYS = 28
"""a model is trained only once this many days have a mature label; until then, the rules"""


@dataclass(frozen=True)
class Rule:
    """One rule's verdict on one feature: strength in [0, 1] and what it saw."""

    name: str
    strength: float
    detail: str

    @property
    def weight(self) -> float:
        return WEIGHTS[self.name]

    @property
    def contribution(self) -> float:
        return self.weight * self.strength


def method_of(model_version: str | None) -> str:
    """``rules`` for scores written by this scorer, ``model`` for the trained model's."""
    return "rules" if str(model_version or "").startswith("rules-") else "model"


def mature_days(con: duckdb.DuckDBPyConnection, horizon: int, cutoff: dt.date) -> int:
    """Distinct days whose label is mature (their horizon lies within complete data)."""
    rows = con.execute(load_sql("rules_mature_days"), {"horizon": horizon, "cutoff": cutoff})
    return int(rows.fetchall()[0][0] or 0)


def _clip(value: float) -> float:
    return 0.0 if not math.isfinite(value) else min(1.0, max(0.0, value))


def _num(row: dict[str, Any], key: str) -> float | None:
    value = row.get(key)
    return None if value is None else float(value)


def _latency(row: dict[str, Any], t: DegradationThresholds) -> tuple[float, str] | None:
    recent, base, sd = _num(row, "p95_recent"), _num(row, "p95_base"), _num(row, "p95_base_sd")
    if recent is None or not base:
        return None
    noise = t.min_z * (sd or 0.0) / math.sqrt(max(int(row["recent_days"]), 1))
    if recent - base <= noise:
        return None
    ratio = recent / base
    days = int(row["base_days"])
    return (ratio - 1) / (
        t.latency_p95_ratio - 1
    ), f"p95 latency up {ratio - 1:.0%} on its {days}-day baseline"


def _rate(row: dict[str, Any], name: str, t: DegradationThresholds) -> tuple[float, str] | None:
    recent, base = _num(row, f"{name}_recent"), _num(row, f"{name}_base")
    usage = _num(row, "usage_recent") or 0.0
    if recent is None or base is None or usage <= 0:
        return None
    # crashes are a share of events (binomial); errors are a count per event (Poisson)
    spread = max(base, 1e-4) * (max(1 - base, 0.0) if name == "crash" else 1.0)
    se = math.sqrt(spread / usage)
    if recent - base < t.min_z * se or recent <= base:
        return None
    if name == "crash":
        rise = (recent - base) * 100
        return rise / t.crash_rate_increase_pp, f"crash rate up {rise:.2f} pp on its baseline"
    if not base:
        return None
    ratio = t.error_rate_ratio or DEFAULT_ERROR_RATIO
    return (recent / base - 1) / (
        ratio - 1
    ), f"error rate up {recent / base - 1:.0%} on its baseline"


def _feedback(row: dict[str, Any], t: DegradationThresholds) -> tuple[float, str] | None:
    recent, base = _num(row, "feedback_recent"), _num(row, "feedback_base")
    if (
        recent is None
        or base is None
        or (_num(row, "feedback_n_recent") or 0) < t.min_feedback_count
    ):
        return None
    if recent >= base:
        return None
    drop = base - recent
    return drop / t.feedback_drop, f"feedback down {drop:.2f} on its baseline ({recent:.1f} of 5)"


def trend_rule(row: dict[str, Any], t: DegradationThresholds) -> Rule:
    """The worst metric's recent move against its baseline, as a share of a regression."""
    if int(row.get("base_days") or 0) < MIN_BASELINE_DAYS:
        return Rule("trend", 0.0, f"under {MIN_BASELINE_DAYS} days of baseline")
    found = [_latency(row, t), _rate(row, "crash", t), _rate(row, "error", t), _feedback(row, t)]
    moves = [(_clip(s), text) for s, text in (f for f in found if f is not None)]
    if not moves:
        return Rule("trend", 0.0, "metrics within noise of their baseline")
    strength, text = max(moves, key=lambda m: m[0])
    return Rule("trend", strength, text)


def anomaly_rule(row: dict[str, Any]) -> Rule:
    """The strongest anomaly on the feature in the last ANOMALY_DAYS days."""
    score = _num(row, "anomaly_score")
    if not score:
        return Rule("anomalies", 0.0, f"no anomaly in {ANOMALY_DAYS} days")
    return Rule("anomalies", _clip(score), f"{row['anomaly_what']} on {row['anomaly_date']}")


def deployment_rule(row: dict[str, Any]) -> Rule:
    """A deployment touching the feature in the last DEPLOY_DAYS days, by recency and rollout."""
    days = row.get("deploy_days_ago")
    if days is None or int(days) >= DEPLOY_DAYS:
        return Rule("deployment", 0.0, f"no deployment touched it in {DEPLOY_DAYS} days")
    rollout = _num(row, "rollout_pct")
    share = 1.0 if rollout is None else rollout / 100
    when = "today" if days == 0 else "1 day ago" if days == 1 else f"{days} days ago"
    detail = f"deployment {row['deployment_id']} touched it {when}"
    if rollout is not None:
        detail += f" (rollout {rollout:.0f}%)"
    return Rule("deployment", _clip((1 - int(days) / DEPLOY_DAYS) * share), detail)


def reason(rules: list[Rule]) -> str:
    """One sentence naming every rule that fired (strongest first), or that none did."""
    fired = sorted((r for r in rules if r.strength > 0), key=lambda r: -r.contribution)
    if not fired:
        quiet = "; ".join(r.detail for r in rules)
        return f"Rules-based: no rule fired ({quiet})"
    return "Rules-based: " + "; ".join(f"{r.name} rule fired, {r.detail}" for r in fired)


def factors(rules: list[Rule]) -> list[dict[str, Any]]:
    """The top_factors JSON: every rule with its weight, strength and contribution."""
    return [
        {
            "factor": f"rule_{r.name}",
            "weight": r.weight,
            "value": r.strength,
            "contribution": r.contribution,
            "cited": r.strength > 0,
            "detail": r.detail,
        }
        for r in rules
    ]


def rule_inputs(con: duckdb.DuckDBPyConnection, cfg: VigilConfig, day: dt.date) -> pl.DataFrame:
    """Each feature's rule inputs at ``day`` (features with data in the recent window)."""
    params = {
        "score_date": day,
        "recent_days": RECENT_DAYS,
        "baseline_days": cfg.risk.baseline_days,
        "anomaly_days": ANOMALY_DAYS,
    }
    return query_frame(con, load_sql("rules_inputs"), params)


def score_rules(con: duckdb.DuckDBPyConnection, cfg: VigilConfig, day: dt.date) -> pl.DataFrame:
    """Rules-based risk, impact, tier, reason and factors of every feature at ``day``."""
    inputs = rule_inputs(con, cfg, day)
    t = cfg.risk.thresholds
    rows = []
    for row in inputs.iter_rows(named=True):
        rules = [trend_rule(row, t), anomaly_rule(row), deployment_rule(row)]
        rows.append(
            {
                "feature_id": row["feature_id"],
                "score_date": day,
                "users_exposed": float(row["users_exposed"] or 0.0),
                "risk": sum(r.contribution for r in rules),
                "reason": reason(rules),
                "top_factors": json.dumps(factors(rules)),
            }
        )
    schema = {
        "feature_id": pl.Utf8,
        "score_date": pl.Date,
        "users_exposed": pl.Float64,
        "risk": pl.Float64,
        "reason": pl.Utf8,
        "top_factors": pl.Utf8,
    }
    return pl.DataFrame(rows, schema=schema).with_columns(
        (pl.col("risk") * pl.col("users_exposed")).alias("impact"),
        tier_expr(pl.col("risk"), cfg.risk.tiers).alias("tier"),
    )


def definition() -> dict[str, Any]:
    """The rules as data: what the registry stores for ``feature_risk_rules``."""
    return {
        "version": RULES_VERSION,
        "weights": WEIGHTS,
        "recent_days": RECENT_DAYS,
        "min_baseline_days": MIN_BASELINE_DAYS,
        "anomaly_days": ANOMALY_DAYS,
        "deploy_days": DEPLOY_DAYS,
        "default_error_ratio": DEFAULT_ERROR_RATIO,
        "min_mature_days": MIN_MATURE_DAYS,
    }


def record_rules_serving(con: duckdb.DuckDBPyConnection, cfg: VigilConfig, why: str) -> int:
    """Make the rules scorer the serving (champion) ``feature_risk_rules`` version; registers it
    first when its definition is new. Returns the version."""
    reg = registry(con, cfg)
    spec = definition()
    known = [mv for mv in reg.list(RULES_MODEL) if mv.params == spec]
    if known:
        version = known[-1].version
    else:
        with tempfile.TemporaryDirectory(prefix="vigil-rules-") as tmp:
            path = Path(tmp) / "rules.json"
            path.write_text(json.dumps(spec, indent=2, sort_keys=True), encoding="utf-8")
            mv = reg.register(
                RULES_MODEL,
                Path(tmp),
                metrics={},
                features=list(WEIGHTS),
                train_start=None,
                train_end=None,
                params=spec,
            )
        version = mv.version
    if reg.aliases(RULES_MODEL).get("champion") != version:
        reg.set_alias(RULES_MODEL, "champion", version, f"cold start: {why}", action="promote")
    return version


def record_model_serving(con: duckdb.DuckDBPyConnection, cfg: VigilConfig, version: int) -> bool:
    """When the rules scorer was serving, retire it in favour of feature_risk ``version``.
    True when this call recorded the switch."""
    reg = registry(con, cfg)
    if "champion" not in reg.aliases(RULES_MODEL):
        return False
    reg.retire(RULES_MODEL, "champion", f"replaced by the trained feature_risk v{version}")
    log.info("feature risk: switched from rules to the trained model v%d", version)
    return True
