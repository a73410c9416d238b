"""Reading changes and the time-ordered split: no shuffling, no leakage, id columns dropped."""

from __future__ import annotations

import polars as pl
import pytest

from vigil.errors import InputError
from vigil.patches.jit_data import prepare_changes, time_split

from .changes import make_changes


def test_id_like_and_label_copies_are_dropped() -> None:
    data = prepare_changes(make_changes(), "bug", "date", ["la", "ld"])
    assert data.dropped == {"": "id-like name", "_id": "id-like name", "__": "duplicates the label"}
    assert data.features == ["la", "ld", "nf", "lt", "exp"]


def test_split_is_time_ordered_even_from_shuffled_rows() -> None:
    frame = make_changes().sample(fraction=1.0, shuffle=True, seed=3)
    data = prepare_changes(frame, "bug", "date", ["la", "ld"])
    train, test = time_split(data, 0.8)
    assert train.height + test.height == frame.height
    assert train["date"].max() < test["date"].min()  # type: ignore[operator]
    assert train.height == 192


def test_rows_sharing_the_boundary_time_all_go_to_test() -> None:
    frame = make_changes(100).with_columns(
        pl.when(pl.int_range(pl.len()).is_between(75, 85))
        .then(pl.lit(1_400_000_000 + 75 * 3600))
        .otherwise(pl.col("date"))
        .alias("date")
    )
    train, test = time_split(prepare_changes(frame, "bug", "date", ["la", "ld"]), 0.8)
    assert train.height == 75
    assert train["date"].max() < test["date"].min()  # type: ignore[operator]


def test_iso_dates_are_accepted() -> None:
    frame = make_changes(50).with_columns(
        pl.from_epoch("date", time_unit="s").dt.strftime("%Y-%m-%dT%H:%M:%S").alias("date")
    )
    data = prepare_changes(frame, "bug", "date", ["la", "ld"])
    assert data.frame["date"].is_sorted()
    assert data.frame["date"][0] == 1_400_000_000


@pytest.mark.parametrize("fraction", [0.0, 1.0, 1.5])
def test_train_fraction_must_be_inside_zero_one(fraction: float) -> None:
    data = prepare_changes(make_changes(), "bug", "date", ["la", "ld"])
    with pytest.raises(InputError, match="--train-fraction must be between 0 and 1"):
        time_split(data, fraction)


def test_gap_leaves_out_training_rows_close_to_the_test_part() -> None:
    data = prepare_changes(make_changes(), "bug", "date", ["la", "ld"])
    gap = 10 * 3600.0  # rows are an hour apart: ten rows fall in the gap
    train, test = time_split(data, 0.8, gap_seconds=gap)
    assert train["date"].max() + gap < test["date"].min()  # type: ignore[operator]
    assert (train.height, test.height) == (182, 48)
