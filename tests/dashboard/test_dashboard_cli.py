"""`vigil dashboard`: help, errors, the address it prints, and a light import path."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vigil.cli.main import app
from vigil.dashboard import server

runner = CliRunner()


def test_help_documents_port_and_host() -> None:
    result = runner.invoke(app, ["dashboard", "--help"])
    assert result.exit_code == 0
    assert "--port" in result.output and "--host" in result.output
    assert "dashboard" in result.output.lower()


def test_missing_config_is_one_error_line_and_exit_2(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    result = runner.invoke(app, ["dashboard", "-c", str(missing)])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"Error: {missing}: config file not found (run 'vigil demo' to create one)"
    )


def test_port_out_of_range_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["dashboard", "-c", str(tmp_path / "x.yaml"), "--port", "70000"])
    assert result.exit_code == 2


@pytest.mark.parametrize(
    ("args", "address"),
    [
        ([], "http://127.0.0.1:8501"),
        (["--port", "9123", "--host", "0.0.0.0"], "http://0.0.0.0:9123"),
    ],
)
def test_prints_the_address_and_serves_with_the_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], address: str
) -> None:
    config = tmp_path / "vigil.yaml"
    config.write_text("workspace: .vigil\n", encoding="utf-8")
    calls: list[tuple[Path, str, int]] = []
    monkeypatch.setattr(server, "serve", lambda c, h, p: calls.append((c, h, p)) or 0)
    result = runner.invoke(app, ["dashboard", "-c", str(config), *args])
    assert result.exit_code == 0, result.output
    assert f"Vigil dashboard: {address}" in result.stdout
    host, port = address.removeprefix("http://").split(":")
    assert calls == [(config, host, int(port))]


def test_streamlit_command_binds_where_told_and_sends_no_telemetry() -> None:
    command = server.streamlit_command("127.0.0.1", 8600)
    assert command[:4] == [sys.executable, "-m", "vigil.dashboard.launch", "run"]
    assert command[command.index("--server.address") + 1] == "127.0.0.1"
    assert command[command.index("--server.port") + 1] == "8600"
    assert command[command.index("--browser.gatherUsageStats") + 1] == "false"
    assert Path(command[4]).name == "app.py" and Path(command[4]).is_file()


def test_cli_does_not_import_streamlit_or_duckdb_at_start_up() -> None:
    code = (
        "import sys, vigil.cli.main, vigil.cli.dashboard_cmd; "
        "print(sorted(m for m in ('streamlit', 'duckdb', 'plotly', 'vigil.dashboard.source') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "streamlit" not in out.stdout and "plotly" not in out.stdout
    assert "vigil.dashboard.source" not in out.stdout


def _servers(pid: int, timeout: float = 120.0) -> list[int]:
    """The Streamlit servers ``pid`` has started (children running vigil.dashboard.launch), once
    there is one, or [] after ``timeout``."""
    import psutil

    parent = psutil.Process(pid)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [c.pid for c in parent.children() if "vigil.dashboard.launch" in c.cmdline()]
        if found:
            return found
        time.sleep(0.1)
    return []


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_stops_the_streamlit_child_too(tmp_path: Path, sig: signal.Signals) -> None:
    import psutil

    config = tmp_path / "vigil.yaml"
    config.write_text("workspace: .vigil\n", encoding="utf-8")
    port = free_port()
    vigil = Path(sys.executable).with_name("vigil")
    cli = subprocess.Popen(
        [str(vigil), "dashboard", "-c", str(config), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own group: a leftover is killed below, never this suite
    )
    try:
        children = _servers(cli.pid)
        assert len(children) == 1, "vigil dashboard starts one streamlit server"
        child = psutil.Process(children[0])
        cli.send_signal(sig)  # to the CLI only, as a service manager or `kill <pid>` would
        assert cli.wait(timeout=60) == 0
        child.wait(timeout=5)  # already gone: the CLI waited for it before exiting
        assert not psutil.pid_exists(children[0])
    finally:
        if cli.poll() is None:
            os.killpg(cli.pid, signal.SIGKILL)
            cli.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
