"""The Vigil dashboard's Streamlit entry point (``vigil dashboard -c vigil.yaml`` runs this file).

The config path comes from the ``VIGIL_CONFIG`` environment variable that the CLI sets. Pages only
call ``vigil.dashboard`` functions; when the warehouse is missing or half built the page says which
command to run instead of showing a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import streamlit as st

from vigil.dashboard.favicon import favicon
from vigil.dashboard.formatting import plain
from vigil.dashboard.source import Source, Unavailable, open_source
from vigil.dashboard.views import fleet, health, overview, patches, risk, trends
from vigil.errors import WarehouseError

log = logging.getLogger(__name__)

PAGES: tuple[ModuleType, ...] = (overview, risk, trends, patches, fleet, health)


def _guarded(page: ModuleType, source: Source) -> Callable[[], None]:
    """The page's render function, turning any failure into one friendly line."""

    def run() -> None:
        try:
            page.render(source)
        except WarehouseError as exc:  # e.g. a run holds the warehouse right now
            st.warning(
                f"The warehouse cannot be read right now: {plain(str(exc))} Reload in a minute."
            )
        except Exception as exc:  # a page must never show a traceback to an executive
            log.exception("dashboard page %s failed", page.URL)
            st.error(
                f"This page could not be drawn: {plain(str(exc))}. Details are in the Vigil log; "
                f"re-run 'vigil run -c {source.config_path}' if the warehouse is out of date."
            )

    run.__name__ = f"page_{page.URL}"
    return run


def _sidebar(source: Source) -> None:
    st.sidebar.markdown("### :material/shield: Vigil")
    st.sidebar.caption(f"Config: `{source.config_path}`")


def _unavailable(exc: Unavailable) -> None:
    st.title(":material/shield: Vigil")
    st.warning(exc.message, icon=":material/warning:")
    st.markdown("To build the warehouse, run:")
    st.code(exc.command, language="bash")
    st.caption("Then reload this page. `vigil demo --workspace demo` builds a synthetic example.")


def main(config: Path | None = None, page: str | None = None) -> None:
    """Draw the app; ``page`` (a page's URL name) draws just that page, for tests."""
    st.set_page_config(page_title="Vigil", page_icon=favicon(), layout="wide")
    try:
        source = open_source(config)
    except Unavailable as exc:
        _unavailable(exc)
        return
    if page is not None:
        by_url = {p.URL: p for p in PAGES}
        _guarded(by_url[page], source)()
        return
    _sidebar(source)
    navigation = st.navigation(
        [
            st.Page(
                _guarded(p, source),
                title=p.TITLE,
                icon=p.ICON,
                url_path=p.URL,
                default=p is overview,
            )
            for p in PAGES
        ]
    )
    navigation.run()


if __name__ == "__main__":
    main()
