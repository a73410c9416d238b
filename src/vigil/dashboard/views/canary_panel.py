"""Panel: recent canary verdicts with a reason per metric (table ``canary_verdict`` via
vigil.canary.store)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from vigil.canary import store
from vigil.dashboard.source import Source

RECENT = 10
ICONS = {"Pass": "✅", "Marginal": "🟡", "Fail": "❌", "NoData": "⚪"}


def render(source: Source) -> None:
    """The latest judgements, newest first; each opens onto its per-metric reasons."""
    st.subheader("Canary verdicts")
    recent: list[dict[str, Any]] = source.read(store.recent, RECENT)
    if not recent:
        st.caption(
            "No canary judgements yet: `vigil canary --baseline OLD --candidate NEW` compares "
            "two versions running side by side."
        )
        return
    st.dataframe(table(recent), hide_index=True, width="stretch")
    for row in recent[:3]:
        with st.expander(title(row)):
            st.dataframe(metrics(row), hide_index=True, width="stretch")


def title(row: dict[str, Any]) -> str:
    """E.g. '❌ 3.0.2 vs 3.0.1 on F1: Fail (score 60)'."""
    scope = f" on {row['feature_id']}" if row.get("feature_id") else ""
    score = "" if row.get("score") is None else f" (score {row['score']:.0f})"
    icon = ICONS.get(str(row["verdict"]), "")
    return f"{icon} {row['candidate']} vs {row['baseline']}{scope}: {row['verdict']}{score}"


def table(recent: list[dict[str, Any]]) -> pd.DataFrame:
    """One line per judgement: when, versions, verdict, score, the failing reasons."""
    return pd.DataFrame(
        {
            "judged": [r["judged_at"] for r in recent],
            "candidate": [r["candidate"] for r in recent],
            "baseline": [r["baseline"] for r in recent],
            "feature": [r.get("feature_id") or "all" for r in recent],
            "verdict": [r["verdict"] for r in recent],
            "score": [r.get("score") for r in recent],
            "why": [_failing(r) for r in recent],
        }
    )


def metrics(row: dict[str, Any]) -> pd.DataFrame:
    """The judgement's metrics: name, verdict, test and the reason sentence."""
    found = row.get("metrics") or []
    return pd.DataFrame(
        {
            "metric": [m.get("name") for m in found],
            "verdict": [m.get("verdict") for m in found],
            "test": [m.get("test") for m in found],
            "reason": [m.get("reason") for m in found],
        }
    )


def _failing(row: dict[str, Any]) -> str:
    reasons = [m.get("reason", "") for m in row.get("metrics") or [] if m.get("verdict") == "Fail"]
    return "; ".join(reasons) or "-"
