"""Turn a request body into a list of JSON values: gzip, a JSON array or NDJSON, within limits.

Every way a body can be unusable is a :class:`BodyError` carrying the HTTP status and one line
that says what to fix. What each event holds is checked later, event by event (events.py).
"""

from __future__ import annotations

import json
import zlib
from typing import Any

NDJSON_TYPES = ("application/x-ndjson", "application/ndjson", "application/jsonl")
JSON_TYPES = ("application/json",)


class BodyError(Exception):
    """A body that cannot be read as events; ``status`` is the HTTP answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def decompress(raw: bytes, encoding: str | None, limit: int) -> bytes:
    """The body's bytes after Content-Encoding (identity or gzip), at most ``limit`` of them."""
    coding = (encoding or "identity").strip().lower()
    if coding == "identity":
        return raw
    if coding not in ("gzip", "x-gzip"):
        raise BodyError(415, f"Content-Encoding '{coding}' is not supported (send gzip or none)")
    out = bytearray()
    rest = raw
    while rest:
        inflater = zlib.decompressobj(wbits=31)
        try:
            out += inflater.decompress(rest, limit + 1 - len(out))
        except zlib.error as exc:
            raise BodyError(400, f"body is not valid gzip ({exc})") from None
        if len(out) > limit:
            raise BodyError(413, f"body is larger than {limit} bytes once decompressed")
        if not inflater.eof:
            raise BodyError(400, "gzip body is truncated")
        rest = inflater.unused_data
    return bytes(out)


def parse_events(data: bytes, content_type: str | None, max_events: int) -> list[Any]:
    """The events of a JSON array or NDJSON body (by Content-Type, else by the first byte)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BodyError(400, f"body is not UTF-8 text (byte {exc.start})") from None
    kind = _kind(content_type, text)
    events = _ndjson(text) if kind == "ndjson" else _array(text)
    if not events:
        raise BodyError(422, "body holds no events")
    if len(events) > max_events:
        raise BodyError(413, f"{len(events)} events in one request; the limit is {max_events}")
    return events


def _kind(content_type: str | None, text: str) -> str:
    media = (content_type or "").split(";")[0].strip().lower()
    if media in NDJSON_TYPES:
        return "ndjson"
    if media in JSON_TYPES:
        return "array"
    return "array" if text.lstrip().startswith("[") else "ndjson"


def _array(text: str) -> list[Any]:
    value = _loads(text, line_offset=0)
    if not isinstance(value, list):
        raise BodyError(
            422,
            "a JSON body must be an array of event objects "
            "(send one object per line with Content-Type application/x-ndjson instead)",
        )
    return value


def _ndjson(text: str) -> list[Any]:
    return [
        _loads(line, line_offset=number - 1)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip()
    ]


def _loads(text: str, *, line_offset: int) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno + line_offset}, column {exc.colno}"
        raise BodyError(400, f"not valid JSON at {where}: {exc.msg}") from None
    except RecursionError:
        raise BodyError(400, "JSON nested too deeply") from None
