"""Vigil's exceptions: one root, a few branches, each carrying the fields a user needs.

    VigilError                      root; the CLI turns any of these into ``Error: ...`` + exit code
    ├── ConfigError                 vigil.yaml unreadable, unknown key, bad value (file, key)
    ├── InputError                  an input cannot be used at all (file, reason)
    │   └── MissingColumnsError     required columns absent (file, columns)
    ├── WarehouseError              the warehouse is missing, locked or not built yet
    ├── EngineError                 the engine cannot run the SQL as written (Spark absent, no exact
    │                               Spark equivalent of a DuckDB construct)
    ├── ModelError                  no trained model, checksum mismatch, feature list mismatch
    └── StageError                  a pipeline stage failed for a reason the user can act on

Every exception has an ``exit_code`` (2 for bad input or usage, 1 otherwise) that the CLI uses.
Messages say what is wrong *and* what to do next.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class VigilError(Exception):
    """Root of every error Vigil raises on purpose."""

    exit_code: int = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConfigError(VigilError):
    """The configuration file cannot be read or does not validate."""

    exit_code = 2

    def __init__(self, message: str, *, file: Path | str | None = None, key: str | None = None):
        self.file = str(file) if file is not None else None
        self.key = key
        prefix = f"{self.file}: " if self.file else ""
        super().__init__(prefix + message)


class InputError(VigilError):
    """An input file (or argument) cannot be used at all."""

    exit_code = 2

    def __init__(self, message: str, *, file: Path | str | None = None):
        self.file = str(file) if file is not None else None
        prefix = f"{self.file}: " if self.file else ""
        super().__init__(prefix + message)


class MissingColumnsError(InputError):
    """Required columns are absent; all of them are named at once."""

    def __init__(self, file: Path | str, columns: Sequence[str], why: str = "required"):
        self.columns = list(columns)
        names = ", ".join(self.columns)
        super().__init__(f"missing columns: {names} ({why})", file=file)


class WarehouseError(VigilError):
    """The warehouse cannot be opened or lacks what a command needs."""


class EngineError(VigilError):
    """The SQL engine cannot run: a construct with no exact equivalent, or Spark not available."""


class ModelError(VigilError):
    """A model is missing, corrupt, or does not match its input."""

    exit_code = 2


class StageError(VigilError):
    """A pipeline stage failed for a reason the user can act on."""
