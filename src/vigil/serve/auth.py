"""The bearer token: read once from the environment, compared in constant time."""

from __future__ import annotations

import hmac
import os

from vigil.errors import ConfigError

TOKEN_ENV = "VIGIL_INGEST_TOKEN"
MIN_TOKEN_LENGTH = 16


def token_from_env() -> str:
    """The ingest token; ConfigError (exit 2) when it is unset or too short to be a secret."""
    token = os.environ.get(TOKEN_ENV, "").strip()
    if not token:
        raise ConfigError(
            f"{TOKEN_ENV} is not set: export a long random token before `vigil serve` "
            "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(32))')"
        )
    if len(token) < MIN_TOKEN_LENGTH:
        raise ConfigError(f"{TOKEN_ENV} is shorter than {MIN_TOKEN_LENGTH} characters")
    return token


def authorized(header: str | None, token: str) -> bool:
    """True when ``header`` is ``Bearer <token>``; the comparison takes the same time either way."""
    scheme, _, given = (header or "").partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())
