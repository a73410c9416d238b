"""Data drift between a reference and a current sample, per column and for the whole dataset.

Evidently's defaults: while a sample has at most ``small_sample_rows`` rows, KS (numeric),
chi-square (categorical) and the two-proportion z-test (binary) at p < ``p_value``; above, the
Wasserstein distance in reference-std units (numeric) or the Jensen-Shannon distance, drift at
>= ``distance_threshold``; PSI beside them; dataset drift when >= ``dataset_drift_share`` of the
evaluated columns drift. Better than the anchor: the missing share is its own signal, p-values
are corrected across columns (Holm by default), too few rows give 'insufficient data' rather than
a verdict, and every verdict carries a reason sentence.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import polars as pl

from vigil.errors import InputError, MissingColumnsError
from vigil.monitoring.kinds import Pair, check_kind, infer_kind
from vigil.monitoring.measures import Measurement, measure_column
from vigil.monitoring.reasons import reason
from vigil.monitoring.settings import DriftSettings
from vigil.monitoring.stats import adjust_p_values

log = logging.getLogger(__name__)

DRIFT, NO_DRIFT, INSUFFICIENT = "drift", "no drift", "insufficient data"


@dataclass(frozen=True)
class ColumnDrift:
    """The verdict on one column and why."""

    column: str
    kind: str
    test: str
    """ks | chi_square | z_test | wasserstein | jensen_shannon | none (insufficient data)"""
    statistic: float | None
    p_value: float | None
    p_value_adjusted: float | None
    distance: float | None
    psi: float | None
    drifted: bool
    """value drift or missing-share drift"""
    missing_drift: bool
    reason: str
    verdict: str
    """drift | no drift | insufficient data"""
    reference_rows: int
    current_rows: int
    missing_share_reference: float
    missing_share_current: float
    missing_p_value: float | None


@dataclass(frozen=True)
class DriftReport:
    """Per-column verdicts and the dataset-level rule (share of evaluated columns that drift)."""

    dataset_drift: bool
    drift_share: float
    columns: list[ColumnDrift]
    reference_rows: int = 0
    current_rows: int = 0
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def drifted_columns(self) -> list[str]:
        return [c.column for c in self.columns if c.drifted]

    @property
    def evaluated(self) -> int:
        """Columns with a verdict other than 'insufficient data'."""
        return sum(c.verdict != INSUFFICIENT for c in self.columns)

    def summary(self) -> str:
        """One line: how many columns drifted and whether the dataset did."""
        verdict = "dataset drift" if self.dataset_drift else "no dataset drift"
        need = self.settings.get("dataset_drift_share", 0.5)
        return (
            f"{verdict}: {len(self.drifted_columns)} of {self.evaluated} evaluated columns "
            f"drifted ({self.drift_share:.0%}; the rule is >= {need:.0%})"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset_drift": self.dataset_drift,
            "drift_share": self.drift_share,
            "summary": self.summary(),
            "reference_rows": self.reference_rows,
            "current_rows": self.current_rows,
            "drifted_columns": self.drifted_columns,
            "settings": self.settings,
            "columns": [asdict(c) for c in self.columns],
        }


def _resolve_columns(
    reference: pl.DataFrame, current: pl.DataFrame, columns: Sequence[str] | None
) -> list[str]:
    if columns is None:
        names = [c for c in reference.columns if c in current.columns]
        skipped = sorted(set(reference.columns) ^ set(current.columns))
        if skipped:
            log.info("drift skips columns present on one side only: %s", ", ".join(skipped))
    else:
        names = list(dict.fromkeys(columns))
        for side, frame in (("reference data", reference), ("current data", current)):
            absent = [c for c in names if c not in frame.columns]
            if absent:
                raise MissingColumnsError(side, absent, "asked for by the drift columns")
    if not names:
        raise InputError("reference and current data share no columns (check their headers)")
    return names


def _measure(pair: Pair, kinds: Mapping[str, str], settings: DriftSettings) -> Measurement:
    kind = check_kind(pair, kinds[pair.name]) if pair.name in kinds else infer_kind(pair)
    return measure_column(pair, kind, settings)


def _adjusted(measured: list[Measurement], correction: str) -> dict[str, float]:
    """Correct the p-values of every column that had a p-value test, as one family."""
    tested = [m for m in measured if m.p_value is not None]
    adjusted = adjust_p_values([m.p_value for m in tested if m.p_value is not None], correction)
    return {m.column: p for m, p in zip(tested, adjusted, strict=True)}


def _verdict(m: Measurement, p_adjusted: float | None, settings: DriftSettings) -> ColumnDrift:
    if p_adjusted is not None:
        value_drift = p_adjusted < settings.p_value
    else:
        value_drift = m.distance is not None and m.distance >= settings.distance_threshold
    drifted = value_drift or m.missing_drift
    verdict = DRIFT if drifted else (NO_DRIFT if m.sufficient else INSUFFICIENT)
    return ColumnDrift(
        column=m.column,
        kind=m.kind,
        test=m.test,
        statistic=m.statistic,
        p_value=m.p_value,
        p_value_adjusted=p_adjusted,
        distance=m.distance,
        psi=m.psi,
        drifted=drifted,
        missing_drift=m.missing_drift,
        reason=reason(m, p_adjusted, value_drift, settings),
        verdict=verdict,
        reference_rows=m.reference_rows,
        current_rows=m.current_rows,
        missing_share_reference=m.missing_share_reference,
        missing_share_current=m.missing_share_current,
        missing_p_value=m.missing_p_value,
    )


def dataset_verdict(columns: Sequence[ColumnDrift], settings: DriftSettings) -> tuple[bool, float]:
    """(dataset drift, drift share): share of evaluated columns drifted, compared with >=."""
    evaluated = [c for c in columns if c.verdict != INSUFFICIENT]
    if not evaluated:
        return False, 0.0
    share = sum(c.drifted for c in evaluated) / len(evaluated)
    return share >= settings.dataset_drift_share, share


def detect_drift(
    reference: pl.DataFrame,
    current: pl.DataFrame,
    settings: DriftSettings,
    columns: Sequence[str] | None = None,
    kinds: Mapping[str, str] | None = None,
) -> DriftReport:
    """Compare current with reference, column by column; see the module docstring."""
    names = _resolve_columns(reference, current, columns)
    kinds = {**settings.kinds, **(kinds or {})}
    measured = [
        _measure(Pair.of(reference[name], current[name]), kinds, settings) for name in names
    ]
    adjusted = _adjusted(measured, settings.correction)
    results = [_verdict(m, adjusted.get(m.column), settings) for m in measured]
    dataset_drift, share = dataset_verdict(results, settings)
    log.info("drift: %d of %d columns drifted", sum(c.drifted for c in results), len(results))
    return DriftReport(
        dataset_drift=dataset_drift,
        drift_share=share,
        columns=results,
        reference_rows=reference.height,
        current_rows=current.height,
        settings=settings.model_dump(
            include={
                "small_sample_rows",
                "p_value",
                "distance_threshold",
                "psi_drift",
                "psi_major",
                "dataset_drift_share",
                "min_rows",
                "correction",
            }
        ),
    )
