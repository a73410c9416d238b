"""The layer rule of docs/ARCHITECTURE.md, checked on the imports of every module."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "vigil"
FRONT = {"cli", "dashboard", "serve"}
"""front doors: they call the workspace and the areas' read APIs"""
COMPOSITION = {"workspace", "pipeline", "stages", "demo"}
"""what wires the areas into a run and one API"""


def _modules() -> Iterator[tuple[str, set[str]]]:
    """(package of each module, the vigil modules it imports)."""
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC).with_suffix("").parts
        package = parts[0] if parts[0] != "__init__" else "vigil"
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("vigil."):
                found.add(str(node.module))
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.startswith("vigil."))
        yield package, found


def _top(module: str) -> str:
    return module.split(".")[1]


MODULES = list(_modules())


def test_areas_never_import_the_front_doors_or_the_composition() -> None:
    upward = FRONT | COMPOSITION
    bad = sorted(
        (package, target)
        for package, targets in MODULES
        if package not in upward | {"vigil"}
        for target in targets
        if _top(target) in upward and not target.endswith(".settings")  # config sections
    )
    assert bad == []


def test_modelling_core_depends_on_nothing_but_errors() -> None:
    deps = {_top(t) for p, targets in MODULES if p == "modelling" for t in targets}
    assert deps <= {"modelling", "errors"}


def test_config_imports_only_settings_sections() -> None:
    imported = {t for p, targets in MODULES if p == "config" for t in targets}
    assert imported, "config.py must be found"
    others = {t for t in imported if not t.endswith(".settings")}
    assert others <= {"vigil.errors", "vigil.settings_base"}


@pytest.mark.parametrize("package", ["cli"])
def test_front_doors_open_the_warehouse_only_through_the_workspace(package: str) -> None:
    direct = sorted(
        t for p, targets in MODULES if p == package for t in targets if _top(t) == "warehouse"
    )
    assert direct == []
