"""One palette for every page: tier, gate and fleet colours mean the same thing everywhere."""

from __future__ import annotations

CRITICAL = "#C62828"
WARNING = "#EF6C00"
CAUTION = "#F9A825"
CALM = "#1565C0"
GOOD = "#2E7D32"
NEUTRAL = "#78909C"

TIER_COLORS = {"act_now": CRITICAL, "investigate": WARNING, "watch": CALM}
TIER_ORDER = ("act_now", "investigate", "watch")
PATCH_TIER_COLORS = {"high": CRITICAL, "marginal": WARNING, "low": GOOD}
GATE_COLORS = {"BLOCK": CRITICAL, "MARGINAL": WARNING, "PASS": GOOD}
FLEET_TIER_COLORS = {"immediate": CRITICAL, "enhanced": WARNING, "standard": CALM}
SEVERITY_COLORS = {"critical": CRITICAL, "warning": WARNING, "info": CALM, "good": GOOD}
QUALITY_COLORS = {"pass": GOOD, "warn": WARNING, "fail": CRITICAL}
# Material icons ship with Streamlit's frontend, so they render without any emoji font.
SEVERITY_ICONS = {
    "critical": ":red[:material/error:]",
    "warning": ":orange[:material/warning:]",
    "info": ":blue[:material/info:]",
    "good": ":green[:material/check_circle:]",
}

LINE = "#37474F"
LINE_ROLLING = CALM
DEPLOYMENT = "#6A1B9A"
INCIDENT = CRITICAL
ANOMALY = WARNING
HEATMAP_SCALE = [[0.0, "#E8F5E9"], [0.5, CAUTION], [1.0, CRITICAL]]
