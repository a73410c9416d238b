"""Ingest: read each new file of each input, validate it, quarantine bad rows, load the rest.

Every file is accounted for: rows_in = rows_loaded + rows_quarantined + rows_duplicate. A file whose
content hash is already in the manifest is skipped, so re-running the same input changes nothing.
All warehouse writes happen on the caller's connection inside the caller's transaction; manifest and
``landing_file`` rows are collected per input and written in one insert each when it is done.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from vigil.config import InputSpec, VigilConfig
from vigil.ingest.contracts import LOAD_ORDER, Contract, contract_for
from vigil.ingest.landing import LandedFiles, LandingLog, land_events, remove_orphans
from vigil.ingest.prepare import Prepared, Rules, prepare, prepare_ahead
from vigil.ingest.reader import LINE, SourceFile, discover
from vigil.ingest.validate import Validated

log = logging.getLogger(__name__)

# Canonical column -> warehouse column where they differ.
_TARGET_NAMES = {"fact_deployment": {"features": "feature_ids"}}


@dataclass
class FileOutcome:
    """What happened to one file."""

    input: str
    source_file: str
    content_hash: str
    status: str
    rows_in: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_duplicate: int = 0
    dates: list[dt.date] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def balanced(self) -> bool:
        loaded = self.rows_loaded + self.rows_quarantined + self.rows_duplicate
        return self.rows_in == loaded


@dataclass
class IngestContext:
    """What the loader needs besides the file."""

    cfg: VigilConfig
    con: duckdb.DuckDBPyConnection
    run_id: str
    now: dt.datetime
    landed: LandedFiles = field(default_factory=LandedFiles)
    """landing files this run wrote: fsync'd before the commit, removed after a rollback"""
    feature_ids: set[str] | None = None
    """dim_feature's ids, read once (after the features input, which loads first)"""
    recorded: LandingLog | None = None
    """landing_file rows: read once per input, this run's written by ``_flush``"""
    manifest: list[FileOutcome] = field(default_factory=list)
    """outcomes not yet written to ingest_manifest (see ``_flush``)"""


def ingest_all(ctx: IngestContext) -> list[FileOutcome]:
    """Load every configured input in dependency order; returns one outcome per file seen."""
    remove_orphans(ctx.con, ctx.cfg.landing_dir)
    outcomes: list[FileOutcome] = []
    for name in LOAD_ORDER:
        outcomes.extend(_ingest_inbox(ctx, name))
        _flush(ctx)
        spec = ctx.cfg.inputs.get(name)
        if spec is None:
            continue
        path = ctx.cfg.input_path(name)
        assert path is not None
        contract = contract_for(name, spec.grain)
        outcomes.extend(_ingest_input(ctx, spec, contract, discover(path, spec.format)))
        _flush(ctx)
    return outcomes


def _flush(ctx: IngestContext) -> None:
    """Write the manifest and landing_file rows collected since the last flush."""
    if ctx.recorded is not None:
        ctx.recorded.flush(ctx.con)
    if not ctx.manifest:
        return
    rows = pl.DataFrame(
        [
            (
                o.input,
                o.source_file,
                o.content_hash,
                o.rows_in,
                o.rows_loaded,
                o.rows_quarantined,
                o.rows_duplicate,
                min(o.dates, default=None),
                max(o.dates, default=None),
            )
            for o in ctx.manifest
        ],
        schema={
            "input": pl.String,
            "source_file": pl.String,
            "content_hash": pl.String,
            "rows_in": pl.Int64,
            "rows_loaded": pl.Int64,
            "rows_quarantined": pl.Int64,
            "rows_duplicate": pl.Int64,
            "min_date": pl.Date,
            "max_date": pl.Date,
        },
        orient="row",
    )
    ctx.con.register("new_manifest_rows", rows)
    try:
        ctx.con.execute(
            "INSERT INTO ingest_manifest SELECT input, source_file, content_hash, rows_in, "
            "rows_loaded, rows_quarantined, rows_duplicate, []::VARCHAR[], min_date, max_date, "
            "?, ? FROM new_manifest_rows",
            [ctx.now, ctx.run_id],
        )
    finally:
        ctx.con.unregister("new_manifest_rows")
    ctx.manifest.clear()


def _ingest_input(
    ctx: IngestContext, spec: InputSpec, contract: Contract, sources: list[SourceFile]
) -> list[FileOutcome]:
    """Every file of one input in order; each new file is read and checked one file ahead."""
    loaded = _loaded_hashes(ctx, contract.input, [s.content_hash for s in sources])
    new: list[SourceFile] = []
    for source in sources:
        if source.content_hash not in loaded:
            loaded.add(source.content_hash)
            new.append(source)
    fresh = {id(s) for s in new}
    with contextlib.closing(prepare_ahead(new, _rules(ctx, spec, contract))) as prepared:
        return [
            _commit(ctx, contract, next(prepared))
            if id(source) in fresh
            else _skipped(ctx, source, contract.input)
            for source in sources
        ]


