"""Config for opening the warehouse."""

from __future__ import annotations

from pydantic import Field

from vigil.settings_base import Section


class WarehouseSettings(Section):
    """How long a run waits for the warehouse while another process (a dashboard reading it, or
    another run) holds its lock, before it fails with one line that says so."""

    lock_wait_s: float = Field(30.0, ge=0, le=3600)
