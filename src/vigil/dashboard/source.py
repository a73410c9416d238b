"""Where the dashboard's data comes from: a thin, cached layer over the workspace's read APIs.

Pages ask ``source.read(fn, *args)`` for an area's read function (``vigil.risk.read.ranked``,
``vigil.fleet.queries.heatmap`` ...). Each call opens a short read-only connection, runs the
function, closes the connection and caches the result (``st.cache_data``) keyed on the warehouse
and its latest run, so a new pipeline run invalidates everything and a dashboard left open never
holds the warehouse while ``vigil run`` needs it.

Opening the source is cached too: the workspace per config file version, the warehouse's state
(its tables and latest run) per version of the warehouse files, so a rerun whose files did not
change opens no connection at all, and a new run (which rewrites the files) is seen at once.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import streamlit as st

from vigil.config import VigilConfig
from vigil.dashboard.overview import OverviewData, load_overview
from vigil.dashboard.pending import PendingPatches, score_pending
from vigil.dashboard.server import CONFIG_ENV
from vigil.errors import VigilError
from vigil.warehouse import read
from vigil.workspace import Workspace

log = logging.getLogger(__name__)


class Unavailable(Exception):
    """The dashboard cannot show data yet; ``message`` and ``command`` say why and what to run."""

    def __init__(self, message: str, command: str) -> None:
        super().__init__(message)
        self.message = message
        self.command = command


@dataclass(frozen=True)
class Source:
    """An opened workspace plus the cache key of the warehouse state it points at."""

    workspace: Workspace
    config_path: Path
    run_key: str

    @property
    def cfg(self) -> VigilConfig:
        return self.workspace.config

    def read(self, fn: Callable[..., Any], *args: Any) -> Any:
        """``fn(con, *args)`` on a brief read-only connection, cached for this run; a polars
        frame comes back as pandas (what Streamlit's widgets take)."""
        name = f"{fn.__module__}.{fn.__qualname__}"
        return _cached_read(str(self.cfg.warehouse_path), self.run_key, name, args, fn, self)

    def overview(self) -> OverviewData:
        """The executive overview's data, cached for this run."""
        key = (str(self.cfg.warehouse_path), self.run_key, self.cfg.config_hash())
        return _cached_overview(*key, self)

    def pending(self) -> PendingPatches:
        """Pending patches scored by the champion, cached per run and pending-file version."""
        path = self.cfg.dashboard.pending_patches_path(self.cfg.root)
        stamp = path.stat().st_mtime_ns if path is not None and path.is_file() else 0
        key = (str(self.cfg.warehouse_path), self.run_key, self.cfg.config_hash())
        return _cached_pending(*key, stamp, self.cfg)


def config_path() -> Path:
    """The config the dashboard was started with (``vigil dashboard`` sets the variable)."""
    return Path(os.environ.get(CONFIG_ENV, "vigil.yaml")).resolve()


def open_source(path: Path | None = None) -> Source:
    """Open the workspace and find its warehouse state; :class:`Unavailable` says what to run."""
    path = path or config_path()
    workspace = _workspace(str(path), file_stamp(path))
    warehouse = workspace.config.warehouse_path
    if not warehouse.exists():
        raise Unavailable(f"No warehouse yet at {warehouse}.", f"vigil run -c {path}")
    key = _run_key(str(warehouse), warehouse_stamp(warehouse), str(path), workspace)
    return Source(workspace=workspace, config_path=path, run_key=key)


def file_stamp(path: Path) -> tuple[int, int] | None:
    """(modification time in ns, size) of a file, None when it is absent: its version."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def warehouse_stamp(warehouse: Path) -> tuple[tuple[int, int] | None, ...]:
    """The version of the warehouse: its file and its write-ahead log (a run changes one)."""
    return file_stamp(warehouse), file_stamp(warehouse.with_name(warehouse.name + ".wal"))


@st.cache_resource(show_spinner=False, max_entries=8)
def _workspace(path: str, stamp: tuple[int, int] | None) -> Workspace:
    """The workspace of a config file version (a failure is raised, never cached)."""
    try:
        return Workspace.open(Path(path), log_to_file=False)
    except VigilError as exc:
        raise Unavailable(str(exc), "vigil demo --workspace demo") from exc


@st.cache_data(show_spinner=False, max_entries=64)
def _run_key(
    db: str, stamp: tuple[tuple[int, int] | None, ...], config: str, _workspace: Workspace
) -> str:
    """The cache key of a warehouse version: its latest run and the version of its files (two
    runs at one fixed ``as_of`` share a start time, so the run alone cannot tell them apart)."""
    try:
        with _workspace.connect(read_only=True) as con:
            missing = read.missing_tables(con)
            run = read.latest_run(con) if "run_history" not in missing else None
    except VigilError as exc:
        log.warning("warehouse unavailable: %s", exc)
        raise Unavailable(
            f"The warehouse cannot be read right now ({exc}).", "reload this page in a minute"
        ) from exc
    if missing:
        raise Unavailable(
            f"The warehouse at {db} lacks {len(missing)} of Vigil's tables "
            f"({', '.join(missing[:3])}...); a run adds them.",
            f"vigil run -c {config}",
        )
    version = "-".join("0" if part is None else str(part[0]) for part in stamp)
    return f"run:{run['run_id']}@{version}" if run else f"empty@{version}"


def _pandas(value: Any) -> Any:
    return value.to_pandas() if isinstance(value, pl.DataFrame) else value


@st.cache_data(show_spinner=False, max_entries=512)
def _cached_read(
    db: str,
    run_key: str,
    name: str,
    args: tuple[Any, ...],
    _fn: Callable[..., Any],
    _source: Source,
) -> Any:
    with _source.workspace.connect(read_only=True) as con:
        return _pandas(_fn(con, *args))


@st.cache_data(show_spinner=False, max_entries=16)
def _cached_overview(db: str, run_key: str, cfg_hash: str, _source: Source) -> OverviewData:
    with _source.workspace.connect(read_only=True) as con:
        return load_overview(con, _source.cfg)


@st.cache_data(show_spinner=False, max_entries=16)
def _cached_pending(
    db: str, run_key: str, cfg_hash: str, stamp: int, _cfg: VigilConfig
) -> PendingPatches:
    return score_pending(_cfg)
