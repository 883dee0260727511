"""Hostile URLs are refused before a request leaves: by the fetcher (other schemes, private,
loopback and link-local addresses in every spelling, credentials, URLs of 10-100 KB, CR/LF),
on redirects, by discovery (links no fetch could take), and in a real crawl whose feed lists
them all.

tests/scraper/test_safety.py checks `is_public_address` on a table of addresses, names that
resolve privately, three other schemes, and redirects to localhost and file:. Here every
hostile form goes through `Fetcher.fetch` itself, against a transport that records whatever
would have left the process (so no traffic ever leaves, even if a check regressed); the
decimal, octal, hex, short and IPv6 spellings of loopback redirect from a live local server.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from scraper.discovery_links import MAX_URL_CHARS, absolute_http_url
from scraper.exceptions import InvalidURLError
from scraper.fetch import Fetcher
from storage.db import Database
from tests.reliability.local_site import (
    FEED_PATH,
    SITE,
    article_html,
    crawl,
    feed_xml,
    frontier_rows,
    site_config,
)
from tests.reliability.tally import tried
from tests.scraper.http_servers import LocalServer, page, quick_settings, redirect

pytestmark = pytest.mark.anyio

PORT = 8080
SCHEMES = [
    *("javascript:alert(1)", "JaVaScRiPt:alert(1)", "file:///etc/passwd", "file://localhost/x"),
    *("data:text/html,<script>x</script>", f"ftp://127.0.0.1:{PORT}/", "gopher://127.0.0.1/"),
    *(f"ws://127.0.0.1:{PORT}/", "mailto:desk@example.com", "about:blank", "//127.0.0.1/x"),
]
ADDRESSES = [
    *("127.0.0.1", "127.1", "127.000.000.001", "2130706433", "0x7f000001", "0x7f.0.0.1"),
    *("017700000001", "0177.0.0.1", "0.0.0.0", "0", "localhost", "LOCALHOST.", "127。0。0。1"),
    *("[::1]", "[::]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[0:0:0:0:0:ffff:127.0.0.1]"),
    *("[64:ff9b::7f00:1]", "[2002:7f00:1::]", "[fe80::1]", "[fd00::1]", "[ff02::1]"),
    *("10.0.0.1", "172.16.0.1", "192.168.1.1", "100.64.0.1", "169.254.169.254"),
    *("[::ffff:a9fe:a9fe]", "[fe80::1%25lo]", "224.0.0.1", "255.255.255.255"),
]
FORMS = [
    f"http://user:secret@93.184.216.34:{PORT}/",
    f"http://example.com@127.0.0.1:{PORT}/",
    f"https://:@93.184.216.34:{PORT}/",
    "http://93.184.216.34/" + "a" * 10_000,
    "http://93.184.216.34/" + "a" * 100_000,
    "http://93.184.216.34/?q=" + "%41" * 5_000,
    "http://93.184.216.34/a\r\nX-Injected: 1",
    "http://93.184.216.34\r\nX-Injected: 1/",
    "http://93.184.216.34/a\x00b",
    "http://93.184.216.34/a\nb",
    "http:///no-host",
    "http://[::1/",
    "http://93.184.216.34:99999/",
    "http://93.184.216.34:0/",
    "http://ⓛⓞⓒⓐⓛⓗⓞⓢⓣ/",
    "http://xn--a.example/",
]
HOSTILE = SCHEMES + [f"http://{address}:{PORT}/x" for address in ADDRESSES] + FORMS


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class Recorder(httpx.AsyncBaseTransport):
    """Stands in for the network: records each request that would have left, answers 200."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(str(request.url))
        body = httpx.ByteStream(b"<p>x</p>")
        return httpx.Response(200, headers={"Content-Type": "text/html"}, stream=body)


@pytest.fixture
async def fetcher() -> Iterator[tuple[Fetcher, Recorder]]:
    network = Recorder()
    settings = quick_settings(allow_private_addresses=False)
    async with Fetcher(settings, transport=network, obey_robots=False) as fetcher:
        yield fetcher, network


@pytest.mark.parametrize("url", HOSTILE)
async def test_the_fetcher_sends_nothing_to_a_hostile_url(
    url: str, fetcher: tuple[Fetcher, Recorder]
) -> None:
    tried("hostile URLs: through the fetcher")
    client, network = fetcher
    try:
        result = await client.fetch(url)
    except InvalidURLError as error:
        assert "\n" not in str(error)
    else:
        assert result.error_kind in ("unsafe_url", "connection"), result.error_message
        assert result.attempts == 0 and result.status is None
    assert network.sent == []


