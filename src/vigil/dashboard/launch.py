"""The Streamlit server process: import the heavy libraries and the areas' read APIs first, then
hand over to Streamlit's own CLI, so the first visitor does not wait for those imports.

Modules that use ``st.cache_data`` are left to Streamlit: they must be imported under its runtime.
"""

from __future__ import annotations

import importlib

PRELOAD = (
    "pandas",
    "polars",
    "pyarrow",
    "duckdb",
    "plotly.graph_objects",
    "vigil.attention.build",
    "vigil.dashboard.charts",
    "vigil.dashboard.insights",
    "vigil.dashboard.overview",
    "vigil.dashboard.pending",
    "vigil.fleet.queries",
    "vigil.risk.read",
    "vigil.warehouse.read",
    "vigil.workspace",
)


def preload() -> None:
    """Import every module in :data:`PRELOAD`."""
    for name in PRELOAD:
        importlib.import_module(name)


if __name__ == "__main__":
    from streamlit.web.cli import main

    preload()
    main()
