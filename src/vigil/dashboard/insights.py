"""Automated insight sentences for executives: what is at risk, why, and what changed.

Each builder reads :class:`OverviewData` and returns zero or more :class:`Insight`; an empty input
gives no sentence rather than a misleading one. Severity orders the sentences on the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from vigil.dashboard.formatting import count, day, is_missing, join_names, pct, tier_label
from vigil.dashboard.overview import OverviewData

Severity = Literal["critical", "warning", "info", "good"]
SEVERITY_ORDER: dict[str, int] = {"critical": 0, "warning": 1, "info": 2, "good": 3}
TIER_RANK = {"act_now": 0, "investigate": 1, "watch": 2}
CROSSING_COLUMNS = ("latency_p95_delta_pct", "crash_rate_delta_pp", "feedback_delta")


@dataclass(frozen=True)
class Insight:
    """One sentence for the overview, with its topic and how urgent it is."""

    topic: str
    severity: Severity
    text: str


def _name(row: Any) -> str:
    name = row.get("feature_name")
    return str(row["feature_id"] if is_missing(name) else name)


def top_risks(data: OverviewData, limit: int = 3) -> list[Insight]:
    """The highest-impact features in the act-now tier, with their reason."""
    if data.ranked.empty:
        return []
    urgent = data.ranked[data.ranked["tier"] == "act_now"].head(limit)
    if urgent.empty:
        return [Insight("risk", "good", "No feature is in the Act now tier on the latest scores.")]
    out = []
    for _, row in urgent.iterrows():
        team = "" if is_missing(row.get("owner_team")) else f" ({row['owner_team']})"
        reason = "" if is_missing(row.get("reason")) else f": {row['reason']}"
        out.append(
            Insight(
                "risk",
                "critical",
                f"{_name(row)}{team} needs action: {pct(row['risk'])} risk of degrading, "
                f"about {count(row.get('users_exposed'))} users exposed{reason}.",
            )
        )
    return out


def tier_changes(data: OverviewData) -> list[Insight]:
    """Features that moved into a more urgent tier, or calmed down, since the previous scores."""
    ranked = data.ranked
    if ranked.empty or "prev_tier" not in ranked or ranked["prev_tier"].isna().all():
        return []
    now = ranked["tier"].map(TIER_RANK)
    before = ranked["prev_tier"].map(TIER_RANK)
    since = day(ranked["prev_score_date"].dropna().iloc[0])
    out = []
    worse = ranked[(now < before) & (ranked["tier"] == "act_now")]
    if not worse.empty:
        names = join_names([_name(r) for _, r in worse.iterrows()])
        out.append(Insight("change", "critical", f"New in Act now since {since}: {names}."))
    better = ranked[now > before]
    if not better.empty:
        moves = [
            f"{_name(r)} ({tier_label(r['prev_tier'])} → {tier_label(r['tier'])})"
            for _, r in better.iterrows()
        ]
        out.append(Insight("change", "good", f"Risk eased since {since} for {join_names(moves)}."))
    if not out:
        out.append(Insight("change", "info", f"No feature changed tier since {since}."))
    return out


def _crossing_detail(row: Any, limits: tuple[float, float, float]) -> str:
    """'Checkout (p95 latency +31%, feedback -0.4)': only the measures past their threshold."""
    latency, crash, feedback = (row.get(c) for c in CROSSING_COLUMNS)
    parts = []
    if not is_missing(latency) and latency >= limits[0]:
        parts.append(f"p95 latency +{latency:.0f}%")
    if not is_missing(crash) and crash >= limits[1]:
        parts.append(f"crash rate +{crash:.1f} pp")
    if not is_missing(feedback) and feedback <= -limits[2]:
        parts.append(f"feedback {feedback:.1f}")
    return f"{_name(row)} ({', '.join(parts)})"


def threshold_crossings(data: OverviewData) -> list[Insight]:
    """Features whose latest day is past a degradation threshold against their own baseline."""
    if data.crossings.empty:
        return []
    rows = [_crossing_detail(r, data.crossing_limits) for _, r in data.crossings.iterrows()]
    n = len(rows)
    noun = "feature" if n == 1 else "features"
    return [
        Insight(
            "thresholds",
            "warning",
            f"{n} {noun} crossed a degradation threshold on {day(data.data_end)}: "
            f"{join_names(rows)}.",
        )
    ]


def anomalies(data: OverviewData) -> list[Insight]:
    """How many anomalies the detectors flagged recently, and the strongest one."""
    if data.anomalies.empty:
        return []
    top = data.anomalies.iloc[0]
    deployment = (
        "" if is_missing(top.get("deployment_id")) else f" after deployment {top['deployment_id']}"
    )
    n = len(data.anomalies)
    what = f"{top['kind']} in {str(top['metric']).replace('_', ' ')}"
    return [
        Insight(
            "anomalies",
            "warning",
            f"{n} anomal{'y' if n == 1 else 'ies'} in the last {data.anomaly_days} days; "
            "the strongest: "
            f"{_name(top)} {what} on {day(top['event_date'])}{deployment}.",
        )
    ]


def blocked_patches(data: OverviewData, limit: int = 3) -> list[Insight]:
    """Released patches whose predicted risk is at or above the gate's block threshold."""
    patches = data.patches
    if patches.empty or "risk" not in patches:
        return []
    scored = patches.dropna(subset=["risk"])
    if scored.empty:
        return []
    risky = scored[scored["risk"] >= data.patch_block].sort_values("risk", ascending=False)
    if risky.empty:
        return [
            Insight(
                "patches",
                "good",
                f"None of {len(scored)} scored patches is above the gate's "
                f"block threshold ({pct(data.patch_block)}).",
            )
        ]
    names = [f"{r['firmware_version']} ({pct(r['risk'])})" for _, r in risky.head(limit).iterrows()]
    first = risky.iloc[0]
    why = _first_reason(first.get("reasons"))
    return [
        Insight(
            "patches",
            "critical",
            f"{len(risky)} of {len(scored)} patches would be blocked by the gate: "
            f"{join_names(names)}" + (f"; top reason: {why}." if why else "."),
        )
    ]


