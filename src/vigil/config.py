"""``vigil.yaml`` read into pydantic models. Unknown keys and bad values are one clear error.

Paths in the file are relative to the file's own folder, so a workspace can be moved whole.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field, ValidationError

from vigil.alerts.settings import AlertSettings
from vigil.attention.settings import AttentionSettings
from vigil.canary.settings import CanarySettings
from vigil.dashboard.settings import DashboardSettings
from vigil.detection.settings import DetectionSettings
from vigil.engine.settings import EngineSettings
from vigil.errors import ConfigError
from vigil.fleet.settings import FleetSettings
from vigil.monitoring.settings import DriftSettings
from vigil.outcomes.settings import OutcomeSettings
from vigil.patches.settings import PatchSettings
from vigil.risk.settings import RiskSettings
from vigil.serve.settings import ServeSettings
from vigil.settings_base import Section
from vigil.warehouse.settings import WarehouseSettings

INPUT_KINDS = (
    "telemetry",
    "features",
    "deployments",
    "incidents",
    "releases",
    "device_events",
    "support_tickets",
    "devices",
)


class InputSpec(Section):
    """One input: where its files are, their format, and how columns map onto canonical names."""

    path: str
    format: Literal["auto", "csv", "parquet"] = "auto"
    grain: Literal["events", "daily"] = "events"
    columns: dict[str, str] = Field(default_factory=dict)
    """canonical name -> name in the file"""


class QualitySettings(Section):
    """Thresholds for the data-quality checks (warn / fail)."""

    null_share_warn: float = Field(0.05, ge=0.0, le=1.0)
    null_share_fail: float = Field(0.25, ge=0.0, le=1.0)
    quarantine_share_warn: float = Field(0.01, ge=0.0, le=1.0)
    quarantine_share_fail: float = Field(0.10, ge=0.0, le=1.0)
    duplicate_share_warn: float = Field(0.01, ge=0.0, le=1.0)
    duplicate_share_fail: float = Field(0.10, ge=0.0, le=1.0)
    freshness_warn_days: int = Field(2, ge=0)
    freshness_fail_days: int = Field(7, ge=0)
    volume_drop_warn: float = Field(0.5, ge=0.0, le=1.0)
    volume_drop_fail: float = Field(0.8, ge=0.0, le=1.0)
    volume_window_days: int = Field(7, ge=1)
    future_tolerance_minutes: int = Field(60, ge=0)
    """a timestamp later than the run's clock plus this is quarantined (future_timestamp)"""
    min_timestamp: dt.date = dt.date(2000, 1, 1)
    """a timestamp or date before this is quarantined (before_min_timestamp)"""
    max_latency_ms: float = Field(600_000.0, gt=0)
    max_string_length: int = Field(256, ge=8)


class GenerateSettings(Section):
    """Knobs for the synthetic product world."""

    seed: int = 42
    start_date: str = "2026-01-01"
    days: int = Field(120, ge=7)
    n_features: int = Field(50, ge=3)
    events_per_day: int = Field(20_000, ge=10)
    n_devices: int = Field(5_000, ge=10)
    n_users: int = Field(20_000, ge=10)
    malformed_share: float = Field(0.002, ge=0.0, le=0.5)
    duplicate_share: float = Field(0.003, ge=0.0, le=0.5)
    late_share: float = Field(0.002, ge=0.0, le=0.5)
    missing_day_share: float = Field(0.01, ge=0.0, le=0.5)
    releases_per_day: float = Field(1.5, gt=0.0)
    n_pending: int = Field(100, ge=0)
    feedback_share: float = Field(0.05, ge=0.0, le=1.0)
    max_late_days: int = Field(3, ge=1)
    regression_intercept: float = -2.2


