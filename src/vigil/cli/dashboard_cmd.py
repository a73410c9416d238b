"""`vigil dashboard`: serve the Streamlit dashboard on localhost."""

from __future__ import annotations

from typing import Annotated

import typer

from vigil.cli.common import DEFAULT_CONFIG, ConfigOption, console, handle_errors, open_config


@handle_errors
def dashboard(
    config: ConfigOption = DEFAULT_CONFIG,
    port: Annotated[
        int | None, typer.Option("--port", help="Port (default 8501 or config).", min=1, max=65535)
    ] = None,
    host: Annotated[
        str | None, typer.Option("--host", help="Address to bind (default 127.0.0.1).")
    ] = None,
) -> None:
    """Serve the executive dashboard (Streamlit) for a workspace."""
    from vigil.dashboard.server import serve, url

    cfg = open_config(config)
    bind_host = host or cfg.dashboard.host
    bind_port = port or cfg.dashboard.port
    console.print(f"Vigil dashboard: {url(bind_host, bind_port)}  (Ctrl-C to stop)")
    code = serve(config, bind_host, bind_port)
    if code not in (0, -2, -15, 130):
        raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the app."""
    app.command("dashboard")(dashboard)
