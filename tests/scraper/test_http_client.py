"""The client factory: identity and encodings in every request, no automatic redirects, an
injectable transport for unit tests, and proxies taken from the environment."""

from __future__ import annotations

import importlib.util

import httpx
import pytest

from scraper.http_client import build_client
from scraper.response_body import SUPPORTED_ENCODINGS
from scraper.settings import Settings, Timeouts
from tests.scraper.http_servers import LocalServer, page

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_requests_carry_identity_accept_and_the_decodable_encodings() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(302, headers={"Location": "/elsewhere"})

    settings = Settings(contact_url="https://archive.example/contact", user_agent="tester/2 (+x)")
    async with build_client(settings, transport=httpx.MockTransport(answer)) as client:
        response = await client.get("https://news.example/a")
    assert response.status_code == 302 and len(seen) == 1  # redirects are the fetcher's job
    headers = seen[0].headers
    assert headers["user-agent"] == "tester/2 (+x)"
    assert headers["accept"].startswith("text/html")
    encodings = [part.strip() for part in headers["accept-encoding"].split(",")]
    assert encodings == list(SUPPORTED_ENCODINGS)
    assert ("br" in encodings) == (importlib.util.find_spec("brotli") is not None)


def test_the_default_identity_names_the_contact_url() -> None:
    client = build_client()
    assert Settings().contact_url in client.headers["user-agent"]
    assert client.headers["user-agent"].startswith("newsarchive/")


def test_timeouts_come_from_the_settings() -> None:
    timeouts = Timeouts(connect=1.5, read=2.5, write=3.5, pool=4.5)
    client = build_client(Settings(timeouts=timeouts))
    assert (client.timeout.connect, client.timeout.read) == (1.5, 2.5)
    assert (client.timeout.write, client.timeout.pool) == (3.5, 4.5)


async def test_proxies_are_taken_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    target = "http://news.example.invalid/story"
    with LocalServer({target: page("<p>via proxy</p>")}) as proxy:
        for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HTTP_PROXY", proxy.url())
        async with build_client() as client:
            response = await client.get(target)
        assert proxy.paths() == [target]  # the absolute form a proxy receives
    assert response.status_code == 200 and response.text == "<p>via proxy</p>"
