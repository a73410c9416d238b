"""Live freshness: the server's status file, its read API and the overview panel."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
from streamlit.testing.v1 import AppTest
from tests.serve.data import write_workspace

from vigil.config import load_config
from vigil.dashboard.views.freshness_panel import ago, tiles
from vigil.serve.freshness import Activity, read_freshness, status_path, write_status

T0 = dt.datetime(2026, 11, 30, 10, 0, 0)


def _status(config: Path, written: dt.datetime) -> None:
    activity = Activity()
    activity.seed(pl.Series([T0 - dt.timedelta(minutes=90), T0 + dt.timedelta(seconds=5)]))
    for k in range(1, 6):
        activity.record(T0 - dt.timedelta(minutes=k, seconds=-30), 60 * k)
    activity.record(T0 + dt.timedelta(seconds=40), 7)
    path = status_path(load_config(config))
    path.parent.mkdir(parents=True, exist_ok=True)
    write_status(path, activity.status(written))


def test_rate_is_the_mean_of_the_last_whole_minutes(tmp_path: Path) -> None:
    config = write_workspace(tmp_path)
    _status(config, T0 + dt.timedelta(seconds=45))
    now = T0 + dt.timedelta(seconds=50)
    fresh = read_freshness(load_config(config), now)
    assert fresh is not None
    assert fresh.last_event_at == T0 + dt.timedelta(seconds=40)
    assert fresh.events_per_minute == (60 + 120 + 180 + 240 + 300) / 5
    assert fresh.server_running
    # the minute 90 minutes back was dropped; this minute holds the seeded event and the 7
    assert fresh.per_minute["events"].sum() == 900 + 1 + 7
    assert fresh.per_minute.height == 61
    assert tiles(fresh, now) == ("10 s ago", "180.0", "running")


def test_a_silent_status_file_reads_as_a_stopped_endpoint(tmp_path: Path) -> None:
    config = write_workspace(tmp_path, roll_seconds=1.0)
    _status(config, T0)
    now = T0 + dt.timedelta(minutes=2)
    fresh = read_freshness(load_config(config), now)
    assert fresh is not None and not fresh.server_running
    assert tiles(fresh, now)[2] == "stopped (2 min ago)"


def test_no_status_file_means_no_panel(tmp_path: Path) -> None:
    assert read_freshness(load_config(write_workspace(tmp_path)), T0) is None


def test_ago_uses_the_largest_whole_unit() -> None:
    spans = [dt.timedelta(seconds=s) for s in (0, 59, 60, 3_599, 7_200, 200_000)]
    assert [ago(s) for s in spans] == ["0 s", "59 s", "1 min", "59 min", "2 h", "2 d"]


def _panel(config: str) -> None:
    from types import SimpleNamespace

    from vigil.config import load_config
    from vigil.dashboard.views import freshness_panel

    freshness_panel.render(SimpleNamespace(cfg=load_config(config)))  # type: ignore[arg-type]


def test_panel_draws_the_three_tiles(tmp_path: Path) -> None:
    config = write_workspace(tmp_path)
    _status(config, dt.datetime.now(dt.UTC).replace(tzinfo=None))
    app = AppTest.from_function(_panel, args=(str(config),)).run(timeout=60)
    assert not app.exception
    assert [m.label for m in app.metric] == [
        "Last event received",
        "Events per minute",
        "Endpoint",
    ]
    assert app.metric[2].value == "running"
    assert app.subheader[0].value == "Live ingest"


def test_panel_draws_nothing_without_the_endpoint(tmp_path: Path) -> None:
    app = AppTest.from_function(_panel, args=(str(write_workspace(tmp_path)),)).run(timeout=60)
    assert not app.exception
    assert len(app.metric) == 0 and len(app.subheader) == 0
