"""Run the endpoint on uvicorn, on a socket bound here so a busy port is one clear error."""

from __future__ import annotations

import logging
import signal
import socket

import uvicorn

from vigil.serve.app import create_app
from vigil.serve.errors import ServeError
from vigil.serve.service import IngestService

log = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket (port 0 picks a free one); ServeError when it cannot be had."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ServeError(f"cannot listen on {host}:{port} ({exc.strerror}); pick --port") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def run(service: IngestService, token: str, sock: socket.socket) -> None:
    """Serve until SIGINT / SIGTERM; the app's lifespan rolls the log on the way out."""
    config = uvicorn.Config(
        create_app(service, token),
        log_level="warning",
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=10,
        server_header=False,
    )
    server = uvicorn.Server(config)
    host, port = sock.getsockname()[:2]
    log.info("live ingest listening on %s:%d", host, port)
    # uvicorn re-raises the stop signal once it has shut down gracefully; a signal that finds
    # these no-op handlers makes that an ordinary exit (0) instead of death by signal.
    previous = {sig: signal.signal(sig, lambda *_: None) for sig in STOP_SIGNALS}
    try:
        server.run(sockets=[sock])
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
