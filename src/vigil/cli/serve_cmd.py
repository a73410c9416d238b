"""CLI: `vigil serve` — the live-ingest HTTP endpoint (token from VIGIL_INGEST_TOKEN)."""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer

from vigil.cli.common import (
    DEFAULT_CONFIG,
    ConfigOption,
    console,
    err_console,
    handle_errors,
    open_config,
)

HostOption = Annotated[
    str | None, typer.Option("--host", help="Address to bind (default serve.host, 127.0.0.1).")
]
PortOption = Annotated[
    int | None,
    typer.Option("--port", help="Port (default serve.port; 0 picks a free one).", min=0, max=65535),
]


@handle_errors
def serve(
    config: ConfigOption = DEFAULT_CONFIG, host: HostOption = None, port: PortOption = None
) -> None:
    """Accept telemetry events over HTTP (POST /v1/events) into the workspace inbox."""
    from vigil.serve.auth import token_from_env

    token = token_from_env()
    cfg = open_config(config)
    from vigil.serve.server import bind, run
    from vigil.serve.service import IngestService

    sock = bind(host or cfg.serve.host, cfg.serve.port if port is None else port)
    service = IngestService.open(cfg)
    bound_host, bound_port = sock.getsockname()[:2]
    console.print(
        f"Vigil live ingest on http://{bound_host}:{bound_port}/v1/events "
        f"(inbox {cfg.inbox_dir / 'telemetry'}; Ctrl-C to stop)",
        markup=False,
        soft_wrap=True,
    )
    if not _loopback(bound_host):
        err_console.print(
            f"Warning: listening on {bound_host}, not loopback: the bearer token crosses the "
            "network unencrypted unless a TLS proxy sits in front.",
            markup=False,
            soft_wrap=True,
        )
    console.file.flush()
    run(service, token, sock)
    waiting, _ = service.journal.waiting()
    if waiting:
        console.print(f"Stopped; {waiting} accepted events stay in the log (rolled on next start).")
    else:
        console.print("Stopped; every accepted event is in the inbox for the next `vigil run`.")


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def register(app: typer.Typer) -> None:
    """Add this area's command to the app."""
    app.command("serve")(serve)
