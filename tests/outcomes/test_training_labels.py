"""Patch-risk training with telemetry labels: config, the label column, the given label."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import yaml
from tests.outcomes import crafted

from vigil.config import VigilConfig, load_config
from vigil.errors import ConfigError, ModelError
from vigil.outcomes import store
from vigil.outcomes.attribute import attribute
from vigil.outcomes.training import given_label, labelled, select_label, with_outcome_label
from vigil.patches.label import GIVEN, Label
from vigil.warehouse.connection import memory_warehouse

PATCHES = pl.DataFrame(
    {
        "firmware_version": ["2.9", "3.0b", "3.1", "3.2", "3.3"],
        "error_rate_per_10k": [12.5, 10.0, 30.0, 11.0, 9.0],
    }
)


def config(tmp_path: Path, source: str) -> VigilConfig:
    outcomes = {"label_source": source, "weights": crafted.WEIGHTS}
    return VigilConfig.model_validate({"root": tmp_path, "outcomes": outcomes})


def test_label_source_is_checked_by_the_config(tmp_path: Path) -> None:
    path = tmp_path / "vigil.yaml"
    path.write_text(yaml.safe_dump({"outcomes": {"label_source": "truth"}}), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad value for 'outcomes\.label_source'"):
        load_config(path)
    path.write_text(yaml.safe_dump({"outcomes": {"label_source": "telemetry"}}), "utf-8")
    assert load_config(path).outcomes.label_source == "telemetry"


def test_file_labels_leave_the_releases_unchanged(tmp_path: Path) -> None:
    con = memory_warehouse()
    cfg = config(tmp_path, "file")
    assert with_outcome_label(con, cfg, PATCHES).equals(PATCHES)
    label = select_label(cfg, PATCHES)
    assert (label.mode, label.used) == ("relative", "percentile")  # no pre-release rates


def test_telemetry_labels_without_outcomes_say_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(ModelError) as err:
        with_outcome_label(memory_warehouse(), config(tmp_path, "telemetry"), PATCHES)
    assert str(err.value) == (
        "outcomes.label_source is telemetry but no release has a telemetry outcome yet: run "
        "'vigil run' (its outcomes stage labels releases) or set outcomes.label_source: file"
    )


def test_telemetry_labels_join_final_outcomes_only(tmp_path: Path) -> None:
    con = memory_warehouse()
    crafted.load(con, tmp_path)
    result = attribute(con, config(tmp_path, "telemetry").outcomes, crafted.day(10))
    store.replace(con, result.pairs, result.outcomes, "run-1")
    cfg = config(tmp_path, "telemetry")
    joined = with_outcome_label(con, cfg, PATCHES)
    assert joined[GIVEN].to_list() == [0, 0, 1, None, None]
    kept = labelled(joined)
    assert kept["firmware_version"].to_list() == ["2.9", "3.0b", "3.1"]
    label = select_label(cfg, kept)
    assert (label.mode, label.used, label.n_train) == ("telemetry", "given", 3)
    assert label.apply(kept).tolist() == [0, 0, 1]
    assert label.describe() == "high risk: the release's telemetry outcome (table release_outcome)"


def test_a_stored_given_label_reads_back_and_refuses_frames_without_the_column() -> None:
    label = Label.from_dict(given_label("telemetry", 7).as_dict())
    assert (label.used, label.n_train) == ("given", 7)
    with pytest.raises(
        ModelError, match="the telemetry label needs release_outcome: run 'vigil run'"
    ):
        label.apply(PATCHES)