def _ingest_inbox(ctx: IngestContext, name: str) -> list[FileOutcome]:
    """Micro-batches from `vigil serve` (Parquet, canonical columns), loaded like input files."""
    folder = ctx.cfg.inbox_dir / name
    if not any(folder.glob("*.parquet")):
        return []
    spec = InputSpec(path=str(folder), format="parquet")
    contract = contract_for(name)
    return [_ingest_file(ctx, spec, contract, s) for s in discover(folder, "parquet")]


def _ingest_file(
    ctx: IngestContext, spec: InputSpec, contract: Contract, source: SourceFile
) -> FileOutcome:
    if _loaded_hashes(ctx, contract.input, [source.content_hash]):
        return _skipped(ctx, source, contract.input)
    return _commit(ctx, contract, prepare(source, _rules(ctx, spec, contract)))


def _loaded_hashes(ctx: IngestContext, input_name: str, hashes: list[str]) -> set[str]:
    """The content hashes among ``hashes`` the manifest already holds for this input (or will:
    rows not yet flushed count)."""
    rows = ctx.con.execute(
        "SELECT content_hash FROM ingest_manifest "
        "WHERE input = ? AND content_hash IN (SELECT unnest(?))",
        [input_name, hashes],
    ).fetchall()
    wanted = set(hashes)
    pending = {o.content_hash for o in ctx.manifest if o.input == input_name}
    return {r[0] for r in rows} | (pending & wanted)


def _skipped(ctx: IngestContext, source: SourceFile, input_name: str) -> FileOutcome:
    rel = _relative(source.path, ctx.cfg.root)
    log.info("%s: already loaded (same content), skipped", rel)
    return FileOutcome(input_name, rel, source.content_hash, "skipped")


def _rules(ctx: IngestContext, spec: InputSpec, contract: Contract) -> Rules:
    quality = ctx.cfg.quality
    return Rules(
        contract=contract,
        columns=spec.columns,
        now=ctx.now,
        known_features=_known_features(ctx, contract),
        max_length=quality.max_string_length,
        max_latency_ms=quality.max_latency_ms,
        min_timestamp=dt.datetime.combine(quality.min_timestamp, dt.time()),
        future_tolerance=dt.timedelta(minutes=quality.future_tolerance_minutes),
    )


def _commit(ctx: IngestContext, contract: Contract, prepared: Prepared) -> FileOutcome:
    """Land or upsert a prepared file's valid rows, then its quarantine and manifest rows."""
    source, checked = prepared.source, prepared.checked
    rel = _relative(source.path, ctx.cfg.root)
    outcome = FileOutcome(
        contract.input,
        rel,
        source.content_hash,
        "loaded",
        rows_in=checked.rows_in + prepared.broken,
        rows_quarantined=checked.rows_quarantined + prepared.broken,
    )
    if checked.rows_in == 0 and not prepared.broken:
        outcome.warnings.append("file has a header but no rows")
    _load_valid(ctx, contract, source, checked, outcome, prepared.verbatim)
    _write_quarantine(ctx, contract.input, rel, prepared.failures)
    _write_manifest(ctx, outcome)
    log.info(
        "%s: %d in, %d loaded, %d quarantined, %d duplicate",
        rel,
        outcome.rows_in,
        outcome.rows_loaded,
        outcome.rows_quarantined,
        outcome.rows_duplicate,
    )
    return outcome


def _load_valid(
    ctx: IngestContext,
    contract: Contract,
    source: SourceFile,
    checked: Validated,
    outcome: FileOutcome,
    verbatim: bool = False,
) -> None:
    valid = checked.valid
    if contract.feature_column and "features" not in ctx.cfg.inputs:
        _register_unseen_features(ctx.con, valid)
    if contract.target == "landing":
        landed = land_events(
            ctx.con,
            ctx.cfg.landing_dir,
            contract,
            source,
            valid,
            ctx.run_id,
            written=ctx.landed,
            recorded=_recorded(ctx),
            verbatim=verbatim,
        )
        outcome.rows_loaded, outcome.rows_duplicate, outcome.dates = landed
        return
    if contract.key:
        kept, dup_exact, dup_key = _dedup_by_key(valid, contract)
        _upsert(ctx.con, contract, kept)
        outcome.rows_loaded, outcome.rows_duplicate = kept.height, dup_exact
        _quarantine_key_conflicts(ctx, contract, outcome, dup_key)
    else:
        outcome.rows_loaded = _append_new(ctx.con, contract, valid)
        outcome.rows_duplicate = valid.height - outcome.rows_loaded
    if contract.date_column and valid.height:
        dates = valid.select(pl.col(contract.date_column).cast(pl.Date).unique().sort())
        outcome.dates = dates.to_series().to_list()


