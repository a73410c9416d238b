"""What every CLI command shares: consoles, the config option, and error-to-exit-code handling.

Exit codes (documented in the README):
    0  success (gate: PASS)
    1  the command ran and found a problem it reports (gate: BLOCKED; run: quality FAIL)
    2  bad input or usage (missing file, bad config, missing columns, no trained model), and
       errors from the machine (permission denied, a directory where a file belongs, disk full)
    3  an unexpected internal error (a bug: the log file has the traceback)
Every error is one line on stderr; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar

import click
import typer
from rich.console import Console

from vigil.errors import VigilError
from vigil.logs import configure_logging

if TYPE_CHECKING:  # pydantic models cost ~0.3 s to build: only commands that need them pay
    from vigil.config import VigilConfig
    from vigil.workspace import Workspace

P = ParamSpec("P")
R = TypeVar("R")

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

ConfigOption = Annotated[
    Path,
    typer.Option("--config", "-c", help="Path to vigil.yaml.", envvar="VIGIL_CONFIG"),
]
DEFAULT_CONFIG = Path("vigil.yaml")
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print one JSON document instead of a table.")
]
"""every command that prints data takes --json"""

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
        except (typer.Exit, typer.Abort, click.exceptions.ClickException):
            raise
        except VigilError as exc:
            if _state["debug"]:
                raise
            raise fail(str(exc), exc.exit_code) from None
        except KeyboardInterrupt:
            raise fail("interrupted", 130) from None
        except OSError as exc:  # the machine said no: permission, a directory, a full disk
            if _state["debug"]:
                raise
            raise fail(_os_message(exc), 2) from None
        except Exception as exc:
            if _state["debug"]:
                raise
            log.info("internal error", exc_info=True)  # traceback to the log file only
            text = (str(exc).strip().splitlines() or [""])[0]
            raise fail(
                f"internal error: {type(exc).__name__}: {text} (rerun with --debug for details)",
                3,
            ) from None

    return wrapper


def _os_message(exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    where = exc.filename if exc.filename is not None else None
    return f"{where}: {reason}" if where else reason


def open_config(path: Path) -> VigilConfig:
    """Load the config and start logging into its workspace."""
    from vigil.config import load_config

    cfg = load_config(path)
    configure_logging(cfg.logs_dir)
    return cfg


def open_workspace(path: Path) -> Workspace:
    """The workspace of a config file, with logging started in it."""
    from vigil.workspace import Workspace

    return Workspace.open(path)


@contextlib.contextmanager
def progress(
    title: str, *, total: int | None = None, quiet: bool = False
) -> Iterator[Callable[[str], None]]:
    """A Rich progress bar on stderr for long work; yields ``step(name)``, which names the
    current step and advances the bar. Silent when ``quiet`` (``--json``) or when stdout is
    not a terminal, so piped and CI output stays clean."""
    if quiet or not console.is_terminal:
        yield lambda _step: None
        return
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task(title, total=total)
        started = False

        def step(name: str) -> None:
            nonlocal started
            bar.update(task, description=f"{title}: {name}", advance=1 if started else 0)
            started = True

        yield step
        bar.update(task, completed=total)


def emit_json(payload: Any) -> None:
    """Write a JSON document to stdout, bypassing Rich markup."""
    import json

    sys.stdout.write(json.dumps(payload, indent=2, default=str) + "\n")
    sys.stdout.flush()


log = logging.getLogger("vigil.cli")
