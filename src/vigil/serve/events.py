"""Check posted events with the file ingest's own column mapping and validation rules.

Each event becomes one row of text values under its source column names (as a CSV line would),
then ``ingest.validate.map_columns`` and ``validate`` run unchanged. An event that fails any check
is rejected with every failed check at once (an event that is not a flat object, or has a bad
``event_id``, is rejected for that alone); valid rows come back typed, with their ``event_id``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from vigil.config import InputSpec, VigilConfig
from vigil.errors import ConfigError
from vigil.ingest.contracts import FEATURES, TELEMETRY_EVENTS, Contract
from vigil.ingest.reader import LINE, discover, read_source
from vigil.ingest.validate import DEFAULT_MIN_TIMESTAMP, Validated, map_columns, validate

EVENT_ID = "event_id"
MAX_EVENT_ID = 128
_REQUEST = Path("<request body>")


@dataclass(frozen=True)
class Rejection:
    """Why one event was not accepted; ``index`` is its 0-based position in the body."""

    index: int
    event_id: str | None
    reasons: list[dict[str, str | None]]


@dataclass
class Checked:
    """A request's events split into typed valid rows (with event_id) and rejections."""

    valid: pl.DataFrame
    rejected: list[Rejection] = field(default_factory=list)


@dataclass(frozen=True)
class EventRules:
    """What checking needs from the config: the contract, the column mapping and the limits."""

    contract: Contract
    columns: dict[str, str]
    max_length: int
    max_latency_ms: float
    min_timestamp: dt.datetime = DEFAULT_MIN_TIMESTAMP
    future_tolerance: dt.timedelta = dt.timedelta(0)

    @classmethod
    def from_config(cls, cfg: VigilConfig) -> EventRules:
        """The telemetry input's mapping; ConfigError when telemetry is configured as daily."""
        spec = cfg.inputs.get("telemetry")
        if spec is not None and spec.grain != "events":
            raise ConfigError(
                "inputs.telemetry.grain is 'daily': `vigil serve` accepts events only",
                key="inputs.telemetry.grain",
            )
        quality = cfg.quality
        return cls(
            contract=TELEMETRY_EVENTS,
            columns=dict(spec.columns) if spec is not None else {},
            max_length=quality.max_string_length,
            max_latency_ms=quality.max_latency_ms,
            min_timestamp=dt.datetime.combine(quality.min_timestamp, dt.time()),
            future_tolerance=dt.timedelta(minutes=quality.future_tolerance_minutes),
        )

    def validate(
        self, frame: pl.DataFrame, contract: Contract, now: dt.datetime, known: set[str] | None
    ) -> Validated:
        """``ingest.validate.validate`` with the limits `vigil run` passes it."""
        return validate(
            frame,
            contract,
            now=now,
            known_features=known,
            max_length=self.max_length,
            max_latency_ms=self.max_latency_ms,
            min_timestamp=self.min_timestamp,
            future_tolerance=self.future_tolerance,
        )

    @property
    def sources(self) -> dict[str, str]:
        """canonical column -> the key events carry it under"""
        return {c: self.columns.get(c, c) for c in self.contract.names}


def check_events(
    items: list[Any], rules: EventRules, *, now: dt.datetime, known: set[str] | None
) -> Checked:
    """Validate every event; never raises for a bad event, only rejects it."""
    sources = list(rules.sources.values())
    values: dict[str, list[str | None]] = {s: [] for s in sources}
    lines: list[int] = []
    ids: dict[int, str | None] = {}
    rejected: list[Rejection] = []
    for index, item in enumerate(items):
        row, event_id, problems = _flatten(item, sources)
        if problems:
            rejected.append(Rejection(index, event_id, problems))
            continue
        for s in sources:
            values[s].append(row[s])
        lines.append(index + 1)
        ids[index + 1] = event_id
    frame = pl.DataFrame(values, schema={s: pl.String for s in sources}).with_columns(
        pl.Series(LINE, lines, dtype=pl.Int64)
    )
    mapped = map_columns(frame, rules.contract, rules.columns, _REQUEST)
    checked = rules.validate(mapped, rules.contract, now, known)
    rejected.extend(_rejections(checked.failures, ids))
    rejected.sort(key=lambda r: r.index)
    valid = checked.valid.with_columns(
        pl.col(LINE).replace_strict(ids, return_dtype=pl.String, default=None).alias(EVENT_ID)
    )
    return Checked(valid=valid, rejected=rejected)


