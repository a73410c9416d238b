"""Each rule reads its source table: act now within the budget, the minimum sample, canary
verdicts (latest per pair, not too old, failing reasons), and rules whose source is missing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb

from vigil.alerts import rules
from vigil.config import VigilConfig

from .conftest import NOW

CANARY_DDL = (
    "CREATE TABLE canary_verdict (judged_at TIMESTAMP, baseline VARCHAR, candidate VARCHAR, "
    "feature_id VARCHAR, verdict VARCHAR, score DOUBLE, detail VARCHAR)"
)
DETAIL = json.dumps(
    {
        "metrics": [
            {"name": "latency", "verdict": "Pass", "reason": "latency fine"},
            {"name": "crash_rate", "verdict": "Fail", "reason": "crash rate 0.91% vs 0.62%"},
        ]
    }
)


def cfg(tmp_path: Path, **alerts: object) -> VigilConfig:
    return VigilConfig.model_validate({"root": tmp_path, "alerts": alerts})


def subjects(result: rules.RuleResult) -> list[str]:
    return [a.subject for a in result.alerts]


def test_act_now_needs_the_budget_the_tier_and_the_minimum_sample(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    result = rules.act_now(warehouse, cfg(tmp_path), NOW)
    assert (subjects(result), result.below_sample) == (["F1"], 1)
    loose = cfg(tmp_path, rules={"act_now": {"min_users": 1, "min_events": 1}})
    assert subjects(rules.act_now(warehouse, loose, NOW)) == ["F1", "F2"]
    warehouse.execute("UPDATE attention_item SET in_budget = FALSE WHERE item_key = 'F1'")
    assert subjects(rules.act_now(warehouse, loose, NOW)) == ["F2"]
    warehouse.execute("UPDATE feature_risk SET tier = 'investigate' WHERE feature_id = 'F2'")
    assert subjects(rules.act_now(warehouse, loose, NOW)) == []


def test_anomaly_min_score_filters(tmp_path: Path, warehouse: duckdb.DuckDBPyConnection) -> None:
    assert subjects(rules.anomaly(warehouse, cfg(tmp_path), NOW)) == ["F1"]
    strict = cfg(tmp_path, rules={"anomaly": {"min_score": 0.98}})
    assert subjects(rules.anomaly(warehouse, strict, NOW)) == []


def test_fleet_skips_segments_with_too_few_devices(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    assert subjects(rules.fleet(warehouse, cfg(tmp_path), NOW)) == ["hub-1 on 3.2.1, 2y+"]
    anyone = cfg(tmp_path, rules={"fleet": {"min_devices": 0}})
    assert len(rules.fleet(warehouse, anyone, NOW).alerts) == 2


def test_canary_alerts_on_the_latest_fail_of_each_pair(tmp_path: Path) -> None:
    con = duckdb.connect(":memory:")  # the canary contract only, whatever else exists
    con.execute(CANARY_DDL)
    rows = [
        (NOW - dt.timedelta(hours=5), "2.0", "2.1", None, "Fail", 31.0, DETAIL),
        (NOW - dt.timedelta(hours=6), "2.1", "2.2", "F1", "Fail", 20.0, DETAIL),
        (NOW - dt.timedelta(hours=1), "2.1", "2.2", "F1", "Pass", 95.0, "{}"),  # fixed since
        (NOW - dt.timedelta(days=9), "1.9", "2.0", None, "Fail", 10.0, DETAIL),  # too old
    ]
    con.executemany("INSERT INTO canary_verdict VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    result = rules.canary(con, cfg(tmp_path), NOW)
    assert [(a.subject, a.severity, a.message) for a in result.alerts] == [
        ("2.1 vs 2.0", "critical", "Canary 2.1 vs 2.0: Fail, score 31 (crash rate 0.91% vs 0.62%)")
    ]


def test_canary_without_its_table_has_no_rows(tmp_path: Path) -> None:
    result = rules.canary(duckdb.connect(":memory:"), cfg(tmp_path), NOW)
    assert (result.evaluated, result.alerts) == (True, [])


def test_rules_without_their_source_are_not_evaluated(tmp_path: Path) -> None:
    con = duckdb.connect(":memory:")
    results = {r.rule: r for r in rules.evaluate(con, cfg(tmp_path), NOW)}
    assert {name for name, r in results.items() if not r.evaluated} == {
        "act_now",
        "anomaly",
        "drift",
        "gate",
        "fleet",
    }
    assert results["gate"].note == "no pending patches file"


def test_a_disabled_rule_is_not_evaluated(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    off = cfg(tmp_path, rules={"drift": {"enabled": False}})
    results = {r.rule: r for r in rules.evaluate(warehouse, off, NOW)}
    assert (results["drift"].evaluated, results["drift"].note) == (False, "disabled")


def test_failing_reasons_tolerate_bad_detail() -> None:
    assert rules.failing_reasons(DETAIL) == "crash rate 0.91% vs 0.62%"
    assert rules.failing_reasons("not json") == ""
    assert rules.failing_reasons(None) == ""


def test_a_broken_source_is_not_evaluated_and_the_other_rules_still_run(
    tmp_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    warehouse.execute("DROP TABLE drift_summary")
    warehouse.execute("CREATE TABLE drift_summary (run_id VARCHAR)")  # not the monitoring schema
    results = {r.rule: r for r in rules.evaluate(warehouse, cfg(tmp_path), NOW)}
    assert results["drift"].evaluated is False
    assert results["drift"].note.startswith("failed: BinderException")
    assert subjects(results["anomaly"]) == ["F1"]
