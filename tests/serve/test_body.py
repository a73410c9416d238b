"""Request bodies: JSON array, NDJSON, gzip, and every way a body can be refused."""

from __future__ import annotations

import gzip

import pytest

from vigil.serve.body import BodyError, decompress, parse_events


def test_array_and_ndjson_give_the_same_events() -> None:
    array = b'[{"a": 1}, {"a": 2}]'
    ndjson = b'{"a": 1}\n\n{"a": 2}\n'
    assert parse_events(array, "application/json", 10) == [{"a": 1}, {"a": 2}]
    assert parse_events(ndjson, "application/x-ndjson", 10) == [{"a": 1}, {"a": 2}]
    assert parse_events(ndjson, None, 10) == [{"a": 1}, {"a": 2}]


def test_gzip_is_decompressed_including_several_members() -> None:
    data = gzip.compress(b'[{"a": 1},') + gzip.compress(b'{"a": 2}]')
    assert parse_events(decompress(data, "gzip", 1000), None, 10) == [{"a": 1}, {"a": 2}]


@pytest.mark.parametrize(
    ("data", "ctype", "status", "message"),
    [
        (b'[{"a": 1},', None, 400, "not valid JSON at line 1, column 11: Expecting value"),
        (b'{"a": 1}\n{"a": 2', None, 400, "not valid JSON at line 2, column 8:"),
        (b"\xff\xfe", None, 400, "body is not UTF-8 text (byte 0)"),
        (b'{"a": 1}', "application/json", 422, "a JSON body must be an array of event objects"),
        (b"[]", None, 422, "body holds no events"),
        (b"  \n", "application/x-ndjson", 422, "body holds no events"),
        (b"[1, 2, 3]", None, 413, "3 events in one request; the limit is 2"),
    ],
)
def test_bad_bodies_are_refused_with_a_status_and_a_reason(
    data: bytes, ctype: str | None, status: int, message: str
) -> None:
    with pytest.raises(BodyError) as err:
        parse_events(data, ctype, 2)
    assert err.value.status == status
    assert err.value.message.startswith(message)


def test_gzip_bomb_stops_at_the_limit() -> None:
    bomb = gzip.compress(b" " * 1_000_000)
    with pytest.raises(BodyError) as err:
        decompress(bomb, "gzip", 10_000)
    assert (err.value.status, err.value.message) == (
        413,
        "body is larger than 10000 bytes once decompressed",
    )


@pytest.mark.parametrize(
    ("data", "encoding", "status", "message"),
    [
        (b"not gzip", "gzip", 400, "body is not valid gzip"),
        (gzip.compress(b"[1]")[:-6], "gzip", 400, "gzip body is truncated"),
        (b"[]", "br", 415, "Content-Encoding 'br' is not supported (send gzip or none)"),
    ],
)
def test_bad_encodings(data: bytes, encoding: str, status: int, message: str) -> None:
    with pytest.raises(BodyError) as err:
        decompress(data, encoding, 1000)
    assert err.value.status == status
    assert err.value.message.startswith(message)
