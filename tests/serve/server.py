"""Start `vigil serve` as a real subprocess on a free port, and stop it."""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

TOKEN = "test-token-0123456789abcdef"
VIGIL = str(Path(sys.executable).with_name("vigil"))
_URL = re.compile(r"http://127\.0\.0\.1:(\d+)/v1/events")


@dataclass
class Server:
    """A running `vigil serve` child process."""

    process: subprocess.Popen[str]
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> int:
        """SIGTERM (graceful: the log is rolled), then wait; returns the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=60)
        finally:
            _close(self.process)

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        _close(self.process)


def start(config: Path, timeout: float = 120.0) -> Server:
    """Start the server on a free port and wait until /healthz answers."""
    env = {**os.environ, "VIGIL_INGEST_TOKEN": TOKEN, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [VIGIL, "serve", "-c", str(config), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        server = Server(process, _read_port(process, time.monotonic() + timeout))
        _wait_healthy(server, time.monotonic() + timeout)
    except BaseException:
        process.kill()
        process.wait()
        _close(process)
        raise
    return server


@contextmanager
def running(config: Path) -> Iterator[Server]:
    """A started server that is killed on the way out if the test left it running."""
    server = start(config)
    try:
        yield server
    finally:
        if server.process.poll() is None:
            server.kill()


def auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


def _read_port(process: subprocess.Popen[str], deadline: float) -> int:
    assert process.stdout is not None
    seen = []
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.5)
        if not ready:
            continue
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        seen.append(line)
        found = _URL.search(line)
        if found:
            return int(found.group(1))
    raise AssertionError(f"vigil serve did not start: {''.join(seen)!r}")


def _wait_healthy(server: Server, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            if httpx.get(server.url + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise AssertionError("vigil serve never answered /healthz")


def _close(process: subprocess.Popen[str]) -> None:
    if process.stdout is not None:
        process.stdout.close()


def wait_rolled(server: Server, timeout: float = 60.0) -> None:
    """Wait until every accepted event is in an inbox batch."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if httpx.get(server.url + "/healthz", timeout=5).json()["events_waiting"] == 0:
            return
        time.sleep(0.1)
    raise AssertionError("the server did not roll its log in time")
