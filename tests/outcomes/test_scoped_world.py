"""The generator's firmware-scoped regressions (the closed-loop benchmark's second world)."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from vigil.config import GenerateSettings
from vigil.errors import InputError
from vigil.synth.regressions import ScopedEffects
from vigil.synth.spec import build_spec

SPEC = build_spec(GenerateSettings(days=10, n_features=3), regression_scope="firmware")


def regs(kind: str) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "feature": [1],
            "release": [5],
            "kind": [kind],
            "early": [None],
            "onset": [2],
            "end": [4],
            "magnitude": [0.5],
        },
        schema_overrides={"early": pl.Int64},
    )


def test_only_events_on_the_release_or_later_of_the_feature_are_hit() -> None:
    scoped = ScopedEffects.build(SPEC, regs("crash"))
    feat = np.array([1, 1, 1, 0])
    fw = np.array([4, 5, 9, 9])
    eff = scoped.per_event(3, feat, fw)
    assert eff.crash_add[:, 0].tolist() == [0.0, 0.5, 0.5, 0.0]
    assert eff.feedback_shift[:, 0].tolist() == [0.0, -0.2, -0.2, 0.0]
    assert scoped.per_event(5, feat, fw).crash_add[:, 0].tolist() == [0.0] * 4


def test_latency_and_error_regressions_scale_the_hit_events() -> None:
    feat, fw = np.array([1, 1]), np.array([5, 0])
    latency = ScopedEffects.build(SPEC, regs("latency")).per_event(2, feat, fw)
    assert latency.latency_log[:, 0] == pytest.approx([np.log1p(0.5), 0.0])
    errors = ScopedEffects.build(SPEC, regs("errors")).per_event(2, feat, fw)
    assert errors.error_mult[:, 0].tolist() == [1.5, 1.0]


def test_an_unknown_scope_is_refused() -> None:
    with pytest.raises(InputError, match="bad value for 'regression_scope': must be feature or"):
        build_spec(GenerateSettings(), regression_scope="device")
