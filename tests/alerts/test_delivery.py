"""Delivery against a real local HTTP server: retries on 5xx / 429 / timeouts, none on 4xx,
bounded attempts, exponential backoff with jitter (the sleep is injected, so nothing waits)."""

from __future__ import annotations

import random

from vigil.alerts.delivery import Poster
from vigil.alerts.settings import DeliverySettings

from .conftest import Receiver

BODY = {"hello": "world"}


def poster(sleeps: list[float], **settings: float) -> Poster:
    return Poster(DeliverySettings(**settings), sleep=sleeps.append, rng=random.Random(7))


def test_retries_500_with_exponential_backoff_and_jitter(receiver: Receiver) -> None:
    receiver.script["/pd"] = [500, 503]
    sleeps: list[float] = []
    result = poster(sleeps, backoff_seconds=1.0, max_attempts=4).post(receiver.url + "/pd", BODY)
    assert (result.delivered, result.attempts, result.status_code) == (True, 3, 202)
    assert receiver.bodies("/pd") == [BODY, BODY, BODY]
    rng = random.Random(7)
    assert sleeps == [0.5 + rng.uniform(0, 0.5), 1.0 + rng.uniform(0, 1.0)]
    assert 0.5 <= sleeps[0] <= 1.0 and 1.0 <= sleeps[1] <= 2.0


def test_retries_are_bounded(receiver: Receiver) -> None:
    receiver.script["/pd"] = [500] * 10
    sleeps: list[float] = []
    result = poster(sleeps, max_attempts=3, backoff_seconds=4.0, max_backoff_seconds=5.0).post(
        receiver.url + "/pd", BODY
    )
    assert (result.delivered, result.attempts, result.status_code) == (False, 3, 500)
    assert result.exhausted is True
    assert result.error == "HTTP 500 Internal Server Error"
    assert len(receiver.bodies("/pd")) == 3
    assert len(sleeps) == 2 and 2.5 <= sleeps[1] <= 5.0  # capped at max_backoff_seconds


def test_no_retry_on_400(receiver: Receiver) -> None:
    receiver.script["/slack"] = [400]
    sleeps: list[float] = []
    result = poster(sleeps).post(receiver.url + "/slack", BODY)
    assert (result.delivered, result.attempts, result.status_code) == (False, 1, 400)
    assert result.exhausted is False  # the request was wrong, the destination is up
    assert result.error == "HTTP 400 Bad Request"
    assert len(receiver.bodies("/slack")) == 1
    assert sleeps == []


def test_429_is_retried(receiver: Receiver) -> None:
    receiver.script["/slack"] = [429]
    sleeps: list[float] = []
    result = poster(sleeps).post(receiver.url + "/slack", BODY)
    assert (result.delivered, result.attempts) == (True, 2)
    assert len(sleeps) == 1


def test_timeouts_are_retried(receiver: Receiver) -> None:
    receiver.script["/hook"] = ["hang", 200]
    sleeps: list[float] = []
    result = poster(sleeps, timeout_seconds=0.2).post(receiver.url + "/hook", BODY)
    assert (result.delivered, result.attempts, result.status_code) == (True, 2, 200)
    assert len(receiver.bodies("/hook")) == 2


def test_connection_refused_is_retried_then_given_up() -> None:
    sleeps: list[float] = []
    result = poster(sleeps, max_attempts=2).post("http://127.0.0.1:9/none", BODY)
    assert (result.delivered, result.attempts, result.status_code) == (False, 2, None)
    assert result.error is not None and result.error.startswith("URLError")
    assert len(sleeps) == 1


def test_only_http_urls_are_posted_to() -> None:
    sleeps: list[float] = []
    result = poster(sleeps).post("file:///etc/passwd", BODY)
    assert (result.delivered, result.attempts) == (False, 0)
    assert result.error == "the URL must start with http:// or https://"
