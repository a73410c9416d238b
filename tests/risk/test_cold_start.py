"""Cold start: a short history is ranked by transparent rules, labelled as such, until a model is
trained; the switch is recorded in the registry."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb
import pytest
import yaml
from typer.testing import CliRunner

from vigil.cli.main import app
from vigil.config import VigilConfig, load_config
from vigil.context import RunContext
from vigil.pipeline import run_pipeline
from vigil.registry import ModelRegistry
from vigil.risk import rules
from vigil.risk.settings import DegradationThresholds
from vigil.risk.stage import run_stage
from vigil.warehouse.connection import open_warehouse

from .conftest import SMALL_MODEL
from .world import START, build_world

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "plain_export"
T = DegradationThresholds()


# --- the rules one by one -------------------------------------------------------------------


def quiet_row(**changes: object) -> dict[str, object]:
    """Rule inputs of a feature whose recent days match its baseline."""
    row: dict[str, object] = {
        "recent_days": 3,
        "base_days": 11,
        "p95_recent": 200.0,
        "p95_base": 200.0,
        "p95_base_sd": 10.0,
        "usage_recent": 3000.0,
        "crash_recent": 0.004,
        "crash_base": 0.004,
        "error_recent": 0.01,
        "error_base": 0.01,
        "feedback_recent": 4.2,
        "feedback_base": 4.2,
        "feedback_n_recent": 120,
        "anomaly_score": None,
        "deploy_days_ago": None,
    }
    return row | changes


def test_weights_sum_to_one_so_risk_stays_in_0_1():
    assert sum(rules.WEIGHTS.values()) == pytest.approx(1.0)


def test_a_quiet_feature_fires_no_rule():
    row = quiet_row()
    fired = [rules.trend_rule(row, T), rules.anomaly_rule(row), rules.deployment_rule(row)]
    assert [r.strength for r in fired] == [0.0, 0.0, 0.0]
    assert rules.reason(fired) == (
        "Rules-based: no rule fired (metrics within noise of their baseline; "
        "no anomaly in 7 days; no deployment touched it in 7 days)"
    )


def test_trend_is_the_share_of_a_regression_and_names_the_worst_metric():
    rule = rules.trend_rule(quiet_row(p95_recent=230.0, feedback_recent=4.1), T)
    # p95 +15% is 0.6 of the label's 25%; feedback -0.1 only a third of its 0.3
    assert rule.strength == pytest.approx(0.6)
    assert rule.detail == "p95 latency up 15% on its 11-day baseline"
    feedback = rules.trend_rule(quiet_row(feedback_recent=4.0), T)
    assert feedback.strength == pytest.approx(0.2 / 0.3)
    assert feedback.detail == "feedback down 0.20 on its baseline (4.0 of 5)"
    errors = rules.trend_rule(quiet_row(error_recent=0.02), T)
    assert (errors.strength, errors.detail) == (1.0, "error rate up 100% on its baseline")
    crash = rules.trend_rule(quiet_row(crash_recent=0.009), T)
    assert crash.strength == pytest.approx(1.0)
    assert crash.detail == "crash rate up 0.50 pp on its baseline"


def test_moves_within_noise_or_without_baseline_do_not_fire():
    assert rules.trend_rule(quiet_row(p95_recent=215.0), T).strength == 0.0  # < 3 sd/sqrt(3)
    assert rules.trend_rule(quiet_row(crash_recent=0.0045), T).strength == 0.0
    assert rules.trend_rule(quiet_row(error_recent=0.0125), T).strength == 0.0
    short = rules.trend_rule(quiet_row(p95_recent=400.0, base_days=6), T)
    assert (short.strength, short.detail) == (0.0, "under 7 days of baseline")


def test_deployment_rule_decays_over_a_week_and_scales_with_rollout():
    today = rules.deployment_rule(quiet_row(deploy_days_ago=0, deployment_id="D1"))
    assert (today.strength, today.detail) == (1.0, "deployment D1 touched it today")
    half = rules.deployment_rule(quiet_row(deploy_days_ago=2, deployment_id="D2", rollout_pct=50.0))
    assert half.strength == pytest.approx((1 - 2 / 7) * 0.5)
    assert half.detail == "deployment D2 touched it 2 days ago (rollout 50%)"
    assert rules.deployment_rule(quiet_row(deploy_days_ago=7)).strength == 0.0


def test_the_reason_names_every_rule_that_fired_strongest_first():
    row = quiet_row(
        p95_recent=250.0,
        anomaly_score=0.9,
        anomaly_what="latency_p95_ms level shift up",
        anomaly_date=dt.date(2026, 3, 12),
    )
    fired = [rules.trend_rule(row, T), rules.anomaly_rule(row), rules.deployment_rule(row)]
    assert sum(r.contribution for r in fired) == pytest.approx(0.45 + 0.35 * 0.9)
    assert rules.reason(fired) == (
        "Rules-based: trend rule fired, p95 latency up 25% on its 11-day baseline; "
        "anomalies rule fired, latency_p95_ms level shift up on 2026-03-12"
    )


# --- the shipped plain export ---------------------------------------------------------------


@pytest.fixture(scope="module")
def plain_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/plain_export copied and run once, the day after its data ends."""
    root = tmp_path_factory.mktemp("plain") / "plain_export"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".vigil"))
    config = root / "vigil.yaml"
    result = run_pipeline(load_config(config), now=dt.datetime(2026, 3, 15, 12))
    assert result.status == "succeeded"
    return config


