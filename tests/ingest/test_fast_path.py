"""The typed fast path gives what the full parse gives: same rows, failures and values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from vigil.config import load_config
from vigil.ingest.contracts import TELEMETRY_EVENTS
from vigil.ingest.parsing import TextShape, text_is_clean, text_shape
from vigil.ingest.reader import LINE
from vigil.ingest.validate import validate
from vigil.pipeline import run_pipeline

from .events import events, warehouse_rows

AS_OF = dt.datetime(2026, 2, 4)


def _validate(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, bool]:
    framed = frame.with_row_index(LINE, offset=1).with_columns(pl.col(LINE).cast(pl.Int64))
    checked = validate(framed, TELEMETRY_EVENTS, now=AS_OF, max_length=10)
    return checked.valid, checked.failures, checked.unchanged


@pytest.mark.parametrize(
    ("value", "clean"),
    [
        ("ab", True),
        ("a b", True),  # inner space: stripping changes nothing
        ("x" * 20, True),  # longer than a view holds inline
        (" a", False),
        ("b ", False),
        ("b\t", False),
        ("", False),  # becomes null
        ("x" * 19 + " ", False),
        (" " + "x" * 19, False),
        ("abc\u00a0", False),  # a no-break space is whitespace
        ("\u3000abc", False),
        ("é", False),  # not ASCII at an end: treated as maybe-whitespace
    ],
)
def test_text_is_clean_exactly_when_stripping_could_change_nothing(value: str, clean: bool) -> None:
    assert text_is_clean(pl.Series([value, "ok", None])) is clean
    assert text_is_clean(pl.Series(["ok", value]).slice(1)) is clean


def test_text_is_clean_on_nulls_and_on_several_chunks() -> None:
    assert text_is_clean(pl.Series([None, None], dtype=pl.String)) is True
    chunked = pl.concat([pl.Series(["a"]), pl.Series([" b"])], rechunk=False)
    assert chunked.n_chunks() == 2
    assert text_is_clean(chunked) is False


def test_text_shape_reads_long_values_across_data_buffers() -> None:
    values = pl.Series(["z" * 30] * 200_000 + ["q" * 29 + " "])
    assert len(values.to_arrow(compat_level=pl.CompatLevel.newest()).buffers()) > 3
    assert text_shape(values) == TextShape(clean=False, longest=30)
    assert text_shape(values.head(200_000)) == TextShape(clean=True, longest=30)
    assert text_shape(pl.Series(["ab", None, "abcd"])) == TextShape(clean=True, longest=4)


def test_clean_typed_rows_are_kept_as_they_are() -> None:
    frame = events(3)
    valid, failures, unchanged = _validate(frame)
    assert failures.height == 0
    assert unchanged is True
    assert valid.drop(LINE).equals(frame)


def test_padded_and_empty_text_is_still_stripped_and_nulled() -> None:
    valid, failures, unchanged = _validate(events(3, region=[" eu", "", "na "]))
    assert failures.height == 0
    assert unchanged is False
    assert valid["region"].to_list() == ["eu", None, "na"]


def test_too_long_counts_characters_not_bytes() -> None:
    # Ten 'é' are 20 bytes but 10 characters: within the limit of 10. Eleven are over it.
    valid, failures, _ = _validate(events(2, device_model=["é" * 10, "é" * 11]))
    assert valid[LINE].to_list() == [1]
    assert failures.select("line", "column_name", "reason").rows() == [
        (2, "device_model", "too_long")
    ]


def test_only_failing_rows_are_quarantined_with_every_reason() -> None:
    frame = events(4, latency_ms=[1.0, -1.0, float("nan"), 4.0], error_count=[0, -2, 0, 0])
    valid, failures, _ = _validate(frame)
    assert valid[LINE].to_list() == [1, 4]
    assert failures.select("line", "column_name", "reason").rows() == [
        (2, "latency_ms", "negative_value"),
        (2, "error_count", "negative_value"),
        (3, "latency_ms", "not_finite"),
    ]


def test_renamed_columns_are_rewritten_not_copied(make_workspace: Callable[..., Path]) -> None:
    config = make_workspace(
        telemetry_spec={"columns": {"user_id": "device_id", "device_id": "user_id"}}
    )
    source = config.parent / "data" / "telemetry" / "e.parquet"
    events(2, device_id=["d0", "d1"]).write_parquet(source)
    run_pipeline(load_config(config), stages=False, now=AS_OF)
    [landed] = sorted((config.parent / ".vigil" / "landing").rglob("*.parquet"))
    assert landed.read_bytes() != source.read_bytes()
    assert pl.read_parquet(landed)["user_id"].to_list() == ["d0", "d1"]


def test_rows_sharing_a_time_are_not_repeats(make_workspace: Callable[..., Path]) -> None:
    config = make_workspace()
    same = [dt.datetime(2026, 2, 3, 10)] * 2 + [dt.datetime(2026, 2, 3, 11)] * 2
    rows = events(
        4,
        event_time=same,
        latency_ms=[1.0, 2.0, 3.0, 3.0],
        user_id=["a", "b", "c", "c"],
        device_id=["d", "d", "d", "d"],
        session_id=["s", "s", "s", "s"],
    )
    rows.write_parquet(config.parent / "data" / "telemetry" / "e.parquet")
    run_pipeline(load_config(config), stages=False, now=AS_OF)
    assert warehouse_rows(
        config,
        "SELECT rows_in, rows_loaded, rows_duplicate FROM ingest_manifest "
        "WHERE input = 'telemetry'",
    ) == [(4, 3, 1)]


def test_identical_inbox_batches_in_one_run_load_once(make_workspace: Callable[..., Path]) -> None:
    config = make_workspace()
    inbox = load_config(config).inbox_dir / "telemetry"
    inbox.mkdir(parents=True)
    events(1, user_id=["z"]).write_parquet(config.parent / "data" / "telemetry" / "e.parquet")
    events(3).write_parquet(inbox / "batch-1.parquet")
    (inbox / "batch-2.parquet").write_bytes((inbox / "batch-1.parquet").read_bytes())
    report = run_pipeline(load_config(config), stages=False, now=AS_OF).report
    statuses = [i["status"] for i in report["inputs"] if "inbox" in i["source_file"]]
    assert statuses == ["loaded", "skipped"]
    assert warehouse_rows(config, "SELECT count(*), sum(rows) FROM landing_file") == [(2, 4)]
