"""The shipped plain export: optional columns it lacks are "not provided", not failed checks."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vigil.cli.main import app
from vigil.config import load_config
from vigil.pipeline import run_pipeline
from vigil.quality import NOT_PROVIDED, QualityResult, overall

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "plain_export"
ABSENT = ("session_id", "app_version", "device_model", "region")


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("plain") / "plain_export"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".vigil"))
    return root / "vigil.yaml"


def test_absent_optional_columns_are_not_provided_and_do_not_fail_the_run(config: Path):
    result = run_pipeline(load_config(config), now=dt.datetime(2026, 3, 15, 12))
    checks = {c["target"]: c for c in result.report["quality"]["checks"]}
    for column in ABSENT:
        check = checks[f"telemetry.{column}"]
        assert check["status"] == NOT_PROVIDED
        assert check["reason"] == (
            f"optional column {column} is not provided: no new telemetry row has it"
        )
    assert checks["telemetry.user_id"]["status"] == "pass"
    assert checks["telemetry.error_count"]["status"] == "pass"
    assert result.report["quality"]["status"] == "pass"
    assert result.status == "succeeded"


def test_vigil_run_prints_not_provided(config: Path):
    shutil.rmtree(config.parent / ".vigil", ignore_errors=True)
    result = CliRunner().invoke(app, ["run", "-c", str(config)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    lines = [ln for ln in result.output.splitlines() if "not provided" in ln]
    assert sorted(c for c in ABSENT if any(f"telemetry.{c} " in ln for ln in lines)) == sorted(
        ABSENT
    )


def test_not_provided_never_worsens_the_overall_verdict():
    absent = QualityResult("null_share", "telemetry.region", NOT_PROVIDED, 1.0, "absent")
    warned = QualityResult("volume_drop", "telemetry", "warn", 0.3, "drop")
    assert overall([absent]) == "pass"
    assert overall([absent, warned]) == "warn"
