"""Start the Streamlit server for the dashboard as a child process."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

log = logging.getLogger(__name__)

CONFIG_ENV = "VIGIL_CONFIG"
"""how the server tells the app which config to open"""

APP = Path(__file__).with_name("app.py")
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
STOP_TIMEOUT_S = 10.0
POLL_S = 0.2
"""how often the server's exit or a stop signal is checked"""


def streamlit_command(host: str, port: int) -> list[str]:
    """The `streamlit run` command line (through :mod:`vigil.dashboard.launch`): headless, no
    telemetry, no file watcher."""
    return [
        sys.executable,
        "-m",
        "vigil.dashboard.launch",  # Streamlit's CLI after preloading the heavy imports
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
    """Run the dashboard until it exits or this process gets SIGTERM / SIGINT, which stop the
    Streamlit child too (it never keeps serving as an orphan); returns the child's exit code."""
    env = {**os.environ, CONFIG_ENV: str(config_path.resolve())}
    log.info("starting dashboard on %s for %s", url(host, port), config_path)
    stopping = threading.Event()
    main = threading.current_thread() is threading.main_thread()  # handlers need the main thread
    previous = {sig: signal.getsignal(sig) for sig in STOP_SIGNALS} if main else {}
    for sig in previous:  # a signal only sets the flag, so none can land between two steps
        signal.signal(sig, lambda signum, frame: stopping.set())
    process: subprocess.Popen[bytes] | None = None
    try:
        process = subprocess.Popen(streamlit_command(host, port), env=env)
        log.info("streamlit server pid %d", process.pid)
        while process.poll() is None and not stopping.is_set():
            stopping.wait(POLL_S)
        return stop(process) if process.poll() is None else process.returncode
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if process is not None and process.poll() is None:  # any other way out: never orphan
            stop(process)


def stop(process: subprocess.Popen[bytes], timeout: float = STOP_TIMEOUT_S) -> int:
    """Terminate the server, kill it when it does not exit in time; returns its exit code."""
    process.terminate()
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        log.warning("streamlit pid %d ignored SIGTERM for %.0f s; killing it", process.pid, timeout)
        process.kill()
        return process.wait()
