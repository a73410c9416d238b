"""Panel: each release's telemetry-derived outcome with its evidence (vigil.outcomes.store)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from vigil.dashboard.source import Source
from vigil.outcomes import store

OUTCOME_WORDS = {True: "regressed", False: "clean"}


def render(source: Source) -> None:
    """Telemetry outcomes, newest release first; one release's candidate ranking on demand."""
    st.subheader("Release outcomes observed in telemetry")
    outcomes: pd.DataFrame = source.read(store.release_outcomes)
    if outcomes.empty or not (outcomes["source"] == "telemetry").any():
        st.caption("No release outcomes yet: the outcomes stage of `vigil run` writes them.")
        return
    shown = table(outcomes)
    regressed = int((shown["outcome"] == "regressed").sum())
    st.caption(
        f"{regressed} of {len(shown)} releases caused a regression the detectors saw, attributed "
        f"by time since rollout, the feature it touched, how the anomaly grew with its rollout "
        f"and the version split of bad events. Patch-risk training uses "
        f"**{source.cfg.outcomes.label_source}** labels (`outcomes.label_source`)."
    )
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config={
            "firmware_version": "Firmware",
            "release_date": st.column_config.DateColumn("Released", format="MMM D, YYYY"),
            "outcome": "Outcome",
            "confidence": st.column_config.ProgressColumn(
                "Confidence", format="percent", min_value=0, max_value=1
            ),
            "features": "Features",
            "evidence": st.column_config.TextColumn("Evidence", width="large"),
            "file_error_rate": st.column_config.NumberColumn("Errors / 10k (file)", format="%.1f"),
        },
    )
    _candidates(source, shown)


def table(outcomes: pd.DataFrame) -> pd.DataFrame:
    """One row per release: the telemetry outcome in words beside the file's error rate."""
    telemetry = outcomes[outcomes["source"] == "telemetry"]
    files = outcomes[outcomes["source"] == "file"][["firmware_version", "error_rate_per_10k"]]
    out = telemetry.merge(files, on="firmware_version", how="left", suffixes=("", "_file"))
    words = out["high_risk"].map(
        lambda v: OUTCOME_WORDS.get(v, "pending") if pd.notna(v) else "pending"
    )
    return pd.DataFrame(
        {
            "firmware_version": out["firmware_version"],
            "release_date": out["release_date"],
            "outcome": words,
            "confidence": out["confidence"],
            "features": out["features"].fillna(""),
            "evidence": out["evidence"],
            "file_error_rate": out["error_rate_per_10k_file"],
        }
    )


def _candidates(source: Source, shown: pd.DataFrame) -> None:
    regressed = shown.loc[shown["outcome"] == "regressed", "firmware_version"].tolist()
    if not regressed:
        return
    version = st.selectbox(
        "Why this release? (every candidate of the episodes it caused)", regressed
    )
    ranked: pd.DataFrame = source.read(store.attributions, version)
    episodes = ranked.loc[ranked["attributed"].astype(bool), "episode_id"].unique().tolist()
    rivals: pd.DataFrame = pd.concat(
        [source.read(store.episode_candidates, e) for e in episodes], ignore_index=True
    )
    columns = [
        "episode_id",
        "rank",
        "deployment_id",
        "firmware_version",
        "days_since",
        "touched",
        "dose",
        "version_lift",
        "exposure",
        "confidence",
        "attributed",
    ]
    st.dataframe(rivals[[c for c in columns if c in rivals]], hide_index=True, width="stretch")
