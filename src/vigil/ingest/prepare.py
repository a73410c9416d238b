"""Read and validate files without touching the warehouse, ahead of the loader.

Reading and checking a file (Polars, which releases the GIL) needs no warehouse connection, so while
the loader lands file n on the run's connection worker threads prepare files n + 1 and n + 2. Most
of Polars' Parquet reading and string work on one file runs on one core, so two files prepared at
once keep two cores busy.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import deque
from collections.abc import Generator, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import polars as pl

from vigil.ingest.contracts import Contract
from vigil.ingest.parsing import DTYPES
from vigil.ingest.reader import LINE, SourceFile, read_source
from vigil.ingest.validate import Validated, broken_rows_table, map_columns, validate


@dataclass(frozen=True)
class Rules:
    """Everything validation needs for one input (the same for each of its files)."""

    contract: Contract
    columns: dict[str, str]
    now: dt.datetime
    known_features: set[str] | None
    max_length: int
    max_latency_ms: float | None
    min_timestamp: dt.datetime
    future_tolerance: dt.timedelta


@dataclass
class Prepared:
    """One file read and checked: its valid rows and its failure table."""

    source: SourceFile
    checked: Validated
    failures: pl.DataFrame
    broken: int
    """records the reader could not split into fields (already in ``failures``)"""
    verbatim: bool
    """the file is Parquet holding exactly the valid rows in canonical columns and types"""


def prepare(source: SourceFile, rules: Rules) -> Prepared:
    """Read, map and validate one file."""
    result = read_source(source)
    frame = map_columns(result.frame, rules.contract, rules.columns, source.path)
    checked = validate(
        frame,
        rules.contract,
        now=rules.now,
        known_features=rules.known_features,
        max_length=rules.max_length,
        max_latency_ms=rules.max_latency_ms,
        min_timestamp=rules.min_timestamp,
        future_tolerance=rules.future_tolerance,
    )
    failures = checked.failures
    if result.broken:
        failures = pl.concat([broken_rows_table(result.broken), failures])
    verbatim = _is_verbatim(source, result.frame, checked, rules)
    return Prepared(source, checked, failures, len(result.broken), verbatim)


AHEAD = min(2, os.cpu_count() or 1)
"""files prepared at once (each is held in memory until landed)"""


def prepare_ahead(sources: Iterable[SourceFile], rules: Rules) -> Generator[Prepared, None, None]:
    """``prepare`` of each source in order, the next ones computed while the caller lands one."""
    todo = iter(sources)
    with ThreadPoolExecutor(max_workers=AHEAD, thread_name_prefix="ingest-prepare") as pool:
        pending: deque[Future[Prepared]] = deque()

        def submit() -> None:
            source = next(todo, None)
            if source is not None:
                pending.append(pool.submit(prepare, source, rules))

        for _ in range(AHEAD):
            submit()
        while pending:
            ready = pending.popleft()
            submit()
            yield ready.result()


def _is_verbatim(source: SourceFile, raw: pl.DataFrame, checked: Validated, rules: Rules) -> bool:
    """True when the source Parquet file holds exactly the validated rows, columns and types:
    canonical names and types, no column renamed, no row quarantined and no value changed."""
    contract = rules.contract
    if source.format != "parquet" or checked.rows_quarantined or contract.target != "landing":
        return False
    if any(src != canon for canon, src in rules.columns.items()):
        return False
    canonical = {c.name: DTYPES[c.kind] for c in contract.columns}
    return dict(raw.drop(LINE).schema) == canonical and checked.unchanged
