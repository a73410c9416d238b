"""The Streamlit server process: import the app and everything it reads with first, and do once
what the first visitor would otherwise wait for, then hand over to Streamlit's own CLI (with what
was loaded so far frozen out of the garbage collector's full passes).

Importing the app before Streamlit's runtime exists only validates the ``st.cache_data`` settings
(their storage is looked up at call time); the warning it logs about the missing runtime is muted.
"""

from __future__ import annotations

import gc
import importlib
import logging
import os
from pathlib import Path

PRELOAD = ("pandas", "polars", "pyarrow", "duckdb", "plotly.graph_objects", "vigil.dashboard.app")
CACHE_LOGGER = "streamlit.runtime.caching.cache_data_api"

log = logging.getLogger(__name__)


def _not_runtime_warning(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("No runtime found")


def preload() -> None:
    """Import every module in :data:`PRELOAD`."""
    logger = logging.getLogger(CACHE_LOGGER)
    logger.addFilter(_not_runtime_warning)
    try:
        for name in PRELOAD:
            importlib.import_module(name)
    finally:
        logger.removeFilter(_not_runtime_warning)


def warm(config: Path | None) -> None:
    """Before serving: Streamlit's once-per-process check of how it was started (a walk of the
    call stack when the first element is drawn), DuckDB's first connection and the overview's
    reads (imports inside the areas, first conversions). Nothing is cached: the first visit
    still reads the warehouse, only faster. A missing or busy warehouse is left to the page."""
    import streamlit as st

    from vigil.dashboard.overview import load_overview
    from vigil.workspace import Workspace

    logging.disable(logging.WARNING)  # Streamlit warns that no session runs: none does yet
    try:
        st.empty()
    finally:
        logging.disable(logging.NOTSET)
    if config is None:
        return
    try:
        workspace = Workspace.open(config, log_to_file=False)
        with workspace.connect(read_only=True) as con:
            load_overview(con, workspace.config)
    except Exception as exc:  # best effort: the page explains any failure
        log.debug("dashboard warm-up skipped: %s", exc)


def freeze() -> None:
    """Move everything loaded so far (libraries, the app) out of the garbage collector's reach:
    it lives as long as the server, and Streamlit runs a full collection after every script run,
    which then walks only what that run created (about 0.1 s less per page view)."""
    gc.collect()
    gc.freeze()


if __name__ == "__main__":
    from streamlit.web.cli import main

    from vigil.dashboard.server import CONFIG_ENV

    preload()
    warm(Path(os.environ[CONFIG_ENV]) if CONFIG_ENV in os.environ else None)
    freeze()
    main()
