"""The run's spine: the stages after the load half, in order, each a typed entry.

A stage is a function ``run_stage(ctx) -> summary``. The runner turns whatever happens into a
``StageResult``: a stage that raises anything (Vigil's own errors or a foreign one) is recorded as
failed with a one-line message, and the stages that do not need it still run.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from vigil.alerts.stage import run_stage as alerts_stage
from vigil.attention.stage import run_stage as attention_stage
from vigil.context import RunContext
from vigil.detection.stage import run_stage as detection_stage
from vigil.errors import VigilError
from vigil.fleet.stage import run_stage as fleet_stage
from vigil.monitoring.stage import run_stage as monitoring_stage
from vigil.outcomes.stage import run_stage as outcomes_stage
from vigil.patches.stage import run_stage as patches_stage
from vigil.risk.stage import run_stage as risk_stage

log = logging.getLogger(__name__)

StageStatus = Literal["ok", "skipped", "failed"]
StageFn = Callable[[RunContext], Mapping[str, Any] | None]


@dataclass(frozen=True)
class Stage:
    """One step of the run. ``needs``: stages whose failure leaves this one nothing to work on."""

    name: str
    run: StageFn
    needs: tuple[str, ...] = ()


@dataclass
class StageResult:
    """What one stage did: its status, a one-line error when it failed, and its own summary."""

    name: str
    status: StageStatus
    seconds: float = 0.0
    summary: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    def to_report(self) -> dict[str, Any]:
        """The stage's entry in run_report.json."""
        entry: dict[str, Any] = {"status": self.status, **self.summary}
        if self.error is not None:
            entry["error"] = self.error
        return entry


STAGES: tuple[Stage, ...] = (
    Stage("detection", detection_stage),
    Stage("outcomes", outcomes_stage, needs=("detection",)),  # before patches: labels
    Stage("patches", patches_stage),  # before risk: risk reads patch_risk_asof
    Stage("risk", risk_stage),
    Stage("fleet", fleet_stage),
    Stage("monitoring", monitoring_stage),
    Stage("attention", attention_stage),  # ranks every other stage's signals
    Stage("alerts", alerts_stage),  # last: reads what every stage wrote; never fails the run
)


def one_line(exc: BaseException) -> str:
    """``Type: first line of the message`` — what a failed stage reports."""
    text = str(exc).strip().splitlines()
    detail = text[0] if text else ""
    if isinstance(exc, VigilError):
        return detail or type(exc).__name__
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


def run_stages(
    ctx: RunContext,
    stages: Iterable[Stage] = STAGES,
    *,
    progress: Callable[[str], None] | None = None,
) -> list[StageResult]:
    """Run each stage once, in order; a failure never stops the stages that do not need it."""
    say = progress or (lambda _: None)
    results: dict[str, StageResult] = {}
    for stage in stages:
        say(stage.name)
        results[stage.name] = _run_one(ctx, stage, results)
    return list(results.values())


def _run_one(ctx: RunContext, stage: Stage, done: Mapping[str, StageResult]) -> StageResult:
    broken = [n for n in stage.needs if n in done and done[n].status == "failed"]
    if broken:
        reason = f"needs {', '.join(broken)}, which failed"
        return StageResult(stage.name, "skipped", summary={"reason": reason})
    start = time.perf_counter()
    try:
        summary = dict(stage.run(ctx) or {})
    except Exception as exc:  # any failure is this stage's, recorded, never the run's end
        message = one_line(exc)
        log.error("stage %s failed: %s", stage.name, message)
        if not isinstance(exc, VigilError):
            log.info("stage %s traceback", stage.name, exc_info=True)  # the log file only
        return StageResult(stage.name, "failed", _since(start), error=message)
    status = summary.pop("status", "ok")
    if status not in ("ok", "skipped", "failed"):
        status = "ok"
    return StageResult(stage.name, status, _since(start), summary=summary)


def _since(start: float) -> float:
    return round(time.perf_counter() - start, 3)
