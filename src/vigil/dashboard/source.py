"""Where the dashboard's data comes from: the config, the warehouse, and per-run caching.

Results are cached with ``st.cache_data`` keyed on the warehouse path and the latest run id, so a
new pipeline run invalidates everything and reruns of a page between runs cost no queries. Every
query opens a short read-only connection: a dashboard left open must never lock out ``vigil run``.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import streamlit as st

from vigil.config import VigilConfig, load_config
from vigil.dashboard import queries
from vigil.dashboard.overview import OverviewData, load_overview
from vigil.dashboard.pending import PendingPatches, score_pending
from vigil.dashboard.server import CONFIG_ENV
from vigil.errors import VigilError
from vigil.warehouse.connection import open_warehouse

log = logging.getLogger(__name__)


class Unavailable(Exception):
    """The dashboard cannot show data yet; ``message`` and ``command`` say why and what to run."""

    def __init__(self, message: str, command: str) -> None:
        super().__init__(message)
        self.message = message
        self.command = command


@dataclass(frozen=True)
class Source:
    """An opened config plus the cache key of the warehouse state it points at."""

    cfg: VigilConfig
    config_path: Path
    run_key: str

    @property
    def db(self) -> str:
        return str(self.cfg.warehouse_path)

    def query(self, name: str, **params: Any) -> Any:
        """A function of :mod:`vigil.dashboard.queries`, cached for this run."""
        return _cached_query(self.db, self.run_key, name, tuple(sorted(params.items())))

    def overview(self) -> OverviewData:
        """The executive overview's data, cached for this run."""
        return _cached_overview(self.db, self.run_key, self.cfg.config_hash(), self.cfg)

    def pending(self) -> PendingPatches:
        """Pending patches scored by the champion, cached per run and pending-file version."""
        path = self.cfg.dashboard.pending_patches_path(self.cfg.root)
        stamp = path.stat().st_mtime_ns if path is not None and path.is_file() else 0
        return _cached_pending(self.db, self.run_key, stamp, self.cfg.config_hash(), self.cfg)


def config_path() -> Path:
    """The config the dashboard was started with (``vigil dashboard`` sets the variable)."""
    return Path(os.environ.get(CONFIG_ENV, "vigil.yaml")).resolve()


def _run_key(con: duckdb.DuckDBPyConnection, db_path: Path) -> str:
    run = queries.latest_run(con)
    if run is not None:
        return f"run:{run['run_id']}"
    return f"mtime:{db_path.stat().st_mtime_ns}"


def open_source(path: Path | None = None) -> Source:
    """Load the config and find the warehouse state; :class:`Unavailable` says what to run."""
    path = path or config_path()
    try:
        cfg = load_config(path)
    except VigilError as exc:
        raise Unavailable(str(exc), "vigil demo --workspace demo") from exc
    run_cmd = f"vigil run -c {path}"
    if not cfg.warehouse_path.exists():
        raise Unavailable(f"No warehouse yet at {cfg.warehouse_path}.", run_cmd)
    try:
        with open_warehouse(cfg.warehouse_path, read_only=True) as con:
            return Source(cfg=cfg, config_path=path, run_key=_run_key(con, cfg.warehouse_path))
    except (VigilError, duckdb.Error) as exc:
        log.warning("warehouse unavailable: %s", exc)
        raise Unavailable(
            f"The warehouse cannot be read right now ({exc}); a run may be writing to it.",
            "reload this page in a minute",
        ) from exc


@st.cache_data(show_spinner=False, max_entries=512)
def _cached_query(db: str, run_key: str, name: str, params: tuple[tuple[str, Any], ...]) -> Any:
    with open_warehouse(Path(db), read_only=True) as con:
        return getattr(queries, name)(con, **dict(params))


@st.cache_data(show_spinner=False, max_entries=16)
def _cached_overview(db: str, run_key: str, cfg_hash: str, _cfg: VigilConfig) -> OverviewData:
    with open_warehouse(Path(db), read_only=True) as con:
        return load_overview(con, _cfg)


@st.cache_data(show_spinner=False, max_entries=16)
def _cached_pending(
    db: str, run_key: str, stamp: int, cfg_hash: str, _cfg: VigilConfig
) -> PendingPatches:
    return score_pending(_cfg)
