"""Risk -> tier, shared by the gate, scoring and the stage. Standard library only."""

from __future__ import annotations

HIGH, MARGINAL, LOW = "high", "marginal", "low"


def tier(risk: float, block: float, marginal: float) -> str:
    """``high`` at or above the block cut-off, ``marginal`` at or above marginal, else ``low``."""
    if risk >= block:
        return HIGH
    if risk >= marginal:
        return MARGINAL
    return LOW
