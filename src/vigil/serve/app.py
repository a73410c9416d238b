"""The HTTP surface: POST /v1/events, GET /healthz, GET /metrics (FastAPI)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.concurrency import run_in_threadpool

from vigil.serve.auth import TOKEN_ENV, authorized
from vigil.serve.body import BodyError
from vigil.serve.errors import ServeError
from vigil.serve.service import IngestService


def create_app(service: IngestService, token: str) -> FastAPI:
    """The ASGI app; the lifespan starts and stops the service's roller."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        service.start()
        try:
            yield
        finally:
            await run_in_threadpool(service.stop)

    app = FastAPI(
        title="Vigil live ingest",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    limit = service.settings.max_body_bytes

    @app.post("/v1/events")
    async def post_events(request: Request) -> JSONResponse:
        """Accept a JSON array or NDJSON body of events (gzip allowed); 202 once on disk."""
        if not authorized(request.headers.get("authorization"), token):
            return _answer(service, 401, f"missing or wrong bearer token (${TOKEN_ENV})")
        try:
            raw = await _read_body(request, limit)
            result = await run_in_threadpool(
                service.ingest,
                raw,
                request.headers.get("content-encoding"),
                request.headers.get("content-type"),
            )
        except BodyError as exc:
            return _answer(service, exc.status, exc.message)
        except ServeError as exc:
            return _answer(service, 503, f"{exc}; nothing from this request was stored")
        service.metrics.requests.labels("202").inc()
        return JSONResponse(result, status_code=202)

    @app.get("/healthz")
    def healthz() -> JSONResponse:
        """200 while the log takes events (503 after a failed write), and what waits to roll."""
        waiting, oldest = service.journal.waiting()
        failure = service.journal.failure
        body = {
            "status": "failing" if failure else "ok",
            "events_waiting": waiting,
            "oldest_waiting": oldest.isoformat() if oldest else None,
        }
        if failure:
            body["error"] = failure
        return JSONResponse(body, status_code=503 if failure else 200)

    @app.get("/metrics")
    def metrics() -> Response:
        """Prometheus text format."""
        return Response(service.metrics.render(), media_type=CONTENT_TYPE_LATEST)

    return app


async def _read_body(request: Request, limit: int) -> bytes:
    """The raw body, refused with 413 as soon as it is known to exceed ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise BodyError(400, "Content-Length is not a number")
        if int(declared) > limit:
            raise BodyError(413, f"body of {declared} bytes is over the limit of {limit}")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyError(413, f"body is over the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _answer(service: IngestService, status: int, message: str) -> JSONResponse:
    service.metrics.requests.labels(str(status)).inc()
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"error": message}, status_code=status, headers=headers)