def test_plain_export_ranks_every_feature_by_rules_with_a_reason(plain_export: Path):
    result = runner.invoke(app, ["risk", "-c", str(plain_export), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert sorted(r["feature_id"] for r in rows) == [
        "checkout",
        "notifications",
        "profile",
        "search",
        "sync",
    ]
    assert {r["method"] for r in rows} == {"rules"}
    assert {r["model_version"] for r in rows} == {"rules-v1"}
    assert {str(r["score_date"]) for r in rows} == {"2026-03-14"}
    assert all(r["reason"].startswith("Rules-based: ") for r in rows)
    top = rows[0]
    assert (top["feature_id"], top["risk"], top["tier"]) == ("sync", 0.45, "investigate")
    assert top["reason"] == (
        "Rules-based: trend rule fired, p95 latency up 64% on its 11-day baseline"
    )


def test_plain_export_text_output_says_rules_based(plain_export: Path):
    result = runner.invoke(app, ["risk", "-c", str(plain_export)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Features by impact, 2026-03-14: rules-based risk (no trained model yet)" in (
        result.output
    )
    assert "Cold start: risk = 0.45 x trend + 0.35 x anomalies + 0.20 x deployment" in (
        result.output
    )


def test_plain_export_registry_shows_the_rules_scorer_serving(plain_export: Path):
    cfg = load_config(plain_export)
    with open_warehouse(cfg.warehouse_path, read_only=True) as con:
        reg = ModelRegistry(con, cfg.models_dir)
        assert reg.aliases(rules.RULES_MODEL) == {"champion": 1}
        assert reg.aliases("feature_risk") == {}
        (move,) = reg.history(rules.RULES_MODEL)
    assert move["reason"] == (
        "cold start: no champion model, and 7 days with a mature label are too few to train "
        "one (needs 28)"
    )


# --- the switch to the model ----------------------------------------------------------------


def _ctx(cfg: VigilConfig, con: duckdb.DuckDBPyConnection, now: dt.datetime) -> RunContext:
    return RunContext(cfg=cfg, con=con, run_id=f"{now:%m%d}", report_dir=cfg.reports_dir, now=now)


def test_a_long_history_switches_to_the_model_and_the_registry_records_it(tmp_path: Path):
    config = tmp_path / "vigil.yaml"
    config.write_text(yaml.safe_dump({"risk": {"model": SMALL_MODEL}}))
    cfg = load_config(config)
    with open_warehouse(cfg.warehouse_path) as con:
        build_world(con, days=90)
        early = run_stage(
            _ctx(cfg, con, dt.datetime.combine(START, dt.time(12)) + dt.timedelta(days=28))
        )
        late = run_stage(_ctx(cfg, con, dt.datetime(2026, 6, 1)))
        again = run_stage(_ctx(cfg, con, dt.datetime(2026, 6, 2)))
        reg = ModelRegistry(con, cfg.models_dir)
        history = [(m["action"], m["reason"]) for m in reg.history(rules.RULES_MODEL)]
        aliases = (reg.aliases(rules.RULES_MODEL), reg.aliases("feature_risk"))
    assert early["method"] == "rules"
    assert early["score_dates"]["last"] == "2026-01-28"
    # f00 is in its first regression on day 27: the rules put it on top
    assert early["top"][0]["feature_id"] == "f00"
    assert early["top"][0]["reason"].startswith("Rules-based: trend rule fired, p95 latency up")
    assert late["method"] == "model" and late["switched_from_rules"] is True
    assert late["trained"] == "no champion model: trained and promoted v1"
    assert again["switched_from_rules"] is False
    assert history == [
        (
            "promote",
            "cold start: no champion model, and 21 days with a mature label are too few to "
            "train one (needs 28)",
        ),
        ("retire", "replaced by the trained feature_risk v1"),
    ]
    assert aliases == ({}, {"champion": 1})
    listed = runner.invoke(app, ["registry", "list", "-c", str(config)], env={"COLUMNS": "200"})
    assert listed.exit_code == 0, listed.output
    line = next(ln for ln in listed.output.splitlines() if rules.RULES_MODEL in ln)
    assert "retired " in line
