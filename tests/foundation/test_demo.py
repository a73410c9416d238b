"""`vigil demo` runs the whole path: load, detect, train and score both models, gate, monitor."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb


def _one(root: Path, sql: str) -> tuple[object, ...]:
    con = duckdb.connect(str(root / ".vigil" / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()[0]
    finally:
        con.close()


def test_demo_run_is_balanced_and_every_stage_ran(demo_workspace: Path) -> None:
    path = _one(demo_workspace, "SELECT report_path FROM run_history ORDER BY started_at LIMIT 1")
    assert not Path(str(path[0])).is_absolute()  # relative: a workspace can move
    report = json.loads((demo_workspace / ".vigil" / str(path[0])).read_text())
    assert report["row_accounting"]["balanced"] is True
    assert report["row_accounting"]["rows_quarantined"] > 0  # the world ships malformed rows
    assert report["row_accounting"]["rows_duplicate"] > 0
    assert {k: v["status"] for k, v in report["stages"].items()} == {
        "detection": "ok",
        "outcomes": "ok",
        "risk": "ok",
        "patches": "ok",
        "fleet": "ok",
        "monitoring": "ok",
        "attention": "ok",
        "alerts": "ok",
    }


def test_demo_trains_both_champions(demo_workspace: Path) -> None:
    for name in ("feature_risk", "patch_risk"):
        aliases = json.loads(
            (demo_workspace / ".vigil" / "models" / name / "aliases.json").read_text()
        )
        assert aliases["champion"]["version"] >= 1


def test_demo_scores_features_with_reasons(demo_workspace: Path) -> None:
    n, with_reason, in_range = _one(
        demo_workspace,
        "SELECT count(*), count(*) FILTER (WHERE length(reason) > 10), "
        "bool_and(risk BETWEEN 0 AND 1) FROM feature_risk",
    )
    assert n == with_reason
    assert int(str(n)) >= 8  # at least the latest day of every feature
    assert in_range is True


def test_demo_gates_the_pending_patches(demo_workspace: Path) -> None:
    gate = json.loads((demo_workspace / ".vigil" / "reports" / "gate_pending.json").read_text())
    assert gate["decision"] in ("PASS", "BLOCKED")
    assert gate["n_patches"] == len(gate["patches"]) == 20
    assert all(0.0 <= p["risk"] <= 1.0 and p["reasons"] for p in gate["patches"])
