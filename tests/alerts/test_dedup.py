"""One problem, one alert: trigger, duplicate, cooldown hold, resolve, dry run (pure plan)."""

from __future__ import annotations

import datetime as dt

from vigil.alerts.alert import Alert
from vigil.alerts.dedup import Decision, State, plan

T0 = dt.datetime(2026, 3, 1, 12, 0)
HOUR = dt.timedelta(hours=1)
COOLDOWN = 24 * HOUR
A = Alert("anomaly", "F1", "warning", "F1 crashes")
LIVE = {"anomaly": False, "drift": False}


def decide(
    firing: list[Alert],
    states: dict[str, State],
    now: dt.datetime = T0,
    evaluated: frozenset[str] = frozenset({"anomaly", "drift"}),
    dry: dict[str, bool] = LIVE,
) -> list[tuple[str, str, bool, bool]]:
    out: list[Decision] = plan(firing, states, set(evaluated), now, COOLDOWN, dry)
    return [(d.action, d.alert.dedup_key, d.dry_run, d.announce) for d in out]


def firing(notified: str | None = "sent", last: dt.datetime | None = T0) -> dict[str, State]:
    return {A.dedup_key: State(A, "firing", notified, T0, last)}


def resolved(last: dt.datetime) -> dict[str, State]:
    return {A.dedup_key: State(A, "resolved", "sent", T0, last, resolved_at=last)}


def test_a_new_problem_triggers_once() -> None:
    assert decide([A], {}) == [("trigger", "vigil:anomaly:F1", False, True)]
    assert decide([A], firing(), now=T0 + 48 * HOUR) == [
        ("duplicate", "vigil:anomaly:F1", False, True)
    ]


def test_a_cleared_problem_resolves_only_when_its_rule_was_evaluated() -> None:
    assert decide([], firing()) == [("resolve", "vigil:anomaly:F1", False, True)]
    assert decide([], firing(), evaluated=frozenset({"drift"})) == []


def test_a_refire_within_the_cooldown_is_held_then_sent_after_it() -> None:
    assert decide([A], resolved(T0), now=T0 + 3 * HOUR) == [
        ("held", "vigil:anomaly:F1", False, True)
    ]
    held = firing(notified=None, last=T0)
    assert decide([A], held, now=T0 + 5 * HOUR)[0][0] == "duplicate"
    assert decide([A], held, now=T0 + 25 * HOUR)[0][0] == "trigger"
    assert decide([A], resolved(T0), now=T0 + 25 * HOUR)[0][0] == "trigger"


def test_a_held_problem_that_clears_closes_silently() -> None:
    assert decide([], firing(notified=None)) == [("resolve", "vigil:anomaly:F1", False, False)]


def test_a_failed_delivery_is_tried_again_on_the_next_run() -> None:
    assert decide([A], firing(notified=None, last=None))[0][0] == "trigger"


def test_dry_run_rules_are_logged_once_and_sent_when_switched_live() -> None:
    dry = {"anomaly": True, "drift": False}
    assert decide([A], {}, dry=dry) == [("trigger", "vigil:anomaly:F1", True, True)]
    assert decide([A], firing(notified="dry_run"), dry=dry)[0][0] == "duplicate"
    assert decide([A], firing(notified="dry_run")) == [("trigger", "vigil:anomaly:F1", False, True)]
    assert decide([], firing(notified="dry_run")) == [("resolve", "vigil:anomaly:F1", True, True)]
