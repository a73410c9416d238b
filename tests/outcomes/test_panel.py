"""The Patches page's panel: each release's telemetry outcome with its evidence."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from streamlit.testing.v1 import AppTest
from tests.outcomes import crafted

from vigil.config import VigilConfig
from vigil.context import RunContext
from vigil.outcomes.stage import run_stage
from vigil.warehouse.connection import connect


def _page(db: str, label_source: str) -> None:
    import duckdb

    from vigil.config import VigilConfig
    from vigil.dashboard.views import release_outcome_panel

    class Source:
        cfg = VigilConfig.model_validate({"outcomes": {"label_source": label_source}})

        def read(self, fn, *args):  # type: ignore[no-untyped-def]
            con = duckdb.connect(db, read_only=True)
            try:
                return fn(con, *args).to_pandas()
            finally:
                con.close()

    release_outcome_panel.render(Source())  # type: ignore[arg-type]


def _warehouse(tmp_path: Path, *, run: bool = True) -> str:
    path = tmp_path / "w.duckdb"
    con = connect(path)
    crafted.load(con, tmp_path)
    if run:
        cfg = VigilConfig.model_validate(
            {"root": tmp_path, "outcomes": {"weights": crafted.WEIGHTS}}
        )
        now = dt.datetime(2026, 4, 1, 12)
        run_stage(RunContext(cfg=cfg, con=con, run_id="r", report_dir=tmp_path, now=now))
    con.close()
    return str(path)


def test_panel_shows_outcomes_evidence_and_the_candidates_of_a_regressed_release(
    tmp_path: Path,
) -> None:
    at = AppTest.from_function(_page, args=(_warehouse(tmp_path), "telemetry")).run(timeout=60)
    assert not at.exception
    assert at.subheader[0].value == "Release outcomes observed in telemetry"
    assert at.caption[0].value.startswith("1 of 5 releases caused a regression the detectors saw")
    assert at.caption[0].value.endswith("uses **telemetry** labels (`outcomes.label_source`).")
    table = at.dataframe[0].value
    assert list(table["firmware_version"]) == ["3.3", "3.2", "3.1", "3.0b", "2.9"]
    assert list(table["outcome"]) == ["pending", "clean", "regressed", "clean", "clean"]
    assert table.loc[table["firmware_version"] == "2.9", "file_error_rate"].item() == 12.5
    assert table.loc[2, "evidence"].startswith("caused crash_rate regression on F1")
    assert at.selectbox[0].options == ["3.1"]
    candidates = at.dataframe[1].value
    assert list(candidates["deployment_id"]) == ["DEP-1", "DEP-3", "DEP-2"]
    assert list(candidates["rank"]) == [1, 2, 3]


def test_panel_before_the_stage_ran_says_what_writes_outcomes(tmp_path: Path) -> None:
    at = AppTest.from_function(_page, args=(_warehouse(tmp_path, run=False), "file")).run()
    assert at.caption[0].value == (
        "No release outcomes yet: the outcomes stage of `vigil run` writes them."
    )
    assert len(at.dataframe) == 0
