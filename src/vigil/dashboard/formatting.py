"""Plain-language formatting of numbers, tiers and dates for sentences and tiles."""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from typing import Any

TIER_LABELS = {"act_now": "Act now", "investigate": "Investigate", "watch": "Watch"}
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:^=&])")


def plain(text: Any) -> str:
    """Text that Streamlit's markdown shows as typed: every markdown, colour-directive, icon and
    LaTeX character escaped, so a name like '[x](https://...)' never becomes a link."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def chart_text(text: Any) -> str:
    """Text for a Plotly title or legend, which understands a few HTML tags: escape them."""
    return html.escape(str(text))


def is_missing(value: Any) -> bool:
    """None, NaN and pandas' NA all count as missing."""
    if value is None:
        return True
    try:
        return bool(math.isnan(value))
    except (TypeError, ValueError):
        return str(value) in {"NaT", "<NA>"}


def pct(value: Any, digits: int = 0) -> str:
    """0.823 -> '82%'."""
    return "n/a" if is_missing(value) else f"{float(value) * 100:.{digits}f}%"


def count(value: Any) -> str:
    """12400 -> '12,400'; 1.2e6 -> '1.2M'."""
    if is_missing(value):
        return "n/a"
    number = float(value)
    if abs(number) >= 1_000_000:
        return f"{number / 1_000_000:.1f}M"
    return f"{number:,.0f}"


def day(value: Any) -> str:
    """A date (or timestamp) as 'Apr 30, 2026'."""
    if is_missing(value):
        return "n/a"
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return f"{value:%b} {value.day}, {value.year}"


def tier_label(tier: Any) -> str:
    """'act_now' -> 'Act now'; anything unknown is shown as given."""
    return TIER_LABELS.get(str(tier), str(tier).replace("_", " ").capitalize())


def join_names(names: list[str], limit: int = 3) -> str:
    """['a', 'b', 'c', 'd'] -> 'a, b, c and 1 more'."""
    shown = names[:limit]
    rest = len(names) - len(shown)
    if rest > 0:
        return f"{', '.join(shown)} and {rest} more"
    if len(shown) > 1:
        return f"{', '.join(shown[:-1])} and {shown[-1]}"
    return shown[0] if shown else ""
