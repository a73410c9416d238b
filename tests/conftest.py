"""Shared fixtures: tiny workspaces written on the fly, and one demo workspace per session."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

HEADER = "event_time,feature_id,latency_ms,crashed,user_id,session_id,error_count,feedback_score"
FEATURES = (
    "feature_id,feature_name,owner_team,lifecycle_stage,release_date,platform\n"
    "F1,Search,core,ga,2025-01-01,web\n"
    "F2,Checkout,payments,beta,2025-06-01,ios\n"
)


def event_rows(day: dt.date, n: int = 10, feature: str = "F1", latency: float = 100.0) -> list[str]:
    """n valid telemetry rows on one day."""
    return [
        f"{day.isoformat()}T{10 + i % 10:02d}:{i % 60:02d}:00Z,{feature},{latency + i},false,"
        f"u{i},s{i},0,"
        for i in range(n)
    ]


@pytest.fixture
def make_workspace(tmp_path: Path) -> Callable[..., Path]:
    """Write vigil.yaml + data files; returns the config path."""

    def make(
        telemetry: dict[str, str] | None = None,
        features: str | None = FEATURES,
        extra_config: dict[str, object] | None = None,
        telemetry_spec: dict[str, object] | None = None,
    ) -> Path:
        data = tmp_path / "data"
        (data / "telemetry").mkdir(parents=True, exist_ok=True)
        for name, text in (telemetry or {}).items():
            (data / "telemetry" / name).write_text(text, encoding="utf-8")
        inputs: dict[str, object] = {
            "telemetry": {"path": "data/telemetry", **(telemetry_spec or {})}
        }
        if features is not None:
            (data / "features.csv").write_text(features, encoding="utf-8")
            inputs["features"] = {"path": "data/features.csv"}
        doc = {"inputs": inputs, **(extra_config or {})}
        path = tmp_path / "vigil.yaml"
        path.write_text(yaml.safe_dump(doc), encoding="utf-8")
        return path

    return make


@pytest.fixture(scope="session")
def demo_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny demo world, run through the whole pipeline once per test session."""
    from vigil.demo import build_demo

    root = tmp_path_factory.mktemp("demo")
    build_demo(root, size="tiny", start_date=dt.date(2026, 1, 5))
    return root
