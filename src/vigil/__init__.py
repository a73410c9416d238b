"""Vigil: early warning on product reliability. `from vigil import Workspace` is the API."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vigil.workspace import Workspace

__all__ = ["Workspace"]


def __getattr__(name: str) -> Any:
    # lazy: the CLI imports this package for every command, and the config models cost ~0.3 s
    if name == "Workspace":
        from vigil.workspace import Workspace

        return Workspace
    raise AttributeError(f"module 'vigil' has no attribute {name!r}")
