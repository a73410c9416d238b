"""Formatting shared by the README figure renderers: load a result, numbers with intervals,
markdown tables."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any


def load(results: Path, name: str) -> dict[str, Any]:
    """One benchmark's JSON; a missing file is an error (a README figure needs its source)."""
    path = results / f"{name}.json"
    if not path.is_file():
        raise SystemExit(f"Error: {path} is missing: run the benchmark that writes it first")
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def f1(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.1f}"


def f3(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def with_ci(entry: dict[str, Any] | None, fmt: Callable[[float | None], str] = f3) -> str:
    """``0.712 (0.650–0.770)`` from ``{"value": .., "ci90": [lo, hi]}``."""
    if not entry:
        return "n/a"
    ci = entry.get("ci90")
    if not ci or ci[0] is None:
        return fmt(entry.get("value"))
    return f"{fmt(entry.get('value'))} ({fmt(ci[0])}–{fmt(ci[1])})"


def pct_ci(entry: dict[str, Any] | None) -> str:
    """Shares as percentages with their interval."""
    if not entry:
        return "n/a"
    scaled = {"value": _pct(entry.get("value")), "ci90": [_pct(v) for v in entry.get("ci90") or []]}
    return with_ci(scaled, f1) + ("%" if entry.get("value") is not None else "")


def _pct(x: float | None) -> float | None:
    return None if x is None else 100.0 * x


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
