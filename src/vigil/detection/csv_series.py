"""`vigil detect`: score one series from a CSV file, write ``timestamp,value,anomaly_score``."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from vigil.detection.series import score_series
from vigil.detection.settings import SeriesSettings
from vigil.errors import InputError, MissingColumnsError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DetectResult:
    """What `vigil detect` reports back."""

    rows: int
    detections: int
    threshold: float
    output: Path


def read_series(path: Path, time_column: str, value_column: str) -> pl.DataFrame:
    """The two columns as text, checked: the file exists, has rows, and has both columns."""
    if not path.is_file():
        raise InputError("file not found (check the path)", file=path)
    try:
        frame = pl.read_csv(path, infer_schema=False)
    except pl.exceptions.NoDataError as exc:
        raise InputError("the file is empty (nothing to score)", file=path) from exc
    except pl.exceptions.ComputeError as exc:
        raise InputError(f"cannot read as CSV ({exc.__class__.__name__})", file=path) from exc
    missing = [c for c in (time_column, value_column) if c not in frame.columns]
    if missing:
        raise MissingColumnsError(
            path, missing, why="name them with --time-column / --value-column"
        )
    if frame.height == 0:
        raise InputError("the file has a header but no rows (nothing to score)", file=path)
    return frame.select(pl.col(time_column).alias("timestamp"), pl.col(value_column).alias("value"))


def parse_series(frame: pl.DataFrame, path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Timestamps (datetime64[s]) and values (float, NaN where empty); bad text is an error."""
    parsed = frame.with_columns(
        pl.col("timestamp").str.strip_chars().str.to_datetime(strict=False).alias("ts"),
        pl.col("value").str.strip_chars().cast(pl.Float64, strict=False).alias("x"),
    )
    _reject(parsed, "ts", "timestamp", "dates and times such as 2026-01-31 12:00:00", path)
    _reject(parsed, "x", "value", "numbers", path)
    if parsed["ts"].null_count():
        raise InputError("some rows have no timestamp (every row needs one)", file=path)
    ts = parsed["ts"].to_numpy().astype("datetime64[s]")
    return ts, parsed["x"].fill_null(np.nan).to_numpy()


def _reject(parsed: pl.DataFrame, column: str, source: str, expected: str, path: Path) -> None:
    """Raise naming the first line whose text could not be parsed."""
    bad = parsed.with_row_index("row").filter(
        pl.col(column).is_null() & pl.col(source).str.strip_chars().str.len_chars().gt(0)
    )
    if bad.height:
        row, text = bad["row"][0], bad[source][0]
        raise InputError(
            f"{bad.height} {source} cell(s) could not be read, first {text!r} on line {row + 2} "
            f"(expected {expected})",
            file=path,
        )


def score_in_time_order(ts: np.ndarray, values: np.ndarray, p: SeriesSettings) -> np.ndarray:
    """Score in timestamp order (stable), returned in the input's row order."""
    order = np.argsort(ts, kind="stable")
    scores = np.empty(len(values))
    scores[order] = score_series(values[order], ts[order], p)
    scores[np.isnan(values)] = 0.0
    return scores


def detect_csv(
    path: Path,
    output: Path,
    *,
    time_column: str = "timestamp",
    value_column: str = "value",
    settings: SeriesSettings | None = None,
) -> DetectResult:
    """Read, score and write one row per input row: ``timestamp,value,anomaly_score``."""
    p = settings or SeriesSettings()
    frame = read_series(path, time_column, value_column)
    ts, values = parse_series(frame, path)
    scores = score_in_time_order(ts, values, p)
    output.parent.mkdir(parents=True, exist_ok=True)
    frame.with_columns(pl.Series("anomaly_score", np.round(scores, 6))).write_csv(output)
    detections = int((scores >= p.threshold).sum())
    log.info("detect: %d rows from %s, %d detections -> %s", len(scores), path, detections, output)
    return DetectResult(len(scores), detections, p.threshold, output)
