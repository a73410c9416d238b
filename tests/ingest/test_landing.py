"""Landing: clean Parquet copied byte for byte, duplicates found exactly, durable and no orphans."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from vigil.config import load_config
from vigil.ingest.landing import _unique_rows
from vigil.pipeline import run_pipeline

from .events import events, warehouse_rows

AS_OF = dt.datetime(2026, 2, 4)


def _landed(config: Path) -> list[Path]:
    return sorted((config.parent / ".vigil" / "landing").rglob("*.parquet*"))


def test_clean_canonical_parquet_is_landed_as_a_byte_copy(
    make_workspace: Callable[..., Path],
) -> None:
    config = make_workspace()
    source = config.parent / "data" / "telemetry" / "e.parquet"
    events(5).write_parquet(source)
    run_pipeline(load_config(config), stages=False, now=AS_OF)
    [landed] = _landed(config)
    assert landed.read_bytes() == source.read_bytes()
    assert warehouse_rows(
        config, "SELECT sum(usage_count), sum(crash_count) FROM fact_feature_daily"
    ) == [(5, 1)]


def test_parquet_that_needs_a_change_is_rewritten(make_workspace: Callable[..., Path]) -> None:
    config = make_workspace()
    source = config.parent / "data" / "telemetry" / "e.parquet"
    events(3).with_columns(pl.lit(" eu ").alias("region")).write_parquet(source)
    run_pipeline(load_config(config), stages=False, now=AS_OF)
    [landed] = _landed(config)
    assert landed.read_bytes() != source.read_bytes()
    assert pl.read_parquet(landed)["region"].to_list() == ["eu", "eu", "eu"]


def test_repeats_within_and_across_files_are_counted_once(
    make_workspace: Callable[..., Path],
) -> None:
    config = make_workspace()
    folder = config.parent / "data" / "telemetry"
    first = events(4)
    pl.concat([first, first.head(2)]).write_parquet(folder / "a.parquet")
    pl.concat([first.tail(1), events(2, user="v")]).write_parquet(folder / "b.parquet")
    run_pipeline(load_config(config), stages=False, now=AS_OF)
    assert warehouse_rows(
        config,
        "SELECT source_file, rows_in, rows_loaded, rows_duplicate FROM ingest_manifest "
        "WHERE input = 'telemetry' ORDER BY 1",
    ) == [("data/telemetry/a.parquet", 6, 4, 2), ("data/telemetry/b.parquet", 3, 2, 1)]
    assert warehouse_rows(config, "SELECT sum(usage_count) FROM fact_feature_daily") == [(6,)]


def test_equal_hashes_alone_do_not_make_a_duplicate() -> None:
    rows = pl.DataFrame({"a": [1, 2, 1, 3]})
    colliding = pl.Series([7, 7, 7, 9], dtype=pl.UInt64)  # rows 0, 1, 2 share a hash
    unique, hashes = _unique_rows(rows, colliding)
    assert unique["a"].to_list() == [1, 2, 3]
    assert hashes.to_list() == [7, 7, 9]


def test_landed_files_and_folders_are_fsynced_before_the_commit(
    make_workspace: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_workspace()
    folder = config.parent / "data" / "telemetry"
    events(3).write_parquet(folder / "a.parquet")
    events(2, day=2).with_columns(pl.lit(" x ").alias("region")).write_parquet(folder / "b.parquet")
    synced: list[str] = []
    real = os.fsync

    def record(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real(fd)

    monkeypatch.setattr("vigil.ingest.landing.os.fsync", record)
    run_pipeline(load_config(config), stages=False, now=AS_OF)
    files = [str(p) for p in _landed(config)]
    assert len(files) == 2
    landing = config.parent / ".vigil" / "landing" / "telemetry"
    folders = {str(landing), *(str(Path(f).parent) for f in files)}
    assert set(files) | folders <= set(synced)


def test_a_failed_fsync_commits_nothing_and_leaves_no_file(
    make_workspace: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_workspace()
    events(3).write_parquet(config.parent / "data" / "telemetry" / "a.parquet")

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("vigil.ingest.landing.os.fsync", full_disk)
    with pytest.raises(OSError, match="No space left"):
        run_pipeline(load_config(config), stages=False, now=AS_OF)
    assert warehouse_rows(config, "SELECT count(*) FROM landing_file") == [(0,)]
    assert warehouse_rows(config, "SELECT count(*) FROM ingest_manifest") == [(0,)]
    assert _landed(config) == []


def test_rolled_back_run_leaves_no_orphan_files_and_keeps_committed_ones(
    make_workspace: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_workspace()
    folder = config.parent / "data" / "telemetry"
    events(3).write_parquet(folder / "a.parquet")
    cfg = load_config(config)
    run_pipeline(cfg, stages=False, now=AS_OF)
    committed = _landed(config)
    events(2, day=2).write_parquet(folder / "b.parquet")

    def killed(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt  # a kill after ingest wrote its files, before the commit

    monkeypatch.setattr("vigil.pipeline.rebuild_days", killed)
    with pytest.raises(KeyboardInterrupt):
        run_pipeline(cfg, stages=False, now=AS_OF)
    assert _landed(config) == committed
    assert not (committed[0].parent.parent / "event_date=2026-02-02").exists()


def test_identical_files_in_one_run_load_once(make_workspace: Callable[..., Path]) -> None:
    config = make_workspace()
    folder = config.parent / "data" / "telemetry"
    for name in ("a.parquet", "b.parquet", "c.parquet"):
        events(3, day=2 if name == "b.parquet" else 3).write_parquet(folder / name)
    (folder / "d.parquet").write_bytes((folder / "a.parquet").read_bytes())
    report = run_pipeline(load_config(config), stages=False, now=AS_OF).report
    telemetry = [
        (i["source_file"], i["status"]) for i in report["inputs"] if i["input"] == "telemetry"
    ]
    assert telemetry == [
        ("data/telemetry/a.parquet", "loaded"),
        ("data/telemetry/b.parquet", "loaded"),
        ("data/telemetry/c.parquet", "skipped"),
        ("data/telemetry/d.parquet", "skipped"),
    ]
    assert warehouse_rows(config, "SELECT sum(usage_count) FROM fact_feature_daily") == [(6,)]


def test_files_left_by_a_killed_run_are_removed_by_the_next(
    make_workspace: Callable[..., Path],
) -> None:
    config = make_workspace()
    folder = config.parent / "data" / "telemetry"
    events(3).write_parquet(folder / "a.parquet")
    cfg = load_config(config)
    run_pipeline(cfg, stages=False, now=AS_OF)
    [committed] = _landed(config)
    # What a run killed (SIGKILL) after writing, before its commit, leaves behind:
    left = committed.parent.parent / "event_date=2026-02-02"
    left.mkdir()
    (left / "0123456789abcdef01234567.parquet").write_bytes(b"PAR1")
    (committed.parent / "fedcba9876543210fedcba98.parquet.tmp").write_bytes(b"PAR1")
    events(2, day=1).write_parquet(folder / "b.parquet")
    run_pipeline(cfg, stages=False, now=AS_OF)
    names = [p.relative_to(committed.parent.parent).as_posix() for p in _landed(config)]
    assert names == [
        "event_date=2026-02-01/" + names[0].split("/")[1],
        f"event_date=2026-02-03/{committed.name}",
    ]
    assert not left.exists()
