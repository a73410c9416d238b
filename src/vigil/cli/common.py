"""What every CLI command shares: consoles, the config option, and error-to-exit-code handling.

Exit codes (documented in the README):
    0  success (gate: PASS)
    1  the command ran and found a problem it reports (gate: BLOCKED; run: quality FAIL)
    2  bad input or usage (missing file, bad config, missing columns, no trained model)
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console

from vigil.errors import VigilError
from vigil.logs import configure_logging

if TYPE_CHECKING:  # pydantic models cost ~0.3 s to build: only commands that need them pay
    from vigil.config import VigilConfig

P = ParamSpec("P")
R = TypeVar("R")

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

ConfigOption = Annotated[
    Path,
    typer.Option("--config", "-c", help="Path to vigil.yaml.", envvar="VIGIL_CONFIG"),
]
DEFAULT_CONFIG = Path("vigil.yaml")

_state: dict[str, bool] = {"debug": False}


def set_debug(debug: bool) -> None:
    """Remember --debug so errors show their traceback."""
    _state["debug"] = debug


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``Error: message`` on stderr and return the Exit to raise."""
    err_console.print(f"Error: {message}", markup=False, soft_wrap=True)
    return typer.Exit(code)


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn VigilError into one line on stderr and its exit code; --debug re-raises."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except VigilError as exc:
            if _state["debug"]:
                raise
            raise fail(str(exc), exc.exit_code) from None
        except KeyboardInterrupt:
            raise fail("interrupted", 130) from None

    return wrapper


def open_config(path: Path) -> VigilConfig:
    """Load the config and start logging into its workspace."""
    from vigil.config import load_config

    cfg = load_config(path)
    configure_logging(cfg.logs_dir)
    return cfg


def emit_json(payload: Any) -> None:
    """Write a JSON document to stdout, bypassing Rich markup."""
    import json

    sys.stdout.write(json.dumps(payload, indent=2, default=str) + "\n")
    sys.stdout.flush()


log = logging.getLogger("vigil.cli")
