"""Host overrides, the way `curl --resolve` works: a name's connections go to another
address while the URL and the Host header keep the name (a real server on 127.0.0.1)."""

from __future__ import annotations

import httpx
import pytest

from scraper.host_overrides import HostOverrides
from scraper.settings import Settings
from tests.scraper.http_servers import LocalServer, page

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def _get(overrides: HostOverrides, url: str) -> httpx.Response:
    transport = overrides.transport(Settings())
    assert transport is not None
    async with transport:
        response = await transport.handle_async_request(httpx.Request("GET", url))
        await response.aread()
    return response


@pytest.mark.parametrize("scheme", ["http", "https"])  # the local server speaks plain HTTP
async def test_an_overridden_name_is_served_by_its_address(scheme: str) -> None:
    with LocalServer({"/story/": page("<p>story</p>")}) as server:
        overrides = HostOverrides({"News.example": ("127.0.0.1", server.port)})
        response = await _get(overrides, f"{scheme}://news.example/story/")

    assert response.status_code == 200 and b"story" in response.content
    assert [request.path for request in server.requests] == ["/story/"]
    assert server.requests[0].headers["host"] == "news.example"


def test_no_mapping_changes_nothing() -> None:
    assert HostOverrides().transport(Settings()) is None
    assert not HostOverrides()
