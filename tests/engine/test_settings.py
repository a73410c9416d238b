"""The engine section: what each key does, and the keys refused because they would do nothing."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pytest
import yaml

from vigil.config import load_config
from vigil.engine import DuckDBEngine, get_engine, tune_connection
from vigil.engine.settings import EngineSettings
from vigil.engine.spark_engine import SparkEngine, spark_conf, spark_session, spark_uri
from vigil.errors import ConfigError, EngineError


def _config(tmp_path: Path, engine: dict[str, object]) -> Path:
    path = tmp_path / "vigil.yaml"
    path.write_text(yaml.safe_dump({"engine": engine}), encoding="utf-8")
    return path


def test_spark_keys_with_the_duckdb_engine_are_refused(tmp_path: Path) -> None:
    path = _config(tmp_path, {"kind": "duckdb", "master": "local[2]"})
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value) == (
        f"{path}: bad value for 'engine': Value error, master, conf and path_map apply only "
        "with kind: spark"
    )


def test_a_session_time_zone_other_than_utc_is_refused(tmp_path: Path) -> None:
    path = _config(
        tmp_path, {"kind": "spark", "conf": {"spark.sql.session.timeZone": "Europe/Paris"}}
    )
    with pytest.raises(ConfigError, match="must stay UTC \\(got 'Europe/Paris'\\)"):
        load_config(path)


def test_unknown_engine_kind_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"bad value for 'engine\.kind'"):
        load_config(_config(tmp_path, {"kind": "flink"}))


def test_spill_dir_defaults_to_the_workspace_and_is_relative_to_the_config(tmp_path: Path) -> None:
    default = load_config(_config(tmp_path, {"kind": "duckdb"}))
    assert default.spill_dir == (tmp_path / ".vigil" / "tmp").resolve()
    chosen = load_config(_config(tmp_path, {"kind": "duckdb", "spill_dir": "scratch/spill"}))
    assert chosen.spill_dir == (tmp_path / "scratch" / "spill").resolve()


def test_tune_connection_sets_memory_limit_threads_and_spill_dir(tmp_path: Path) -> None:
    con = duckdb.connect()
    tune_connection(con, EngineSettings(threads=1, memory_limit="512MB"), str(tmp_path))
    values = con.execute(
        "SELECT current_setting('threads'), current_setting('memory_limit'), "
        "current_setting('temp_directory')"
    ).fetchall()[0]
    assert values[0] == 1
    assert values[1] == "488.2 MiB"  # 512 MB shown in binary units
    assert values[2] == str(tmp_path)


def test_get_engine_follows_kind_without_starting_spark(tmp_path: Path) -> None:
    assert isinstance(get_engine(EngineSettings()), DuckDBEngine)
    engine = get_engine(EngineSettings(kind="spark"), tmp_path)
    assert isinstance(engine, SparkEngine)
    assert engine.spill_dir == tmp_path


def test_spark_conf_defaults_user_values_and_spill_dir(tmp_path: Path) -> None:
    conf = spark_conf(
        EngineSettings(kind="spark", conf={"spark.sql.shuffle.partitions": "400"}), tmp_path
    )
    assert conf["spark.sql.shuffle.partitions"] == "400"
    assert conf["spark.ui.enabled"] == "false"
    assert conf["spark.sql.session.timeZone"] == "UTC"
    assert conf["spark.local.dir"] == str(tmp_path)
    own = spark_conf(EngineSettings(kind="spark", conf={"spark.local.dir": "/scratch"}), tmp_path)
    assert own["spark.local.dir"] == "/scratch"


def test_path_map_swaps_the_longest_matching_prefix() -> None:
    path_map = {"/mnt/lake/": "s3a://bucket/", "/mnt/lake/landing/": "s3a://landing-bucket/"}
    assert spark_uri("/mnt/lake/landing/telemetry/a.parquet", path_map) == (
        "s3a://landing-bucket/telemetry/a.parquet"
    )
    assert spark_uri("/mnt/lake/other/b.parquet", path_map) == "s3a://bucket/other/b.parquet"
    assert spark_uri("/elsewhere/c.parquet", path_map) == "/elsewhere/c.parquet"


def test_spark_engine_without_pyspark_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    with pytest.raises(EngineError) as err:
        spark_session(EngineSettings(kind="spark"))
    assert str(err.value) == (
        "engine.kind is spark but pyspark is not installed (pip install 'vigil[spark]')"
    )
