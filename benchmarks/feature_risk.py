"""Feature-risk benchmark: does the model warn before a regression starts? (new onsets, lead time)

Usage: nice -n 5 .venv/bin/python benchmarks/feature_risk.py [--worlds report|tuning]
       [--work DIR] [--out FILE] [--seeds 101 102 ...] [--days N]
(defaults: --worlds report = seeds 601-605 (round 2) -> benchmarks/results/feature_risk.json;
 --worlds tuning = seeds 42, 101-104, 501-505 -> feature_risk_tuning.json;
 /tmp/vigil-feature-risk, 150 days). Protocol: docs/protocols/feature_risk_new_onset.md.

Generates one synthetic world per seed (fixed start date 2026-01-01), loads it with `vigil run`'s
ingest and aggregation, builds the patch tables and the as-of patch risk (what the patches stage
writes before the risk stage), then trains and evaluates
with `train_feature_model`, the function behind `vigil train features --truth`. The scored
test rows and each regression's lead are pooled over the worlds: PR-AUC / ROC-AUC on new-onset
rows and on all rows with a bootstrap over (world, score date) blocks, lead time over regressions,
for two targets: the truth target (keys ``*_truth``: a true regression starts within the horizon,
the headline) and the telemetry-derived label the model trains on (keys without suffix).
Every setting was chosen on the tuning worlds; the report worlds were scored once, after the
settings were frozen.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import time
from pathlib import Path
from typing import Any

import polars as pl

from vigil.config import GenerateSettings, load_config
from vigil.demo import write_config
from vigil.patches.asof import write_as_of_risk
from vigil.patches.features import build_patch_tables
from vigil.pipeline import run_pipeline
from vigil.risk.dataset import LABEL
from vigil.risk.headline import PROTOCOL, OnsetEvaluation, summarise
from vigil.risk.metrics import read_truth
from vigil.risk.onsets import upcoming_rows
from vigil.risk.train import train_feature_model
from vigil.synth import generate_world
from vigil.warehouse.connection import open_warehouse

WORLDS = {
    "report": [601, 602, 603, 604, 605],
    "tuning": [42, 101, 102, 103, 104, 501, 502, 503, 504, 505],
}
"""seed sets of docs/protocols/feature_risk_new_onset.md"""
OUTPUTS = {"report": "feature_risk.json", "tuning": "feature_risk_tuning.json"}
START = "2026-01-01"
CLOCK = dt.datetime(2027, 1, 1)
"""the run clock: after every world's last day, so no day counts as still arriving"""


def build_world(folder: Path, seed: int, days: int) -> Path:
    """Generate and load one world (ingest, aggregate, patches stage); its config path."""
    config = folder / "vigil.yaml"
    if not config.exists():
        settings = GenerateSettings(seed=seed, days=days, start_date=START)
        generate_world(folder, settings)
        write_config(folder, settings)
    cfg = load_config(config)
    run_pipeline(cfg, now=CLOCK, stages=False)
    with open_warehouse(cfg.warehouse_path) as con:
        build_patch_tables(con, cfg.patches)
        write_as_of_risk(con, cfg)
    return config


def evaluate_world(config: Path) -> tuple[dict[str, Any], OnsetEvaluation]:
    """Train and evaluate exactly as `vigil train features --truth` does (nothing registered)."""
    cfg = load_config(config)
    truth = config.parent / "truth" / "regressions.csv"
    with open_warehouse(cfg.warehouse_path) as con:
        result = train_feature_model(con, cfg, truth_path=truth, register=False)
    assert result.onsets is not None
    return result.metrics, result.onsets


def label_check(config: Path, ev: OnsetEvaluation, horizon: int) -> dict[str, int]:
    """How the label agrees with the truth on new-onset test rows (counts)."""
    truth = read_truth(config.parent / "truth" / "regressions.csv")
    fresh = ev.test.filter(pl.col("new_onset"))
    fresh = fresh.with_columns(upcoming_rows(fresh, truth, horizon))
    return {
        f"{'upcoming' if up else 'no_upcoming'}_{'positive' if pos else 'negative'}": int(
            fresh.filter((pl.col("upcoming") == up) & (pl.col(LABEL) == pos)).height
        )
        for up in (True, False)
        for pos in (True, False)
    }


