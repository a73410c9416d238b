"""Automated insight sentences for executives: what needs attention today, and why.

"What needs attention" draws from the ranked attention list only (``vigil.attention``): one
sentence per item within the daily budget, most likely first, then a count of the rest; the data
quality verdict follows, so readers know how far to trust the list. An empty input gives no
sentence rather than a misleading one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from vigil.dashboard.formatting import count, is_missing, join_names, pct
from vigil.dashboard.overview import OverviewData

Severity = Literal["critical", "warning", "info", "good"]
SEVERITY_ORDER: dict[str, int] = {"critical": 0, "warning": 1, "info": 2, "good": 3}
EXPOSED_NOUN = {"firmware": "devices", "patch": "users", "feature": "users"}


@dataclass(frozen=True)
class Insight:
    """One sentence for the overview, with its topic and how urgent it is."""

    topic: str
    severity: Severity
    text: str


def _item_sentence(row: Any) -> str:
    """'Checkout (72% likely regressing, about 1,200 users exposed): <evidence>.'"""
    title = str(row["title"])
    users = row.get("users_exposed")
    noun = EXPOSED_NOUN.get(str(row["kind"]))
    exposed = "" if is_missing(users) or noun is None else f", about {count(users)} {noun} exposed"
    evidence = str(row["evidence"]).rstrip(".")
    if row["kind"] == "data":
        return f"{title[:1].upper()}{title[1:]}: {evidence}."
    likely = f"{pct(row['probability'])} likely regressing"
    return f"{title[:1].upper()}{title[1:]} ({likely}{exposed}): {evidence}."


def attention(data: OverviewData) -> list[Insight]:
    """The attention list within its budget, one sentence per item, then the rest counted."""
    items = data.attention
    if items.empty or "in_budget" not in items:
        return []
    shown = items[items["in_budget"].astype(bool)].sort_values("rank")
    if shown.empty:
        return [Insight("attention", "good", "Nothing needs attention on the latest data.")]
    out = [
        Insight(
            str(row["kind"]),
            "critical" if float(row["probability"]) >= data.urgent else "warning",
            _item_sentence(row),
        )
        for _, row in shown.iterrows()
    ]
    rest = len(items) - len(shown)
    if rest:
        noun = "signal" if rest == 1 else "signals"
        out.append(
            Insight(
                "attention",
                "info",
                f"And {rest} lower-priority {noun}, outside today's budget of {len(shown)} "
                "(see the Feature risk, Fleet and Patches pages).",
            )
        )
    return out


def quality(data: OverviewData) -> list[Insight]:
    """The latest run's quality verdict and the checks that did not pass."""
    run = data.latest_run
    if not run:
        return []
    status = str(run.get("quality_status") or "unknown").upper()
    bad = [c for c in data.quality if str(c.get("status")).lower() in {"warn", "fail"}]
    detail = join_names([str(c["reason"]) for c in bad], 2)
    severity: Severity = (
        "critical" if status == "FAIL" else "warning" if status == "WARN" else "good"
    )
    quarantined = run.get("rows_quarantined")
    rows = "" if is_missing(quarantined) else f"; {count(quarantined)} rows quarantined"
    return [
        Insight(
            "data",
            severity,
            f"Data quality of the latest run: {status}{rows}"
            + (f" ({detail})." if detail else "."),
        )
    ]


BUILDERS: tuple[Callable[[OverviewData], list[Insight]], ...] = (attention, quality)


def build_insights(data: OverviewData) -> list[Insight]:
    """The attention list (ranked, within the budget) followed by the data-quality verdict."""
    return [insight for builder in BUILDERS for insight in builder(data)]
