"""Start the Streamlit server for the dashboard as a child process."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

log = logging.getLogger(__name__)

CONFIG_ENV = "VIGIL_CONFIG"
"""how the server tells the app which config to open"""

APP = Path(__file__).with_name("app.py")


def streamlit_command(host: str, port: int) -> list[str]:
    """The `streamlit run` command line: headless, no telemetry, no file watcher."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--server.runOnSave",
        "false",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "minimal",
        "--theme.base",
        "light",
    ]


def url(host: str, port: int) -> str:
    """The address a browser opens."""
    return f"http://{host}:{port}"


def serve(config_path: Path, host: str, port: int) -> int:
    """Run the dashboard until interrupted; returns the server's exit code."""
    env = {**os.environ, CONFIG_ENV: str(config_path.resolve())}
    log.info("starting dashboard on %s for %s", url(host, port), config_path)
    process = subprocess.Popen(streamlit_command(host, port), env=env)
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        return process.wait()
