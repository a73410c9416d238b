"""Same seed, same bytes; another seed, another world."""

from __future__ import annotations

import hashlib
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vigil.config import GenerateSettings
from vigil.synth import generate_world

SMALL = {
    "n_features": 4,
    "days": 7,
    "events_per_day": 50,
    "n_devices": 20,
    "n_users": 40,
    "n_pending": 5,
}


def digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    generate_world(tmp_path / "a", GenerateSettings(seed=3), **SMALL)
    generate_world(tmp_path / "b", GenerateSettings(seed=3), **SMALL)
    a, b = digests(tmp_path / "a"), digests(tmp_path / "b")
    assert len(a) > 20
    assert a == b


def test_rerun_into_the_same_folder_replaces_old_partitions(tmp_path: Path) -> None:
    generate_world(tmp_path, GenerateSettings(seed=3), **{**SMALL, "days": 9})
    generate_world(tmp_path, GenerateSettings(seed=3), **SMALL)
    fresh = tmp_path.parent / "fresh"
    generate_world(fresh, GenerateSettings(seed=3), **SMALL)
    assert digests(tmp_path) == digests(fresh)


def test_another_seed_another_world(tmp_path: Path) -> None:
    generate_world(tmp_path / "a", GenerateSettings(seed=3), **SMALL)
    generate_world(tmp_path / "b", GenerateSettings(seed=4), **SMALL)
    a, b = digests(tmp_path / "a"), digests(tmp_path / "b")
    assert a.keys() == b.keys()
    assert (
        a["data/telemetry/date=2026-01-01/part-0.parquet"]
        != b["data/telemetry/date=2026-01-01/part-0.parquet"]
    )


@settings(
    max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 2**31),
    days=st.integers(7, 10),
    n_features=st.integers(3, 6),
    events=st.integers(10, 80),
)
def test_row_accounting_holds_for_any_small_world(
    tmp_path: Path, seed: int, days: int, n_features: int, events: int
) -> None:
    out = tmp_path / f"w{seed}-{days}-{n_features}-{events}"
    s = generate_world(
        out,
        GenerateSettings(seed=seed, malformed_share=0.1, duplicate_share=0.1),
        days=days,
        n_features=n_features,
        events_per_day=events,
        n_devices=20,
        n_users=40,
        n_pending=3,
    )
    assert s.events == s.clean_events + s.duplicates
    assert s.clean_events <= days * events
    parts = sorted((out / "data" / "telemetry").iterdir())
    assert len(parts) == days
