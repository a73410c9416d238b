"""Precision@k of the attention list, replayed day by day against the synthetic world's truth.

Protocol
  * Worlds: the default demo world (50 features, 120 days) with start date 2026-01-01 and fixed
    seeds. Tuning worlds (seeds 101-103) set the signal weights (hit rates) and the fleet tier
    cut-offs; the figures are quoted on the report worlds (seeds 1-3), which no setting saw.
  * Each world is generated and run once through `vigil run` (the demo's fixed clock). Then each
    of its last evaluation days d (up to --days, ending a risk horizon before the world's end so
    the truth window is complete, and never before the feature-risk model's test slice starts) is
    replayed with data up to d only: feature-risk scores of d, anomalies of the 7 days up to d,
    threshold crossings on d, and the fleet rebuilt from device events and tickets up to d.
  * An item is right when a real regression is in progress on it or starts within 7 days
    (truth/regressions.csv); a firmware item when the firmware is defective (hidden device error
    or RMA rate >= 2x the base rate, truth/releases.csv) or one of its regressions is right.
    Pending patches and dataset drift have no per-day truth: they are not replayed.
  * precision@k = share right among the first k items of the day's list (fewer when the list is
    shorter; days with an empty list are skipped). Mean over days of all report worlds, with a
    90% moving-block bootstrap interval (7-day blocks).
  * Baselines on the same days: the old overview (act-now features, threshold crossings,
    anomalies, fleet segments at weighted risk >= 2, in that order), risk alone (features by
    feature-risk score) and random (the share of features that are right that day). Beside
    them, the same ranking restricted to feature items (every candidate feature, first k).
  * Fleet: the immediate tier rebuilt as of each day; its precision is the share of immediate
    segments whose firmware is right (firmware rule above), beside the old cut-off (weighted
    risk >= 2, no cap) and a random segment.

Usage:  nice -n 5 python benchmarks/attention.py [--fresh] [--days 28] [--work DIR]
        (worlds are built once in --work, default /tmp/vigil-bench-attention, and reused; --fresh
        rebuilds them after the pipeline's code changed)
Writes: benchmarks/results/attention.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from vigil.attention import signals
from vigil.attention.evaluate import (
    block_bootstrap,
    item_is_right,
    precision_at_k,
    right_features,
    right_firmware,
)
from vigil.attention.ranking import attention_list
from vigil.config import GenerateSettings, VigilConfig, load_config
from vigil.fleet.build import FleetParams, rebuild

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
TUNE_SEEDS = (101, 102, 103)
REPORT_SEEDS = (1, 2, 3)
START_DATE = "2026-01-01"
KS = (5, 10)
OLD_IMMEDIATE = 2.0
"""the fleet's immediate cut-off before the budget (FleetParams default up to 0bebaac)"""


def build_world(seed: int, work: Path) -> VigilConfig:
    """Generate the world of ``seed`` and run the pipeline once (reused when already built)."""
    from vigil.demo import write_config
    from vigil.pipeline import run_pipeline
    from vigil.synth import generate_world

    root = work / f"seed{seed}"
    config = root / "vigil.yaml"
    if not (root / ".vigil" / "warehouse.duckdb").exists():
        shutil.rmtree(root, ignore_errors=True)
        settings = GenerateSettings(seed=seed, start_date=START_DATE)
        generate_world(root, settings)
        write_config(root, settings)
        run_pipeline(load_config(config))
    return load_config(config)


def eval_days(con: duckdb.DuckDBPyConnection, horizon: int, n_days: int) -> list[dt.date]:
    """The last ``n_days`` days whose truth window is complete, within the risk model's test."""
    end = con.execute("SELECT max(event_date) FROM fact_feature_daily").fetchone()[0]  # type: ignore[index]
    last = end - dt.timedelta(days=horizon)
    first = last - dt.timedelta(days=n_days - 1)
    row = con.execute(
        "SELECT metrics FROM model_registry WHERE name = 'feature_risk' "
        "ORDER BY version DESC LIMIT 1"
    ).fetchone()
    split = json.loads(row[0]).get("split", {}) if row else {}
    if split.get("test_start"):
        first = max(first, dt.date.fromisoformat(split["test_start"]))
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def old_overview(
    base: pl.DataFrame, anomalies: pl.DataFrame | None, fleet: pl.DataFrame
) -> list[str]:
    """The pre-budget overview's flagged items in the order it listed them, first mention kept."""
    act = base.filter(pl.col("tier") == "act_now").sort(
        pl.col("risk") * pl.col("users_exposed"), descending=True
    )
    crossed = base.filter(
        pl.col("latency_crossed") | pl.col("crash_crossed") | pl.col("feedback_crossed")
    ).sort("active_users_7d", descending=True, nulls_last=True)
    anom = (
        []
        if anomalies is None
        else anomalies.sort("anomaly_score", descending=True)["feature_id"].to_list()
    )
    segments = fleet.filter(pl.col("weighted_risk") >= OLD_IMMEDIATE).sort(
        "weighted_risk", descending=True
    )
    keys = act["feature_id"].to_list() + crossed["feature_id"].to_list() + anom
    keys += [f"firmware:{v}" for v in segments["firmware_version"].to_list()]
    return list(dict.fromkeys(keys))


