"""Regressions caused by releases, the daily effects they have on features, and incidents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

import numpy as np
import polars as pl

from vigil.synth.catalog import Features
from vigil.synth.releases import Releases, deployment_id, version_name
from vigil.synth.spec import WorldSpec, stream

REGRESSION_STREAM, INCIDENT_STREAM = 6, 7
KINDS = ("latency", "crash", "errors", "feedback")
KIND_P = (0.4, 0.25, 0.2, 0.15)
MAGNITUDE = {
    "latency": (0.3, 1.2),
    "crash": (0.01, 0.05),
    "errors": (1.0, 4.0),
    "feedback": (0.6, 1.5),
}
"""latency: relative rise; crash: added crash share; errors: relative rise; feedback: mean drop"""
EARLY_SHARE = 0.4
EARLY_LEVEL = 0.35
"""share of the full effect reached by the end of the slow early creep"""


@dataclass(frozen=True)
class Effects:
    """Per feature x day effects of all regressions, applied to the telemetry."""

    latency_log: np.ndarray
    crash_add: np.ndarray
    error_mult: np.ndarray
    feedback_shift: np.ndarray

    @classmethod
    def none(cls, n_features: int, days: int) -> Effects:
        zeros = np.zeros((n_features, days))
        return cls(zeros, zeros.copy(), np.ones((n_features, days)), zeros.copy())


def draw_regressions(spec: WorldSpec, rel: Releases) -> pl.DataFrame:
    """For every (release, touched feature): a regression with the release's risk probability."""
    rng = stream(spec.seed, REGRESSION_STREAM)
    rows: list[dict[str, object]] = []
    for r in np.flatnonzero(rel.day >= 0):
        for f in rel.changes.touched[r]:
            if rng.random() < rel.risk_p[r]:
                row = _one(rng, spec, int(r), int(f), int(rel.day[r]))
                if row is not None:
                    rows.append(row)
    return _regression_frame(spec, rows)


def _one(
    rng: np.random.Generator, spec: WorldSpec, r: int, f: int, day: int
) -> dict[str, object] | None:
    kind = str(rng.choice(KINDS, p=KIND_P))
    lo, hi = MAGNITUDE[kind]
    start = day + 1 + int(rng.integers(0, 3))
    early = rng.random() < EARLY_SHARE
    onset = start + int(rng.integers(3, 8)) if early else start
    if onset >= spec.days:
        return None  # would start after the world ends: not injected, not in the truth
    return {
        "feature": f,
        "release": r,
        "kind": kind,
        "early": start if early else None,
        "onset": onset,
        "end": min(spec.days - 1, onset + int(rng.integers(5, 21))),
        "magnitude": round(float(rng.uniform(lo, hi)), 4),
    }


def _regression_frame(spec: WorldSpec, rows: list[dict[str, object]]) -> pl.DataFrame:
    schema: dict[str, pl.DataType] = {
        "feature": pl.Int64(),
        "release": pl.Int64(),
        "kind": pl.Utf8(),
        "early": pl.Int64(),
        "onset": pl.Int64(),
        "end": pl.Int64(),
        "magnitude": pl.Float64(),
    }
    frame = pl.DataFrame(rows, schema=schema).sort("onset", "feature", "release")
    return frame.with_columns(
        regression_id=pl.format("REG-{}", pl.int_range(1, pl.len() + 1).cast(pl.Utf8).str.zfill(4))
    )


def truth_frame(spec: WorldSpec, regs: pl.DataFrame, features: Features) -> pl.DataFrame:
    """truth/regressions.csv in the contract's column order."""
    start = pl.lit(spec.start_date)
    return regs.select(
        "regression_id",
        feature_id=pl.col("feature").map_elements(lambda i: features.ids[i], pl.Utf8),
        firmware_version=pl.col("release").map_elements(version_name, pl.Utf8),
        deployment_id=pl.col("release").map_elements(deployment_id, pl.Utf8),
        kind="kind",
        early_onset_date=start + pl.duration(days=pl.col("early")),
        onset_date=start + pl.duration(days=pl.col("onset")),
        end_date=start + pl.duration(days=pl.col("end")),
        magnitude="magnitude",
    )


def effects(spec: WorldSpec, regs: pl.DataFrame) -> Effects:
    """Turn regressions into feature x day effect matrices (slow creep, then full effect)."""
    eff = Effects.none(spec.n_features, spec.days)
    for row in regs.iter_rows(named=True):
        level = _level(spec.days, row["early"], row["onset"], row["end"])
        _add_effect(eff, row["feature"], row["kind"], row["magnitude"], level)
    return eff


