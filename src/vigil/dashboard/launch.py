"""The Streamlit server process: import the app and everything it reads with first, then hand over
to Streamlit's own CLI, so the first visitor does not wait for those imports (seconds).

Importing the app before Streamlit's runtime exists only validates the ``st.cache_data`` settings
(their storage is looked up at call time); the warning it logs about the missing runtime is muted.
"""

from __future__ import annotations

import importlib
import logging

PRELOAD = ("pandas", "polars", "pyarrow", "duckdb", "plotly.graph_objects", "vigil.dashboard.app")
CACHE_LOGGER = "streamlit.runtime.caching.cache_data_api"


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


if __name__ == "__main__":
    from streamlit.web.cli import main

    preload()
    main()
