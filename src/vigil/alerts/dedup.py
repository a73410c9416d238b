"""One problem, one alert: what to do with each dedup key this run (pure; no I/O).

Per key the state is ``firing`` or ``resolved``, and how the firing episode was announced
(``notified``: sent, dry_run, or not yet). This run:

* a key that fires and was not firing **triggers**, unless its last notice is younger than the
  cooldown: it is then **held** (recorded, not sent) and triggers on a later run once the
  cooldown has passed and it still fires;
* a key that keeps firing is a duplicate: nothing is sent (a rule switched from dry run to live
  sends its open alerts once);
* a key that was firing and no longer fires **resolves** (announced only if its trigger was);
  a rule that could not be evaluated resolves nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from vigil.alerts.alert import Alert

Action = Literal["trigger", "resolve", "held", "duplicate"]
SENT, DRY_RUN = "sent", "dry_run"


@dataclass(frozen=True)
class State:
    """A dedup key's stored state (table ``alert_state``)."""

    alert: Alert
    status: str
    """firing | resolved"""
    notified: str | None
    opened_at: dt.datetime
    last_notified_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None


@dataclass(frozen=True)
class Decision:
    """What happens to one key this run."""

    action: Action
    alert: Alert
    dry_run: bool
    """only logged, not sent"""
    opened_at: dt.datetime
    announce: bool = True
    """False for a resolve whose trigger was never announced: closed silently"""


def plan(
    firing: list[Alert],
    states: dict[str, State],
    evaluated: set[str],
    now: dt.datetime,
    cooldown: dt.timedelta,
    dry_run: dict[str, bool],
) -> list[Decision]:
    """Decisions for every firing alert and every open key of an evaluated rule that cleared."""
    decisions = [
        _firing(a, states.get(a.dedup_key), now, cooldown, dry_run[a.rule]) for a in firing
    ]
    seen = {a.dedup_key for a in firing}
    for key, state in sorted(states.items()):
        if state.status != "firing" or key in seen or state.alert.rule not in evaluated:
            continue
        decisions.append(
            Decision(
                "resolve",
                state.alert,
                dry_run=state.notified == DRY_RUN or dry_run[state.alert.rule],
                opened_at=state.opened_at,
                announce=state.notified is not None,
            )
        )
    return decisions


def _firing(
    alert: Alert, state: State | None, now: dt.datetime, cooldown: dt.timedelta, dry: bool
) -> Decision:
    if state is None or state.status != "firing":
        if _cooling(state, now, cooldown):
            return Decision("held", alert, dry, opened_at=now)
        return Decision("trigger", alert, dry, opened_at=now)
    if state.notified == SENT or (state.notified == DRY_RUN and dry):
        return Decision("duplicate", alert, dry, opened_at=state.opened_at)
    if state.notified is None and _cooling(state, now, cooldown):  # held earlier, still cooling
        return Decision("duplicate", alert, dry, opened_at=state.opened_at)
    return Decision("trigger", alert, dry, opened_at=state.opened_at)


def _cooling(state: State | None, now: dt.datetime, cooldown: dt.timedelta) -> bool:
    last = state.last_notified_at if state is not None else None
    return last is not None and now - last < cooldown
