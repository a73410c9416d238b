"""The stored canary judgements (table ``canary_verdict``): written by `vigil canary` and the
demo, read by the alerts and the dashboard's canary panel."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from typing import Any

import duckdb

from vigil.canary.judge import Judgement
from vigil.warehouse.connection import scalar


def sql(name: str) -> str:
    """The text of ``canary/sql/<name>.sql``."""
    return (resources.files("vigil.canary") / "sql" / f"{name}.sql").read_text(encoding="utf-8")


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create ``canary_verdict`` if missing (idempotent)."""
    con.execute(sql("schema"))


def detail_json(judgement: Judgement) -> str:
    """The detail column: the metrics list, the window and the summary."""
    payload = judgement.as_dict()
    keep = ("metrics", "window_start", "window_end", "summary")
    return json.dumps({k: payload[k] for k in keep}, default=str)


def write(con: duckdb.DuckDBPyConnection, judgement: Judgement, judged_at: dt.datetime) -> None:
    """Append one judgement."""
    ensure_schema(con)
    con.execute(
        "INSERT INTO canary_verdict VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            judged_at,
            judgement.baseline,
            judgement.candidate,
            judgement.feature_id,
            judgement.verdict,
            judgement.score,
            detail_json(judgement),
        ],
    )


def recent(con: duckdb.DuckDBPyConnection, limit: int = 20) -> list[dict[str, Any]]:
    """The newest judgements, each with its detail parsed (``metrics``: a list of dicts,
    ``summary``, ``window_start``, ``window_end``); empty before the first judgement."""
    found = scalar(
        con,
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_schema = 'main' AND table_name = 'canary_verdict'",
    )
    if not found:
        return []
    rows = con.sql(sql("recent"), params={"limit": limit}).pl().to_dicts()
    out = []
    for row in rows:
        detail = json.loads(row.pop("detail") or "{}")
        parsed = detail if isinstance(detail, dict) else {}
        out.append(row | {"metrics": [], "summary": ""} | parsed)
    return out
