"""The relative high-risk label: exact labels, the fallback rule, training-only thresholds, and a
world whose fleet error rate rises where the label (and the gate) must not drift with it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import numpy as np
import polars as pl
import pytest

from vigil.errors import ModelError
from vigil.patches.features import build_patch_tables, load_patches
from vigil.patches.gate import run_gate
from vigil.patches.label import Label, error_ratio, fit_label
from vigil.patches.settings import HighRiskLabel
from vigil.patches.train import train_patch_model
from vigil.warehouse.connection import memory_warehouse

from .patch_world import START, load_releases, make_cfg, releases, write_pending

RELATIVE = HighRiskLabel(mode="relative", value=0.5)


def frame(rates: list[float], pre: list[float | None]) -> pl.DataFrame:
    return pl.DataFrame(
        {"error_rate_per_10k": rates, "pre_error_rate_per_10k": pre},
        schema={"error_rate_per_10k": pl.Float64, "pre_error_rate_per_10k": pl.Float64},
    )


def test_relative_label_by_hand() -> None:
    # ratios 1, 2, 3, 4, 5 on rates that fall as the ratios rise: the median ratio is 3
    train = frame([50.0, 40.0, 30.0, 20.0, 10.0], [50.0, 20.0, 10.0, 5.0, 2.0])
    label = fit_label(train, RELATIVE)
    assert (label.used, label.ratio_threshold, label.n_train_without_ratio) == ("relative", 3.0, 0)
    assert label.apply(train).tolist() == [0, 0, 1, 1, 1]
    later = frame([290.0, 300.0, 10.0, 1000.0], [100.0, 100.0, 2.0, 500.0])
    assert label.apply(later).tolist() == [0, 1, 1, 0]  # ratios 2.9, 3.0, 5.0, 2.0
    assert label.as_dict()["definition"] == (
        "high risk: error rate / pre-release fleet rate >= 3 (the 0.5 quantile of 5 training "
        "releases)"
    )


def test_ratio_is_missing_without_a_positive_pre_release_rate() -> None:
    ratio = error_ratio(frame([10.0, 10.0, 10.0], [None, 0.0, 4.0]))
    assert np.isnan(ratio[:2]).all() and ratio[2] == 2.5


def test_releases_without_a_pre_release_rate_fall_back_to_the_rate_percentile() -> None:
    # 4 of 6 training releases have a ratio (2, 4, 6, 8): ratio threshold 5; the error-rate
    # threshold is the median of all six training rates (50)
    train = frame([20.0, 40.0, 60.0, 80.0, 10.0, 90.0], [10.0, 10.0, 10.0, 10.0, None, 0.0])
    label = fit_label(train, RELATIVE)
    assert (label.ratio_threshold, label.threshold_per_10k) == (5.0, 50.0)
    assert label.n_train_without_ratio == 2
    assert label.apply(train).tolist() == [0, 0, 1, 1, 0, 1]
    assert label.fallback == (
        "2 training releases without a pre-release error rate labelled by percentile of error rate"
    )


def test_under_half_with_a_ratio_labels_every_release_by_percentile() -> None:
    train = frame([10.0, 20.0, 30.0, 40.0, 50.0], [100.0, 1.0, None, None, None])
    label = fit_label(train, RELATIVE)
    assert (label.used, label.ratio_threshold) == ("percentile", None)
    assert label.threshold_per_10k == 30.0
    assert label.fallback == (
        "only 2 of 5 training releases have a pre-release error rate (device events before "
        "the release): labelled by percentile of error rate"
    )
    assert label.apply(train).tolist() == [0, 0, 1, 1, 1]  # by rate, though fw 2 has ratio 20


def test_stored_label_round_trips_and_old_versions_read_as_percentile() -> None:
    label = fit_label(frame([1.0, 4.0, 9.0], [1.0, 2.0, 3.0]), RELATIVE)
    assert Label.from_dict(label.as_dict()) == label
    old = Label.from_dict({"mode": "percentile", "value": 0.8, "threshold_per_10k": 5.0})
    assert old.apply(frame([4.9, 5.0], [1.0, 1.0])).tolist() == [0, 1]


def test_relative_value_must_be_a_quantile() -> None:
    with pytest.raises(ModelError, match="must be a quantile in \\(0, 1\\)"):
        fit_label(frame([1.0, 2.0], [1.0, 1.0]), HighRiskLabel(mode="relative", value=2.0))


# A world whose fleet error rate rises 5.5-fold: 2 device errors a day at first, one more every
# 28 days, on one device. A release's error rate is the fleet rate of the 14 days before it
# times its own effect: 3 for the fifth of releases with the most churn (one in every five
# consecutive releases), 1 to 1.5 (by files changed) for the others. So the ratio is the
# release's effect, the same in every slice, while error rates rise with the fleet.
N_RELEASES = 45
DAYS = 14 + 7 * N_RELEASES


def errors_per_day(day: int) -> int:
    return 2 + day // 28


def rising_releases() -> list[dict]:
    rows = releases(N_RELEASES, seed=3)
    cut = np.quantile([r["code_churn"] for r in rows], 0.8)
    bad = [r for r in rows if r["code_churn"] >= cut]
    good = [r for r in rows if r["code_churn"] < cut]
    assert len(bad) == N_RELEASES // 5
    ordered = [bad.pop(0) if k % 5 == 4 else good.pop(0) for k in range(N_RELEASES)]
    for k, row in enumerate(ordered):
        day = 14 + 7 * k
        pre = 10_000 * np.mean([errors_per_day(d) for d in range(day - 14, day)])
        effect = 3.0 if row["code_churn"] >= cut else 1.0 + row["files_changed"] / 240
        row["firmware_version"] = f"fw-{k:03d}"
        row["release_date"] = START + dt.timedelta(days=day)
        row["error_rate_per_10k"] = pre * effect
    return ordered


def rising_world(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("INSERT INTO dim_device VALUES ('d1', 'A', NULL, 'eu')")
    con.execute(
        "INSERT INTO raw_device_event (device_id, event_time, firmware_version) "
        "SELECT 'd1', TIMESTAMP '2026-01-01 00:30:00' + to_days(d) + to_hours(h), 'fw-x' "
        "FROM range(0, ?) t(d), range(0, 24) s(h) WHERE h < 2 + d // 28",
        [DAYS],
    )
    load_releases(con, rising_releases())


def test_pre_release_rate_follows_the_rising_fleet(con: duckdb.DuckDBPyConnection) -> None:
    rising_world(con)
    build_patch_tables(con, make_cfg(Path("unused")).patches)
    pre = load_patches(con)["pre_error_rate_per_10k"].to_numpy()
    assert pre[0] == pytest.approx(20_000.0)  # days 0-13: 2 errors a day on 1 device
    # the last release ships on day 322: days 308-321 have 13 errors a day
    assert pre[-1] == pytest.approx(130_000.0)


def test_threshold_comes_from_training_releases_only(tmp_path: Path) -> None:
    # the same world twice, the second with the test releases (from day 252) a hundred times
    # worse: the thresholds do not move, and they are the train releases' own quantiles
    reports = []
    for shock in (1.0, 100.0):
        con = memory_warehouse()
        rising_world(con)
        con.execute(
            "UPDATE dim_release SET error_rate_per_10k = error_rate_per_10k * ? "
            "WHERE release_date >= ?",
            [shock, START + dt.timedelta(days=252)],
        )
        reports.append(train_patch_model(make_cfg(tmp_path / str(shock)), con))
        con.close()
    plain, shocked = (r["label"] for r in reports)
    train = rising_releases()[:21]  # days 14-154; calibration starts on day 161
    assert reports[0]["split"]["n_train"] == 21
    ratios = [
        r["error_rate_per_10k"] / (10_000 * np.mean([errors_per_day(d) for d in range(k, k + 14)]))
        for k, r in zip(range(0, 7 * 21, 7), train, strict=True)
    ]
    rates = [r["error_rate_per_10k"] for r in train]
    assert plain["ratio_threshold"] == pytest.approx(np.quantile(ratios, 0.8))
    assert plain["threshold_per_10k"] == pytest.approx(np.quantile(rates, 0.8))
    assert (shocked["ratio_threshold"], shocked["threshold_per_10k"]) == (
        plain["ratio_threshold"],
        plain["threshold_per_10k"],
    )
    assert shocked["positive_share"] == {"train": 0.2381, "calibration": 0.2222, "test": 1.0}


def train_and_gate(tmp_path: Path, mode: str) -> tuple[dict, dict]:
    cfg = make_cfg(tmp_path / mode, high_risk={"mode": mode, "value": 0.8})
    pending = write_pending(tmp_path / f"{mode}.csv", releases(60, seed=11, first=100))
    con = memory_warehouse()
    try:
        rising_world(con)
        report = train_patch_model(cfg, con)
        gate = run_gate(pending, cfg.models_dir, block=0.6, marginal=0.35, warehouse=con).payload
    finally:
        con.close()
    return report, gate


def test_relative_label_and_gate_do_not_drift_with_a_rising_fleet(tmp_path: Path) -> None:
    relative, gate = train_and_gate(tmp_path, "relative")
    percentile, old_gate = train_and_gate(tmp_path, "percentile")
    share, old_share = relative["label"]["positive_share"], percentile["label"]["positive_share"]
    assert relative["label"]["used"] == "relative"
    # stated band: the test share stays within 0.15 of the train share (the percentile label's
    # test releases are all high risk: the fleet's rise, not the releases)
    assert abs(share["test"] - share["train"]) <= 0.15
    assert share == {"train": 0.2381, "calibration": 0.2222, "test": 0.2727}  # 5/21, 2/9, 3/11
    assert old_share == {"train": 0.2381, "calibration": 0.7778, "test": 1.0}
    # the gate blocks at most a third of 60 pending patches drawn like the releases; with the
    # percentile label it blocks nearly all of them
    assert gate["n_high_risk"] <= 20
    assert old_gate["n_high_risk"] >= 50
