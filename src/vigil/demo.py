"""`vigil demo`: a synthetic world, its config, one full pipeline run, trained models, a gate check.

Re-running on the same folder reuses the world and the warehouse: already-loaded files are skipped.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rich.console import Console
from rich.table import Table

from vigil.canary.run import headline as canary_headline
from vigil.canary.run import judge_newest
from vigil.config import GenerateSettings, VigilConfig, default_inputs, load_config
from vigil.errors import ModelError
from vigil.logs import configure_logging
from vigil.pipeline import RunResult, run_pipeline

log = logging.getLogger(__name__)

SIZES: dict[str, dict[str, Any]] = {
    "default": {},
    "tiny": {
        "n_features": 8,
        "days": 120,  # the patch model needs ~4 months: a 30-day outcome window, then a 30-day gap
        "events_per_day": 1500,
        "n_devices": 400,
        "n_users": 2000,
        "n_pending": 20,
    },
}
CONFIG_NAME = "vigil.yaml"


@dataclass
class DemoOutcome:
    """Everything the demo produced, for the summary and for tests."""

    workspace: Path
    config_path: Path
    config: VigilConfig
    run: RunResult
    world: dict[str, Any] = field(default_factory=dict)
    gate: dict[str, Any] = field(default_factory=dict)
    canary: dict[str, Any] = field(default_factory=dict)


DEMO_CLOCK_HOURS = 12
"""the demo's runs happen this many hours into the first day after its world ends"""


def demo_settings(size: str, start_date: dt.date | None = None) -> GenerateSettings:
    """World settings for a demo size. The start date is fixed (``generate.start_date``, default
    2026-01-01) so the world, and every figure measured on it, is the same on any day."""
    base = GenerateSettings(**SIZES[size])
    if start_date is None:
        return base
    return base.model_copy(update={"start_date": start_date.isoformat()})


def demo_clock(settings: GenerateSettings) -> dt.datetime:
    """The demo's fixed "now": half a day after the world's last day, so every day is complete."""
    end = dt.date.fromisoformat(settings.start_date) + dt.timedelta(days=settings.days)
    return dt.datetime.combine(end, dt.time(hour=DEMO_CLOCK_HOURS))


def write_config(workspace: Path, settings: GenerateSettings) -> Path:
    """The demo's vigil.yaml: every input of the synthetic world, default thresholds."""
    path = workspace / CONFIG_NAME
    doc = {
        "workspace": ".vigil",
        "as_of": demo_clock(settings).isoformat(),
        "inputs": default_inputs(),
        "generate": settings.model_dump(),
        "alerts": {"dry_run": True},  # alerts are evaluated and logged, never sent
    }
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def build_demo(
    workspace: Path,
    *,
    size: str = "default",
    start_date: dt.date | None = None,
    progress: Callable[[str], Any] | None = None,
) -> DemoOutcome:
    """Generate (once), configure, run the pipeline, train models, gate the pending patches."""
    from vigil.synth import generate_world

    say = progress or (lambda _: None)
    workspace = workspace.resolve()
    workspace.mkdir(parents=True, exist_ok=True)
    config_path = workspace / CONFIG_NAME
    world: dict[str, Any] = {}
    if not config_path.exists() or not (workspace / "data").exists():
        settings = demo_settings(size, start_date)
        say(f"generating a {size} synthetic world")
        world = generate_world(workspace, settings).as_dict()
        write_config(workspace, settings)
    cfg = load_config(config_path)
    configure_logging(cfg.logs_dir)
    say("running the pipeline")
    run = run_pipeline(cfg, progress=lambda stage: say(f"pipeline: {stage}"))
    say("checking pending patches with the CI gate")
    gate = _gate_pending(cfg, workspace)
    say("judging the newest version against the previous one (canary)")
    canary = judge_newest(cfg)
    return DemoOutcome(workspace, config_path, cfg, run, world, gate, canary)


