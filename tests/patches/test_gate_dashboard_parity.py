"""One gate decision: the dashboard's Patches page shows exactly what `vigil gate` decides."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vigil.cli.main import app
from vigil.dashboard.pending import score_pending
from vigil.patches.tiers import VERDICT

from .patch_world import releases, trained_workspace, write_pending


@pytest.mark.parametrize(("block", "marginal"), [(0.5, 0.2), (1.0, 1.0), (0.0, 0.0)])
def test_dashboard_decision_equals_vigil_gate(
    tmp_path: Path, block: float, marginal: float
) -> None:
    _, con = trained_workspace(tmp_path / "ws", n=30)
    con.close()
    (tmp_path / "ws" / "data").mkdir()
    pending = write_pending(tmp_path / "ws" / "data" / "pending_patches.csv", releases(12, seed=5))
    config = tmp_path / "ws" / "vigil.yaml"
    config.write_text(
        config.read_text() + f"  gate: {{block: {block}, marginal: {marginal}}}\n", "utf-8"
    )
    result = CliRunner().invoke(app, ["gate", str(pending), "-c", str(config)])
    payload = json.loads(result.stdout)

    from vigil.config import load_config

    shown = score_pending(load_config(config))

    assert shown.decision == payload["decision"]
    assert result.exit_code == (1 if payload["decision"] == "BLOCKED" else 0)
    by_id = {p["id"]: p for p in payload["patches"]}
    assert len(shown.patches) == len(by_id) == 12
    for row in shown.patches.itertuples():
        assert row.risk == by_id[row.id]["risk"]
        assert row.decision == VERDICT[by_id[row.id]["tier"]]
    assert not shown.qa_queue.empty
