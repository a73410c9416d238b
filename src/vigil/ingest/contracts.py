"""Data contracts: the canonical columns of every input, their types and their checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["str", "float", "int", "bool", "timestamp", "date", "list"]


@dataclass(frozen=True)
class Column:
    """One canonical column and the checks its values must pass."""

    name: str
    kind: Kind = "str"
    required: bool = False
    min: float | None = None
    max: float | None = None
    allowed: tuple[str, ...] = ()
    max_length: int | None = None


@dataclass(frozen=True)
class Contract:
    """What one input must look like and where its rows go."""

    input: str
    columns: tuple[Column, ...]
    target: str
    """warehouse table, or 'landing' for event-grain telemetry kept as Parquet"""
    key: tuple[str, ...] = ()
    """primary key for upserts; empty means 'the whole row' (append, exact duplicates dropped)"""
    date_column: str | None = None
    feature_column: str | None = None
    """column checked against dim_feature"""
    no_future: tuple[str, ...] = field(default=())
    """timestamp columns that may not lie in the future"""

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def _c(name: str, kind: Kind = "str", **kw: object) -> Column:
    return Column(name, kind, **kw)  # type: ignore[arg-type]


TELEMETRY_EVENTS = Contract(
    input="telemetry",
    target="landing",
    date_column="event_time",
    feature_column="feature_id",
    no_future=("event_time",),
    columns=(
        _c("event_time", "timestamp", required=True),
        _c("feature_id", required=True),
        _c("latency_ms", "float", required=True, min=0.0),
        _c("crashed", "bool", required=True),
        _c("user_id"),
        _c("device_id"),
        _c("session_id"),
        _c("error_count", "int", min=0),
        _c("feedback_score", "float", min=1.0, max=5.0),
        _c("app_version"),
        _c("device_model"),
        _c("region"),
    ),
)

TELEMETRY_DAILY = Contract(
    input="telemetry",
    target="stg_telemetry_daily",
    key=("feature_id", "event_date"),
    date_column="event_date",
    feature_column="feature_id",
    no_future=("event_date",),
    columns=(
        _c("event_date", "date", required=True),
        _c("feature_id", required=True),
        _c("latency_ms", "float", min=0.0),
        _c("latency_p95_ms", "float", min=0.0),
        _c("crash_rate", "float", min=0.0, max=1.0),
        _c("error_rate", "float", min=0.0),
        _c("feedback_score", "float", min=1.0, max=5.0),
        _c("active_users", "int", min=0),
        _c("usage_count", "int", min=0),
    ),
)

FEATURES = Contract(
    input="features",
    target="dim_feature",
    key=("feature_id",),
    columns=(
        _c("feature_id", required=True),
        _c("feature_name"),
        _c("owner_team"),
        _c("lifecycle_stage", allowed=("alpha", "beta", "ga", "deprecated")),
        _c("release_date", "date"),
        _c("platform"),
    ),
)

DEPLOYMENTS = Contract(
    input="deployments",
    target="fact_deployment",
    key=("deployment_id",),
    columns=(
        _c("deployment_id", required=True),
        _c("deployed_at", "timestamp", required=True),
        _c("version"),
        _c("rollout_pct", "float", min=0.0, max=100.0),
        _c("features", "list"),
    ),
)

INCIDENTS = Contract(
    input="incidents",
    target="fact_incident",
    key=("incident_id",),
    columns=(
        _c("incident_id", required=True),
        _c("started_at", "timestamp", required=True),
        _c("resolved_at", "timestamp"),
        _c("feature_ids", "list"),
        _c("severity"),
        _c("title", max_length=2000),
    ),
)

RELEASES = Contract(
    input="releases",
    target="dim_release",
    key=("firmware_version",),
    columns=(
        _c("firmware_version", required=True),
        _c("release_date", "date", required=True),
        _c("patch_type", allowed=("bugfix", "feature", "security", "hotfix")),
        _c("patch_size_mb", "float", min=0.0),
        _c("files_changed", "float", min=0.0),
        _c("lines_added", "float", min=0.0),
        _c("lines_deleted", "float", min=0.0),
        _c("code_churn", "float", min=0.0),
        _c("prev_error_rate", "float", min=0.0),
        _c("mean_device_age_days", "float", min=0.0),
        _c("touched_features", "list"),
        _c("error_rate_per_10k", "float", min=0.0),
        _c("rma_rate", "float", min=0.0, max=1.0),
    ),
)

DEVICE_EVENTS = Contract(
    input="device_events",
    target="raw_device_event",
    date_column="event_time",
    no_future=("event_time",),
    columns=(
        _c("device_id", required=True),
        _c("event_time", "timestamp", required=True),
        _c("firmware_version", required=True),
        _c("error_code"),
        _c("severity"),
        _c("device_model"),
        _c("region"),
    ),
)

SUPPORT_TICKETS = Contract(
    input="support_tickets",
    target="raw_support_ticket",
    key=("ticket_id",),
    no_future=("created_at",),
    columns=(
        _c("ticket_id", required=True),
        _c("device_id", required=True),
        _c("created_at", "timestamp", required=True),
        _c("error_code"),
        _c("is_rma", "bool"),
    ),
)

DEVICES = Contract(
    input="devices",
    target="dim_device",
    key=("device_id",),
    columns=(
        _c("device_id", required=True),
        _c("device_model"),
        _c("first_seen_date", "date"),
        _c("region"),
    ),
)

# Load order matters: dimensions first, so event inputs can be checked against them.
LOAD_ORDER = (
    "features",
    "devices",
    "releases",
    "deployments",
    "incidents",
    "telemetry",
    "device_events",
    "support_tickets",
)

_BY_INPUT = {
    c.input: c
    for c in (FEATURES, DEPLOYMENTS, INCIDENTS, RELEASES, DEVICE_EVENTS, SUPPORT_TICKETS, DEVICES)
}


def contract_for(input_name: str, grain: str = "events") -> Contract:
    """The contract of an input (telemetry has two grains)."""
    if input_name == "telemetry":
        return TELEMETRY_DAILY if grain == "daily" else TELEMETRY_EVENTS
    return _BY_INPUT[input_name]
