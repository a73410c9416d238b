"""Regressions are caused by risky releases, and the truth describes what the data shows."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from synth.helpers import connect_telemetry
from vigil.errors import InputError, MissingColumnsError
from vigil.synth import WorldSummary
from vigil.synth.regressions import EARLY_LEVEL, _level
from vigil.synth.truth import lead_times, load_regressions


def releases_with_regressions(world: WorldSummary) -> pl.DataFrame:
    rel = pl.read_csv(world.out_dir / "data" / "releases.csv", try_parse_dates=True)
    regs = load_regressions(world.out_dir).group_by("firmware_version").agg(n_reg=pl.len())
    return rel.join(regs, on="firmware_version", how="left").with_columns(
        pl.col("n_reg").fill_null(0), n_touched=pl.col("touched_features").str.split(";").list.len()
    )


def test_riskier_releases_start_more_regressions(medium_world: WorldSummary) -> None:
    rel = releases_with_regressions(medium_world).filter(pl.col("release_date") >= date(2026, 1, 1))
    risky = (pl.col("code_churn") > pl.col("code_churn").median()) | (
        pl.col("patch_type") == "hotfix"
    )
    rates = rel.group_by(risky.alias("risky")).agg(
        rate=pl.col("n_reg").sum() / pl.col("n_touched").sum()
    )
    by = dict(rates.iter_rows())
    assert by[True] > 2 * by[False]
    assert by[False] > 0  # noise: safe releases regress too, so a model cannot be perfect


def test_outcomes_follow_riskiness_with_noise(medium_world: WorldSummary) -> None:
    rel = releases_with_regressions(medium_world).drop_nulls("error_rate_per_10k")
    rho = rel.select(pl.corr("code_churn", "error_rate_per_10k", method="spearman")).item()
    assert 0.3 < rho < 0.95
    rho_rma = rel.select(pl.corr("code_churn", "rma_rate", method="spearman")).item()
    assert 0.3 < rho_rma < 0.95


def test_risky_firmware_errors_more_on_devices(medium_world: WorldSummary) -> None:
    rel = pl.read_csv(medium_world.out_dir / "truth" / "releases.csv")
    events = pl.read_parquet(medium_world.out_dir / "data" / "device_events" / "*" / "*.parquet")
    per_fw = events.group_by("firmware_version").agg(n=pl.len()).join(rel, on="firmware_version")
    top = per_fw.sort("device_error_rate_per_10k").tail(5)["firmware_version"]
    signature = events.filter(pl.col("firmware_version").is_in(top.implode()))["error_code"]
    assert signature.str.starts_with("E3").mean() > 0.2  # the firmware's own error codes
    assert events["error_code"].str.starts_with("E1").mean() > 0.3  # background errors


DISTURBED_BY = {
    "latency": ["latency"],
    "crash": ["crash"],
    "errors": ["errors", "crash"],
    "feedback": ["feedback", "latency", "crash"],
}
"""kinds of regression that move the metric a regression of each kind moves"""


def windows(world: WorldSummary, kind: str) -> pl.DataFrame:
    """Regressions of a kind whose metric no other regression of the feature moved from 14 days
    before the regression to its end."""
    regs = load_regressions(world.out_dir).with_columns(
        start=pl.coalesce("early_onset_date", "onset_date") - pl.duration(days=14)
    )
    others = regs.filter(pl.col("kind").is_in(DISTURBED_BY[kind]))
    overlapping = regs.join(others, on="feature_id", suffix="_o").filter(
        (pl.col("regression_id") != pl.col("regression_id_o"))
        & (pl.col("start_o") + pl.duration(days=14) <= pl.col("end_date"))
        & (pl.col("end_date_o") >= pl.col("start"))
    )
    return regs.filter(pl.col("kind") == kind).join(overlapping, on="regression_id", how="anti")


METRIC = {
    "latency": "quantile_cont(latency_ms, 0.95)",
    "crash": "avg(crashed::INT)",
    "errors": "avg(error_count)",
    "feedback": "avg(feedback_score)",
}


CHANGE = {
    "latency": lambda before, during: during / before - 1,
    "crash": lambda before, during: during - before,
    "errors": lambda before, during: during / before - 1,
    "feedback": lambda before, during: before - during,
}
"""the change in the data, in the unit of the truth's magnitude"""