async def test_a_site_allowed_private_addresses_still_refuses_credentials_and_huge_urls(
    fetcher: tuple[Fetcher, Recorder],
) -> None:
    client, network = fetcher
    for url in (f"http://user:pw@127.0.0.1:{PORT}/", f"http://127.0.0.1:{PORT}/" + "a" * 9000):
        tried("hostile URLs: through the fetcher")
        result = await client.fetch(url, allow_private=True)
        assert result.error_kind == "unsafe_url", result.error_message
    assert network.sent == []
    assert (await client.fetch(f"http://127.0.0.1:{PORT}/", allow_private=True)).ok
    assert network.sent == [f"http://127.0.0.1:{PORT}/"]


async def test_redirects_to_loopback_in_any_spelling_are_refused() -> None:
    """The live server is allowed for its own address only; each redirect names it again in
    another spelling (ASCII only: the test server cannot send other Location headers), or
    with credentials, a 9 KB path or a bad port: none must reach it."""
    with LocalServer({"/target": page()}) as server:
        spellings = [
            *("127.1", "2130706433", "0x7f000001", "017700000001", "localhost", "[::1]"),
            *("[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "0.0.0.0", "LOCALHOST."),
        ]
        targets = [f"http://{spelling}:{server.port}/target" for spelling in spellings]
        targets += [f"http://user:pw@127.0.0.1:{server.port}/target", "file:///etc/passwd"]
        targets += [f"http://127.0.0.1:{server.port}/" + "a" * 9000]
        targets += ["http://127.0.0.1:99999/target"]
        server.routes.update({f"/go{n}": redirect(url) for n, url in enumerate(targets)})
        settings = quick_settings(allow_private_addresses=False)
        async with Fetcher(settings, obey_robots=False) as fetcher:
            for n, target in enumerate(targets):
                tried("hostile URLs: redirects")
                result = await fetcher.fetch(server.url(f"/go{n}"), allow_private=True)
                # A name the resolver does not know ("localhost.") fails as a connection.
                assert result.error_kind in ("unsafe_url", "connection"), (target, result)
                assert result.attempts == 1 and [hop.status for hop in result.redirects] == [302]
        assert server.requests_to("/target") == []


async def test_a_redirect_to_a_bad_idna_host_is_a_fetch_error() -> None:
    with LocalServer({"/go": redirect("http://xn--a.example/")}) as server:
        settings = quick_settings(allow_private_addresses=False)
        async with Fetcher(settings, obey_robots=False) as fetcher:
            result = await fetcher.fetch(server.url("/go"), allow_private=True)
    assert result.error_kind == "unsafe_url"


LINKS = [
    *(link for link in SCHEMES if not link.startswith("//")),  # "//host/" is a fine link
    f"https://{SITE}/" + "a" * MAX_URL_CHARS,
    f"https://{SITE}/" + "a" * 100_000,
    f"http://xn--a.{SITE}/story",
    f"http://ⓛⓞⓒⓐⓛ.{SITE}/story",
    f"http://{SITE}:99999/story",
    "http://[::1/story",
    f"http://{SITE}/a\x00b",
]


@pytest.mark.parametrize("link", LINKS)
def test_discovery_drops_links_no_fetch_could_take(link: str) -> None:
    tried("hostile URLs: discovery")
    assert absolute_http_url(link, f"https://{SITE}/feed.xml") is None


def test_discovery_keeps_credentials_out_and_ipv6_hosts_whole() -> None:
    base = f"https://{SITE}/feed.xml"
    assert absolute_http_url(f"https://user:pw@{SITE}/a", base) == f"https://{SITE}/a"
    assert absolute_http_url("http://[::1]:8080/a", base) == "http://[::1]:8080/a"
    assert absolute_http_url(f"https://{SITE}/" + "a" * 1000, base) is not None


def test_a_crawl_whose_feed_lists_hostile_links_fetches_only_the_real_story(
    tmp_path: Path, database: Database
) -> None:
    """One link of 100 KB on the site itself used to stop the whole run (the fetcher raised
    for it, and the run treated that as a usage error); now discovery drops it."""
    story = f"http://{SITE}/2025/12/01/frigate-trials/"
    with LocalServer() as server:
        listed = [story, *LINKS, *(f"http://{address}:{server.port}/x" for address in ADDRESSES)]
        server.routes.update(
            {
                FEED_PATH: page(feed_xml(listed), content_type="application/rss+xml"),
                "/2025/12/01/frigate-trials/": page(article_html("frigate-trials")),
            }
        )
        report = crawl(site_config(tmp_path, server, []), database)
        paths = server.paths()
    tried("hostile URLs: listed in a crawled feed", len(listed) - 1)
    assert not any(site.failed for site in report.sites), report.to_dict()
    assert sorted(paths) == sorted(["/robots.txt", FEED_PATH, "/2025/12/01/frigate-trials/"])
    articles = [url for url, row in frontier_rows(database).items() if row.state != "source"]
    assert articles == [story]