def _dedup_by_key(
    valid: pl.DataFrame, contract: Contract
) -> tuple[pl.DataFrame, int, pl.DataFrame]:
    """Drop exact repeats; of rows sharing a key with different values keep the last."""
    exact = valid.unique(subset=contract.names, keep="first", maintain_order=True)
    kept = exact.unique(subset=list(contract.key), keep="last", maintain_order=True)
    conflicts = exact.join(kept.select(LINE), on=LINE, how="anti")
    return kept, valid.height - exact.height, conflicts


def _quarantine_key_conflicts(
    ctx: IngestContext, contract: Contract, outcome: FileOutcome, conflicts: pl.DataFrame
) -> None:
    if conflicts.is_empty():
        return
    key = contract.key[0]
    table = conflicts.select(
        pl.col(LINE).alias("line"),
        pl.lit(key).alias("column_name"),
        pl.col(key).cast(pl.String).alias("value"),
        pl.lit("duplicate_key").alias("reason"),
        pl.lit("a later row in the file has the same key; the later row was loaded").alias(
            "detail"
        ),
    )
    outcome.rows_quarantined += table.height
    _write_quarantine(ctx, contract.input, outcome.source_file, table)


def _target_columns(contract: Contract) -> list[tuple[str, str]]:
    renames = _TARGET_NAMES.get(contract.target, {})
    return [(c, renames.get(c, c)) for c in contract.names]


def _upsert(con: duckdb.DuckDBPyConnection, contract: Contract, rows: pl.DataFrame) -> None:
    if rows.is_empty():
        return
    cols = _target_columns(contract)
    con.register("incoming", rows.select([c for c, _ in cols]))
    try:
        names = ", ".join(t for _, t in cols)
        select = ", ".join(f'"{c}"' for c, _ in cols)
        con.execute(
            f"INSERT OR REPLACE INTO {contract.target} ({names}) SELECT {select} FROM incoming"
        )
    finally:
        con.unregister("incoming")


def _append_new(con: duckdb.DuckDBPyConnection, contract: Contract, rows: pl.DataFrame) -> int:
    """Append rows not already in the table (exact-row identity); returns rows inserted."""
    if rows.is_empty():
        return 0
    names = ", ".join(contract.names)
    before = _count(con, contract.target)
    con.register("incoming", rows.select(contract.names))
    try:
        con.execute(
            f"INSERT INTO {contract.target} ({names}) "
            f"SELECT {names} FROM incoming EXCEPT SELECT {names} FROM {contract.target}"
        )
    finally:
        con.unregister("incoming")
    return _count(con, contract.target) - before


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0]
    return int(row[0]) if row else 0


def _known_features(ctx: IngestContext, contract: Contract) -> set[str] | None:
    """Feature ids to check against: only when a features input is configured."""
    if not contract.feature_column or "features" not in ctx.cfg.inputs:
        return None
    if ctx.feature_ids is None:
        rows = ctx.con.execute("SELECT feature_id FROM dim_feature").fetchall()
        ctx.feature_ids = {r[0] for r in rows}
    return ctx.feature_ids


def _register_unseen_features(con: duckdb.DuckDBPyConnection, rows: pl.DataFrame) -> None:
    """Without a features input, features seen in telemetry become bare dimension rows."""
    if rows.is_empty():
        return
    con.register("seen", rows.select(pl.col("feature_id").unique()))
    try:
        con.execute(
            "INSERT OR IGNORE INTO dim_feature (feature_id, feature_name) "
            "SELECT feature_id, feature_id FROM seen"
        )
    finally:
        con.unregister("seen")


def _write_quarantine(
    ctx: IngestContext, input_name: str, source_file: str, failures: pl.DataFrame
) -> None:
    if failures.is_empty():
        return
    con = ctx.con
    con.register("failures", failures)
    try:
        con.execute(
            "INSERT INTO quarantine SELECT ?, ?, ?, line, column_name, value, reason, detail, ? "
            "FROM failures",
            [ctx.run_id, input_name, source_file, ctx.now],
        )
    finally:
        con.unregister("failures")


def _recorded(ctx: IngestContext) -> LandingLog:
    if ctx.recorded is None:
        ctx.recorded = LandingLog.of(ctx.con)
    return ctx.recorded


def _write_manifest(ctx: IngestContext, o: FileOutcome) -> None:
    """Queue the file's manifest row (written by ``_flush`` when its input is done)."""
    ctx.manifest.append(o)


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)
