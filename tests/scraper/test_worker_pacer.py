"""The fetcher's shared pacer: several fetchers (as in several worker processes) asking one
real local server through the pacing table, on PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from scraper.exceptions import StoppedWaiting
from scraper.fetch import Fetcher
from scraper.politeness import HostPolicy
from scraper.worker_pacer import SharedHostPacer, backoff_rule
from storage.db import Database
from storage.host_pacing import SharedPacing
from tests.scraper.http_servers import LocalServer, page, quick_settings, start_gaps
from tests.storage.conftest import database, postgres_database, postgres_server

# fixtures of the store tests, imported for pytest
__all__ = ["database", "postgres_database", "postgres_server"]

ON_POSTGRES = pytest.mark.parametrize("database", ["postgresql"], indirect=True)
DELAY = 0.05
SLOT_LEASE = 30.0


@pytest.fixture
def server() -> Iterator[LocalServer]:
    routes = {f"/{n}": page(f"<p>page {n}</p>") for n in range(12)}
    routes["/busy"] = page("busy", status=503, headers={"Retry-After": "30"})
    with LocalServer(routes) as running:
        yield running


def pacer(
    database: Database, name: str, stop: asyncio.Event | None = None, max_wait: float = 3600.0
) -> SharedHostPacer:
    pacing = SharedPacing(database, name, SLOT_LEASE, backoff_rule(60.0))
    return SharedHostPacer(pacing, HostPolicy(1, DELAY), stop=stop, max_wait=max_wait)


async def fetch_all(fetcher: Fetcher, urls: list[str]) -> None:
    await asyncio.gather(*(fetcher.fetch(url) for url in urls))


@ON_POSTGRES
def test_fetchers_sharing_the_table_keep_one_connection_and_the_gap(
    database: Database, server: LocalServer
) -> None:
    settings = quick_settings(robots_cache_ttl=3600.0)
    urls = [server.url(f"/{n}") for n in range(12)]

    async def crawl() -> None:
        pacers = [pacer(database, f"w{n}") for n in range(3)]
        fetchers = [Fetcher(settings, pacer=one) for one in pacers]
        try:
            await asyncio.gather(
                *(fetch_all(fetcher, urls[n::3]) for n, fetcher in enumerate(fetchers))
            )
        finally:
            for fetcher, one in zip(fetchers, pacers, strict=True):
                await fetcher.aclose()
                one.close()
                one.pacing.close()

    asyncio.run(crawl())

    assert sorted(server.paths()) == sorted(["/robots.txt"] * 3 + [f"/{n}" for n in range(12)])
    assert server.max_concurrent == 1
    assert min(start_gaps(server.requests)) >= DELAY


@ON_POSTGRES
def test_a_503_blocks_the_host_for_every_fetcher_until_a_stop_or_a_deferral(
    database: Database, server: LocalServer
) -> None:
    settings = quick_settings(robots_cache_ttl=3600.0, max_retry_after=5.0)

    async def crawl() -> tuple[str | None, type[BaseException] | None, str | None]:
        stop = asyncio.Event()
        pacers = [
            pacer(database, "w1"),
            pacer(database, "w2", stop),
            pacer(database, "w3", None, 5),
        ]
        try:
            async with (
                Fetcher(settings, pacer=pacers[0]) as first,
                Fetcher(settings, pacer=pacers[1]) as waiting,
                Fetcher(settings, pacer=pacers[2], obey_robots=False) as impatient,
            ):
                answered = await first.fetch(server.url("/busy"))
                assert (answered.status, answered.error_kind) == (503, None)
                task = asyncio.create_task(waiting.fetch(server.url("/0")))
                await asyncio.sleep(0.3)  # the second fetcher waits for the blocked host
                stop.set()
                stopped = None
                try:
                    await task
                except StoppedWaiting as error:
                    stopped = type(error)
                deferred = await impatient.fetch(server.url("/1"))
                return answered.error_kind, stopped, deferred.error_kind
        finally:
            for one in pacers:
                one.close()
                one.pacing.close()

    error_kind, stopped, deferred = asyncio.run(crawl())

    assert error_kind is None
    assert stopped is StoppedWaiting
    assert deferred == "deferred"  # 30 s to wait, more than this fetcher waits
    assert "/0" not in server.paths() and "/1" not in server.paths()
    reader = SharedPacing(database, "reader", SLOT_LEASE)
    state = reader.state(server.host_key)
    reader.close()
    assert state is not None and state.backoff > 0
