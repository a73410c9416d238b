"""The dashboard panel: recent alerts with their delivery status, failures called out."""

from __future__ import annotations

from pathlib import Path

import duckdb
from streamlit.testing.v1 import AppTest

from vigil.alerts import store
from vigil.alerts.alert import Alert
from vigil.alerts.store import LogRow

from .conftest import NOW

LINK = Alert("act_now", "F1", "critical", "[Checkout](https://evil.example) risk 82%", "x")
DRIFT = Alert("drift", "dataset", "warning", "Dataset drift: 6 of 10 columns drifted")


def _page(db: str) -> None:
    import duckdb

    from vigil.dashboard.views import alerts_panel

    class Source:
        def read(self, fn, *args):  # type: ignore[no-untyped-def]
            con = duckdb.connect(db, read_only=True)
            try:
                return fn(con, *args).to_pandas()
            finally:
                con.close()

    alerts_panel.render(Source())  # type: ignore[arg-type]


def _warehouse(path: Path, rows: list[LogRow]) -> str:
    con = duckdb.connect(str(path))
    store.ensure_schema(con)
    store.append_log(con, rows, "r1", NOW)
    con.close()
    return str(path)


def test_panel_lists_notices_and_calls_out_failures(tmp_path: Path) -> None:
    rows = [
        LogRow("trigger", LINK, NOW, "delivered", "oncall", 2, 202, delivered_at=NOW),
        LogRow("trigger", LINK, NOW, "failed", "team", 1, 400, "HTTP 400 Bad Request", NOW),
        LogRow("trigger", DRIFT, NOW, "dry_run", None),
    ]
    at = AppTest.from_function(
        _page, default_timeout=60, args=(_warehouse(tmp_path / "w.duckdb", rows),)
    ).run()
    assert not at.exception
    assert at.subheader[0].value == "Recent alerts"
    assert at.warning[0].value == (
        "1 of the last 3 deliveries failed; the next run tries again. "
        "Latest error: HTTP 400 Bad Request"
    )
    shown = at.dataframe[0].value
    assert list(shown.columns) == [
        "when",
        "severity",
        "rule",
        "subject",
        "action",
        "destination",
        "delivery",
        "attempts",
        "message",
    ]
    assert sorted(shown["delivery"]) == ["FAILED", "delivered", "dry run (not sent)"]
    assert set(shown["message"]) == {LINK.message, DRIFT.message}  # text, never a rendered link


def test_panel_without_alerts_says_when_they_come(tmp_path: Path) -> None:
    at = AppTest.from_function(
        _page, default_timeout=60, args=(_warehouse(tmp_path / "w.duckdb", []),)
    ).run()
    assert at.caption[0].value == (
        "No alerts yet: they are evaluated at the end of every `vigil run`."
    )
    assert len(at.dataframe) == 0
