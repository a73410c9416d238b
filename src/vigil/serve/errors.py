"""The server's own failures, under Vigil's root exception."""

from __future__ import annotations

from vigil.errors import VigilError


class ServeError(VigilError):
    """The event log or the listening socket cannot be used; the message says what to do."""
