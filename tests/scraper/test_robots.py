"""robots.txt obeyed against a real server: disallowed paths are never requested, Crawl-delay
paces the host, the file is cached, and an unreadable one stops the crawl of that host."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from scraper.fetch import Fetcher
from scraper.fetch_result import FetchResult
from scraper.robots import RobotsStatus, agent_token, robots_url, rules_from
from scraper.settings import RetryPolicy
from tests.scraper.http_servers import (
    LocalServer,
    page,
    quick_settings,
    redirect,
    reset_connection,
    robots,
    sequence,
    start_gaps,
    status,
)

pytestmark = pytest.mark.anyio

NO_RETRIES = RetryPolicy(attempts=0)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def test_the_agent_token_is_the_product_name() -> None:
    assert agent_token("newsarchive/0.1 (+https://github.com/newsarchive/newsarchive)") == (
        "newsarchive"
    )
    assert (
        robots_url("https://u:p@Example.com:8443/a?c=d#e") == "https://example.com:8443/robots.txt"
    )


async def test_a_disallowed_path_is_never_requested() -> None:
    routes = {
        "/robots.txt": robots("User-agent: *\nDisallow: /private\n"),
        "/private/report": page(),
        "/public": page(),
    }
    with LocalServer(routes) as server:
        async with Fetcher(quick_settings()) as fetcher:
            refused = await fetcher.fetch(server.url("/private/report"))
            allowed = await fetcher.fetch(server.url("/public"))
        paths = server.paths()
    assert refused.error_kind == "robots_disallowed" and refused.attempts == 0
    assert allowed.ok
    assert paths == ["/robots.txt", "/public"]


async def test_the_group_for_this_crawler_wins_and_the_contact_url_does_not_match() -> None:
    text = (
        "User-agent: github\nDisallow: /\n\n"  # a word of the contact URL, not our token
        "User-agent: newsarchive\nDisallow: /drafts/\n\n"
        "User-agent: *\nDisallow: /\n"
    )
    routes = {"/robots.txt": robots(text), "/news": page(), "/drafts/x": page()}
    with LocalServer(routes) as server:
        async with Fetcher(quick_settings()) as fetcher:
            news = await fetcher.fetch(server.url("/news"))
            draft = await fetcher.fetch(server.url("/drafts/x"))
        paths = server.paths()
    assert news.ok and draft.error_kind == "robots_disallowed"
    assert paths == ["/robots.txt", "/news"]


async def test_a_redirect_to_a_disallowed_path_is_not_followed() -> None:
    routes = {
        "/robots.txt": robots("User-agent: *\nDisallow: /private\n"),
        "/go": redirect("/private/page"),
        "/private/page": page(),
    }
    with LocalServer(routes) as server:
        async with Fetcher(quick_settings()) as fetcher:
            result = await fetcher.fetch(server.url("/go"))
        paths = server.paths()
    assert result.error_kind == "robots_disallowed"
    assert result.final_url == server.url("/private/page")
    assert paths == ["/robots.txt", "/go"]


async def test_crawl_delay_paces_the_host() -> None:
    routes = {"/robots.txt": robots("User-agent: *\nCrawl-delay: 0.4\n")}
    paths = [f"/p{n}" for n in range(4)]
    routes |= dict.fromkeys(paths, page())
    with LocalServer(routes) as server:
        async with Fetcher(quick_settings(min_delay=0.0)) as fetcher:
            results = await asyncio.gather(*(fetcher.fetch(server.url(p)) for p in paths))
        pages = [request for request in server.requests if request.path != "/robots.txt"]
    assert all(result.ok for result in results)
    assert len(pages) == 4 and min(start_gaps(pages)) >= 0.9 * 0.4


async def test_robots_txt_is_fetched_once_per_host_and_cached() -> None:
    paths = [f"/p{n}" for n in range(5)]
    routes = {"/robots.txt": robots("User-agent: *\nAllow: /\n")} | dict.fromkeys(paths, page())
    with LocalServer(routes) as server:
        async with Fetcher(quick_settings()) as fetcher:
            await asyncio.gather(*(fetcher.fetch(server.url(p)) for p in paths))
            await fetcher.fetch(server.url("/p0"))
        assert len(server.requests_to("/robots.txt")) == 1


async def test_the_cache_expires_after_its_ttl() -> None:
    routes = {"/robots.txt": robots("User-agent: *\nAllow: /\n"), "/a": page()}
    with LocalServer(routes) as server:
        async with Fetcher(quick_settings(robots_cache_ttl=0.3)) as fetcher:
            await fetcher.fetch(server.url("/a"))
            await fetcher.fetch(server.url("/a"))
            await asyncio.sleep(0.4)
            await fetcher.fetch(server.url("/a"))
        assert len(server.requests_to("/robots.txt")) == 2


@pytest.mark.parametrize("code", [404, 403, 410])
async def test_a_missing_robots_txt_allows_everything(code: int) -> None:
    with LocalServer({"/robots.txt": status(code), "/a": page()}) as server:
        async with Fetcher(quick_settings()) as fetcher:
            result = await fetcher.fetch(server.url("/a"))
    assert result.ok


@pytest.mark.parametrize("code", [500, 503, 429])
async def test_an_unreadable_robots_txt_stops_the_host_for_now(code: int) -> None:
    with LocalServer({"/robots.txt": status(code), "/a": page()}) as server:
        async with Fetcher(quick_settings(retries=NO_RETRIES)) as fetcher:
            result = await fetcher.fetch(server.url("/a"))
        paths = server.paths()
    assert result.error_kind == "robots_unreachable"
    assert result.error_message is not None and str(code) in result.error_message
    assert paths == ["/robots.txt"]


async def test_a_robots_txt_that_resets_the_connection_stops_the_host() -> None:
    with LocalServer({"/robots.txt": reset_connection(), "/a": page()}) as server:
        async with Fetcher(quick_settings(retries=NO_RETRIES)) as fetcher:
            result = await fetcher.fetch(server.url("/a"))
        paths = server.paths()
    assert result.error_kind == "robots_unreachable" and paths == ["/robots.txt"]


async def test_an_unreadable_robots_txt_is_asked_for_again_soon() -> None:
    route = sequence(status(503), robots("User-agent: *\nAllow: /\n"))
    with LocalServer({"/robots.txt": route, "/a": page()}) as server:
        settings = quick_settings(retries=NO_RETRIES, robots_cache_ttl=0.2)
        async with Fetcher(settings) as fetcher:
            first = await fetcher.fetch(server.url("/a"))
            await asyncio.sleep(0.3)
            second = await fetcher.fetch(server.url("/a"))
        paths = server.paths()
    assert first.error_kind == "robots_unreachable" and second.ok
    assert paths == ["/robots.txt", "/robots.txt", "/a"]


async def test_the_last_good_copy_stands_in_while_robots_txt_is_unreadable() -> None:
    route = sequence(robots("User-agent: *\nDisallow: /x\n"), status(503))
    routes = {"/robots.txt": route, "/x": page(), "/y": page()}
    with LocalServer(routes) as server:
        settings = quick_settings(retries=NO_RETRIES, robots_cache_ttl=0.2)
        async with Fetcher(settings) as fetcher:
            await fetcher.fetch(server.url("/y"))
            await asyncio.sleep(0.3)
            x = await fetcher.fetch(server.url("/x"))
            y = await fetcher.fetch(server.url("/y"))
        paths = server.paths()
    assert x.error_kind == "robots_disallowed" and y.ok
    assert paths == ["/robots.txt", "/y", "/robots.txt", "/y"]


async def test_a_redirected_robots_txt_is_followed_and_sitemaps_exposed() -> None:
    text = "User-agent: *\nDisallow: /x\nSitemap: https://news.example/sitemap_index.xml\n"
    routes = {"/robots.txt": redirect("/real-robots.txt", 301), "/real-robots.txt": robots(text)}
    with LocalServer(routes) as server:
        async with Fetcher(quick_settings()) as fetcher:
            rules = await fetcher.robots.rules_for(server.url("/anything"))
    assert rules.status is RobotsStatus.PARSED
    assert not rules.allows(server.url("/x/1")) and rules.allows(server.url("/y"))
    assert rules.sitemaps == ("https://news.example/sitemap_index.xml",)


async def test_only_the_first_half_megabyte_of_a_huge_robots_txt_is_read() -> None:
    text = "User-agent: *\nDisallow: /x\n" + "# filler\n" * 100_000  # about 900 KB
    with LocalServer({"/robots.txt": robots(text), "/x": page(), "/y": page()}) as server:
        async with Fetcher(quick_settings()) as fetcher:
            x = await fetcher.fetch(server.url("/x"))
            y = await fetcher.fetch(server.url("/y"))
    assert x.error_kind == "robots_disallowed" and y.ok


async def test_robots_can_be_switched_off() -> None:
    with LocalServer({"/robots.txt": robots("User-agent: *\nDisallow: /\n"), "/a": page()}) as s:
        async with Fetcher(quick_settings(), obey_robots=False) as fetcher:
            result = await fetcher.fetch(s.url("/a"))
        paths = s.paths()
    assert result.ok and paths == ["/a"]


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("too_many_redirects", RobotsStatus.MISSING),
        ("redirect_loop", RobotsStatus.MISSING),
        ("timeout", RobotsStatus.UNREACHABLE),
        ("unsafe_url", RobotsStatus.UNREACHABLE),
    ],
)
def test_a_failed_robots_fetch_is_read_as_rfc_9309_says(kind: str, expected: RobotsStatus) -> None:
    failed = FetchResult(
        url="https://news.example/robots.txt",
        final_url="https://news.example/robots.txt",
        status=None,
        reason="",
        headers=(),
        request=None,
        body=b"",
        raw_body=b"",
        http_version=None,
        fetched_at=datetime.now(UTC),
        elapsed=0.0,
        redirects=(),
        attempts=1,
        error_kind=kind,
        error_message="failed",
    )
    assert rules_from(failed, "newsarchive").status is expected
