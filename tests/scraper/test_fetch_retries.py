"""Retries against misbehaving servers: 5xx bursts, stalls, resets and slow trickles; bounded in
number, spaced by back-off, and never applied to answers a retry cannot change."""

from __future__ import annotations

import pytest

from scraper.fetch import Fetcher
from scraper.settings import RetryPolicy, Timeouts
from tests.scraper.http_servers import (
    LocalServer,
    delayed,
    page,
    quick_settings,
    reset_connection,
    sequence,
    start_gaps,
    status,
    trickle,
)

pytestmark = pytest.mark.anyio

SHORT_READ = Timeouts(connect=1.0, read=0.3, write=1.0, pool=1.0, total=5.0)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_a_burst_of_503_is_waited_out() -> None:
    route = sequence(status(503), status(503), page("<p>back</p>"))
    settings = quick_settings(retries=RetryPolicy(attempts=2, backoff_base=0.05, backoff_cap=5.0))
    with LocalServer({"/a": route}) as server:
        async with Fetcher(settings, obey_robots=False) as fetcher:
            result = await fetcher.fetch(server.url("/a"))
        requests = server.requests_to("/a")
    assert result.ok and result.body == b"<p>back</p>" and result.attempts == 3
    assert len(requests) == 3
    # A 503 also makes the pacer back off the host: a second, then two.
    assert [
        gap >= 0.9 * expected for gap, expected in zip(start_gaps(requests), (1, 2), strict=True)
    ] == [True, True]


async def test_retries_are_bounded_and_the_last_answer_returned() -> None:
    settings = quick_settings(retries=RetryPolicy(attempts=1, backoff_base=0.05))
    with LocalServer({"/down": status(500)}) as server:
        async with Fetcher(settings, obey_robots=False) as fetcher:
            result = await fetcher.fetch(server.url("/down"))
        requests = server.requests_to("/down")
    assert result.status == 500 and result.error_kind is None and not result.ok
    assert result.attempts == 2 and len(requests) == 2


async def test_back_off_between_retries_grows() -> None:
    settings = quick_settings(retries=RetryPolicy(attempts=3, backoff_base=0.2, backoff_cap=5.0))
    route = sequence(status(502), status(502), status(502), page())
    with LocalServer({"/a": route}) as server:
        async with Fetcher(settings, obey_robots=False) as fetcher:
            result = await fetcher.fetch(server.url("/a"))
        gaps = start_gaps(server.requests_to("/a"))
    assert result.ok and result.attempts == 4
    # Retry n waits at least half of base * 2**n (jitter fills the other half).
    assert [gap >= 0.9 * 0.1 * 2**n for n, gap in enumerate(gaps)] == [True, True, True]


@pytest.mark.parametrize("code", [501, 505, 400, 403, 410])
async def test_answers_a_retry_cannot_change_are_not_retried(code: int) -> None:
    with LocalServer({"/a": status(code)}) as server:
        async with Fetcher(quick_settings(), obey_robots=False) as fetcher:
            result = await fetcher.fetch(server.url("/a"))
        requests = server.requests_to("/a")
    assert result.status == code and result.attempts == 1 and len(requests) == 1


async def test_a_stalled_server_times_out_after_the_bounded_retries() -> None:
    with LocalServer({"/stall": delayed(3.0, page())}) as server:
        async with Fetcher(quick_settings(timeouts=SHORT_READ), obey_robots=False) as fetcher:
            result = await fetcher.fetch(server.url("/stall"))
        requests = server.requests_to("/stall")
    assert result.error_kind == "timeout" and result.status is None and result.body == b""
    assert result.attempts == 3 and len(requests) == 3


async def test_a_single_stall_is_retried_into_success() -> None:
    route = sequence(delayed(3.0, page()), page("<p>ok</p>"))
    with LocalServer({"/a": route}) as server:
        async with Fetcher(quick_settings(timeouts=SHORT_READ), obey_robots=False) as fetcher:
            result = await fetcher.fetch(server.url("/a"))
    assert result.ok and result.body == b"<p>ok</p>" and result.attempts == 2


async def test_a_connection_reset_is_retried() -> None:
    route = sequence(reset_connection(), reset_connection(), page("<p>ok</p>"))
    with LocalServer({"/a": route}) as server:
        async with Fetcher(quick_settings(), obey_robots=False) as fetcher:
            result = await fetcher.fetch(server.url("/a"))
        requests = server.requests_to("/a")
    assert result.ok and result.body == b"<p>ok</p>"
    assert result.attempts == 3 and len(requests) == 3


async def test_resets_every_time_end_as_a_connection_error() -> None:
    with LocalServer({"/a": reset_connection()}) as server:
        async with Fetcher(quick_settings(), obey_robots=False) as fetcher:
            result = await fetcher.fetch(server.url("/a"))
    assert result.error_kind == "connection" and result.attempts == 3
    assert result.error_message is not None and server.url("/a") in result.error_message


async def test_a_slow_trickle_is_cut_off_by_the_total_time_limit() -> None:
    # Each chunk arrives well within the read timeout; only the total limit can stop it.
    timeouts = Timeouts(connect=1.0, read=1.0, write=1.0, pool=1.0, total=0.6)
    settings = quick_settings(timeouts=timeouts, retries=RetryPolicy(attempts=0))
    with LocalServer({"/drip": trickle(count=30, interval=0.1)}) as server:
        async with Fetcher(settings, obey_robots=False) as fetcher:
            result = await fetcher.fetch(server.url("/drip"))
    assert result.error_kind == "timeout" and result.attempts == 1
    assert result.status == 200 and result.body == b""
    assert result.error_message is not None and "0.6 s" in result.error_message
