"""The endpoint over real HTTP: a `vigil serve` subprocess on a free port, then `vigil run`."""

from __future__ import annotations

import gzip
import json
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import polars as pl
import pytest
from tests.serve.data import event, write_workspace
from tests.serve.server import TOKEN, Server, auth, start, wait_rolled
from typer.testing import CliRunner

from vigil.cli.main import app
from vigil.config import load_config
from vigil.pipeline import run_pipeline
from vigil.warehouse.connection import open_warehouse, resolved_paths

LIMIT = 4_096


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Server]]:
    """One server for the module's requests (starting one costs seconds)."""
    config = write_workspace(tmp_path_factory.mktemp("serve"), max_body_bytes=LIMIT, max_events=20)
    server = start(config)
    yield config, server
    assert server.stop() == 0


def _post(server: Server, body: bytes, **headers: str) -> httpx.Response:
    return httpx.post(server.url + "/v1/events", content=body, headers=headers, timeout=30)


def test_good_batch_is_accepted_and_reaches_the_warehouse(served: tuple[Path, Server]) -> None:
    config, server = served
    events = [event(n, event_id=f"good-{n}") for n in range(100, 105)]
    answer = _post(server, json.dumps(events).encode(), **auth())
    assert answer.status_code == 202
    assert answer.json() == {"accepted": 5, "duplicate": 0, "rejected": 0, "rejections": []}
    resend = _post(server, json.dumps(events[:3]).encode(), **auth())
    assert resend.json() == {"accepted": 0, "duplicate": 3, "rejected": 0, "rejections": []}
    wait_rolled(server)
    run_pipeline(load_config(config), stages=False)
    with open_warehouse(load_config(config).warehouse_path, read_only=True) as con:
        stored = [r[0] for r in con.execute("SELECT path FROM landing_file").fetchall()]
        paths = resolved_paths(con, stored)
    users = pl.read_parquet(paths)["user_id"].to_list()
    assert sorted(u for u in users if u.startswith("live10")) == [
        f"live{n}" for n in range(100, 105)
    ]


def test_ndjson_and_gzip_with_a_rejected_event(served: tuple[Path, Server]) -> None:
    _, server = served
    lines = [event(200), event(201, latency_ms="fast"), event(202)]
    body = gzip.compress("\n".join(json.dumps(e) for e in lines).encode())
    answer = _post(
        server,
        body,
        **auth(),
        **{"Content-Type": "application/x-ndjson", "Content-Encoding": "gzip"},
    )
    assert answer.status_code == 202
    assert answer.json() == {
        "accepted": 2,
        "duplicate": 0,
        "rejected": 1,
        "rejections": [
            {
                "index": 1,
                "event_id": None,
                "reasons": [
                    {"column": "latency_ms", "reason": "not_a_number", "detail": "expected float"}
                ],
            }
        ],
    }


@pytest.mark.parametrize("header", [None, "Bearer wrong-token", "Basic abc", "Bearer"])
def test_missing_or_wrong_token_is_401(served: tuple[Path, Server], header: str | None) -> None:
    _, server = served
    headers = {} if header is None else {"Authorization": header}
    answer = _post(server, json.dumps([event(1)]).encode(), **headers)
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"
    assert answer.json() == {"error": "missing or wrong bearer token ($VIGIL_INGEST_TOKEN)"}


@pytest.mark.parametrize(
    ("body", "headers", "status", "error"),
    [
        (b"[{", {}, 400, "not valid JSON at line 1, column 3: Expecting property name"),
        (b'{"x": 1}', {"Content-Type": "application/json"}, 422, "a JSON body must be an array"),
        (b"[]", {}, 422, "body holds no events"),
        (b"x" * (LIMIT + 1), {}, 413, f"body of {LIMIT + 1} bytes is over the limit of {LIMIT}"),
        (gzip.compress(b" " * 50_000), {"Content-Encoding": "gzip"}, 413, "body is larger"),
        (json.dumps([event(n) for n in range(21)]).encode(), {}, 413, "21 events in one"),
    ],
)
def test_bad_bodies(
    served: tuple[Path, Server], body: bytes, headers: dict[str, str], status: int, error: str
) -> None:
    _, server = served
    answer = _post(server, body, **auth(), **headers)
    assert answer.status_code == status
    assert answer.json()["error"].startswith(error)


def test_healthz_and_metrics(served: tuple[Path, Server]) -> None:
    _, server = served
    assert httpx.get(server.url + "/healthz").json()["status"] == "ok"
    text = httpx.get(server.url + "/metrics").text
    names = {line.split(" ")[0] for line in text.splitlines() if line and line[0] != "#"}
    assert {
        "vigil_ingest_events_accepted_total",
        "vigil_ingest_events_rejected_total",
        "vigil_ingest_batch_lag_seconds",
        'vigil_ingest_requests_total{code="401"}',
    } <= names


def test_serve_refuses_to_start_without_a_token(
    make_workspace: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VIGIL_INGEST_TOKEN", raising=False)
    result = CliRunner().invoke(app, ["serve", "-c", str(make_workspace())])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: VIGIL_INGEST_TOKEN is not set: export a long random")
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_busy_port_is_one_line(
    make_workspace: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VIGIL_INGEST_TOKEN", TOKEN)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = CliRunner().invoke(
            app, ["serve", "-c", str(make_workspace()), "--port", str(port)]
        )
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: cannot listen on 127.0.0.1:{port} (Address already in use); pick --port"
    )


def test_a_short_token_is_refused(
    make_workspace: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VIGIL_INGEST_TOKEN", "short")
    result = CliRunner().invoke(app, ["serve", "-c", str(make_workspace())])
    assert result.exit_code == 2
    assert result.stderr.strip() == "Error: VIGIL_INGEST_TOKEN is shorter than 16 characters"
