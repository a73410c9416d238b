"""Baselines: what 'normal' looked like, per column and per feature, kept apart from models.

A baseline is a plain JSON-able dict. Numeric columns: count, missing share, mean, std, min, max,
quantiles and a histogram; categorical and binary columns: category counts and shares.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from vigil.errors import InputError, MissingColumnsError
from vigil.monitoring.kinds import Pair, check_kind, infer_kind, labels, numbers, present
from vigil.monitoring.settings import ColumnKind

QUANTILES = {
    "p01": 0.01,
    "p05": 0.05,
    "p25": 0.25,
    "p50": 0.5,
    "p75": 0.75,
    "p95": 0.95,
    "p99": 0.99,
}
FEATURE_QUANTILES = {"p05": 0.05, "p50": 0.5, "p95": 0.95}
MAX_CATEGORIES = 50
OTHER = "(other)"


def _numeric_stats(values: np.ndarray, bins: int) -> dict[str, Any]:
    if len(values) == 0:
        return {
            "mean": None,
            "std": None,
            "min": None,
            "max": None,
            "quantiles": {},
            "histogram": {"bin_edges": [], "counts": []},
        }
    counts, edges = np.histogram(values, bins=bins)
    return {
        "mean": float(values.mean()),
        "std": float(values.std(ddof=1)) if len(values) > 1 else None,
        "min": float(values.min()),
        "max": float(values.max()),
        "quantiles": {
            k: float(q)
            for k, q in zip(QUANTILES, np.quantile(values, list(QUANTILES.values())), strict=True)
        },
        "histogram": {"bin_edges": edges.tolist(), "counts": counts.tolist()},
    }


def _category_stats(values: np.ndarray) -> dict[str, Any]:
    keys, counts = np.unique(values, return_counts=True)
    order = np.argsort(-counts, kind="stable")
    frequencies = {str(keys[i]): int(counts[i]) for i in order[:MAX_CATEGORIES]}
    rest = int(counts[order[MAX_CATEGORIES:]].sum())
    if rest:
        frequencies[OTHER] = rest
    total = max(int(counts.sum()), 1)
    return {"frequencies": frequencies, "shares": {k: v / total for k, v in frequencies.items()}}


def column_baseline(series: pl.Series, kind: ColumnKind, bins: int = 10) -> dict[str, Any]:
    """Statistics of one column."""
    values = present(series)
    stats = {
        "kind": kind,
        "count": len(values),
        "missing_share": (len(series) - len(values)) / len(series) if len(series) else 0.0,
    }
    if kind == "numeric":
        return {**stats, **_numeric_stats(numbers(values), bins)}
    return {**stats, **_category_stats(labels(values))}


def compute_baseline(
    df: pl.DataFrame,
    columns: Sequence[str] | None = None,
    kinds: Mapping[str, str] | None = None,
    bins: int = 10,
) -> dict[str, Any]:
    """Per-column baseline of a frame: ``{"rows": n, "columns": {name: stats}}``."""
    names = list(columns) if columns is not None else list(df.columns)
    absent = [c for c in names if c not in df.columns]
    if absent:
        raise MissingColumnsError("baseline data", absent, "asked for by the baseline")
    kinds = kinds or {}
    out: dict[str, Any] = {}
    for name in names:
        pair = Pair.of(df[name], df[name])
        kind = check_kind(pair, kinds[name]) if name in kinds else infer_kind(pair)
        out[name] = column_baseline(df[name], kind, bins)
    return {"rows": df.height, "columns": out}


def _feature_exprs(column: str) -> list[pl.Expr]:
    x = pl.col(column).cast(pl.Float64).fill_nan(None)
    exprs = [
        x.count().alias(f"{column}|count"),
        (x.null_count() / pl.len()).alias(f"{column}|missing_share"),
        x.mean().alias(f"{column}|mean"),
        x.std().alias(f"{column}|std"),
    ]
    exprs += [x.quantile(q, "linear").alias(f"{column}|{k}") for k, q in FEATURE_QUANTILES.items()]
    return exprs


def compute_feature_baselines(
    df: pl.DataFrame, columns: Sequence[str], by: str = "feature_id"
) -> dict[str, dict[str, dict[str, Any]]]:
    """Per-group numeric baselines: ``{feature_id: {column: {count, mean, std, p05..}}}``."""
    if by not in df.columns:
        raise MissingColumnsError("baseline data", [by], "needed to group the baseline")
    numeric = [c for c in columns if c in df.columns and df[c].dtype.is_numeric()]
    if df.height == 0 or not numeric:
        return {}
    exprs = [e for c in numeric for e in _feature_exprs(c)]
    table = df.group_by(by).agg(exprs).sort(by)
    result: dict[str, dict[str, dict[str, Any]]] = {}
    for row in table.iter_rows(named=True):
        stats: dict[str, dict[str, Any]] = {}
        for key, value in row.items():
            if key != by:
                column, stat = key.split("|", 1)
                stats.setdefault(column, {})[stat] = value
        result[str(row[by])] = stats
    return result


def write_baseline(path: Path, baseline: Mapping[str, Any]) -> None:
    """Write a baseline JSON file (parents created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(baseline, indent=2, default=str) + "\n", encoding="utf-8")


def load_baseline(path: Path) -> dict[str, Any] | None:
    """Read a baseline JSON file; None when there is none yet."""
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(
            "baseline file is not valid JSON (delete it and run with drift.refresh_baseline)",
            file=path,
        ) from exc
    if not isinstance(data, dict):
        raise InputError("baseline file must hold a JSON object", file=path)
    return data
