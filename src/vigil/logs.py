"""Logging set-up: once per process, a file in the workspace plus warnings on stderr."""

from __future__ import annotations

import logging
from pathlib import Path

_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(log_dir: Path | None = None, *, verbose: bool = False) -> None:
    """Send vigil's logs to ``log_dir/vigil.log`` (when given) and warnings to stderr."""
    root = logging.getLogger("vigil")
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    if not any(
        isinstance(h, logging.StreamHandler) and not isinstance(h, logging.FileHandler)
        for h in root.handlers
    ):
        console = logging.StreamHandler()
        console.setLevel(logging.DEBUG if verbose else logging.WARNING)
        console.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        root.addHandler(console)
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        target = str((log_dir / "vigil.log").resolve())
        if not any(
            isinstance(h, logging.FileHandler) and h.baseFilename == target for h in root.handlers
        ):
            handler = logging.FileHandler(target, encoding="utf-8")
            handler.setFormatter(logging.Formatter(_FORMAT))
            root.addHandler(handler)
