"""Tiny event batches and the workspace the serve tests post into."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from tests.conftest import FEATURES, HEADER, event_rows

DAY = dt.date(2026, 3, 1)
AS_OF = "2026-03-02T00:00:00"


def event(n: int, *, event_id: str | None = None, **over: Any) -> dict[str, Any]:
    """One valid event on DAY; user_id carries ``n`` so every event is a distinct row."""
    doc: dict[str, Any] = {
        "event_time": f"{DAY.isoformat()}T{n // 3600 % 24:02d}:{n // 60 % 60:02d}:{n % 60:02d}Z",
        "feature_id": "F1" if n % 2 else "F2",
        "latency_ms": 100 + n % 50,
        "crashed": n % 7 == 0,
        "user_id": f"live{n}",
    }
    if event_id is not None:
        doc["event_id"] = event_id
    return doc | over


def write_workspace(root: Path, **serve: Any) -> Path:
    """Features F1/F2, one telemetry file the day before DAY, a pinned clock and serve settings."""
    telemetry = root / "data" / "telemetry"
    telemetry.mkdir(parents=True, exist_ok=True)
    rows = event_rows(DAY - dt.timedelta(days=1), 3, "F1", 50.0)
    (telemetry / "old.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    (root / "data" / "features.csv").write_text(FEATURES, encoding="utf-8")
    doc = {
        "as_of": AS_OF,
        "inputs": {
            "telemetry": {"path": "data/telemetry"},
            "features": {"path": "data/features.csv"},
        },
        "serve": {"roll_seconds": 0.2, **serve},
    }
    config = root / "vigil.yaml"
    config.write_text(json.dumps(doc), encoding="utf-8")
    return config
