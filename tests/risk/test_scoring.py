"""Tiers follow the configured thresholds; impact is risk x users exposed."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from vigil.risk.scoring import score, tier_expr
from vigil.risk.settings import TierThresholds

from .conftest import MODEL_INPUTS as FEATURES
from .conftest import toy_data as _data


@given(
    risk=st.floats(0, 1),
    act_now=st.floats(0, 1),
    investigate=st.floats(0, 1),
)
def test_tier_from_thresholds(risk: float, act_now: float, investigate: float) -> None:
    lo, hi = sorted((act_now, investigate))
    tiers = TierThresholds(act_now=hi, investigate=lo)
    tier = pl.select(tier_expr(pl.lit(risk), tiers)).item()
    expected = "act_now" if risk >= hi else "investigate" if risk >= lo else "watch"
    assert tier == expected


@settings(deadline=None, max_examples=10)
@given(users=st.lists(st.floats(0, 1e6), min_size=5, max_size=5))
def test_impact_is_risk_times_users(fitted, users: list[float]) -> None:  # type: ignore[no-untyped-def]
    X, _ = _data(5, seed=2)
    frame = pl.DataFrame(
        {
            "feature_id": [f"f{i}" for i in range(5)],
            "score_date": [dt.date(2026, 3, 1)] * 5,
            "users_exposed": users,
            **{name: X[:, i] for i, name in enumerate(FEATURES)},
        }
    )
    tiers = TierThresholds(act_now=0.6, investigate=0.3)
    scored = score(fitted, frame, tiers)
    assert np.allclose(scored["impact"], scored["risk"] * scored["users_exposed"])
    assert scored["risk"].is_between(0, 1).all()
    assert scored.height == 5
