"""The dashboard's canary panel: what it shows for a stored judgement (pure helpers)."""

from __future__ import annotations

import datetime as dt

from vigil.canary.judge import judge
from vigil.canary.settings import CanarySettings
from vigil.canary.store import recent, write
from vigil.dashboard.views import canary_panel
from vigil.warehouse.connection import memory_warehouse

from .samples import events


def test_panel_rows_come_from_the_stored_verdicts():
    con = memory_warehouse()
    assert recent(con) == []
    slow = judge(
        events(3_000, seed=1),
        events(3_000, seed=2, latency_ms=300.0),
        CanarySettings(),
        names=("3.0.1", "3.0.2"),
        feature_id="F1",
    )
    write(con, slow, dt.datetime(2026, 3, 4, 12))
    rows = recent(con)
    assert canary_panel.title(rows[0]) == "❌ 3.0.2 vs 3.0.1 on F1: Fail (score 60)"
    table = canary_panel.table(rows)
    assert table.columns.tolist() == [
        "judged", "candidate", "baseline", "feature", "verdict", "score", "why"
    ]  # fmt: skip
    assert table["why"][0].startswith("latency median ")
    metrics = canary_panel.metrics(rows[0])
    assert metrics["metric"].tolist() == ["latency", "crash rate", "error rate", "feedback"]
    assert metrics["verdict"].tolist() == ["Fail", "Pass", "Pass", "Pass"]
