"""How good is the cold-start rules-based risk? Rules beside the feature-risk baselines.

Usage: nice -n 5 .venv/bin/python benchmarks/cold_start_rules.py [--work DIR] [--seeds 501 ...]
       [--days N]
(defaults: /tmp/vigil-cold-start, seeds 501-505, 150 days: the report worlds of
 benchmarks/feature_risk.py)
Writes: benchmarks/results/cold_start_rules.json

Protocol
  * One synthetic world per seed (start date 2026-01-01), loaded with `vigil run`'s ingest and
    aggregation, the patch tables and as-of patch risk (as benchmarks/feature_risk.py), then the
    detection stage (the rules read its anomalies; it is causal).
  * Every feature-day is scored by the rules exactly as the risk stage does on a cold start
    (``vigil.risk.rules.score_rules`` at that day: data, anomalies and deployments up to it).
  * Rows: the test slice of the feature-risk model's time split (the same dates its test uses,
    ``risk.test_share`` of the mature dates, latest last), all rows and new-onset rows (no true
    regression active at t). Targets: the model's label (``risk/sql/labels.sql``) and, keys
    ``*_truth``, the truth target of docs/protocols/feature_risk_new_onset.md (a true
    regression of the feature starts within the horizon).
  * Beside the rules on the same rows: persistence ("already elevated") and recent risky
    deployment, the baselines of the feature-risk headline. PR-AUC / ROC-AUC with 90% intervals
    from a bootstrap over (world, day) blocks.
  * The rule weights were set by hand before any measurement; nothing is tuned on these worlds.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from vigil.config import load_config
from vigil.context import RunContext
from vigil.detection.stage import run_stage as detect
from vigil.modelling.split import time_split
from vigil.risk import rules
from vigil.risk.baselines import persistence_score, recent_deploy_score
from vigil.risk.dataset import LABEL, feature_days
from vigil.risk.metrics import read_truth
from vigil.risk.onsets import active_rows, ranking_metrics, upcoming_rows
from vigil.warehouse.connection import open_warehouse

sys.path.insert(0, str(Path(__file__).resolve().parent))
from feature_risk import CLOCK, START, WORLDS, build_world  # the same worlds, built the same way

RESULTS = Path(__file__).parent / "results" / "cold_start_rules.json"


def world_rows(folder: Path, seed: int, days: int) -> pl.DataFrame:
    """The test-slice feature-days of one world with label, truth flag and the three scores."""
    cfg = load_config(build_world(folder, seed, days))  # the same world build as feature_risk.py
    with open_warehouse(cfg.warehouse_path) as con:
        detect(RunContext(cfg=cfg, con=con, run_id="bench", report_dir=folder, now=CLOCK))
        frame = feature_days(con, cfg.risk)
        mature = frame.filter(pl.col(LABEL).is_not_null())
        split = time_split(
            mature["score_date"],
            gap_days=cfg.risk.horizon_days,
            test_share=cfg.risk.test_share,
            calibration_share=cfg.risk.calibration_share,
        )
        test = mature.filter(pl.col("score_date").is_between(split.test_start, split.test_end))
        scored = pl.concat(
            [
                rules.score_rules(con, cfg, day).select("feature_id", "score_date", "risk")
                for day in sorted(set(test["score_date"]))
            ]
        )
    test = test.join(scored, on=["feature_id", "score_date"], how="left")
    truth = read_truth(folder / "truth" / "regressions.csv")
    return pl.DataFrame(
        {
            "world": [seed] * test.height,
            "score_date": test["score_date"],
            "label": test[LABEL].cast(pl.Int8),
            "active": active_rows(test, truth),
            "upcoming": upcoming_rows(test, truth, cfg.risk.horizon_days).cast(pl.Int8),
            "rules": test["risk"].fill_null(0.0),
            "persistence": persistence_score(test),
            "recent_deploy": recent_deploy_score(test),
        }
    )


def metrics(rows: pl.DataFrame, target: str = "label") -> dict[str, Any]:
    """Each scorer's PR-AUC / ROC-AUC with intervals on ``target``, plus the base rate."""
    blocks = (rows["world"].cast(pl.Utf8) + "/" + rows["score_date"].cast(pl.Utf8)).to_numpy()
    y = rows[target].to_numpy()
    out: dict[str, Any] = {
        "rows": rows.height,
        "positives": int(y.sum()),
        "base_rate": float(y.mean()) if rows.height else None,
    }
    for name in ("rules", "persistence", "recent_deploy"):
        score = rows[name].cast(pl.Float64).to_numpy()
        out[name] = ranking_metrics(y, np.asarray(score), blocks)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/vigil-cold-start"))
    parser.add_argument("--seeds", type=int, nargs="+", default=WORLDS["report"])
    parser.add_argument("--days", type=int, default=150)
    args = parser.parse_args()
    started = time.perf_counter()
    rows = pl.concat(
        [world_rows(args.work / f"seed{s}", s, args.days) for s in args.seeds], how="vertical"
    )
    result = {
        "protocol": __doc__.split("Protocol", 1)[1].strip(),
        "worlds": {"seeds": args.seeds, "days": args.days, "start_date": START},
        "rules": rules.definition(),
        "all_rows": metrics(rows),
        "new_onset": metrics(rows.filter(~pl.col("active"))),
        "all_rows_truth": metrics(rows, "upcoming"),
        "new_onset_truth": metrics(rows.filter(~pl.col("active")), "upcoming"),
        "seconds": round(time.perf_counter() - started, 1),
    }
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    for part in ("all_rows", "new_onset", "all_rows_truth", "new_onset_truth"):
        r = result[part]
        print(
            part,
            r["rows"],
            "rows",
            {k: r[k]["pr_auc"]["value"] for k in ("rules", "persistence", "recent_deploy")},
        )


if __name__ == "__main__":
    main()
