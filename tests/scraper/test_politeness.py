"""Per-host pacing against a real server: connections per host, the delay between request
starts, and the back-off a 429 or 503 asks for (Retry-After as seconds or as a date)."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, formatdate

import httpx
import pytest

from scraper.fetch import Fetcher
from scraper.politeness import HostPacer, HostPolicy, host_key, parse_retry_after
from scraper.settings import RetryPolicy
from tests.scraper.http_servers import (
    LocalServer,
    delayed,
    page,
    quick_settings,
    sequence,
    start_gaps,
    status,
)

pytestmark = pytest.mark.anyio

NOW = datetime(2025, 12, 6, 9, 24, tzinfo=UTC)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        (" 0 ", 0.0),
        (format_datetime(NOW + timedelta(seconds=30), usegmt=True), 30.0),
        (format_datetime(NOW - timedelta(hours=1), usegmt=True), 0.0),
        ("soon", None),
        ("-5", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_is_read_as_seconds_or_a_date(value: str | None, seconds: float | None) -> None:
    assert parse_retry_after(value, now=NOW) == seconds


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://Example.com/a", "example.com"),
        ("http://example.com:80/a", "example.com"),
        ("http://127.0.0.1:8080/", "127.0.0.1:8080"),
    ],
)
def test_hosts_are_keyed_by_name_and_non_default_port(url: str, key: str) -> None:
    assert host_key(httpx.URL(url)) == host_key(url) == key


@pytest.mark.parametrize(("connections", "delay"), [(0, 1.0), (1, -1.0)])
def test_a_policy_needs_a_connection_and_no_negative_delay(connections: int, delay: float) -> None:
    with pytest.raises(ValueError, match="host policy"):
        HostPolicy(connections, delay)


async def test_request_starts_to_a_host_keep_the_minimum_delay() -> None:
    paths = [f"/p{n}" for n in range(4)]
    with LocalServer(dict.fromkeys(paths, page())) as server:
        async with Fetcher(quick_settings(min_delay=0.3), obey_robots=False) as fetcher:
            results = await asyncio.gather(*(fetcher.fetch(server.url(p)) for p in paths))
        gaps = start_gaps(server.requests)
    assert all(result.ok for result in results) and len(gaps) == 3
    assert min(gaps) >= 0.9 * 0.3


async def test_the_gap_runs_from_when_a_request_is_sent_not_from_its_turn() -> None:
    now = [100.0]
    pacer = HostPacer(HostPolicy(connections=2, min_delay=1.0), clock=lambda: now[0])
    async with pacer.slot("host"):
        now[0] += 0.4  # the event loop was busy between taking the turn and sending
        pacer.started("host")
    assert pacer.ready_in("host") == pytest.approx(1.0)


@pytest.mark.parametrize("connections", [1, 2])
async def test_requests_in_flight_to_a_host_never_exceed_its_connections(connections: int) -> None:
    paths = [f"/slow{n}" for n in range(6)]
    settings = quick_settings(connections_per_host=connections)
    with LocalServer(dict.fromkeys(paths, delayed(0.2, page()))) as server:
        async with Fetcher(settings, obey_robots=False) as fetcher:
            results = await asyncio.gather(*(fetcher.fetch(server.url(p)) for p in paths))
        assert server.max_concurrent == connections
    assert all(result.ok for result in results)


async def test_a_site_policy_overrides_the_default_for_its_host() -> None:
    paths = ["/a", "/b", "/c"]
    with LocalServer(dict.fromkeys(paths, page())) as server:
        async with Fetcher(quick_settings(min_delay=0.0), obey_robots=False) as fetcher:
            fetcher.pacer.configure(server.host_key, HostPolicy(connections=1, min_delay=0.3))
            await asyncio.gather(*(fetcher.fetch(server.url(p)) for p in paths))
        gaps = start_gaps(server.requests)
    assert min(gaps) >= 0.9 * 0.3


async def test_a_429_is_retried_after_the_seconds_it_asks_for() -> None:
    route = sequence(status(429, {"Retry-After": "1"}), page("<p>ok</p>"))
    with LocalServer({"/a": route}) as server:
        async with Fetcher(quick_settings(), obey_robots=False) as fetcher:
            result = await fetcher.fetch(server.url("/a"))
        gaps = start_gaps(server.requests_to("/a"))
    assert result.ok and result.attempts == 2
    assert gaps[0] >= 0.9


async def test_a_retry_after_date_is_honoured() -> None:
    # An HTTP date has whole seconds: two seconds ahead is at least one second of wait.
    route = sequence(status(503, {"Retry-After": formatdate(time.time() + 2, usegmt=True)}), page())
    with LocalServer({"/a": route}) as server:
        async with Fetcher(quick_settings(), obey_robots=False) as fetcher:
            result = await fetcher.fetch(server.url("/a"))
        gaps = start_gaps(server.requests_to("/a"))
    assert result.ok and result.attempts == 2 and gaps[0] >= 0.9


async def test_the_host_waits_out_a_429_for_other_pages_too() -> None:
    settings = quick_settings(retries=RetryPolicy(attempts=0))
    routes = {"/busy": status(429, {"Retry-After": "1"}), "/other": page()}
    with LocalServer(routes) as server:
        async with Fetcher(settings, obey_robots=False) as fetcher:
            busy = await fetcher.fetch(server.url("/busy"))
            other = await fetcher.fetch(server.url("/other"))
        gaps = start_gaps(server.requests)
    assert busy.status == 429 and busy.attempts == 1 and other.ok
    assert gaps[0] >= 0.9


async def test_a_retry_after_beyond_the_limit_defers_the_host() -> None:
    settings = quick_settings(max_retry_after=5.0)
    routes = {"/busy": status(429, {"Retry-After": "3600"}), "/other": page()}
    with LocalServer(routes) as server:
        async with Fetcher(settings, obey_robots=False) as fetcher:
            busy = await fetcher.fetch(server.url("/busy"))
            other = await fetcher.fetch(server.url("/other"))
            ready_in = fetcher.pacer.ready_in(server.host_key)
        paths = server.paths()
    assert busy.status == 429 and busy.attempts == 1  # not slept on
    assert other.error_kind == "deferred" and other.attempts == 1
    assert paths == ["/busy"] and ready_in > 3000


async def test_back_off_grows_with_each_503_and_recovers_step_by_step() -> None:
    pacer = HostPacer(HostPolicy(connections=1, min_delay=0.5), backoff_cap=60.0)
    gaps = [pacer.gap("h")]
    for _ in range(3):
        pacer.record_response("h", 503)
        gaps.append(pacer.gap("h"))
    assert gaps == [0.5, 1.0, 2.0, 4.0]
    recovering = []
    for _ in range(12):
        pacer.record_response("h", 200)
        recovering.append(pacer.gap("h"))
    assert recovering[0] == 3.0  # a step back, not all the way
    assert recovering == sorted(recovering, reverse=True) and recovering[-1] == 0.5


async def test_back_off_is_capped() -> None:
    pacer = HostPacer(HostPolicy(min_delay=0.0), backoff_cap=5.0)
    for _ in range(10):
        pacer.record_response("h", 429)
    assert pacer.gap("h") == 5.0