class VigilConfig(Section):
    """The whole configuration. ``root`` is the folder the config file lives in."""

    root: Path = Path(".")
    workspace: str = ".vigil"
    allow_external_workspace: bool = False
    """a workspace outside the config's folder is refused unless this is set"""
    as_of: dt.datetime | None = None
    """the moment a run treats as "now" (UTC, naive); unset means the wall clock. Set it to replay
    a fixed history reproducibly: the demo sets it to half a day after its world ends"""
    inputs: dict[str, InputSpec] = Field(default_factory=dict)
    engine: EngineSettings = EngineSettings()
    warehouse: WarehouseSettings = WarehouseSettings()
    quality: QualitySettings = QualitySettings()
    generate: GenerateSettings = GenerateSettings()
    risk: RiskSettings = RiskSettings()
    detection: DetectionSettings = DetectionSettings()
    drift: DriftSettings = DriftSettings()
    patches: PatchSettings = PatchSettings()
    dashboard: DashboardSettings = DashboardSettings()
    attention: AttentionSettings = AttentionSettings()
    fleet: FleetSettings = FleetSettings()
    canary: CanarySettings = CanarySettings()
    alerts: AlertSettings = AlertSettings()
    outcomes: OutcomeSettings = OutcomeSettings()
    serve: ServeSettings = ServeSettings()

    def run_clock(self) -> dt.datetime:
        """The run's "now": ``as_of`` when set, else the wall clock (naive UTC)."""
        if self.as_of is None:
            return dt.datetime.now(dt.UTC).replace(tzinfo=None)
        if self.as_of.tzinfo is None:
            return self.as_of
        return self.as_of.astimezone(dt.UTC).replace(tzinfo=None)

    @property
    def workspace_dir(self) -> Path:
        """Absolute path of the workspace (warehouse, landing, models, runs, logs)."""
        return (self.root / self.workspace).resolve()

    @property
    def warehouse_path(self) -> Path:
        return self.workspace_dir / "warehouse.duckdb"

    @property
    def landing_dir(self) -> Path:
        return self.workspace_dir / "landing"

    @property
    def spill_dir(self) -> Path:
        """Where the engine spills past its memory limit: ``engine.spill_dir`` or workspace/tmp."""
        if self.engine.spill_dir is None:
            return self.workspace_dir / "tmp"
        return (self.root / self.engine.spill_dir).resolve()

    @property
    def inbox_dir(self) -> Path:
        """Micro-batches `vigil serve` writes (inbox/<input>/), ingested like input files."""
        return self.workspace_dir / "inbox"

    @property
    def models_dir(self) -> Path:
        return self.workspace_dir / "models"

    @property
    def runs_dir(self) -> Path:
        return self.workspace_dir / "runs"

    @property
    def reports_dir(self) -> Path:
        return self.workspace_dir / "reports"

    @property
    def logs_dir(self) -> Path:
        return self.workspace_dir / "logs"

    def input_path(self, kind: str) -> Path | None:
        """Absolute path of an input, or None when the config does not declare it."""
        spec = self.inputs.get(kind)
        if spec is None:
            return None
        return (self.root / spec.path).resolve()

    def config_hash(self) -> str:
        """A stable hash of the settings (not of the root folder), recorded in every run."""
        payload = self.model_dump(mode="json", exclude={"root"})
        text = json.dumps(payload, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def _describe(err: ValidationError) -> tuple[str, str]:
    first = err.errors()[0]
    key = ".".join(str(p) for p in first["loc"]) or "<root>"
    if first["type"] == "extra_forbidden":
        return key, f"unknown key '{key}'"
    return key, f"bad value for '{key}': {first['msg']}"


def load_config(path: Path | str) -> VigilConfig:
    """Read and validate a config file. Raises ConfigError naming the file and the key."""
    path = Path(path)
    if not path.exists():
        raise ConfigError("config file not found (run 'vigil demo' to create one)", file=path)
    if path.is_dir():
        raise ConfigError("is a directory, not a config file (pass the vigil.yaml)", file=path)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except DuplicateKeyError as exc:
        raise ConfigError(str(exc), file=path) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"not valid YAML ({exc.__class__.__name__})", file=path) from exc
    except OSError as exc:
        raise ConfigError(f"cannot be read: {exc.strerror or exc}", file=path) from None
    if raw is None:
        raise ConfigError("is empty (see 'vigil demo' for a complete example)", file=path)
    if not isinstance(raw, dict):
        raise ConfigError("top level must be a mapping of keys", file=path)
    if "root" in raw:
        raise ConfigError("unknown key 'root'", file=path, key="root")
    unknown_inputs = sorted(set(raw.get("inputs") or {}) - set(INPUT_KINDS))
    if unknown_inputs:
        key = f"inputs.{unknown_inputs[0]}"
        raise ConfigError(
            f"unknown key '{key}' (inputs are: {', '.join(INPUT_KINDS)})", file=path, key=key
        )
    try:
        cfg = VigilConfig.model_validate({**raw, "root": path.resolve().parent})
    except ValidationError as exc:
        key, message = _describe(exc)
        raise ConfigError(message, file=path, key=key) from exc
    if not cfg.allow_external_workspace and not cfg.workspace_dir.is_relative_to(cfg.root):
        raise ConfigError(
            f"workspace '{cfg.workspace}' is outside the config's folder; set "
            "allow_external_workspace: true if that is intended",
            file=path,
            key="workspace",
        )
    return cfg


class DuplicateKeyError(yaml.YAMLError):
    """A mapping names the same key twice (plain YAML keeps the last silently)."""


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys instead of letting the last one win."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                line = key_node.start_mark.line + 1
                raise DuplicateKeyError(f"duplicate key '{key}' (line {line})")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def default_config(root: Path) -> VigilConfig:
    """The configuration `vigil demo` writes: every input of the synthetic world."""
    return VigilConfig.model_validate({"root": root.resolve(), "inputs": default_inputs()})


def default_inputs() -> dict[str, dict[str, str]]:
    """Input declarations matching the synthetic world's layout under ``data/``."""
    return {
        "telemetry": {"path": "data/telemetry"},
        "features": {"path": "data/features.csv"},
        "deployments": {"path": "data/deployments.csv"},
        "incidents": {"path": "data/incidents.csv"},
        "releases": {"path": "data/releases.csv"},
        "device_events": {"path": "data/device_events"},
        "support_tickets": {"path": "data/support_tickets.csv"},
        "devices": {"path": "data/devices.csv"},
    }
