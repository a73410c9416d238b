"""Config for `vigil serve`: where it listens, how much it accepts, how often it rolls its log."""

from __future__ import annotations

from pydantic import Field

from vigil.settings_base import Section


class ServeSettings(Section):
    """The live-ingest endpoint. The bearer token comes from VIGIL_INGEST_TOKEN, never from here."""

    host: str = "127.0.0.1"
    port: int = Field(8787, ge=1, le=65535)
    max_body_bytes: int = Field(5_000_000, ge=1_024)
    """largest request body, before and after gzip decompression (413 above it)"""
    max_events: int = Field(20_000, ge=1)
    """most events in one request (413 above it)"""
    roll_seconds: float = Field(5.0, gt=0.0, le=3_600.0)
    """how often the log is rolled into an inbox micro-batch"""
    roll_events: int = Field(100_000, ge=1)
    """roll sooner when this many events wait in the active log segment"""
    dedupe_days: float = Field(7.0, gt=0.0)
    """how long a stored event_id turns a resend into a duplicate (memory grows with this window)"""
    features_refresh_seconds: float = Field(60.0, gt=0.0)
    """how often the features input is re-read for the unknown-feature check"""
    spool: str = "serve"
    """the server's log folder, relative to the workspace"""
