"""Effort-aware metrics checked by hand on a four-change example, plus invariants."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vigil.errors import InputError
from vigil.patches.effort import (
    area,
    effort_at_recall,
    effort_metrics,
    popt,
    recall_at_effort,
    smallest_first,
)

# Changes 0..3: defective 0 and 2; efforts 10, 30, 20, 40 lines (total 100).
LABELS = [1, 0, 1, 0]
EFFORT = [10, 30, 20, 40]
IN_FILE_ORDER = [0, 1, 2, 3]


def test_recall_at_20_percent_effort_by_hand() -> None:
    # Cumulative effort 0.1, 0.4, ...: only change 0 fits in 20% -> 1 of 2 defects found.
    assert recall_at_effort(LABELS, EFFORT, IN_FILE_ORDER) == pytest.approx(0.5)


def test_effort_at_20_percent_recall_by_hand() -> None:
    # The first defect (change 0, 10 of 100 lines) already reaches 50% >= 20% recall.
    assert effort_at_recall(LABELS, EFFORT, IN_FILE_ORDER) == pytest.approx(0.1)
    assert effort_at_recall(LABELS, EFFORT, [1, 3, 2, 0]) == pytest.approx(0.9)


def test_area_and_popt_by_hand() -> None:
    # Model curve (0,0) (.1,.5) (.4,.5) (.6,1) (1,1): area .025 + .15 + .15 + .4 = .725.
    assert area(LABELS, EFFORT, IN_FILE_ORDER) == pytest.approx(0.725)
    # Optimal: 0, 2, 1, 3 -> area .875. Worst: 3, 1, 2, 0 -> area .125.
    assert area(LABELS, EFFORT, [0, 2, 1, 3]) == pytest.approx(0.875)
    assert area(LABELS, EFFORT, [3, 1, 2, 0]) == pytest.approx(0.125)
    # Popt = 1 - (.875 - .725) / (.875 - .125) = 0.8.
    assert popt(LABELS, EFFORT, IN_FILE_ORDER) == pytest.approx(0.8)
    assert popt(LABELS, EFFORT, [3, 1, 2, 0]) == pytest.approx(0.0)


def test_smallest_first_is_optimal_here() -> None:
    order = smallest_first(EFFORT)
    assert list(order) == [0, 2, 1, 3]
    assert effort_metrics(LABELS, EFFORT, order) == pytest.approx(
        {"recall_at_20_effort": 0.5, "effort_at_20_recall": 0.1, "popt": 1.0}
    )


def test_no_defects_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="at least one defective change"):
        popt([0, 0], [1, 2], [0, 1])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 1), st.integers(0, 500)), min_size=2, max_size=30),
    st.randoms(use_true_random=False),
)
def test_popt_is_between_worst_and_optimal(rows: list[tuple[int, int]], rnd: object) -> None:
    labels = np.array([r[0] for r in rows])
    effort = np.array([r[1] for r in rows]) + 1
    if labels.sum() == 0:
        labels[0] = 1
    order = np.arange(len(rows))
    rnd.shuffle(order)  # type: ignore[attr-defined]
    value = popt(labels, effort, order)
    assert -1e-9 <= value <= 1 + 1e-9
    assert 0.0 <= recall_at_effort(labels, effort, order) <= 1.0
    assert 0.0 <= effort_at_recall(labels, effort, order) <= 1.0
