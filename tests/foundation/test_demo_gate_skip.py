"""The demo's gate step says why it was skipped when no patch model could be trained."""

from __future__ import annotations

from pathlib import Path

from vigil.config import default_config
from vigil.demo import _gate_pending


def test_gate_step_is_skipped_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "pending_patches.csv").write_text("patch_id,files_changed\nP1,3\n")
    outcome = _gate_pending(default_config(tmp_path), tmp_path)
    assert list(outcome) == ["skipped"]
    assert outcome["skipped"].startswith("no trained patch model in ")
    assert outcome["skipped"].endswith("(run 'vigil train patches -c vigil.yaml')")
    assert not (tmp_path / ".vigil" / "reports" / "gate_pending.json").exists()
