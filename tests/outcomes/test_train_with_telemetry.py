"""`vigil train patches` with outcomes.label_source = telemetry: the releases' telemetry outcomes
are the labels, releases without a final one are left out of the split."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from tests.patches.patch_world import load_releases, make_cfg, releases

from vigil.config import VigilConfig
from vigil.outcomes import store
from vigil.patches.train import train_patch_model
from vigil.warehouse.connection import memory_warehouse


def test_training_uses_final_telemetry_outcomes_as_labels(tmp_path: Path) -> None:
    rows = releases(40, mature_upto=36)
    con = memory_warehouse()
    load_releases(con, rows)
    high = [r["code_churn"] > 2500 for r in rows]
    final = [i < 34 for i in range(40)]  # the last six are still inside their window
    outcomes = pl.DataFrame(
        {
            "firmware_version": [r["firmware_version"] for r in rows],
            "source": ["telemetry"] * 40,
            "release_date": [r["release_date"] for r in rows],
            "mature": final,
            "high_risk": [h if f else None for h, f in zip(high, final, strict=True)],
            "evidence": ["crafted"] * 40,
        }
    )
    store.replace(con, store_pairs(), outcomes, "r1")
    base = make_cfg(tmp_path)
    cfg = VigilConfig.model_validate(
        {**base.model_dump(), "outcomes": {"label_source": "telemetry"}}
    )
    report = train_patch_model(cfg, con)
    assert report["label"]["mode"] == "telemetry"
    assert report["label"]["used"] == "given"
    split = report["split"]
    # 34 releases with a final telemetry outcome: test the newest 8 (from day 182); with the
    # 30-day gap releases up to day 152 train (15) or calibrate (7)
    assert (split["n_train"], split["n_calibration"], split["n_test"]) == (15, 7, 8)
    assert report["label"]["positive_share"]["train"] == round(sum(high[:15]) / 15, 4)
    assert report["label"]["positive_share"]["test"] == round(sum(high[26:34]) / 8, 4)


def store_pairs() -> pl.DataFrame:
    """No attributions: the table stays empty."""
    return pl.DataFrame(schema={c: pl.Utf8 for c in store.ATTRIBUTION_COLUMNS})
