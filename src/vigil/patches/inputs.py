"""Pre-release patch columns -> model inputs. Standard library only (the CI gate uses it).

Training and the gate encode rows with the same function, so the model sees identical inputs.
``patch_type`` is one-hot encoded here (rather than as a CatBoost categorical) so the exported
trees hold only float splits that the gate can evaluate without CatBoost.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

MODEL_NAME = "patch_risk"
"""The registry name of the patch-risk model."""
PATCH_TYPES = ("bugfix", "feature", "security", "hotfix")
NUMERIC_COLUMNS = (
    "patch_size_mb",
    "files_changed",
    "lines_added",
    "lines_deleted",
    "code_churn",
    "prev_error_rate",
    "mean_device_age_days",
)
TYPE_PREFIX = "patch_type_"
MODEL_FEATURES = (
    *NUMERIC_COLUMNS,
    "n_touched_features",
    *(TYPE_PREFIX + t for t in PATCH_TYPES),
)
ID_COLUMNS = ("patch_id", "firmware_version", "id")


class BadValue(ValueError):
    """A cell the model cannot use: not a number, or (for the gate) missing or out of range."""

    def __init__(self, column: str, value: object, problem: str = "is not a number") -> None:
        super().__init__(f"column '{column}': {value!r} {problem}")
        self.column = column
        self.value = value


def source_column(feature: str) -> str:
    """The input column a model feature is computed from."""
    if feature.startswith(TYPE_PREFIX):
        return "patch_type"
    return feature


def missing_columns(features: Sequence[str], header: Sequence[str]) -> list[str]:
    """Input columns the features need that the header lacks (touched_features may stand in
    for n_touched_features), in the model's order."""
    have = set(header)
    missing: list[str] = []
    for feature in features:
        column = source_column(feature)
        if column == "n_touched_features" and "touched_features" in have:
            continue
        if column not in have and column not in missing:
            missing.append(column)
    return missing


def to_float(column: str, value: object) -> float:
    """A cell as float; empty or None is NaN (the model handles missing values)."""
    if value is None:
        return math.nan
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip()
    if not text:
        return math.nan
    try:
        return float(text)
    except ValueError:
        raise BadValue(column, value) from None


def _n_touched(row: Mapping[str, object]) -> float:
    value = row.get("n_touched_features")
    if value is not None and str(value).strip() != "":
        return to_float("n_touched_features", value)
    touched = row.get("touched_features")
    if touched is None:
        return 0.0
    items = touched if isinstance(touched, list | tuple) else str(touched).split(";")
    return float(sum(1 for item in items if str(item).strip()))


def encode_row(row: Mapping[str, object], features: Sequence[str]) -> list[float]:
    """One patch as the model's input vector, in ``features`` order (BadValue on bad cells)."""
    patch_type = str(row.get("patch_type") or "").strip().lower()
    out: list[float] = []
    for feature in features:
        if feature.startswith(TYPE_PREFIX):
            out.append(1.0 if patch_type == feature[len(TYPE_PREFIX) :] else 0.0)
        elif feature == "n_touched_features":
            out.append(_n_touched(row))
        else:
            out.append(to_float(feature, row.get(feature)))
    return out


def check_scorable(row: Mapping[str, object], features: Sequence[str]) -> None:
    """BadValue unless every input the gate needs is present, finite, non-negative and known.

    Training tolerates missing values (CatBoost routes NaN), but a gate that scores a missing
    or impossible value would pass a patch nobody measured, so the gate refuses the row instead.
    """
    patch_type = str(row.get("patch_type") or "").strip().lower()
    if any(f.startswith(TYPE_PREFIX) for f in features) and patch_type not in PATCH_TYPES:
        known = ", ".join(PATCH_TYPES)
        raise BadValue("patch_type", row.get("patch_type"), f"is not one of {known}")
    for feature in features:
        if feature.startswith(TYPE_PREFIX):
            continue
        value = _n_touched(row) if feature == "n_touched_features" else row.get(feature)
        number = to_float(feature, value)
        if math.isnan(number):
            raise BadValue(feature, value, "is empty (the gate does not pass what it cannot score)")
        if math.isinf(number):
            raise BadValue(feature, value, "is not a finite number")
        if number < 0:
            raise BadValue(feature, value, "must not be negative")


def patch_id(row: Mapping[str, object], index: int) -> str:
    """The patch's id: patch_id / firmware_version / id, else its 1-based row number."""
    for column in ID_COLUMNS:
        value = row.get(column)
        if value is not None and str(value).strip():
            return str(value).strip()
    return str(index)