def _gate_pending(cfg: VigilConfig, workspace: Path) -> dict[str, Any]:
    pending = workspace / "data" / "pending_patches.csv"
    if not pending.exists():
        return {}
    from vigil.patches.gate import configured_gate

    try:
        result = configured_gate(cfg, pending)
    except ModelError as exc:
        log.warning("demo: gate skipped: %s", exc)
        return {"skipped": str(exc)}
    payload = result.payload
    (cfg.reports_dir).mkdir(parents=True, exist_ok=True)
    (cfg.reports_dir / "gate_pending.json").write_text(json.dumps(payload, indent=2, default=str))
    return payload


def print_demo_summary(outcome: DemoOutcome, console: Console) -> None:
    """What a newcomer should see after `vigil demo`."""
    report = outcome.run.report
    acc = report["row_accounting"]
    console.print(f"[bold]Vigil demo[/] in {outcome.workspace}")
    console.print(
        f"rows loaded {acc['rows_loaded']:,}, quarantined {acc['rows_quarantined']:,}, "
        f"duplicate {acc['rows_duplicate']:,} (of {acc['rows_in']:,} in this run)"
    )
    verdicts = Table("check", "target", "verdict", title="Quality")
    for check in report["quality"]["checks"]:
        verdicts.add_row(check["check"], check["target"], check["status"])
    console.print(verdicts)
    _print_busiest(outcome.config, console)
    _print_top_risks(outcome.config, console)
    for name, stage in report.get("stages", {}).items():
        console.print(f"  {name}: {stage.get('status')}")
    _print_alerts(report.get("stages", {}).get("alerts", {}), console)
    if outcome.gate.get("skipped"):
        console.print(f"CI gate on pending patches: skipped ({outcome.gate['skipped']})")
    elif outcome.gate:
        console.print(
            f"CI gate on pending patches: [bold]{outcome.gate.get('decision')}[/] "
            f"({outcome.gate.get('n_high_risk')} high risk of {outcome.gate.get('n_patches')})"
        )
    if outcome.canary:
        console.print(canary_headline(outcome.canary), markup=False)
    console.print(f"config: {outcome.config_path}")


def _print_alerts(stage: dict[str, Any], console: Console) -> None:
    entries = stage.get("alerts") or []
    table = Table("severity", "rule", "message", title="Alerts (dry run: logged, not sent)")
    for e in entries:
        table.add_row(e["severity"], e["rule"], e["message"])
    if entries:
        console.print(table)


def _print_busiest(cfg: VigilConfig, console: Console) -> None:
    from vigil.warehouse.connection import open_warehouse

    with open_warehouse(cfg.warehouse_path, read_only=True) as con:
        rows = con.execute(
            "SELECT f.feature_id, coalesce(d.feature_name, f.feature_id), sum(f.usage_count) AS n "
            "FROM fact_feature_daily f LEFT JOIN dim_feature d USING (feature_id) "
            "GROUP BY ALL ORDER BY n DESC LIMIT 5"
        ).fetchall()
    table = Table("feature", "name", "events", title="Busiest features")
    for fid, name, n in rows:
        table.add_row(fid, name, f"{int(n):,}")
    console.print(table)


def _print_top_risks(cfg: VigilConfig, console: Console) -> None:
    from vigil.risk.queries import ranked_features
    from vigil.warehouse.connection import open_warehouse

    with open_warehouse(cfg.warehouse_path, read_only=True) as con:
        ranked = ranked_features(con)
    if ranked.is_empty():
        return
    table = Table("feature", "tier", "risk", "impact", "why", title="Top risks (by impact)")
    for row in ranked.head(5).iter_rows(named=True):
        table.add_row(
            str(row.get("feature_name") or row["feature_id"]),
            str(row["tier"]),
            f"{row['risk']:.2f}",
            f"{row['impact']:,.0f}",
            str(row["reason"]),
        )
    console.print(table)
