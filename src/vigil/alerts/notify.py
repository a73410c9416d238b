"""Evaluate the rules, decide per dedup key, deliver, and record state and log.

``run_alerts`` is what the pipeline stage and ``vigil alerts`` call. A delivery failure is
logged and recorded (outcome ``failed``), never raised: the next run tries again.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

import duckdb

from vigil.alerts import apprise_channel, dedup, rules, store
from vigil.alerts.alert import Alert, severity_at_least
from vigil.alerts.dedup import DRY_RUN, SENT, Decision, State
from vigil.alerts.delivery import Poster
from vigil.alerts.destinations import Target, payload, resolve_target
from vigil.alerts.settings import RULE_NAMES, AlertSettings
from vigil.alerts.store import LogRow
from vigil.config import VigilConfig

log = logging.getLogger(__name__)


@dataclass
class AlertRun:
    """One evaluation: what each rule saw, what was decided, what was logged."""

    results: list[rules.RuleResult]
    decisions: list[Decision]
    log: list[LogRow] = field(default_factory=list)

    def outgoing(self) -> list[Decision]:
        """Triggers and announced resolves: the notices this run sends (or would send)."""
        return [d for d in self.decisions if d.action in ("trigger", "resolve") and d.announce]

    def entries(self) -> list[dict[str, Any]]:
        """Each outgoing notice as `vigil alerts --json` prints it."""
        return [
            d.alert.to_dict() | {"action": d.action, "dry_run": d.dry_run} for d in self.outgoing()
        ]

    def firing(self) -> list[Alert]:
        """Every alert firing now (new, held or already notified)."""
        return [a for r in self.results for a in r.alerts]

    def summary(self) -> dict[str, Any]:
        """Counts for the run report and the CLI."""
        count = {a: sum(d.action == a for d in self.decisions) for a in ("held", "duplicate")}
        return {
            "firing": len(self.firing()),
            "triggered": sum(d.action == "trigger" for d in self.outgoing()),
            "resolved": sum(d.action == "resolve" for d in self.outgoing()),
            "held": count["held"],
            "already_notified": count["duplicate"],
            "delivered": sum(r.outcome == "delivered" for r in self.log),
            "failed": sum(r.outcome == "failed" for r in self.log),
            "below_minimum_sample": sum(r.below_sample for r in self.results),
            "not_evaluated": {r.rule: r.note for r in self.results if not r.evaluated},
        }


def run_alerts(
    con: duckdb.DuckDBPyConnection,
    cfg: VigilConfig,
    now: dt.datetime,
    *,
    run_id: str | None = None,
    preview: bool = False,
    poster: Poster | None = None,
    env: dict[str, str] | None = None,
) -> AlertRun:
    """Evaluate every rule at ``now``; unless ``preview``, deliver and record the outcome."""
    settings = cfg.alerts
    results = rules.evaluate(con, cfg, now)
    states = store.load_states(con)
    decisions = dedup.plan(
        [a for r in results for a in r.alerts],
        states,
        {r.rule for r in results if r.evaluated},
        now,
        dt.timedelta(hours=settings.cooldown_hours),
        {name: settings.rule_dry_run(name) for name in RULE_NAMES},
    )
    run = AlertRun(results, decisions)
    if preview:
        return run
    poster = poster or Poster(settings.delivery)
    targets = [resolve_target(d, env) for d in settings.destinations]
    updates = []
    down: set[str] = set()
    for decision in decisions:
        rows = _act(decision, targets, poster, down)
        run.log += rows
        updates.append(_next_state(decision, states.get(decision.alert.dedup_key), rows, now))
    _record(con, [u for u in updates if u is not None], run.log, run_id, now)
    return run


def missing_environment(settings: AlertSettings, env: dict[str, str] | None = None) -> list[str]:
    """Environment variables the configured destinations need but are not set."""
    return [name for d in settings.destinations for name in resolve_target(d, env).missing]


def _act(decision: Decision, targets: list[Target], poster: Poster, down: set[str]) -> list[LogRow]:
    """Send (or only log) one decision; one log row per destination tried. A destination that
    exhausted its retries is in ``down``: not tried again this run, so a dead endpoint costs one
    alert's retries, not every alert's."""
    a = decision.alert
    if decision.action == "duplicate" or not decision.announce:
        return []
    if decision.action == "held":
        return [LogRow("trigger", a, decision.opened_at, "held")]
    routed = [t for t in targets if severity_at_least(a.severity, t.spec.min_severity)]
    if decision.dry_run:
        names: list[str | None] = [t.spec.name for t in routed] or [None]
        return [LogRow(decision.action, a, decision.opened_at, "dry_run", n) for n in names]
    if not routed:
        return [LogRow(decision.action, a, decision.opened_at, "not_routed")]
    return [_send(decision, t, poster, down) for t in routed]


def _send(decision: Decision, target: Target, poster: Poster, down: set[str]) -> LogRow:
    a, name = decision.alert, target.spec.name
    if name in down:
        error = "not tried: the destination failed earlier in this run"
        return LogRow(decision.action, a, decision.opened_at, "failed", name, error=error)
    if target.missing or target.url is None:
        error = f"environment variable not set: {', '.join(target.missing)}"
        log.error("alerts: %s not sent to %s: %s", a.dedup_key, name, error)
        return LogRow(decision.action, a, decision.opened_at, "failed", name, error=error)
    if target.spec.kind == "apprise":
        result = apprise_channel.notify(target.url, a, decision.action, decision.opened_at)
    else:
        result = poster.post(target.url, payload(target, a, decision.action, decision.opened_at))
    outcome = "delivered" if result.delivered else "failed"
    if result.exhausted:
        down.add(name)
    if not result.delivered:
        log.warning(
            "alerts: %s %s to %s failed after %d attempts: %s",
            decision.action,
            a.dedup_key,
            name,
            result.attempts,
            result.error,
        )
    wall = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    return LogRow(
        decision.action,
        a,
        decision.opened_at,
        outcome,
        name,
        result.attempts,
        result.status_code,
        result.error,
        delivered_at=wall if result.attempts else None,
    )


def _next_state(
    decision: Decision, prev: State | None, rows: list[LogRow], now: dt.datetime
) -> State | None:
    """The key's state after this run; None when it does not change."""
    a, opened = decision.alert, decision.opened_at
    last = prev.last_notified_at if prev else None
    reached = not rows or any(r.outcome in ("delivered", "dry_run", "not_routed") for r in rows)
    if decision.action == "duplicate":
        if prev is None:
            return None
        return State(a, "firing", prev.notified, prev.opened_at, last)
    if decision.action == "held":
        return State(a, "firing", None, opened, last)
    if decision.action == "trigger":
        if not reached:  # every destination failed: not notified, the next run tries again
            return State(a, "firing", None, opened, last)
        return State(a, "firing", DRY_RUN if decision.dry_run else SENT, opened, now)
    if not reached:  # a resolve no destination took: still open, retried next run
        return None
    notified = prev.notified if prev else None
    return State(a, "resolved", notified, opened, last, resolved_at=now)


def _record(
    con: duckdb.DuckDBPyConnection,
    states: list[State],
    rows: list[LogRow],
    run_id: str | None,
    now: dt.datetime,
) -> None:
    store.ensure_schema(con)
    con.execute("BEGIN TRANSACTION")
    try:
        for state in states:
            store.save_state(con, state, now)
        store.append_log(con, rows, run_id, now)
        con.execute("COMMIT")
    except duckdb.Error:
        con.execute("ROLLBACK")
        raise
