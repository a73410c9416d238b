"""Risk -> tier, shared by the gate, scoring and the stage. Standard library only."""

from __future__ import annotations

from collections.abc import Iterable

HIGH, MARGINAL, LOW = "high", "marginal", "low"


def tier(risk: float, block: float, marginal: float) -> str:
    """``high`` at or above the block cut-off, ``marginal`` at or above marginal, else ``low``."""
    if risk >= block:
        return HIGH
    if risk >= marginal:
        return MARGINAL
    return LOW


BLOCKED, PASSED = "BLOCKED", "PASS"
VERDICT = {HIGH: "BLOCK", MARGINAL: "MARGINAL", LOW: "PASS"}
"""each patch's verdict in words, as the dashboard shows it"""


def gate_decision(tiers: Iterable[str]) -> str:
    """The gate's one decision: BLOCKED when any patch is high risk, else PASS."""
    return BLOCKED if any(t == HIGH for t in tiers) else PASSED
