"""README figures from benchmarks/results/*.json: the README quotes no number by hand.

Usage: .venv/bin/python benchmarks/readme_figures.py [--check]

Each figure block in README.md sits between ``<!-- figures:NAME -->`` and ``<!-- /figures:NAME -->``
and is rendered here from the JSON that the benchmark NAME wrote. Without ``--check`` the blocks
are rewritten in place; with it, the script exits 1 naming every block that disagrees with the
JSON (tests/foundation/test_readme_figures.py runs the same check).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
README = HERE.parent / "README.md"
BLOCK = re.compile(
    r"(<!-- figures:(?P<name>[a-z_]+) -->\n)(?P<body>.*?)(<!-- /figures:(?P=name) -->)", re.S
)

Renderer = Callable[[Path], str]


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


def performance(results: Path) -> str:
    """Speed: aggregation at 20M and 200M events, gate cold start, dashboard load."""
    agg = load(results, "aggregate_20000000")
    big = load(results, "aggregate_200000000")["results"]["vigil"]
    gate = load(results, "gate_cold_start")
    dash = load(results, "dashboard_load")
    r, ratio = agg["results"], agg["ratios"]
    rows = [
        [
            "raw events → `fact_feature_daily`, 20M events, 300 features × 365 days",
            "`python benchmarks/aggregate.py --events 20000000 --with-run`",
            f"vigil {r['vigil']['seconds']:.1f} s vs hand-written DuckDB query "
            f"{r['floor']['seconds']:.1f} s (**{ratio['vigil_over_floor']:.2f}×**); pandas "
            f"{r['pandas']['seconds']:.1f} s (**{ratio['pandas_over_vigil']:.2f}×** slower); "
            f"whole `vigil run` load half {r['vigil_run']['seconds']:.0f} s",
        ],
        [
            "the same at 200M events",
            "`python benchmarks/aggregate.py --events 200000000 --only vigil`",
            f"vigil {big['seconds']:.1f} s at {big['peak_rss_mb'] / 1024:.1f} GB peak RSS",
        ],
        [
            "`vigil gate` on 100 patches, fresh process",
            "`python benchmarks/gate_cold_start.py`",
            f"{gate['gate_median_s']:.2f} s median (`python -c pass`: "
            f"{gate['python_pass_median_s']:.2f} s)",
        ],
        [
            "dashboard overview, 300 features × 365 days",
            "`python benchmarks/dashboard_load.py`",
            f"{dash['load_s_median']:.2f} s median cold load (target {dash['target_s']:.0f} s)",
        ],
    ]
    return table(["what", "command", "result"], rows)


def jit(results: Path) -> str:
    """JIT defect prediction against the published rows of the ISSTA 2021 paper."""
    data = load(results, "jit")["projects"]
    rows = []
    for name, project in data.items():
        m, published = project["rows"], project["published_auc"]
        best = max(published, key=published.__getitem__)
        rows.append(
            [
                name,
                f"**{m['model']['auc']:.3f}**",
                f"{published[best]:.3f} ({best})",
                f"{m['lr_all_columns']['auc']:.3f}",
                f"{m['model']['popt']:.3f}",
                f"{m['smallest_change_first']['popt']:.3f}",
            ]
        )
    header = [
        "project",
        "test AUC",
        "best published",
        "LR all columns",
        "Popt",
        "smallest-first Popt",
    ]
    return table(header, rows)


RENDERERS: dict[str, Renderer] = {"performance": performance, "jit": jit}


def render(text: str, results: Path = RESULTS) -> tuple[str, list[str]]:
    """README text with every figure block re-rendered, and the names of blocks that changed."""
    changed: list[str] = []

    def fill(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in RENDERERS:
            raise SystemExit(f"Error: README block '{name}' has no renderer in {__file__}")
        body = RENDERERS[name](results)
        if body != match.group("body"):
            changed.append(name)
        return f"{match.group(1)}{body}{match.group(4)}"

    return BLOCK.sub(fill, text), changed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the README is stale")
    parser.add_argument("--readme", type=Path, default=README)
    args = parser.parse_args()
    text = args.readme.read_text()
    new, changed = render(text)
    if args.check:
        if changed:
            print(f"README figures disagree with benchmarks/results: {', '.join(changed)}")
            return 1
        print("README figures agree with benchmarks/results")
        return 0
    args.readme.write_text(new)
    print(f"rewrote {len(changed)} block(s): {', '.join(changed) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
