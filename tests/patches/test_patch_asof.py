"""As-of-release patch risk: walk-forward, no outcome from after the scored release's date."""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl

from vigil.config import VigilConfig
from vigil.patches.asof import as_of_release_risk, cutoffs, matured_by, write_as_of_risk
from vigil.patches.features import build_patch_tables
from vigil.stages import STAGES

from .patch_world import START, load_releases, releases


def _scores(con: duckdb.DuckDBPyConnection, cfg: VigilConfig) -> pl.DataFrame:
    build_patch_tables(con, cfg.patches)
    return as_of_release_risk(con, cfg)


def test_null_until_min_releases_have_matured(
    con: duckdb.DuckDBPyConnection, cfg: VigilConfig
) -> None:
    # weekly releases, 30-day window, refit every 14 days, min 12: the cut-off on day 112 is
    # the first with 12 matured releases (days 0..77), so releases 0..15 have no score
    load_releases(con, releases(40))
    out = _scores(con, cfg)
    assert out.columns == ["firmware_version", "release_date", "patch_risk_asof"]
    assert out.height == 40
    assert out["patch_risk_asof"].head(16).null_count() == 16
    scored = out["patch_risk_asof"].tail(24)
    assert scored.null_count() == 0
    assert scored.min() > 0.0 and scored.max() < 1.0  # type: ignore[operator]


def test_changing_later_outcomes_never_moves_earlier_scores(
    con: duckdb.DuckDBPyConnection, cfg: VigilConfig
) -> None:
    rows = releases(40)
    load_releases(con, rows)
    before = _scores(con, cfg)
    changed = [
        {**r, "error_rate_per_10k": 1000.0 - 900.0 * (r["code_churn"] > 2500)} if k >= 25 else r
        for k, r in enumerate(rows)
    ]
    load_releases(con, changed)
    after = _scores(con, cfg)
    # release 25 ships on day 175; its outcome is observed from day 205 on
    observed_from = START + dt.timedelta(days=175 + cfg.patches.outcome_window_days)
    early = pl.col("release_date") < observed_from
    assert before.filter(early).height == 30
    assert before.filter(early).equals(after.filter(early))
    late = before.filter(~early)["patch_risk_asof"] - after.filter(~early)["patch_risk_asof"]
    assert late.abs().max() > 0.05  # type: ignore[operator]


def test_matured_by_keeps_closed_windows_with_outcomes() -> None:
    df = pl.DataFrame(
        {
            "release_date": [START, START + dt.timedelta(days=1), START],
            "error_rate_per_10k": [1.0, 2.0, None],
        }
    )
    assert matured_by(df, START + dt.timedelta(days=30), 30)["error_rate_per_10k"].to_list() == [
        1.0
    ]


def test_cutoffs_step_from_first_release() -> None:
    dates = pl.Series([START, START + dt.timedelta(days=60)])
    assert cutoffs(dates, 28) == [START + dt.timedelta(days=d) for d in (0, 28, 56)]


def test_table_is_rewritten_idempotently(con: duckdb.DuckDBPyConnection, cfg: VigilConfig) -> None:
    load_releases(con, releases(40))
    build_patch_tables(con, cfg.patches)
    assert write_as_of_risk(con, cfg) == 24
    assert write_as_of_risk(con, cfg) == 24
    rows = con.execute("SELECT count(*), count(patch_risk_asof) FROM patch_risk_asof").fetchall()
    assert rows == [(40, 24)]
    con.execute("DELETE FROM dim_release")
    build_patch_tables(con, cfg.patches)
    assert write_as_of_risk(con, cfg) == 0
    assert con.execute("SELECT count(*) FROM patch_risk_asof").fetchall() == [(0,)]


def test_patches_stage_runs_before_risk() -> None:
    names = [stage.name for stage in STAGES]
    assert names.index("patches") < names.index("risk")
