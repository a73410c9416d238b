"""Dashboard pages (not named `pages/`: Streamlit would treat that folder as its own page list).

Each module has ``TITLE``, ``URL``, ``ICON`` and ``render(source)``.
"""

PAGE_URLS = ("overview", "risk", "trends", "patches", "fleet", "health")
"""every page's URL name, in navigation order"""
