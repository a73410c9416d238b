"""The risk page says plainly when its scores come from the cold-start rules."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest
from tests.dashboard.conftest import frame, texts

from vigil.config import load_config
from vigil.pipeline import run_pipeline

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "plain_export"
NOTE = "**Rules-based risk (cold start)**: no model is trained yet"


@pytest.fixture(scope="module")
def plain_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("plain_dash") / "plain_export"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".vigil"))
    run_pipeline(load_config(root / "vigil.yaml"), now=dt.datetime(2026, 3, 15, 12))
    return root / "vigil.yaml"


def test_rules_based_scores_are_labelled_on_the_risk_page(
    run_page: Callable[..., AppTest], plain_config: Path
) -> None:
    at = run_page(plain_config, "risk")
    assert not at.exception
    assert any(t.startswith(NOTE) for t in texts(at))
    table = frame(at)
    assert len(table) == 5
    assert table["reason"].str.startswith("Rules-based: ").all()


def test_model_scores_carry_no_rules_label(
    run_page: Callable[..., AppTest], demo_config: Path
) -> None:
    at = run_page(demo_config, "risk")
    assert not at.exception
    assert not any(NOTE in t for t in texts(at))


def test_health_page_shows_the_rules_scorer_retired_once_the_model_serves(
    run_page: Callable[..., AppTest], tmp_path: Path
) -> None:
    from tests.risk.conftest import SMALL_MODEL
    from tests.risk.world import build_world

    from vigil.context import RunContext
    from vigil.risk.stage import run_stage
    from vigil.warehouse.connection import open_warehouse

    config = tmp_path / "vigil.yaml"
    config.write_text(yaml.safe_dump({"risk": {"model": SMALL_MODEL}}))
    cfg = load_config(config)
    with open_warehouse(cfg.warehouse_path) as con:
        build_world(con, days=90)
        for now in (dt.datetime(2026, 1, 29, 12), dt.datetime(2026, 6, 1)):
            run_stage(RunContext(cfg=cfg, con=con, run_id="r", report_dir=tmp_path, now=now))
    at = run_page(config, "health")
    assert not at.exception
    models = frame(at, 0)
    aliases = dict(zip(models["name"], models["aliases"], strict=True))
    assert aliases == {"feature_risk": "champion", "feature_risk_rules": "champion (retired)"}
