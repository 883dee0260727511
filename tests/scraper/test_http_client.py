"""The client factory: identity and encodings in every request, no automatic redirects, an
injectable transport for unit tests, and proxies taken from the environment."""

from __future__ import annotations

import importlib.util

import httpx
import pytest

from scraper.http_client import build_client, build_sender
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


async def test_a_sent_request_is_the_one_the_client_would_build() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, text="ok")

    settings = Settings(user_agent="tester/2 (+x)", timeouts=Timeouts(read=2.5))
    sender = build_sender(settings, httpx.MockTransport(answer))
    url = httpx.URL("https://news.example/a")
    validators = {"If-None-Match": '"v1"'}

    response = await sender.send(sender.build(url, validators))

    built = sender.client.build_request("GET", url, headers=validators)
    assert sender.transport is not None and response.status_code == 200
    assert seen[0].headers.multi_items() == built.headers.multi_items()
    assert seen[0].extensions["timeout"] == built.extensions["timeout"]
    assert response.request is seen[0]


async def test_cookies_a_site_sets_are_sent_back_to_it() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, headers={"Set-Cookie": "consent=yes; Path=/"})

    sender = build_sender(Settings(), httpx.MockTransport(answer))
    for path in ("/a", "/b"):
        await sender.send(sender.build(httpx.URL(f"https://news.example{path}"), {}))
    await sender.send(sender.build(httpx.URL("https://other.example/c"), {}))

    assert [request.headers.get("cookie") for request in seen] == [None, "consent=yes", None]


def test_with_proxies_in_the_environment_requests_go_through_the_client(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")

    assert (
        build_sender(Settings(), httpx.MockTransport(lambda r: httpx.Response(200))).transport
        is None
    )
