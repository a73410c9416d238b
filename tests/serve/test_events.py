"""Events are checked by the file ingest's own mapping and rules, one reason list per event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.serve.data import event, write_workspace

from vigil.config import load_config
from vigil.errors import ConfigError
from vigil.ingest.contracts import TELEMETRY_EVENTS
from vigil.serve.events import EventRules, check_events, known_features

NOW = dt.datetime(2026, 3, 2)
RULES = EventRules(TELEMETRY_EVENTS, {}, max_length=256, max_latency_ms=600_000.0)


def test_valid_events_come_back_typed_with_their_ids() -> None:
    checked = check_events([event(1, event_id="a"), event(2)], RULES, now=NOW, known={"F1", "F2"})
    assert checked.rejected == []
    got = checked.valid.select("event_time", "feature_id", "latency_ms", "crashed", "event_id")
    assert got.to_dicts() == [
        {
            "event_time": dt.datetime(2026, 3, 1, 0, 0, 1),
            "feature_id": "F1",
            "latency_ms": 101.0,
            "crashed": False,
            "event_id": "a",
        },
        {
            "event_time": dt.datetime(2026, 3, 1, 0, 0, 2),
            "feature_id": "F2",
            "latency_ms": 102.0,
            "crashed": False,
            "event_id": None,
        },
    ]


def test_each_bad_event_is_rejected_with_every_reason() -> None:
    items = [
        event(1),
        event(2, latency_ms=-5, crashed="maybe", feature_id="F9"),
        "not an object",
        event(4, event_time="2026-03-03T00:00:00Z", event_id="late"),
        event(5, feature_id={"nested": 1}),
        event(6, event_id=""),
    ]
    checked = check_events(items, RULES, now=NOW, known={"F1", "F2"})
    assert checked.valid.height == 1
    got = [
        (r.index, r.event_id, [(x["column"], x["reason"]) for x in r.reasons])
        for r in checked.rejected
    ]
    assert got == [
        (
            1,
            None,
            [
                ("latency_ms", "negative_value"),
                ("crashed", "not_a_boolean"),
                ("feature_id", "unknown_feature"),
            ],
        ),
        (2, None, [(None, "not_an_object")]),
        (3, "late", [("event_time", "future_timestamp")]),
        (4, None, [("feature_id", "not_a_scalar")]),
        (5, None, [("event_id", "bad_event_id")]),
    ]


def test_missing_required_keys_are_per_event_not_per_request() -> None:
    checked = check_events([{"feature_id": "F1"}, event(2)], RULES, now=NOW, known=None)
    assert checked.valid.height == 1
    reasons = {(x["column"], x["reason"]) for x in checked.rejected[0].reasons}
    assert reasons == {
        ("event_time", "missing_value"),
        ("latency_ms", "missing_value"),
        ("crashed", "missing_value"),
    }


def test_the_telemetry_column_mapping_applies(make_workspace: Callable[..., Path]) -> None:
    config = make_workspace(
        telemetry_spec={"columns": {"event_time": "timestamp", "crashed": "crash_flag"}}
    )
    rules = EventRules.from_config(load_config(config))
    item = {"timestamp": 1772323200, "feature_id": "F1", "latency_ms": 3.5, "crash_flag": 1}
    checked = check_events([item], rules, now=NOW, known=None)
    assert checked.rejected == []
    assert checked.valid.select("event_time", "crashed").row(0) == (
        dt.datetime(2026, 3, 1),
        True,
    )


def test_daily_telemetry_cannot_be_served(make_workspace: Callable[..., Path]) -> None:
    config = make_workspace(telemetry_spec={"grain": "daily"})
    with pytest.raises(ConfigError, match="`vigil serve` accepts events only"):
        EventRules.from_config(load_config(config))


def test_known_features_come_from_the_features_input(tmp_path: Path) -> None:
    assert known_features(load_config(write_workspace(tmp_path)), NOW) == {"F1", "F2"}


def test_without_a_features_input_every_feature_is_known(
    make_workspace: Callable[..., Path],
) -> None:
    assert known_features(load_config(make_workspace(features=None)), NOW) is None


def test_time_bounds_come_from_the_quality_settings(tmp_path: Path) -> None:
    rules = EventRules.from_config(load_config(write_workspace(tmp_path)))
    items = [
        event(1, event_time="1999-12-31T23:59:59Z"),
        event(2, event_time="2026-03-02T00:59:00Z"),
        event(3, event_time="2026-03-02T01:01:00Z"),
    ]
    checked = check_events(items, rules, now=NOW, known=None)
    assert checked.valid["user_id"].to_list() == ["live2"]
    got = [(r.index, [x["reason"] for x in r.reasons]) for r in checked.rejected]
    assert got == [(0, ["before_min_timestamp"]), (2, ["future_timestamp"])]