def old_flood(base: pl.DataFrame, anomalies: pl.DataFrame | None, fleet: pl.DataFrame) -> int:
    """Lines of evidence the old overview raised: act-now, crossings, anomalies, segments."""
    crossed = base.filter(
        pl.col("latency_crossed") | pl.col("crash_crossed") | pl.col("feedback_crossed")
    ).height
    n_anom = 0 if anomalies is None else int(anomalies["n_anomalies"].sum())
    act = base.filter(pl.col("tier") == "act_now").height
    return act + crossed + n_anom + fleet.filter(pl.col("weighted_risk") >= OLD_IMMEDIATE).height


def replay_world(seed: int, cfg: VigilConfig, n_days: int, truth_dir: Path) -> list[dict[str, Any]]:
    """One record per evaluation day: signals, lists, verdicts and fleet tiers as of that day."""
    regressions = pl.read_csv(truth_dir / "regressions.csv", try_parse_dates=True)
    releases = pl.read_csv(truth_dir / "releases.csv")
    copy = cfg.workspace_dir / "attention_replay.duckdb"
    shutil.copyfile(cfg.warehouse_path, copy)
    con = duckdb.connect(str(copy))
    params = FleetParams.from_settings(cfg.fleet, cfg.patches.spike_ratio)
    records = []
    try:
        for day in eval_days(con, cfg.risk.horizon_days, n_days):
            records.append(_replay_day(con, cfg, params, day, seed, regressions, releases))
    finally:
        con.close()
        copy.unlink(missing_ok=True)
    return records


def _replay_day(
    con: duckdb.DuckDBPyConnection,
    cfg: VigilConfig,
    params: FleetParams,
    day: dt.date,
    seed: int,
    regressions: pl.DataFrame,
    releases: pl.DataFrame,
) -> dict[str, Any]:
    rebuild(con, params, as_of=day)
    fleet = con.sql(
        "SELECT device_model, firmware_version, age_band, devices, device_days, errors, "
        "rma_count, relative_risk, weighted_risk, tier FROM fleet_risk"
    ).pl()
    base, anomalies = signals.feature_inputs(con, day, cfg.attention, cfg.risk.thresholds)
    found = pl.concat(
        [
            signals.feature_signals(con, day, cfg.attention, cfg.risk.thresholds),
            signals.fleet_signals(con, cfg.attention),
        ],
        how="vertical",
    )
    right_f = right_features(regressions, day, cfg.risk.horizon_days)
    right_fw = right_firmware(regressions, releases, day, cfg.risk.horizon_days)
    return {
        "world": seed,
        "day": day,
        "signals": found,
        "right_features": right_f,
        "right_firmware": right_fw,
        "n_features": base.height,
        "old": old_overview(base, anomalies, fleet),
        "old_flood": old_flood(base, anomalies, fleet),
        "risk_only": base.filter(pl.col("risk").is_not_null())
        .sort("risk", descending=True)["feature_id"]
        .to_list(),
        "random": len(right_f & set(base["feature_id"].to_list())) / max(base.height, 1),
        "fleet": fleet.with_columns(right=pl.col("firmware_version").is_in(list(right_fw))),
    }


def verdicts(keys: list[str], rec: dict[str, Any]) -> list[bool | None]:
    return [item_is_right(k, rec["right_features"], rec["right_firmware"]) for k in keys]


def ranked_keys(rec: dict[str, Any], cfg: VigilConfig, *, everything: bool = False) -> list[str]:
    """The day's attention list within the budget (or every candidate, ranked)."""
    settings = cfg.attention
    items = attention_list(rec["signals"], settings.budget, settings.rank_by, settings.features)
    return items.filter(pl.col("in_budget") | everything)["item_key"].to_list()


