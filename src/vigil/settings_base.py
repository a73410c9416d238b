"""The base class every config section derives from: unknown keys are errors."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Section(BaseModel):
    """A config section: strict about keys, frozen once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True)
