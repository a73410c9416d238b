"""Data-quality checks after ingest: pass / warn / fail, each with a reason in words.

An optional telemetry column that no new row carries (the user's data simply does not have it) is
"not_provided": a verdict of its own that does not count as a failure or a warning.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import duckdb

from vigil.config import QualitySettings
from vigil.ingest.loader import FileOutcome
from vigil.warehouse.connection import resolved_paths

PASS, WARN, FAIL = "pass", "warn", "fail"
NOT_PROVIDED = "not_provided"
_ORDER = {PASS: 0, WARN: 1, FAIL: 2}
NULL_CHECKED = ("user_id", "session_id", "error_count", "app_version", "device_model", "region")


@dataclass(frozen=True)
class QualityResult:
    """One check's verdict."""

    check: str
    target: str
    status: str
    value: float | None
    reason: str

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def overall(results: Sequence[QualityResult]) -> str:
    """The worst verdict (pass when there are no checks; "not provided" counts as pass)."""
    graded = (r.status for r in results if r.status != NOT_PROVIDED)
    return max(graded, key=_ORDER.__getitem__, default=PASS)


def _grade(value: float, warn: float, fail: float) -> str:
    return FAIL if value >= fail else WARN if value >= warn else PASS


def run_checks(
    con: duckdb.DuckDBPyConnection,
    outcomes: Sequence[FileOutcome],
    settings: QualitySettings,
    run_id: str,
    today: dt.date,
) -> list[QualityResult]:
    """Every check for this run."""
    results = _share_checks(outcomes, settings)
    results += _empty_files(outcomes)
    results += _null_shares(con, settings, run_id)
    results += _freshness(con, settings, today)
    results += _volume(con, settings, today)
    return results


def _share_checks(outcomes: Sequence[FileOutcome], s: QualitySettings) -> list[QualityResult]:
    out = []
    for name in sorted({o.input for o in outcomes if o.status == "loaded"}):
        mine = [o for o in outcomes if o.input == name and o.status == "loaded"]
        rows = sum(o.rows_in for o in mine)
        if rows == 0:
            continue
        for check, count, warn, fail in (
            (
                "quarantine_share",
                sum(o.rows_quarantined for o in mine),
                s.quarantine_share_warn,
                s.quarantine_share_fail,
            ),
            (
                "duplicate_share",
                sum(o.rows_duplicate for o in mine),
                s.duplicate_share_warn,
                s.duplicate_share_fail,
            ),
        ):
            share = count / rows
            status = _grade(share, warn, fail)
            noun = "quarantined" if check == "quarantine_share" else "duplicate"
            reason = f"{count:,} of {rows:,} rows {noun} ({share:.2%}; warn at {warn:.0%})"
            out.append(QualityResult(check, name, status, round(share, 6), reason))
    return out


def _empty_files(outcomes: Sequence[FileOutcome]) -> list[QualityResult]:
    return [
        QualityResult("empty_file", o.source_file, WARN, 0.0, f"{o.source_file}: {w}")
        for o in outcomes
        for w in o.warnings
    ]


def _null_shares(
    con: duckdb.DuckDBPyConnection, s: QualitySettings, run_id: str
) -> list[QualityResult]:
    files = resolved_paths(
        con,
        [
            r[0]
            for r in con.execute(
                "SELECT path FROM landing_file WHERE run_id = ? AND input = 'telemetry'", [run_id]
            ).fetchall()
        ],
    )
    if not files:
        return []
    row = _present_from_metadata(con, files) or _present_by_scan(con, files)
    if not row or not row[0]:
        return []
    total, present = int(row[0]), row[1:]
    out = []
    for column, have in zip(NULL_CHECKED, present, strict=True):
        share = 1 - int(have) / total
        if int(have) == 0:
            status = NOT_PROVIDED
            reason = f"optional column {column} is not provided: no new telemetry row has it"
        else:
            status = _grade(share, s.null_share_warn, s.null_share_fail)
            reason = f"{share:.1%} of new telemetry rows have no {column}"
        out.append(
            QualityResult("null_share", f"telemetry.{column}", status, round(share, 6), reason)
        )
    return out


def _present_from_metadata(
    con: duckdb.DuckDBPyConnection, files: list[str]
) -> tuple[int, ...] | None:
    """(rows, non-null count per checked column) from the Parquet footers' null counts.

    Exact and without reading the data; None when a file lacks a column's null count.
    """
    found = con.execute(
        "SELECT path_in_schema, sum(row_group_num_rows), sum(stats_null_count), "
        "count(*) - count(stats_null_count) FROM parquet_metadata(?) "
        "WHERE path_in_schema IN (SELECT unnest(?)) GROUP BY path_in_schema",
        [files, list(NULL_CHECKED)],
    ).fetchall()
    stats = {
        name: (int(rows), int(nulls or 0)) for name, rows, nulls, unknown in found if not unknown
    }
    if set(stats) != set(NULL_CHECKED) or len({rows for rows, _ in stats.values()}) != 1:
        return None
    total = stats[NULL_CHECKED[0]][0]
    return (total, *(total - stats[c][1] for c in NULL_CHECKED))


def _present_by_scan(con: duckdb.DuckDBPyConnection, files: list[str]) -> tuple[int, ...]:
    counts = ", ".join(f"count({c})" for c in NULL_CHECKED)
    row = con.execute(f"SELECT count(*), {counts} FROM read_parquet(?)", [files]).fetchall()[0]
    return tuple(int(v) for v in row)


def _freshness(
    con: duckdb.DuckDBPyConnection, s: QualitySettings, today: dt.date
) -> list[QualityResult]:
    row = con.execute("SELECT max(event_date) FROM fact_feature_daily").fetchall()[0]
    if not row or row[0] is None:
        return [QualityResult("freshness", "fact_feature_daily", FAIL, None, "no daily facts yet")]
    age = (today - row[0]).days
    status = _grade(age, s.freshness_warn_days, s.freshness_fail_days)
    reason = f"latest data is for {row[0]}, {age} day(s) before {today}"
    return [QualityResult("freshness", "fact_feature_daily", status, float(age), reason)]


def _volume(
    con: duckdb.DuckDBPyConnection, s: QualitySettings, today: dt.date
) -> list[QualityResult]:
    """The latest day before ``today`` against the days before it (today is still arriving)."""
    rows = con.execute(
        "SELECT event_date, sum(usage_count) FROM fact_feature_daily WHERE event_date < ? "
        "GROUP BY event_date ORDER BY event_date DESC LIMIT ?",
        [today, s.volume_window_days + 1],
    ).fetchall()
    if len(rows) < 3:
        return []
    (latest, volume), prior = rows[0], [float(v) for _, v in rows[1:]]
    mean = sum(prior) / len(prior)
    drop = max(0.0, 1 - float(volume) / mean) if mean else 0.0
    status = _grade(drop, s.volume_drop_warn, s.volume_drop_fail)
    reason = (
        f"{latest}: {int(volume):,} events vs {mean:,.0f} a day over the previous "
        f"{len(prior)} days ({drop:.0%} drop)"
    )
    return [QualityResult("volume_drop", "telemetry", status, round(drop, 4), reason)]