def summarise(values: list[dict[str, Any]]) -> dict[str, Any]:
    mean, (lo, hi) = block_bootstrap(
        pl.DataFrame(values, schema={"world": pl.Int64, "day": pl.Date, "value": pl.Float64})
    )
    return {
        "value": round(mean, 4),
        "ci90": [round(lo, 4), round(hi, 4)],
        "days": sum(v["value"] is not None for v in values),
    }


def precision_table(
    records: list[dict[str, Any]], lists: dict[str, list[list[str]]], ks: tuple[int, ...]
) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for name, per_day in lists.items():
        out[name] = {
            str(k): summarise(
                [
                    {
                        "world": r["world"],
                        "day": r["day"],
                        "value": precision_at_k(verdicts(keys, r), k),
                    }
                    for r, keys in zip(records, per_day, strict=True)
                ]
            )
            for k in ks
        }
    return out


def hit_rates(records: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Share right among each source's signals (the tuning worlds' estimate of its weight)."""
    rows = []
    for r in records:
        for key, source, prob in (
            r["signals"].select("item_key", "source", "probability").iter_rows()
        ):
            rows.append(
                {
                    "source": source,
                    "right": item_is_right(key, r["right_features"], r["right_firmware"]),
                    "p": prob,
                }
            )
    frame = pl.DataFrame(rows)
    return {
        s: {
            "hit_rate": round(float(g["right"].mean()), 3),
            "mean_probability": None if g["p"].mean() is None else round(float(g["p"].mean()), 3),  # type: ignore[arg-type]
            "n": g.height,
        }
        for (s,), g in frame.group_by("source")
    }


def calibration(records: list[dict[str, Any]], cfg: VigilConfig) -> dict[str, dict[str, float]]:
    """Per item kind, within the budget: mean stated probability against the share right."""
    settings = cfg.attention
    rows = []
    for r in records:
        items = attention_list(r["signals"], settings.budget, settings.rank_by, settings.features)
        for key, kind, p in (
            items.filter(pl.col("in_budget")).select("item_key", "kind", "probability").iter_rows()
        ):
            right = item_is_right(key, r["right_features"], r["right_firmware"])
            rows.append({"kind": kind, "p": p, "right": right})
    frame = pl.DataFrame(rows)
    return {
        k: {
            "mean_probability": round(float(g["p"].mean()), 3),  # type: ignore[arg-type]
            "share_right": round(float(g["right"].mean()), 3),  # type: ignore[arg-type]
            "n": g.height,
        }
        for (k,), g in frame.group_by("kind")
    }


def fit_evidence(records: list[dict[str, Any]]) -> dict[str, float]:
    """Logistic regression of "feature right" on logit(risk), anomaly and crossing: the
    coefficients of ``attention.features`` (run on the tuning worlds only)."""
    from sklearn.linear_model import LogisticRegression

    x, y = [], []
    for r in records:
        feats = r["signals"].filter(pl.col("kind") == "feature")
        per = feats.group_by("item_key").agg(
            risk=pl.col("probability").filter(pl.col("source") == "risk").first(),
            anomaly=(pl.col("source") == "anomaly").any(),
            crossing=(pl.col("source") == "crossing").any(),
        )
        for key, risk, anomaly, crossing in per.iter_rows():
            p = min(max(0.2 if risk is None else risk, 0.001), 0.999)
            x.append([math.log(p / (1 - p)), float(anomaly), float(crossing)])
            y.append(key in r["right_features"])
    model = LogisticRegression(C=1e4, max_iter=1000).fit(x, y)
    names = ("risk", "anomaly", "crossing")
    fitted = {"intercept": float(model.intercept_[0])}
    fitted |= {n: float(c) for n, c in zip(names, model.coef_[0], strict=True)}
    return {k: round(v, 3) for k, v in fitted.items()} | {"rows": len(y)}


def fleet_summary(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Immediate-tier size and precision per day, capped tier against the old cut-off."""
    new_p, old_p, base_p, sizes_new, sizes_old = [], [], [], [], []
    for r in records:
        f = r["fleet"]
        new = f.filter(pl.col("tier") == "immediate")
        old = f.filter(pl.col("weighted_risk") >= OLD_IMMEDIATE)
        key = {"world": r["world"], "day": r["day"]}
        new_p.append(key | {"value": float(new["right"].mean()) if new.height else None})
        old_p.append(key | {"value": float(old["right"].mean()) if old.height else None})
        base_p.append(key | {"value": float(f["right"].mean()) if f.height else None})
        sizes_new.append(new.height)
        sizes_old.append(old.height)
    return {
        "truth": "segment right when its firmware is defective (hidden device error or RMA rate "
        ">= 2x the base rate, truth/releases.csv) or has a regression in progress / within 7 days",
        "immediate_precision": summarise(new_p),
        "baselines": {"old_cutoff_2.0": summarise(old_p), "random_segment": summarise(base_p)},
        "immediate_per_day": {
            "mean": round(sum(sizes_new) / len(sizes_new), 2),
            "max": max(sizes_new),
        },
        "old_immediate_per_day": {
            "mean": round(sum(sizes_old) / len(sizes_old), 2),
            "max": max(sizes_old),
        },
    }


