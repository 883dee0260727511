"""A pool per origin: requests go to their origin's own pool, and idle pools beyond the limit
are closed least recently used first, never one a response is still being read from."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from scraper.connection_pools import PoolPerOrigin
from scraper.http_client import build_client
from scraper.settings import Settings
from tests.scraper.http_servers import LocalServer, page

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class _Body(httpx.AsyncByteStream):
    """A body read as a network one is: a stream, closed once read."""

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b"ok"


class _Pool(httpx.MockTransport):
    """Answers every request; remembers whether it was closed."""

    def __init__(self, made: list[_Pool]) -> None:
        super().__init__(lambda request: httpx.Response(200, stream=_Body()))
        self.closed = False
        made.append(self)

    async def aclose(self) -> None:
        self.closed = True


def _pools(max_pools: int) -> tuple[PoolPerOrigin, list[_Pool]]:
    made: list[_Pool] = []
    return PoolPerOrigin(lambda: _Pool(made), max_pools=max_pools), made


async def test_each_origin_gets_its_own_pool_and_keeps_it() -> None:
    transport, made = _pools(max_pools=8)
    async with httpx.AsyncClient(transport=transport) as client:
        for url in ["http://a.test/1", "http://b.test/1", "http://a.test/2", "https://a.test/"]:
            assert (await client.get(url)).content == b"ok"
        assert transport.origins == [
            ("http", "b.test", None),
            ("http", "a.test", None),
            ("https", "a.test", None),
        ]
    assert len(made) == 3  # the first was made with the transport, ready for the first origin
    assert all(pool.closed for pool in made)  # closing the client closes every pool


async def test_idle_pools_beyond_the_limit_are_closed_least_recently_used_first() -> None:
    transport, made = _pools(max_pools=2)
    async with httpx.AsyncClient(transport=transport) as client:
        for host in ["a", "b", "a", "c"]:
            await client.get(f"http://{host}.test/")
        assert [origin[1] for origin in transport.origins] == ["a.test", "c.test"]
        assert [pool.closed for pool in made] == [False, True, False]


async def test_a_pool_with_a_response_open_is_never_closed() -> None:
    transport, made = _pools(max_pools=1)
    async with httpx.AsyncClient(transport=transport) as client:
        request = client.build_request("GET", "http://a.test/")
        reading = await client.send(request, stream=True)
        await client.get("http://b.test/")
        assert [origin[1] for origin in transport.origins] == ["a.test", "b.test"]
        await reading.aclose()
        await client.get("http://c.test/")
        assert [origin[1] for origin in transport.origins] == ["c.test"]
    assert made[0].closed and made[1].closed


def test_a_pool_limit_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="max_pools"):
        PoolPerOrigin(lambda: httpx.MockTransport(lambda request: httpx.Response(200)), max_pools=0)


async def test_the_client_sends_through_a_pool_per_origin_without_proxies(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    with LocalServer({"/": page()}) as server:
        async with build_client(Settings()) as client:
            assert isinstance(client._transport, PoolPerOrigin)
            response = await client.get(server.url("/"))
            assert response.status_code == 200
            assert client._transport.origins == [("http", "127.0.0.1", server.port)]
