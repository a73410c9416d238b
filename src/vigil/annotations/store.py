"""Add, list and remove annotations (table ``annotation``)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from importlib import resources
from typing import Literal

import duckdb
import polars as pl

from vigil.errors import InputError
from vigil.warehouse.connection import fetch_one, scalar

Kind = Literal["deployment", "incident"]
ALL_FEATURES = "all"


def sql(name: str) -> str:
    """The text of ``annotations/sql/<name>.sql``."""
    path = resources.files("vigil.annotations") / "sql" / f"{name}.sql"
    return path.read_text(encoding="utf-8")


@dataclass(frozen=True)
class Annotation:
    """One deployment or incident; ``feature_id`` None means every feature."""

    kind: Kind
    feature_id: str | None
    start: dt.datetime
    end: dt.datetime | None
    text: str
    annotation_id: str | None = None

    def key(self) -> str:
        """The given id, else a short stable one from the content (same content, same id)."""
        if self.annotation_id:
            return self.annotation_id
        content = f"{self.kind}|{self.feature_id}|{self.start.isoformat()}|{self.text}"
        prefix = "DEP" if self.kind == "deployment" else "INC"
        return f"{prefix}-A{hashlib.sha256(content.encode()).hexdigest()[:6]}"


def parse_time(value: str, what: str) -> dt.datetime:
    """An ISO date or date-time (naive UTC); a clear InputError otherwise."""
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise InputError(
            f"{what} '{value}' is not a date or date-time (use e.g. 2026-03-01 or 2026-03-01T14:30)"
        ) from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
    return parsed


def feature_scope(value: str) -> str | None:
    """'all' (any case) -> None, else the feature id."""
    value = value.strip()
    return None if value.lower() == ALL_FEATURES else value


def add(con: duckdb.DuckDBPyConnection, note: Annotation, now: dt.datetime) -> str:
    """Store one annotation; returns its id. Raises InputError on a bad or clashing one."""
    _check(con, note)
    key = note.key()
    taken = con.sql(sql("taken"), params={"id": key}).fetchall()
    if taken:
        raise InputError(
            f"id {key} is already used by an {taken[0][0]} (pass another --id, or remove it "
            "first with 'vigil annotate ... remove')"
        )
    con.execute(
        "INSERT INTO annotation VALUES (?, ?, ?, ?, ?, ?, ?)",
        [key, note.kind, note.feature_id, note.start, note.end, note.text.strip(), now],
    )
    return key


def _check(con: duckdb.DuckDBPyConnection, note: Annotation) -> None:
    if not note.text.strip():
        raise InputError("the annotation needs a text (--text)")
    if note.end is not None and note.end < note.start:
        raise InputError(f"end {note.end} is before start {note.start}")
    if note.feature_id is None:
        return
    known = fetch_one(
        con,
        "SELECT count(*), count(*) FILTER (WHERE feature_id = ?) FROM dim_feature",
        [note.feature_id],
    )
    if known and known[0] and not known[1]:
        raise InputError(
            f"unknown feature '{note.feature_id}' (not in dim_feature; use 'all' for every feature)"
        )


def listing(
    con: duckdb.DuckDBPyConnection, kind: Kind | None = None, feature_id: str | None = None
) -> pl.DataFrame:
    """Annotations by start time, optionally of one kind and touching one feature."""
    return con.sql(sql("list"), params={"kind": kind, "feature_id": feature_id}).pl()


def remove(con: duckdb.DuckDBPyConnection, kind: Kind, annotation_id: str) -> None:
    """Delete one annotation of ``kind``; InputError when there is none with that id."""
    found = scalar(
        con,
        "SELECT count(*) FROM annotation WHERE annotation_id = ? AND kind = ?",
        [annotation_id, kind],
    )
    if not found:
        raise InputError(
            f"no {kind} annotation with id {annotation_id} ('vigil annotate {kind} list' "
            "shows them)"
        )
    con.execute("DELETE FROM annotation WHERE annotation_id = ?", [annotation_id])
