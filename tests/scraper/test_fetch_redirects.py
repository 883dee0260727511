"""Redirects followed hop by hop: the chain recorded, loops and long chains stopped."""

from __future__ import annotations

import pytest

from scraper.fetch import Fetcher, Validators
from tests.scraper.http_servers import LocalServer, page, quick_settings, redirect

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_a_redirect_chain_is_followed_and_recorded() -> None:
    routes = {
        "/old": redirect("/moved", 301),
        "/moved": redirect("final?x=1#part", 302),  # relative, with a fragment
        "/final": page("<p>here</p>"),
    }
    with LocalServer(routes) as server:
        async with Fetcher(quick_settings(), obey_robots=False) as fetcher:
            result = await fetcher.fetch(server.url("/old"))
        paths = server.paths()
    assert result.ok and result.body == b"<p>here</p>"
    assert result.url == server.url("/old") and result.final_url == server.url("/final?x=1")
    assert [hop.status for hop in result.redirects] == [301, 302]
    assert [hop.request.url for hop in result.redirects] == [
        server.url("/old"),
        server.url("/moved"),
    ]
    assert result.redirects[0].header("location") == "/moved"
    assert result.attempts == 3 and paths == ["/old", "/moved", "/final?x=1"]


@pytest.mark.parametrize("code", [303, 307, 308])
async def test_every_redirect_status_is_followed(code: int) -> None:
    with LocalServer({"/a": redirect("/b", code), "/b": page()}) as server:
        async with Fetcher(quick_settings(), obey_robots=False) as fetcher:
            result = await fetcher.fetch(server.url("/a"))
    assert result.ok and result.final_url == server.url("/b")


async def test_a_redirect_loop_is_detected() -> None:
    routes = {"/x": redirect("/y"), "/y": redirect("/x")}
    with LocalServer(routes) as server:
        async with Fetcher(quick_settings(), obey_robots=False) as fetcher:
            result = await fetcher.fetch(server.url("/x"))
        paths = server.paths()
    assert result.error_kind == "redirect_loop" and not result.ok
    assert paths == ["/x", "/y"]
    assert [hop.request.url for hop in result.redirects] == [server.url("/x"), server.url("/y")]


async def test_a_long_chain_stops_at_the_maximum() -> None:
    routes = {f"/r{n}": redirect(f"/r{n + 1}") for n in range(10)}
    with LocalServer(routes) as server:
        async with Fetcher(quick_settings(max_redirects=3), obey_robots=False) as fetcher:
            result = await fetcher.fetch(server.url("/r0"))
        paths = server.paths()
    assert result.error_kind == "too_many_redirects"
    assert paths == ["/r0", "/r1", "/r2", "/r3"] and len(result.redirects) == 4


async def test_a_redirect_without_location_is_the_final_answer() -> None:
    with LocalServer({"/a": page("<p>moved somewhere</p>", status=302)}) as server:
        async with Fetcher(quick_settings(), obey_robots=False) as fetcher:
            result = await fetcher.fetch(server.url("/a"))
    assert result.status == 302 and result.error_kind is None and not result.ok
    assert result.redirects == ()


async def test_validators_go_with_every_hop() -> None:
    with LocalServer({"/a": redirect("/b"), "/b": page()}) as server:
        async with Fetcher(quick_settings(), obey_robots=False) as fetcher:
            await fetcher.fetch(server.url("/a"), validators=Validators(etag='"e1"'))
        sent = [request.headers.get("if-none-match") for request in server.requests]
    assert sent == ['"e1"', '"e1"']


async def test_a_redirect_to_another_server_is_followed() -> None:
    other = LocalServer({"/there": page("<p>other</p>")})
    with other, LocalServer({"/go": redirect(other.url("/there"))}) as server:
        async with Fetcher(quick_settings(), obey_robots=False) as fetcher:
            result = await fetcher.fetch(server.url("/go"))
    assert result.ok and result.final_url == other.url("/there")
    assert other.paths() == ["/there"]
