"""The ranked list: one item per feature with combined evidence, one scale, capped at the budget."""

from __future__ import annotations

import polars as pl
import pytest

from vigil.attention.ranking import SIGNAL_SCHEMA, attention_list, combine


def signals(*rows: tuple[str, str, float, float | None, bool]) -> pl.DataFrame:
    """(item_key, source, probability, users, qualifies) -> a signal frame."""
    return pl.DataFrame(
        [
            {
                "item_key": key,
                "kind": "firmware" if key.startswith("firmware:") else "feature",
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


def test_one_item_per_feature_with_every_signal_and_noisy_or_probability() -> None:
    items = combine(
        signals(
            ("F1", "risk", 0.5, 100.0, True),
            ("F1", "anomaly", 0.4, 100.0, True),
            ("F2", "crossing", 0.5, 10.0, True),
        )
    )
    assert items.height == 2
    f1 = items.filter(pl.col("item_key") == "F1").row(0, named=True)
    assert f1["probability"] == pytest.approx(1 - 0.5 * 0.6)
    assert f1["signals"] == "risk;anomaly"
    assert f1["evidence"] == "risk on F1; anomaly on F1"
    assert f1["expected_users"] == pytest.approx(70.0)


def test_a_low_risk_score_alone_raises_no_item_but_adds_evidence() -> None:
    items = combine(
        signals(
            ("F1", "risk", 0.2, 50.0, False),
            ("F2", "risk", 0.2, 50.0, False),
            ("F2", "anomaly", 0.4, 50.0, True),
        )
    )
    assert items["item_key"].to_list() == ["F2"]
    assert items["probability"][0] == pytest.approx(1 - 0.8 * 0.6)


def test_budget_caps_the_items_shown_and_keeps_the_rest_ranked() -> None:
    rows = [(f"F{i:02d}", "anomaly", 0.3 + i / 100, 10.0, True) for i in range(25)]
    items = attention_list(signals(*rows), budget=10)
    assert items.height == 25
    assert items["in_budget"].sum() == 10
    assert items.filter(pl.col("in_budget"))["rank"].to_list() == list(range(1, 11))
    assert items["item_key"][0] == "F24"  # highest probability first


def test_ranking_by_probability_breaks_ties_by_users_then_key() -> None:
    items = attention_list(
        signals(
            ("F3", "crossing", 0.5, 10.0, True),
            ("F1", "crossing", 0.5, 90.0, True),
            ("F2", "crossing", 0.5, 90.0, True),
            ("firmware:3.1.0", "fleet", 0.7, 5.0, True),
        ),
        budget=3,
    )
    assert items["item_key"].to_list() == ["firmware:3.1.0", "F1", "F2", "F3"]
    assert items["in_budget"].to_list() == [True, True, True, False]


def test_ranking_by_expected_users_puts_big_features_first() -> None:
    items = attention_list(
        signals(("F1", "risk", 0.9, 10.0, True), ("F2", "risk", 0.3, 1000.0, True)),
        budget=10,
        rank_by="expected_users",
    )
    assert items["item_key"].to_list() == ["F2", "F1"]
    assert items["expected_users"].to_list() == pytest.approx([300.0, 9.0])


def test_no_signals_give_an_empty_list() -> None:
    items = attention_list(signals(), budget=10)
    assert items.height == 0
    assert "in_budget" in items.columns
