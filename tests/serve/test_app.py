"""The app once its log has failed: 503 for writes and for /healthz, never a false 202."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import httpx
import pytest
from tests.serve.data import event, write_workspace
from tests.serve.server import TOKEN, auth

from vigil.config import load_config
from vigil.serve.app import create_app
from vigil.serve.errors import ServeError
from vigil.serve.log import SegmentLog
from vigil.serve.service import IngestService


def test_a_failed_write_stops_the_log(tmp_path: Path) -> None:
    seg_log = SegmentLog(tmp_path, 1)
    os.close(seg_log._fd)  # the file goes away under the log
    with pytest.raises(ServeError, match=r"write to 000000000001\.log failed"):
        seg_log.append(b"x")
    assert (seg_log.failure or "").startswith("write to 000000000001.log failed")
    with pytest.raises(ServeError, match="the event log is unusable"):
        seg_log.wait_durable(1)


def test_requests_after_a_failure_get_503(tmp_path: Path) -> None:
    service = IngestService.open(load_config(write_workspace(tmp_path)))
    transport = httpx.ASGITransport(app=create_app(service, TOKEN))

    async def exercise() -> list[httpx.Response]:
        async with httpx.AsyncClient(transport=transport, base_url="http://vigil") as client:
            ok = await client.post("/v1/events", content=json.dumps([event(1)]), headers=auth())
            os.close(service.journal._log._fd)  # the file goes away under the log
            failed = await client.post("/v1/events", content=json.dumps([event(2)]), headers=auth())
            return [ok, failed, await client.get("/healthz")]

    ok, failed, health = asyncio.run(exercise())
    assert ok.status_code == 202
    assert failed.status_code == 503
    assert failed.json()["error"].endswith("; nothing from this request was stored")
    assert health.status_code == 503
    assert health.json()["status"] == "failing"