def _first_reason(reasons: Any) -> str:
    """The first reason of a patch, whether stored as text ('a; b') or as a list."""
    if isinstance(reasons, str):
        return reasons.split(";")[0].strip()
    if reasons is None or isinstance(reasons, float):
        return ""
    items = list(reasons)
    return str(items[0]) if items else ""


def patch_id_column(patches: pd.DataFrame) -> str:
    """The column that names a patch: an id when there is one, else the firmware version."""
    return next(
        (c for c in ("patch_id", "id", "firmware_version") if c in patches), patches.columns[0]
    )


def fleet_segments(data: OverviewData, limit: int = 3) -> list[Insight]:
    """Device model x firmware segments in the fleet's most urgent tier."""
    fleet = data.fleet
    if fleet.empty or "tier" not in fleet:
        return []
    urgent = fleet[fleet["tier"] == "immediate"]
    if urgent.empty:
        return [Insight("fleet", "good", "No device segment is in the immediate-watch tier.")]
    segments = urgent["device_model"].astype(str) + " on " + urgent["firmware_version"].astype(str)
    names = join_names(list(dict.fromkeys(segments)), limit)
    n = len(urgent)
    noun = "segment needs" if n == 1 else "segments need"
    return [Insight("fleet", "warning", f"{n} fleet {noun} immediate watch: {names}.")]


def drift(data: OverviewData) -> list[Insight]:
    """Which monitored columns drifted in the latest monitoring run."""
    report = data.drift
    if report.empty or "drifted" not in report:
        return []
    column = "column" if "column" in report else "column_name"
    drifted = report[report["drifted"].fillna(False).astype(bool)]
    if drifted.empty:
        return [Insight("data", "good", f"No data drift across {len(report)} monitored columns.")]
    names = join_names([str(c) for c in drifted[column]]) if column in drifted else ""
    return [
        Insight(
            "data",
            "warning",
            f"Data drift in {len(drifted)} of {len(report)} monitored columns: {names}.",
        )
    ]


def quality(data: OverviewData) -> list[Insight]:
    """The latest run's quality verdict and the checks that did not pass."""
    run = data.latest_run
    if not run:
        return []
    status = str(run.get("quality_status") or "unknown").upper()
    bad = [c for c in data.quality if str(c.get("status")).lower() in {"warn", "fail"}]
    detail = join_names([str(c.get("reason") or c.get("name") or c.get("check")) for c in bad], 2)
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


BUILDERS: tuple[Callable[[OverviewData], list[Insight]], ...] = (
    top_risks,
    tier_changes,
    threshold_crossings,
    anomalies,
    blocked_patches,
    fleet_segments,
    drift,
    quality,
)


def build_insights(data: OverviewData) -> list[Insight]:
    """Every insight sentence, most urgent first (stable within a severity)."""
    found = [insight for builder in BUILDERS for insight in builder(data)]
    return sorted(found, key=lambda i: SEVERITY_ORDER[i.severity])


def pending_gate(decision: str | None, patches: pd.DataFrame) -> list[Insight]:
    """The CI gate's verdict on pending patches."""
    if decision is None or patches.empty:
        return []
    blocked = patches[patches["decision"] == "BLOCK"]
    if blocked.empty:
        return [
            Insight("patches", "good", f"CI gate: PASS for all {len(patches)} pending patches.")
        ]
    ids = join_names([str(v) for v in blocked[patch_id_column(blocked)]])
    return [
        Insight(
            "patches",
            "critical",
            f"CI gate: BLOCKED — {len(blocked)} of {len(patches)} pending patches: {ids}.",
        )
    ]
