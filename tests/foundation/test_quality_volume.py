"""The volume check compares complete days: the day still arriving is not a volume drop."""

from __future__ import annotations

import datetime as dt

from vigil.config import QualitySettings
from vigil.quality import run_checks
from vigil.warehouse.connection import memory_warehouse

DAY0 = dt.date(2026, 3, 1)


def volume_check(today: dt.date, volumes: list[int]) -> dict[str, object]:
    con = memory_warehouse()
    for i, usage in enumerate(volumes):
        con.execute(
            "INSERT INTO fact_feature_daily (feature_id, event_date, usage_count) VALUES (?, ?, ?)",
            ["f", DAY0 + dt.timedelta(days=i), usage],
        )
    results = run_checks(con, [], QualitySettings(), "r1", today)
    (check,) = [r.to_dict() for r in results if r.check == "volume_drop"]
    return check


def test_the_day_still_arriving_is_left_out_of_the_volume_check():
    check = volume_check(DAY0 + dt.timedelta(days=8), [1000] * 8 + [300])
    assert check["status"] == "pass"
    assert check["reason"] == (
        "2026-03-08: 1,000 events vs 1,000 a day over the previous 7 days (0% drop)"
    )


def test_a_complete_day_with_low_volume_is_still_graded():
    check = volume_check(DAY0 + dt.timedelta(days=9), [1000] * 8 + [300])
    assert (check["status"], check["value"]) == ("warn", 0.7)  # warn at 50%, fail at 80%