def _pooled(evaluations: list[tuple[int, OnsetEvaluation]]) -> dict[str, Any]:
    tests, leads = [], []
    for seed, ev in evaluations:
        tests.append(ev.test.with_columns(block=pl.format("{}|{}", pl.lit(seed), "score_date")))
        leads.append(ev.leads.with_columns(pl.format("{}:{}", pl.lit(seed), "regression_id")))
    return summarise(pl.concat(tests), pl.concat(leads), block="block")


def _r(ci: list[float] | None) -> list[float] | None:
    return None if ci is None else [round(v, 3) for v in ci]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worlds", choices=sorted(WORLDS), default="report")
    parser.add_argument("--work", type=Path, default=Path("/tmp/vigil-feature-risk"))
    parser.add_argument("--out", type=Path, help="default: benchmarks/results/<by --worlds>")
    parser.add_argument("--seeds", type=int, nargs="+", help="default: the --worlds seed set")
    parser.add_argument("--days", type=int, default=150)
    args = parser.parse_args()
    args.seeds = args.seeds or WORLDS[args.worlds]
    args.out = args.out or Path("benchmarks/results") / OUTPUTS[args.worlds]
    logging.basicConfig(level=logging.WARNING)
    started = time.perf_counter()
    worlds, evaluations, checks = [], [], []
    for seed in args.seeds:
        t0 = time.perf_counter()
        config = build_world(args.work / f"seed{seed}", seed, args.days)
        metrics, ev = evaluate_world(config)
        rows = metrics["onset_evaluation"]["rows"]
        checks.append(label_check(config, ev, metrics["horizon_days"]))
        worlds.append(
            {
                "seed": seed,
                "start_date": START,
                "days": args.days,
                "test_start": metrics["split"]["test_start"],
                "test_end": metrics["split"]["test_end"],
                "n_test_rows": rows["test"],
                "n_new_onset_rows": rows["new_onset"],
                "n_new_onset_positives": rows["new_onset_positives"],
                "n_new_onset_upcoming": rows["new_onset_upcoming"],
                "n_regressions": rows["regressions"],
                "new_onset": metrics["new_onset"],
                "new_onset_truth": metrics["new_onset_truth"],
                "catboost_all_rows_test": {
                    k: metrics["models"]["catboost"][k] for k in ("roc_auc", "pr_auc", "brier")
                },
                "seconds": round(time.perf_counter() - t0, 1),
            }
        )
        evaluations.append((seed, ev))
        print(f"seed {seed}: {rows} ({worlds[-1]['seconds']} s)")
    pooled = _pooled(evaluations)
    payload = {
        "protocol": PROTOCOL + " Pooled over the worlds listed (one model per world). "
        "Protocol document: docs/protocols/feature_risk_new_onset.md.",
        "world_set": args.worlds if args.seeds == WORLDS[args.worlds] else "custom",
        "worlds": worlds,
        **pooled,
        "label_vs_truth_new_onset": {
            "about": "new-onset test rows by label (degrading) and whether a true regression "
            "starts within the horizon (upcoming): positives with no upcoming regression are "
            "label noise no scorer can foresee",
            **{k: sum(c[k] for c in checks) for k in checks[0]},
        },
        "seconds": round(time.perf_counter() - started, 1),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(payload, indent=2))
    for part in ("new_onset_truth", "new_onset", "all_rows_truth", "all_rows"):
        for name, m in payload[part].items():
            pr, roc = m["pr_auc"], m["roc_auc"]
            print(
                f"{part:15s} {name:13s} PR-AUC {pr['value']:.3f} {_r(pr['ci90'])} "
                f"ROC-AUC {roc['value']:.3f} lead {m['lead_time_days']['median']}"
            )
    for suffix in ("_truth", ""):
        for name, diff in payload[f"model_minus_baseline_new_onset{suffix}"].items():
            pr, roc = diff["pr_auc"], diff["roc_auc"]
            print(
                f"new_onset{suffix} model - {name}: PR-AUC {pr['value']:+.3f} {_r(pr['ci90'])} "
                f"ROC-AUC {roc['value']:+.3f} {_r(roc['ci90'])}"
            )
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
