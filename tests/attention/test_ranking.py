"""The ranked list: one item per feature with combined evidence, one scale, capped at the budget."""

from __future__ import annotations

import math

import polars as pl
import pytest

from vigil.attention.ranking import SIGNAL_SCHEMA, attention_list, combine
from vigil.attention.settings import FeatureEvidence

EV = FeatureEvidence(intercept=0.1, risk=1.0, anomaly=0.3, crossing=0.4, prior_risk=0.2)


def logistic(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def logit(p: float) -> float:
    return math.log(p / (1 - p))


def signals(*rows: tuple[str, str, float | None, float | None, bool]) -> pl.DataFrame:
    """(item_key, source, probability, users, qualifies) -> a signal frame."""
    kinds = {"fleet": "firmware", "patch": "patch", "drift": "data"}
    return pl.DataFrame(
        [
            {
                "item_key": key,
                "kind": kinds.get(source, "feature"),
                "title": key,
                "source": source,
                "probability": p,
                "users_exposed": users,
                "qualifies": qualifies,
                "text": f"{source} on {key}",
            }
            for key, source, p, users, qualifies in rows
        ],
        schema=SIGNAL_SCHEMA,
    )


def test_one_item_per_feature_with_every_signal_and_the_evidence_model() -> None:
    items = combine(
        signals(
            ("F1", "anomaly", None, 100.0, True),
            ("F1", "risk", 0.5, 100.0, True),
            ("F1", "crossing", None, 100.0, True),
            ("F2", "risk", 0.7, 10.0, True),
        ),
        EV,
    )
    assert items["item_key"].to_list() == ["F1", "F2"]
    f1, f2 = items.to_dicts()
    assert f1["probability"] == pytest.approx(logistic(0.1 + 0.0 + 0.3 + 0.4))
    assert f2["probability"] == pytest.approx(logistic(0.1 + logit(0.7)))
    assert f1["signals"] == "risk;crossing;anomaly"
    assert f1["evidence"] == "risk on F1; crossing on F1; anomaly on F1"
    assert f1["expected_users"] == pytest.approx(100.0 * f1["probability"])


def test_a_low_risk_score_alone_raises_no_item_but_adds_evidence() -> None:
    items = combine(
        signals(
            ("F1", "risk", 0.05, 50.0, False),
            ("F2", "risk", 0.05, 50.0, False),
            ("F2", "anomaly", None, 50.0, True),
        ),
        EV,
    )
    assert items["item_key"].to_list() == ["F2"]
    assert items["probability"][0] == pytest.approx(logistic(0.1 + logit(0.05) + 0.3))


def test_a_feature_without_a_risk_score_uses_the_prior() -> None:
    items = combine(signals(("F9", "crossing", None, 5.0, True)), EV)
    assert items["probability"][0] == pytest.approx(logistic(0.1 + logit(0.2) + 0.4))


def test_other_items_combine_their_signals_as_independent_evidence() -> None:
    items = combine(
        signals(
            ("firmware:3.1.0", "fleet", 0.7, 9.0, True), ("firmware:3.1.0", "patch", 0.5, 9.0, True)
        ),
        EV,
    )
    assert items["probability"][0] == pytest.approx(1 - 0.3 * 0.5)
    assert items["kind"][0] == "firmware"


def test_budget_caps_the_items_shown_and_keeps_the_rest_ranked() -> None:
    rows = [(f"F{i:02d}", "risk", 0.3 + i / 100, 10.0, True) for i in range(25)]
    items = attention_list(signals(*rows), budget=10, evidence=EV)
    assert items.height == 25
    assert items["in_budget"].sum() == 10
    assert items.filter(pl.col("in_budget"))["rank"].to_list() == list(range(1, 11))
    assert items["item_key"].head(3).to_list() == ["F24", "F23", "F22"]


def test_ranking_by_probability_breaks_ties_by_users_then_key() -> None:
    items = attention_list(
        signals(
            ("firmware:3", "fleet", 0.5, 10.0, True),
            ("firmware:1", "fleet", 0.5, 90.0, True),
            ("firmware:2", "fleet", 0.5, 90.0, True),
            ("F1", "risk", 0.9, 1.0, True),
        ),
        budget=3,
        evidence=EV,
    )
    assert items["item_key"].to_list() == ["F1", "firmware:1", "firmware:2", "firmware:3"]
    assert items["in_budget"].to_list() == [True, True, True, False]


def test_ranking_by_expected_users_puts_big_features_first() -> None:
    items = attention_list(
        signals(("F1", "risk", 0.9, 10.0, True), ("F2", "risk", 0.3, 1000.0, True)),
        budget=10,
        rank_by="expected_users",
        evidence=EV,
    )
    assert items["item_key"].to_list() == ["F2", "F1"]
    p1, p2 = logistic(0.1 + logit(0.9)), logistic(0.1 + logit(0.3))
    assert items["expected_users"].to_list() == pytest.approx([1000.0 * p2, 10.0 * p1])


def test_no_signals_give_an_empty_list() -> None:
    items = attention_list(signals(), budget=10)
    assert items.height == 0
    assert "in_budget" in items.columns
