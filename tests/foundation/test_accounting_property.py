"""Property: whatever mix of good, bad and repeated rows a file holds, every row is counted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import FEATURES, HEADER

from vigil.config import VigilConfig
from vigil.ingest.loader import IngestContext, ingest_all
from vigil.warehouse.connection import resolved_paths

GOOD = st.builds(
    lambda m, f, lat, c: f"2026-01-01T10:{m:02d}:00Z,{f},{lat},{c},u{m},s{m},0,",
    st.integers(0, 59),
    st.sampled_from(["F1", "F2"]),
    st.integers(0, 5000),
    st.booleans(),
)
BAD = st.sampled_from(
    [
        "2026-01-01T10:00:00Z,F1,-1,false,u,s,0,",
        "2026-01-01T10:00:00Z,,5,false,u,s,0,",
        "junk,F1,5,false,u,s,0,",
        "2026-01-01T10:00:00Z,F1,5,maybe,u,s,0,",
        "2026-01-01T10:00:00Z,F9,5,true,u,s,0,",
    ]
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(good=st.lists(GOOD, max_size=30), bad=st.lists(BAD, max_size=10), repeat=st.integers(0, 5))
def test_rows_in_equals_loaded_plus_quarantined_plus_duplicate(
    tmp_path_factory: object, good: list[str], bad: list[str], repeat: int
) -> None:
    root: Path = tmp_path_factory.mktemp("prop")  # type: ignore[attr-defined]
    (root / "t").mkdir()
    rows = good + bad + good[:repeat]
    (root / "t" / "events.csv").write_text("\n".join([HEADER, *rows]) + "\n")
    (root / "features.csv").write_text(FEATURES)
    cfg = VigilConfig.model_validate(
        {"root": root, "inputs": {"telemetry": {"path": "t"}, "features": {"path": "features.csv"}}}
    )
    con = duckdb.connect(":memory:")
    from vigil.warehouse.connection import ensure_schema

    ensure_schema(con)
    outcomes = ingest_all(IngestContext(cfg, con, "r1", dt.datetime(2026, 6, 1)))
    tel = next(o for o in outcomes if o.input == "telemetry")
    assert tel.balanced
    assert tel.rows_in == len(rows)
    assert tel.rows_quarantined == len(bad)
    assert tel.rows_loaded == len(set(good))
    paths = resolved_paths(
        con, [r[0] for r in con.execute("SELECT path FROM landing_file").fetchall()]
    )
    landed = (
        con.execute("SELECT count(*) FROM read_parquet(?)", [paths]).fetchall()[0][0]
        if paths
        else 0
    )
    assert landed == tel.rows_loaded
    quarantined_lines = con.execute("SELECT count(DISTINCT line) FROM quarantine").fetchall()[0][0]
    assert quarantined_lines == len(bad)
