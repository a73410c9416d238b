"""compute_baseline / compute_feature_baselines and the baseline file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from vigil.errors import InputError, MissingColumnsError
from vigil.monitoring.baselines import (
    compute_baseline,
    compute_feature_baselines,
    load_baseline,
    write_baseline,
)


@pytest.fixture
def frame() -> pl.DataFrame:
    rng = np.random.default_rng(0)
    latency = pl.Series("latency", rng.normal(200, 10, 100)).scatter([0, 1, 2, 3], None)
    return pl.DataFrame(
        {
            "feature_id": ["a"] * 40 + ["b"] * 60,
            "latency": latency,
            "region": ["eu"] * 70 + ["us"] * 20 + [None] * 10,
            "tier": ["x", "y", "z", "w"] * 25,
        }
    )


def test_numeric_stats_match_numpy(frame: pl.DataFrame) -> None:
    stats = compute_baseline(frame, ["latency"], bins=5)["columns"]["latency"]
    values = frame["latency"].drop_nulls().to_numpy()
    assert stats["kind"] == "numeric"
    assert (stats["count"], stats["missing_share"]) == (96, 0.04)
    assert stats["mean"] == pytest.approx(values.mean())
    assert stats["std"] == pytest.approx(values.std(ddof=1))
    assert stats["quantiles"]["p50"] == pytest.approx(np.median(values))
    assert stats["quantiles"]["p05"] <= stats["quantiles"]["p95"]
    histogram = stats["histogram"]
    assert len(histogram["bin_edges"]) == 6 and sum(histogram["counts"]) == 96
    assert histogram["bin_edges"][0] == stats["min"] and histogram["bin_edges"][-1] == stats["max"]


def test_category_frequencies(frame: pl.DataFrame) -> None:
    columns = compute_baseline(frame, ["region", "tier"])["columns"]
    region = columns["region"]
    assert region["kind"] == "binary"
    assert region["frequencies"] == {"eu": 70, "us": 20}
    assert region["shares"]["eu"] == pytest.approx(70 / 90)
    assert region["missing_share"] == pytest.approx(0.1)
    assert columns["tier"]["kind"] == "categorical"
    assert sum(columns["tier"]["frequencies"].values()) == 100


def test_all_columns_by_default_and_rows(frame: pl.DataFrame) -> None:
    baseline = compute_baseline(frame)
    assert baseline["rows"] == 100
    assert list(baseline["columns"]) == ["feature_id", "latency", "region", "tier"]


def test_missing_column_is_named(frame: pl.DataFrame) -> None:
    with pytest.raises(MissingColumnsError, match="missing columns: nope"):
        compute_baseline(frame, ["nope"])


def test_empty_numeric_column_has_no_numbers() -> None:
    stats = compute_baseline(
        pl.DataFrame({"x": [None, None]}, schema={"x": pl.Float64}), kinds={"x": "numeric"}
    )["columns"]["x"]
    assert (stats["count"], stats["missing_share"], stats["mean"]) == (0, 1.0, None)


def test_feature_baselines_group_by_feature(frame: pl.DataFrame) -> None:
    features = compute_feature_baselines(frame, ["latency", "region"])
    assert sorted(features) == ["a", "b"]
    assert set(features["a"]) == {"latency"}  # only numeric columns
    a = features["a"]["latency"]
    values = frame.filter(pl.col("feature_id") == "a")["latency"].drop_nulls().to_numpy()
    assert a["count"] == 36 and a["missing_share"] == pytest.approx(0.1)
    assert a["mean"] == pytest.approx(values.mean())
    assert a["p50"] == pytest.approx(np.median(values))


def test_baseline_file_round_trip(tmp_path: Path, frame: pl.DataFrame) -> None:
    path = tmp_path / "reports" / "baseline_stats.json"
    assert load_baseline(path) is None
    baseline = compute_baseline(frame, ["latency"])
    write_baseline(path, baseline)
    assert load_baseline(path) == baseline


def test_corrupt_baseline_file_says_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "baseline_stats.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON"):
        load_baseline(path)
