"""The run clock: `as_of` in config pins "now", and the demo world is the same on any day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from tests.conftest import HEADER, event_rows

from vigil.config import load_config
from vigil.demo import demo_clock, demo_settings, write_config
from vigil.errors import ConfigError
from vigil.pipeline import run_pipeline

DAY = dt.date(2026, 3, 1)


def _one_day() -> dict[str, str]:
    return {"day.csv": "\n".join([HEADER, *event_rows(DAY, 5)]) + "\n"}


def test_as_of_is_the_runs_now(make_workspace: Callable[..., Path]) -> None:
    config = make_workspace(telemetry=_one_day(), extra_config={"as_of": "2026-03-02T06:00:00"})
    result = run_pipeline(load_config(config), stages=False)
    assert result.report["started_at"] == "2026-03-02T06:00:00"
    assert result.run_id.startswith("20260302T060000Z-")
    freshness = [c for c in result.report["quality"]["checks"] if c["check"] == "freshness"]
    assert [c["status"] for c in freshness] == ["pass"]


def test_as_of_with_a_zone_is_converted_to_utc(make_workspace: Callable[..., Path]) -> None:
    config = make_workspace(
        telemetry=_one_day(), extra_config={"as_of": "2026-03-02T08:00:00+02:00"}
    )
    assert load_config(config).run_clock() == dt.datetime(2026, 3, 2, 6, 0)


def test_events_after_as_of_are_refused_as_future(make_workspace: Callable[..., Path]) -> None:
    config = make_workspace(
        telemetry=_one_day(),
        extra_config={
            "as_of": "2026-03-01T12:30:00",
            "quality": {"future_tolerance_minutes": 0},  # the default allows 60 minutes
        },
    )
    result = run_pipeline(load_config(config), stages=False)
    accounting = result.report["row_accounting"]
    # events at 10:00, 11:01, 12:02, 13:03 and 14:04: the last two lie after the run's clock
    assert (
        accounting["rows_in"]
        == accounting["rows_loaded"]
        + accounting["rows_quarantined"]
        + (accounting["rows_duplicate"])
    )
    assert accounting["rows_quarantined"] == 2


def test_bad_as_of_is_a_config_error(make_workspace: Callable[..., Path]) -> None:
    config = make_workspace(telemetry=_one_day(), extra_config={"as_of": "yesterday"})
    with pytest.raises(ConfigError, match="as_of"):
        load_config(config)


def test_demo_world_has_a_fixed_start_and_clock(tmp_path: Path) -> None:
    settings = demo_settings("default")
    assert settings.start_date == "2026-01-01"
    assert demo_clock(settings) == dt.datetime(2026, 5, 1, 12, 0)  # 120 days, then half a day
    cfg = load_config(write_config(tmp_path, settings))
    assert cfg.run_clock() == dt.datetime(2026, 5, 1, 12, 0)
    assert yaml.safe_load((tmp_path / "vigil.yaml").read_text())["generate"]["start_date"] == (
        "2026-01-01"
    )
