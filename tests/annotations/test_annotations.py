"""`vigil annotate`: add / list / remove, the errors, and where annotations show up (the Trends
readers and the anomaly attribution) beside the ingested deployments and incidents."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
import yaml
from typer.testing import CliRunner

from vigil.annotations.store import Annotation, add, listing
from vigil.cli.main import app
from vigil.detection.anomalies import ANOMALY_SCHEMA
from vigil.detection.attribution import attribute
from vigil.warehouse import read
from vigil.warehouse.connection import memory_warehouse, open_warehouse

runner = CliRunner()
NOW = dt.datetime(2026, 3, 10, 12)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """A workspace whose warehouse knows features F1, F2 and one ingested deployment."""
    path = tmp_path / "vigil.yaml"
    path.write_text(yaml.safe_dump({"as_of": NOW.isoformat()}), encoding="utf-8")
    with open_warehouse(tmp_path / ".vigil" / "warehouse.duckdb") as con:
        con.execute("INSERT INTO dim_feature (feature_id) VALUES ('F1'), ('F2')")
        con.execute(
            "INSERT INTO fact_deployment VALUES "
            "('DEP-0001', TIMESTAMP '2026-03-01 08:00', '3.0.1', 50.0, ['F1'])"
        )
    return path


def annotate(config: Path, *args: str):
    kind, action, *rest = args
    return runner.invoke(app, ["annotate", kind, action, "-c", str(config), *rest])


def test_add_list_remove_round_trip(config: Path):
    added = annotate(
        config, "deployment", "add", "--feature", "F1", "--start", "2026-03-05T10:00",
        "--text", "config flag flip", "--id", "FLAG-1", "--json",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert json.loads(added.stdout)["id"] == "FLAG-1"
    shown = annotate(config, "deployment", "list", "--json")
    rows = json.loads(shown.stdout)["annotations"]
    assert [(r["annotation_id"], r["feature"], r["text"]) for r in rows] == [
        ("FLAG-1", "F1", "config flag flip")
    ]
    assert json.loads(annotate(config, "incident", "list", "--json").stdout)["annotations"] == []
    removed = annotate(config, "deployment", "remove", "FLAG-1")
    assert removed.exit_code == 0
    assert removed.stdout.strip() == "removed deployment annotation FLAG-1"
    assert json.loads(annotate(config, "deployment", "list", "--json").stdout)["annotations"] == []


def test_the_default_id_is_stable_and_a_second_add_is_refused(config: Path):
    args = ("incident", "add", "--feature", "all", "--start", "2026-03-04", "--end",
            "2026-03-05", "--text", "CDN outage")  # fmt: skip
    first = annotate(config, *args)
    assert first.exit_code == 0
    key = first.stdout.strip().removeprefix("added incident annotation ")
    assert key.startswith("INC-A") and len(key) == 11
    again = annotate(config, *args)
    assert again.exit_code == 2
    assert again.stderr.strip() == (
        f"Error: id {key} is already used by an annotation (pass another --id, or remove it "
        "first with 'vigil annotate ... remove')"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--feature", "F1", "--start", "March 5", "--text", "x"),
         "Error: start 'March 5' is not a date or date-time (use e.g. 2026-03-01 or "
         "2026-03-01T14:30)"),
        (("--feature", "F9", "--start", "2026-03-05", "--text", "x"),
         "Error: unknown feature 'F9' (not in dim_feature; use 'all' for every feature)"),
        (("--feature", "F1", "--start", "2026-03-05", "--end", "2026-03-04", "--text", "x"),
         "Error: end 2026-03-04 00:00:00 is before start 2026-03-05 00:00:00"),
        (("--feature", "F1", "--start", "2026-03-05", "--text", "x", "--id", "DEP-0001"),
         "Error: id DEP-0001 is already used by an deployment (pass another --id, or remove "
         "it first with 'vigil annotate ... remove')"),
        (("--feature", "F1", "--start", "2026-03-05", "--text", "  "),
         "Error: the annotation needs a text (--text)"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_exit_2(config: Path, args: tuple[str, ...], message: str):
    result = annotate(config, "deployment", "add", *args)
    assert result.exit_code == 2
    assert result.stderr.strip() == message


def test_removing_an_unknown_id_is_exit_2(config: Path):
    result = annotate(config, "incident", "remove", "NOPE")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: no incident annotation with id NOPE ('vigil annotate incident list' shows them)"
    )


def test_annotations_reach_the_trends_readers_and_survive_reopening(config: Path):
    for kind, feature, text in (("deployment", "F1", "hotfix"), ("incident", "all", "outage")):
        result = annotate(config, kind, "add", "--feature", feature, "--start", "2026-03-06",
                          "--end", "2026-03-07", "--text", text)  # fmt: skip
        assert result.exit_code == 0, result.output
    warehouse = config.parent / ".vigil" / "warehouse.duckdb"
    with open_warehouse(warehouse) as con:  # re-opening applies the schema again: no loss
        deployments = read.feature_deployments(con, "F1")
        incidents_f2 = read.feature_incidents(con, "F2")
        deployments_f2 = read.feature_deployments(con, "F2")
    assert deployments["deployment_id"].to_list()[0] == "DEP-0001"
    assert deployments["version"].to_list() == ["3.0.1", "hotfix"]
    assert deployments_f2.height == 0  # the F1 deployment does not leak onto F2
    assert incidents_f2.select("severity", "title").rows() == [("annotation", "outage")]


def test_attribution_blames_an_annotated_deployment():
    con = memory_warehouse()
    con.execute("INSERT INTO dim_feature (feature_id) VALUES ('F1')")
    note = Annotation("deployment", None, dt.datetime(2026, 3, 5, 9), None, "flag flip", "FL-1")
    add(con, note, NOW)
    assert listing(con, "deployment", "F1")["annotation_id"].to_list() == ["FL-1"]
    anomaly = pl.DataFrame(
        [{"feature_id": "F1", "event_date": dt.date(2026, 3, 6), "metric": "latency_p95_ms",
          "kind": "spike", "score": 0.99, "value": 400.0, "baseline": 200.0}],
        schema=ANOMALY_SCHEMA,
    )  # fmt: skip
    found = attribute(con, anomaly, blame_days=14)
    assert found["deployment_id"].to_list() == ["FL-1"]
    assert "after deployment FL-1" in found["message"][0]
