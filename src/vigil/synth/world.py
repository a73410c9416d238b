"""Generate the whole synthetic world into a folder (the layout of docs/ARCHITECTURE.md)."""

from __future__ import annotations

import json
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from vigil.config import GenerateSettings
from vigil.errors import InputError
from vigil.synth import dirt, fleet, output, regressions, releases
from vigil.synth.catalog import Features, Fleet, make_features, make_fleet
from vigil.synth.regressions import Effects
from vigil.synth.rollout import Rollout
from vigil.synth.spec import WorldSpec, build_spec, stream
from vigil.synth.telemetry import (
    Columns,
    DayInputs,
    Lookups,
    day_counts,
    day_events,
    level_noise,
    to_table,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorldSummary:
    """What was written: counts (telemetry rows include the dirt) and where."""

    out_dir: Path
    seed: int
    start_date: date
    end_date: date
    """last day of data (inclusive)"""
    features: int
    events: int
    """telemetry rows written, dirt included"""
    clean_events: int
    """events generated before the dirt (missing feature-days already dropped)"""
    malformed: int = 0
    duplicates: int = 0
    late: int = 0
    missing_feature_days: int = 0
    devices: int = 0
    releases: int = 0
    pending_patches: int = 0
    deployments: int = 0
    incidents: int = 0
    regressions: int = 0
    device_events: int = 0
    support_tickets: int = 0
    paths: dict[str, Path] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly view (dates and paths as strings)."""
        out = {k: getattr(self, k) for k in self.__dataclass_fields__}
        out["paths"] = {k: str(v) for k, v in self.paths.items()}
        return {k: (str(v) if isinstance(v, Path | date) else v) for k, v in out.items()}


@dataclass(frozen=True)
class World:
    """Everything fixed before the day loop."""

    spec: WorldSpec
    features: Features
    fleet: Fleet
    rel: releases.Releases | None
    effects: Effects
    missing: np.ndarray
    look: Lookups
    level: np.ndarray
    scoped: regressions.ScopedEffects | None = None
    """firmware-scoped regressions (``regression_scope = firmware``), applied per event"""


@dataclass
class Tally:
    """Running counts of the day loop."""

    events: int = 0
    clean: int = 0
    malformed: Counter[str] = field(default_factory=Counter)
    duplicates: int = 0
    late: int = 0
    device_events: int = 0
    tickets: list[dict[str, np.ndarray]] = field(default_factory=list)


def generate_world(out_dir: Path, settings: GenerateSettings, **overrides: Any) -> WorldSummary:
    """Write the full world (inputs under data/, ground truth under truth/) for the settings.

    Overrides are GenerateSettings fields or extra knobs of WorldSpec (releases_per_day,
    n_pending, feedback_share, max_late_days, regression_intercept). Same seed, same bytes.
    """
    spec = build_spec(settings, **overrides)
    data, truth = output.prepare(Path(out_dir))
    features, fleet_ = make_features(spec), make_fleet(spec)
    rel = releases.make_releases(spec, features, fleet_)
    regs = regressions.draw_regressions(spec, rel)
    scoped = spec.regression_scope == "firmware"
    world = World(
        spec,
        features,
        fleet_,
        rel,
        Effects.none(spec.n_features, spec.days) if scoped else regressions.effects(spec, regs),
        dirt.missing_days(spec),
        Lookups.build(spec, features, rel.versions),
        level_noise(spec),
        regressions.ScopedEffects.build(spec, regs) if scoped else None,
    )
    tally = _days(world, data, Rollout(spec.seed, rel, fleet_))
    paths = _tables(world, regs, tally, data, truth)
    log.info("synthetic world: %d events, %d regressions in %s", tally.events, regs.height, out_dir)
    return _summary(world, tally, paths, Path(out_dir), regs.height)


def generate_events_only(
    out_dir: Path, n_events: int, days: int, n_features: int, seed: int = 42
) -> WorldSummary:
    """Clean telemetry + features.csv only, exactly n_events rows (the aggregation benchmark)."""
    if days < 1 or n_events < 0:
        raise InputError(f"need days >= 1 and n_events >= 0 (got days={days}, n_events={n_events})")
    spec = replace(
        build_spec(
            GenerateSettings.model_validate({}), seed=seed, n_features=n_features, with_world=False
        ),
        days=days,
        events_per_day=max(1, n_events // days),
        malformed_share=0.0,
        duplicate_share=0.0,
        late_share=0.0,
        missing_day_share=0.0,
    )
    data, _ = output.prepare(Path(out_dir))
    features, fleet_ = make_features(spec), make_fleet(spec)
    world = World(
        spec,
        features,
        fleet_,
        None,
        Effects.none(n_features, days),
        np.zeros((n_features, days), bool),
        Lookups.build(spec, features, ["3.0.0"]),
        level_noise(spec),
    )
    tally = _days(world, data, None, total=n_events)
    paths = {
        "features": output.write_csv(features.frame, data / "features.csv"),
        "telemetry": data / "telemetry",
    }
    return _summary(world, tally, paths, Path(out_dir), 0)


def _days(world: World, data: Path, rollout: Rollout | None, total: int | None = None) -> Tally:
    """Generate and write every day in order; late rows wait in memory for their partition."""
    spec, tally = world.spec, Tally()
    counts = day_counts(spec, total)
    held: dict[int, list[Columns]] = defaultdict(list)
    no_firmware = np.zeros(spec.n_devices, dtype=np.int64)
    for d in range(spec.days):
        firmware = rollout.advance(d) if rollout is not None else no_firmware
        inp = DayInputs(d, int(counts[d]), firmware, world.effects, world.level, world.scoped)
        cols = dirt.drop_features(
            day_events(spec, world.features, world.fleet, inp), world.missing[:, d]
        )
        tally.clean += len(cols["us"])
        if spec.with_world:
            cols = _dirty(spec, cols, d, held, tally)
        day = spec.start_date + timedelta(days=d)
        output.write_partition(to_table(cols, world.fleet, world.look), data / "telemetry", day)
        tally.events += len(cols["us"])
        if world.rel is not None:
            _device_day(world, firmware, d, data, tally)
    return tally


def _dirty(
    spec: WorldSpec, cols: Columns, d: int, held: dict[int, list[Columns]], tally: Tally
) -> Columns:
    """Malformed rows, late rows (held back for later days) and duplicates; then today's late."""
    rng = stream(spec.seed, dirt.DIRT_STREAM, d)
    cols, kinds = dirt.corrupt(spec, cols, rng)
    tally.malformed.update(kinds)
    cols, late = dirt.split_late(spec, cols, d, rng)
    for target, rows in late.items():
        held[target].append(rows)
        tally.late += len(rows["us"])
    cols, n_dup = dirt.duplicate(spec, cols, rng)
    tally.duplicates += n_dup
    return dirt.with_late(cols, held.pop(d, []))


def _device_day(world: World, firmware: np.ndarray, d: int, data: Path, tally: Tally) -> None:
    assert world.rel is not None
    spec = world.spec
    ev = fleet.day_device_events(spec, world.fleet, world.rel, firmware, d)
    table = fleet.device_table(ev, world.fleet, world.look)
    output.write_partition(table, data / "device_events", spec.start_date + timedelta(days=d))
    tally.device_events += table.num_rows
    tally.tickets.append(fleet.day_tickets(spec, ev, world.rel, d))


def _tables(
    world: World, regs: pl.DataFrame, tally: Tally, data: Path, truth: Path
) -> dict[str, Path]:
    """The CSV inputs and the ground truth."""
    spec, features, rel = world.spec, world.features, world.rel
    assert rel is not None
    pending, pending_truth = releases.pending_frames(spec, rel, features, world.fleet)
    frames = {
        "features": (features.frame, data / "features.csv"),
        "devices": (world.fleet.frame, data / "devices.csv"),
        "releases": (releases.releases_frame(spec, rel, features), data / "releases.csv"),
        "pending_patches": (pending, data / "pending_patches.csv"),
        "deployments": (releases.deployments_frame(spec, rel, features), data / "deployments.csv"),
        "incidents": (regressions.incidents_frame(spec, regs, features), data / "incidents.csv"),
        "support_tickets": (
            fleet.tickets_frame(tally.tickets, world.fleet),
            data / "support_tickets.csv",
        ),
        "truth_regressions": (
            regressions.truth_frame(spec, regs, features),
            truth / "regressions.csv",
        ),
        "truth_releases": (releases.release_truth_frame(rel), truth / "releases.csv"),
        "truth_pending_patches": (pending_truth, truth / "pending_patches.csv"),
    }
    paths = {name: output.write_csv(frame, path) for name, (frame, path) in frames.items()}
    paths["telemetry"], paths["device_events"] = data / "telemetry", data / "device_events"
    paths["truth_dirt"] = _write_dirt(world, tally, truth / "dirt.json")
    return paths


def _write_dirt(world: World, tally: Tally, path: Path) -> Path:
    """truth/dirt.json: what dirt was injected, so ingest row accounting can be checked."""
    f_idx, d_idx = np.nonzero(world.missing)
    missing = [
        [str(world.features.ids[f]), (world.spec.start_date + timedelta(days=int(d))).isoformat()]
        for f, d in zip(f_idx, d_idx, strict=True)
    ]
    payload = {
        "malformed": dict(sorted(tally.malformed.items())),
        "duplicates": tally.duplicates,
        "late": tally.late,
        "missing_feature_days": sorted(missing, key=lambda r: (r[1], r[0])),
    }
    path.write_text(json.dumps(payload, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


def _summary(
    world: World, tally: Tally, paths: dict[str, Path], out_dir: Path, n_regressions: int
) -> WorldSummary:
    spec, rel = world.spec, world.rel
    n_rel = len(rel) if rel is not None else 0
    return WorldSummary(
        out_dir=out_dir,
        seed=spec.seed,
        start_date=spec.start_date,
        end_date=spec.end_date - timedelta(days=1),
        features=spec.n_features,
        events=tally.events,
        clean_events=tally.clean,
        malformed=sum(tally.malformed.values()),
        duplicates=tally.duplicates,
        late=tally.late,
        missing_feature_days=int(world.missing.sum()),
        devices=spec.n_devices if rel is not None else 0,
        releases=n_rel,
        pending_patches=spec.n_pending if rel is not None else 0,
        deployments=n_rel,
        incidents=_rows(paths.get("incidents")),
        regressions=n_regressions,
        device_events=tally.device_events,
        support_tickets=sum(len(t["us"]) for t in tally.tickets),
        paths=paths,
    )


def _rows(path: Path | None) -> int:
    """Data rows of a CSV we just wrote (header excluded)."""
    return 0 if path is None else pl.scan_csv(path).select(pl.len()).collect().item()