@pytest.mark.parametrize("kind", sorted(METRIC))
def test_truth_windows_show_the_injected_change(medium_world: WorldSummary, kind: str) -> None:
    con = connect_telemetry(medium_world.out_dir)
    con.execute(
        "CREATE TABLE clean AS SELECT * FROM t WHERE feature_id LIKE 'F0%' AND "
        "isfinite(latency_ms) AND latency_ms >= 0 AND event_time < TIMESTAMP '2027-01-01'"
    )
    shares = []
    for reg in windows(medium_world, kind).iter_rows(named=True):
        last_clean = (reg["early_onset_date"] or reg["onset_date"]) - timedelta(days=1)
        before, n_before = _measure(con, kind, reg["feature_id"], reg["start"], last_clean)
        during, n_during = _measure(
            con, kind, reg["feature_id"], reg["onset_date"], reg["end_date"]
        )
        if min(n_before, n_during) < 50:
            continue
        change = CHANGE[kind](before, during)
        assert change > 0, (reg, before, during)
        shares.append(change / reg["magnitude"])
    assert len(shares) >= 2
    assert np.mean(shares) > 0.5


def _measure(con: object, kind: str, feature: str, first: date, last: date) -> tuple[float, int]:
    """The metric of a feature over [first, last] and how many non-empty values it rests on."""
    column = "feedback_score" if kind == "feedback" else "latency_ms"
    sql = (
        f"SELECT {METRIC[kind]}, count({column}) FROM clean WHERE feature_id = ? "
        "AND CAST(event_time AS DATE) BETWEEN ? AND ?"
    )
    value, n = con.execute(sql, [feature, first, last]).fetchone()  # type: ignore[attr-defined]
    return (value if value is not None else float("nan")), n


def test_early_creep_rises_before_onset_then_holds() -> None:
    level = _level(30, early=5, onset=10, end=20)
    assert (level[:5] == 0).all() and (level[21:] == 0).all()
    assert (np.diff(level[5:10]) > 0).all() and level[9] == pytest.approx(EARLY_LEVEL)
    assert (level[10:21] == 1).all()


def test_truth_is_well_formed(medium_world: WorldSummary) -> None:
    regs = load_regressions(medium_world.out_dir)
    assert regs.height == medium_world.regressions > 20
    assert set(regs["kind"]) == {"latency", "crash", "errors", "feedback"}
    assert (regs["onset_date"] <= regs["end_date"]).all()
    early = regs.drop_nulls("early_onset_date")
    assert early.height > 0 and (early["early_onset_date"] < early["onset_date"]).all()
    deps = pl.read_csv(medium_world.out_dir / "data" / "deployments.csv", try_parse_dates=True)
    joined = regs.join(deps, on="deployment_id")
    assert joined.height == regs.height
    assert (joined["version"] == joined["firmware_version"]).all()
    assert (joined["deployed_at"].dt.date() < joined["onset_date"]).all()
    assert all(
        f in t.split(";") for f, t in zip(joined["feature_id"], joined["features"], strict=True)
    )


def test_lead_times_from_flags(medium_world: WorldSummary) -> None:
    regs = load_regressions(medium_world.out_dir).head(3)
    flags = regs.select("feature_id", event_date=pl.col("onset_date") - pl.duration(days=2))
    out = lead_times(regs, flags.head(2))
    assert out.height == 3
    assert out["detected"].to_list()[:2] == [True, True]
    assert out["lead_days"][0] >= 2


def test_load_regressions_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no ground truth here"):
        load_regressions(tmp_path)
    bad = tmp_path / "regressions.csv"
    bad.write_text("regression_id,feature_id\nREG-1,F001\n")
    with pytest.raises(MissingColumnsError, match="missing columns: firmware_version"):
        load_regressions(bad)
