"""Which releases train and test: mature outcomes only, ordered by release date, with a gap
(the look-ahead rule is the modelling core's, shared with feature risk)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from vigil.errors import ModelError
from vigil.modelling.split import check_no_lookahead


@dataclass(frozen=True)
class Split:
    """Train, calibration and test releases, oldest first.

    Every train release is older than every calibration release, and every train and
    calibration release ships at least the gap (the outcome window) before the first test
    release, so all their outcomes are known on the day the test period starts.
    """

    train: pl.DataFrame
    calibration: pl.DataFrame
    test: pl.DataFrame
    gap_days: int

    @property
    def parts(self) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
        """(train, calibration, test)."""
        return self.train, self.calibration, self.test

    @property
    def train_window(self) -> tuple[dt.date, dt.date]:
        """First train and last calibration release date: every label the model has seen."""
        seen = pl.concat([self.train["release_date"], self.calibration["release_date"]])
        return seen.min(), seen.max()  # type: ignore[return-value]

    def as_dict(self) -> dict[str, object]:
        """Sizes and boundaries for the metrics report."""
        out: dict[str, object] = {"gap_days": self.gap_days}
        for name in ("train", "calibration", "test"):
            part: pl.DataFrame = getattr(self, name)
            out[f"n_{name}"] = part.height
            out[f"{name}_start"] = part["release_date"].min()
            out[f"{name}_end"] = part["release_date"].max()
        return out


def mature(patches: pl.DataFrame) -> pl.DataFrame:
    """Releases whose outcome window has closed (outcome known), oldest first."""
    return patches.filter(
        pl.col("outcome_mature") & pl.col("error_rate_per_10k").is_not_null()
    ).sort("release_date", "firmware_version")


def time_split(
    releases: pl.DataFrame, test_share: float, gap_days: int, calibration_share: float
) -> Split:
    """The newest ``test_share`` of releases test; releases shipped at least ``gap_days``
    before the first test release split into train and (the newest ``calibration_share``)
    calibration. Releases sharing a cut-off date go to the later part."""
    releases = releases.sort("release_date", "firmware_version")
    n_test = max(1, round(releases.height * test_share))
    if releases.height - n_test < 4:
        raise ModelError(f"only {releases.height} mature releases: too few to split in time")
    test_start = releases["release_date"][releases.height - n_test]
    test = releases.filter(pl.col("release_date") >= test_start)
    before = releases.filter(
        (pl.col("release_date") < test_start)
        & (pl.col("release_date") + pl.duration(days=gap_days) <= pl.lit(test_start))
    )
    n_cal = max(1, round(before.height * calibration_share))
    if before.height - n_cal < 2:
        raise ModelError(
            f"only {before.height} releases shipped {gap_days}+ days before the test period "
            f"({test_start}): too few to train and calibrate (wait for more releases)"
        )
    cal_start = before["release_date"][before.height - n_cal]
    train = before.filter(pl.col("release_date") < cal_start)
    calibration = before.filter(pl.col("release_date") >= cal_start)
    if train.height < 2:
        raise ModelError("too few releases before the calibration slice (wait for more releases)")
    check_no_lookahead(calibration["release_date"].max(), test_start, gap_days)  # type: ignore[arg-type]
    return Split(train=train, calibration=calibration, test=test, gap_days=gap_days)