def _add_effect(
    eff: Effects, where: Any, kind: str, magnitude: float, level: np.ndarray | float
) -> None:
    """Add one regression's effect at ``level`` to the rows ``where`` selects (a feature's row,
    or a mask of events)."""
    m = magnitude
    if kind == "latency":
        eff.latency_log[where] += np.log1p(m * level)
        eff.feedback_shift[where] -= 0.4 * (m / MAGNITUDE["latency"][1]) * level
    elif kind == "crash":
        eff.crash_add[where] += m * level
        eff.feedback_shift[where] -= 0.2 * level
    elif kind == "errors":
        eff.error_mult[where] *= 1.0 + m * level
    else:
        eff.feedback_shift[where] -= m * level


@dataclass(frozen=True)
class ScopedEffects:
    """Regressions that hit only devices running their release or a later one
    (``regression_scope = firmware``): applied per event instead of per feature-day."""

    feature: np.ndarray
    release: np.ndarray
    kind: list[str]
    magnitude: np.ndarray
    level: np.ndarray
    """regression x day effect level"""

    @classmethod
    def build(cls, spec: WorldSpec, regs: pl.DataFrame) -> ScopedEffects:
        rows = list(regs.iter_rows(named=True))
        level = [_level(spec.days, r["early"], r["onset"], r["end"]) for r in rows]
        return cls(
            feature=np.array([r["feature"] for r in rows], dtype=np.int64),
            release=np.array([r["release"] for r in rows], dtype=np.int64),
            kind=[r["kind"] for r in rows],
            magnitude=np.array([r["magnitude"] for r in rows], dtype=float),
            level=np.array(level).reshape(len(rows), spec.days),
        )

    def per_event(self, day: int, feat: np.ndarray, fw: np.ndarray) -> Effects:
        """One-column effects per event of ``day`` (events as rows, one column)."""
        n = len(feat)
        eff = Effects.none(n, 1)
        for i in np.flatnonzero(self.level[:, day] > 0):
            hit = (feat == self.feature[i]) & (fw >= self.release[i])
            _add_effect(eff, hit, self.kind[i], self.magnitude[i], self.level[i, day])
        return eff


def _level(days: int, early: int | None, onset: int, end: int) -> np.ndarray:
    """Effect level per day: a linear creep to EARLY_LEVEL before onset, 1 from onset to end."""
    level = np.zeros(days)
    if early is not None:
        n = onset - early
        level[early:onset] = EARLY_LEVEL * np.arange(1, n + 1) / n
    level[onset : end + 1] = 1.0
    return level


def incidents_frame(spec: WorldSpec, regs: pl.DataFrame, features: Features) -> pl.DataFrame:
    """Incidents for the bigger regressions, plus a few unrelated false alarms."""
    rng = stream(spec.seed, INCIDENT_STREAM)
    cols = regs.select("feature", "release", "kind", "onset", "end", "magnitude")
    kept = []
    for f, r, kind, onset, end, magnitude in cols.iter_rows():
        lo, hi = MAGNITUDE[kind]
        size = (magnitude - lo) / (hi - lo)
        if size < 0.4 or rng.random() > 0.8:
            continue
        severity = "sev1" if size > 0.8 else "sev2" if size > 0.55 else "sev3"
        title = f"{kind} regression in {features.ids[f]} after firmware {version_name(r)}"
        opened = onset + int(rng.integers(0, 2))
        kept.append(_incident_row(spec, rng, (opened, end + 1), features.ids[f], severity, title))
    for _ in range(int(rng.poisson(spec.days / 30))):
        day = int(rng.integers(0, spec.days))
        fid = str(features.ids[rng.integers(0, spec.n_features)])
        title = f"Elevated support contacts about {fid}, no product cause found"
        kept.append(_incident_row(spec, rng, (day, day + 1), fid, "sev3", title))
    frame = pl.DataFrame(kept, schema=_INCIDENT_SCHEMA, orient="row").sort("started_at")
    ids = [f"INC-{i + 1:04d}" for i in range(frame.height)]
    return frame.select(pl.Series("incident_id", ids, pl.Utf8), pl.all())


_INCIDENT_SCHEMA: dict[str, pl.DataType] = {
    "started_at": pl.Datetime("us"),
    "resolved_at": pl.Datetime("us"),
    "feature_ids": pl.Utf8(),
    "severity": pl.Utf8(),
    "title": pl.Utf8(),
}


def _incident_row(
    spec: WorldSpec,
    rng: np.random.Generator,
    days: tuple[int, int],
    fids: str,
    sev: str,
    title: str,
) -> tuple[object, ...]:
    """One incident; resolved_at stays empty when it was still open at the world's end."""
    midnight = datetime.combine(spec.start_date, time())
    opened, closed = min(days[0], spec.days - 1), days[1]
    start = midnight + timedelta(days=opened, hours=int(rng.integers(0, 24)))
    resolved = None
    if closed < spec.days:
        resolved = midnight + timedelta(days=closed, hours=int(rng.integers(0, 24)))
    return (start, resolved, fids, sev, title)