def check_requests(
    requests: list[list[Any]], rules: EventRules, *, now: dt.datetime, known: set[str] | None
) -> list[Checked]:
    """Check several requests' events in one pass; one :class:`Checked` per request."""
    if len(requests) == 1:
        return [check_events(requests[0], rules, now=now, known=known)]
    checked = check_events([e for r in requests for e in r], rules, now=now, known=known)
    parts: list[Checked] = []
    start = 0
    for items in requests:
        end = start + len(items)
        line = pl.col(LINE)
        valid = checked.valid.filter(line.is_between(start + 1, end)).with_columns(line - start)
        rejected = [
            Rejection(r.index - start, r.event_id, r.reasons)
            for r in checked.rejected
            if start <= r.index < end
        ]
        parts.append(Checked(valid=valid, rejected=rejected))
        start = end
    return parts


def _flatten(item: Any, sources: list[str]) -> tuple[dict[str, str | None], str | None, list[Any]]:
    """An event as text per source column, its event_id, and any shape problems."""
    if not isinstance(item, dict):
        return {}, None, [_reason(None, "not_an_object", "each event must be a JSON object")]
    event_id, problems = _event_id(item.get(EVENT_ID))
    row: dict[str, str | None] = {}
    for s in sources:
        text, ok = _as_text(item.get(s))
        if not ok:
            problems.append(_reason(s, "not_a_scalar", "expected a string, number or boolean"))
        row[s] = text
    return row, event_id, problems


def _event_id(value: Any) -> tuple[str | None, list[Any]]:
    if value is None:
        return None, []
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None, [_reason(EVENT_ID, "bad_event_id", "event_id must be a string")]
    text = str(value).strip()
    if not text or len(text) > MAX_EVENT_ID:
        return None, [_reason(EVENT_ID, "bad_event_id", f"1 to {MAX_EVENT_ID} characters")]
    return text, []


def _as_text(value: Any) -> tuple[str | None, bool]:
    """A JSON scalar as the text a CSV cell would hold; (None, False) for objects and arrays."""
    if value is None:
        return None, True
    if isinstance(value, bool):
        return ("true" if value else "false"), True
    if isinstance(value, float) and not math.isfinite(value):
        return str(value), True
    if isinstance(value, int | float | str):
        return str(value), True
    return None, False


def _reason(column: str | None, reason: str, detail: str) -> dict[str, str | None]:
    return {"column": column, "reason": reason, "detail": detail}


def _rejections(failures: pl.DataFrame, ids: dict[int, str | None]) -> list[Rejection]:
    by_line: dict[int, list[dict[str, str | None]]] = defaultdict(list)
    for r in failures.iter_rows(named=True):
        by_line[r["line"]].append(_reason(r["column_name"], r["reason"], r["detail"]))
    return [Rejection(line - 1, ids.get(line), reasons) for line, reasons in by_line.items()]


def known_features(cfg: VigilConfig, now: dt.datetime) -> set[str] | None:
    """Valid feature ids of the features input (as the run would load them), or None without one."""
    spec: InputSpec | None = cfg.inputs.get("features")
    path = cfg.input_path("features")
    if spec is None or path is None:
        return None
    rules = EventRules.from_config(cfg)
    found: set[str] = set()
    for source in discover(path, spec.format):
        frame = map_columns(read_source(source).frame, FEATURES, spec.columns, source.path)
        valid = rules.validate(frame, FEATURES, now, None).valid
        found.update(valid["feature_id"].drop_nulls().to_list())
    return found