def evaluate(records: list[dict[str, Any]], cfg: VigilConfig) -> dict[str, Any]:
    budget = cfg.attention.budget
    ks = tuple(sorted({*KS, budget}))
    lists = {
        "attention": [ranked_keys(r, cfg) for r in records],
        "old_overview": [r["old"] for r in records],
        "risk_only": [r["risk_only"] for r in records],
    }
    table = precision_table(records, lists, ks)
    random = summarise(
        [{"world": r["world"], "day": r["day"], "value": r["random"]} for r in records]
    )
    features_only = [
        [k for k in ranked_keys(r, cfg, everything=True) if ":" not in k] for r in records
    ]
    shown = [len(keys) for keys in lists["attention"]]
    firmware = [sum(k.startswith("firmware:") for k in keys) for keys in lists["attention"]]
    return {
        "precision_at_k": table["attention"],
        "baselines": {
            "old_overview": table["old_overview"],
            "risk_only": table["risk_only"],
            "random": {str(k): random for k in ks},
        },
        "items_per_day": {
            "mean": round(sum(shown) / len(shown), 2),
            "max": max(shown),
            "firmware_items_mean": round(sum(firmware) / len(firmware), 2),
        },
        "precision_at_k_feature_items": precision_table(records, {"features": features_only}, ks)[
            "features"
        ],
        "old_overview_lines_per_day": {
            "mean": round(sum(r["old_flood"] for r in records) / len(records), 2),
            "max": max(r["old_flood"] for r in records),
        },
        "fleet": fleet_summary(records),
        "hit_rates": hit_rates(records),
        "calibration_in_budget": calibration(records, cfg),
    }


def run(
    seeds: tuple[int, ...], work: Path, n_days: int
) -> tuple[list[dict[str, Any]], VigilConfig]:
    records: list[dict[str, Any]] = []
    cfg = None
    for seed in seeds:
        t0 = time.perf_counter()
        cfg = build_world(seed, work)
        records += replay_world(seed, cfg, n_days, cfg.root / "truth")
        print(f"seed {seed}: {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    assert cfg is not None
    return records, cfg


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--days", type=int, default=28, help="evaluation days per world")
    parser.add_argument("--work", type=Path, default=Path("/tmp/vigil-bench-attention"))
    parser.add_argument("--tune-only", action="store_true", help="only the tuning worlds")
    parser.add_argument("--fresh", action="store_true", help="rebuild the worlds in --work")
    args = parser.parse_args()
    if args.fresh:
        shutil.rmtree(args.work, ignore_errors=True)
    tune_records, cfg = run(TUNE_SEEDS, args.work, args.days)
    tuning = evaluate(tune_records, cfg) | {"feature_evidence_fit": fit_evidence(tune_records)}
    print(json.dumps({"tuning": tuning}, indent=1, default=str))
    if args.tune_only:
        return
    report_records, cfg = run(REPORT_SEEDS, args.work, args.days)
    result = {
        "protocol": __doc__.split("Protocol\n", 1)[1].split("\nUsage:")[0].strip(),
        "worlds": {
            "tuning_seeds": list(TUNE_SEEDS),
            "report_seeds": list(REPORT_SEEDS),
            "start_date": START_DATE,
            "days_per_world": args.days,
            "report_days": len(report_records),
        },
        "budget": cfg.attention.budget,
        "settings": cfg.attention.model_dump() | {"fleet": cfg.fleet.model_dump()},
        **evaluate(report_records, cfg),
        "tuning": {
            k: tuning[k] for k in ("precision_at_k", "hit_rates", "fleet", "feature_evidence_fit")
        },
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "attention.json").write_text(json.dumps(result, indent=2, default=str) + "\n")
    print(
        json.dumps(
            {k: result[k] for k in ("precision_at_k", "baselines", "items_per_day", "fleet")},
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
