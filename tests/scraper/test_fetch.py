"""The fetcher against a real server: what it sends and records, conditional GET, content types,
size caps and decompression (gzip bombs included)."""

from __future__ import annotations

import gzip
import importlib.util
import socket
import time
import zlib
from datetime import UTC, datetime, timedelta

import pytest

from scraper.exceptions import InvalidURLError
from scraper.fetch import XML_TYPES, Fetcher, Validators
from scraper.settings import MB, Settings
from tests.scraper.http_servers import (
    HTML,
    LocalServer,
    conditional,
    encoded,
    gzip_zeros,
    huge,
    page,
    quick_settings,
    status,
)

pytestmark = pytest.mark.anyio

FEED = '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_a_page_is_fetched_with_what_was_sent_and_received() -> None:
    with LocalServer({"/news/item": page()}) as server:
        async with Fetcher(quick_settings()) as fetcher:
            result = await fetcher.fetch(server.url("/news/item"))
        seen = server.requests_to("/news/item")
    assert result.ok and result.error_kind is None
    assert (result.status, result.reason, result.body) == (200, "OK", HTML.encode())
    assert result.final_url == result.url == server.url("/news/item")
    assert (result.content_type, result.charset) == ("text/html", "utf-8")
    assert result.http_version == "HTTP/1.1" and result.ip == "127.0.0.1"
    assert result.attempts == 1 and result.redirects == ()
    assert result.fetched_at.tzinfo is not None and result.fetched_at.utcoffset() == timedelta(0)
    assert abs(result.fetched_at - datetime.now(UTC)) < timedelta(minutes=1)
    assert result.request is not None and result.request.method == "GET"
    assert result.request.url == server.url("/news/item")
    sent = {name.lower(): value for name, value in result.request.headers}
    assert len(seen) == 1 and seen[0].headers["user-agent"] == sent["user-agent"]
    assert Settings().contact_url in sent["user-agent"]
    assert "gzip" in seen[0].headers["accept-encoding"]
    assert result.header("Content-Type") == "text/html; charset=utf-8"


async def test_validators_make_an_unchanged_page_a_304_without_body() -> None:
    route = conditional("<p>v1</p>", etag='"v1"', last_modified=time.time() - 3600)
    with LocalServer({"/a": route}) as server:
        async with Fetcher(quick_settings()) as fetcher:
            first = await fetcher.fetch(server.url("/a"))
            again = await fetcher.fetch(server.url("/a"), validators=first.validators)
            by_date = await fetcher.fetch(
                server.url("/a"), validators=Validators(last_modified=first.last_modified)
            )
        sent = [request.headers for request in server.requests_to("/a")]
    assert first.ok and first.body == b"<p>v1</p>" and first.etag == '"v1"'
    assert first.last_modified is not None and "GMT" in first.last_modified
    assert "if-none-match" not in sent[0]
    assert sent[1]["if-none-match"] == '"v1"' and sent[1]["if-modified-since"]
    assert again.status == 304 and again.not_modified and again.body == b""
    assert not again.ok and again.error_kind is None
    assert again.validators == first.validators
    assert "if-none-match" not in sent[2] and by_date.not_modified


async def test_a_304_leaves_its_connection_open_for_the_next_request() -> None:
    route = conditional("<p>v1</p>", etag='"v1"', last_modified=time.time() - 3600)
    with LocalServer({"/a": route}) as server:
        async with Fetcher(quick_settings(), obey_robots=False) as fetcher:
            first = await fetcher.fetch(server.url("/a"))
            for _ in range(3):
                again = await fetcher.fetch(server.url("/a"), validators=first.validators)
                assert again.not_modified
        ports = {request.client_port for request in server.requests_to("/a")}
    assert len(server.requests_to("/a")) == 4 and len(ports) == 1


async def test_a_changed_page_answers_stale_validators_with_the_new_body() -> None:
    route = conditional("<p>v2</p>", etag='"v2"', last_modified=time.time())
    with LocalServer({"/a": route}) as server:
        async with Fetcher(quick_settings()) as fetcher:
            result = await fetcher.fetch(server.url("/a"), validators=Validators(etag='"v1"'))
    assert result.ok and not result.not_modified
    assert result.body == b"<p>v2</p>" and result.etag == '"v2"'


async def test_an_unwanted_content_type_is_refused_but_the_response_recorded() -> None:
    routes = {"/logo": page(b"\x89PNG", content_type="image/png")}
    with LocalServer(routes) as server:
        async with Fetcher(quick_settings()) as fetcher:
            result = await fetcher.fetch(server.url("/logo"))
    assert result.error_kind == "content_type" and not result.ok
    assert result.status == 200 and result.content_type == "image/png" and result.body == b""
    assert result.error_message is not None and "image/png" in result.error_message


async def test_callers_choose_the_types_they_take() -> None:
    routes = {
        "/feed": page(FEED, content_type="application/rss+xml"),
        "/bare": page(b"<p>no type</p>", content_type=""),
        "/data": page(b"{}", content_type="application/json"),
    }
    with LocalServer(routes) as server:
        async with Fetcher(quick_settings()) as fetcher:
            feed = await fetcher.fetch(server.url("/feed"), accept_types=XML_TYPES)
            as_html = await fetcher.fetch(server.url("/feed"))
            bare = await fetcher.fetch(server.url("/bare"))
            anything = await fetcher.fetch(server.url("/data"), accept_types=None)
    assert feed.ok and feed.body == FEED.encode()
    assert as_html.error_kind == "content_type"
    assert bare.ok and bare.body == b"<p>no type</p>"
    assert anything.ok and anything.body == b"{}"


@pytest.mark.parametrize("declare_length", [True, False])
async def test_a_body_over_the_cap_is_refused(declare_length: bool) -> None:
    routes = {"/big": huge(3 * MB, declare_length=declare_length), "/fits": huge(MB // 2)}
    with LocalServer(routes) as server:
        async with Fetcher(quick_settings(max_response_bytes=MB)) as fetcher:
            big = await fetcher.fetch(server.url("/big"))
            fits = await fetcher.fetch(server.url("/fits"))
    assert big.error_kind == "too_large" and big.body == b"" and big.status == 200
    assert big.attempts == 1
    assert fits.ok and len(fits.body) == MB // 2


async def test_gzip_and_deflate_bodies_are_decoded_and_kept_as_sent() -> None:
    body = HTML.encode() * 50
    gzipped = gzip.compress(body)
    deflated = zlib.compress(body)
    raw_deflate = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    raw = raw_deflate.compress(body) + raw_deflate.flush()
    routes = {
        "/gz": encoded(gzipped, "gzip"),
        "/zlib": encoded(deflated, "deflate"),
        "/raw": encoded(raw, "deflate"),
    }
    with LocalServer(routes) as server:
        async with Fetcher(quick_settings()) as fetcher:
            results = [await fetcher.fetch(server.url(path)) for path in routes]
    assert [result.body for result in results] == [body, body, body]
    assert [result.raw_body for result in results] == [gzipped, deflated, raw]


@pytest.mark.skipif(importlib.util.find_spec("brotli") is None, reason="no brotli decoder")
async def test_brotli_is_asked_for_and_decoded_when_a_decoder_is_installed() -> None:
    import brotli  # type: ignore[import-untyped]

    body = HTML.encode() * 50
    with LocalServer({"/br": encoded(brotli.compress(body), "br")}) as server:
        async with Fetcher(quick_settings()) as fetcher:
            result = await fetcher.fetch(server.url("/br"))
        accept_encoding = server.requests_to("/br")[0].headers["accept-encoding"]
    assert "br" in accept_encoding
    assert result.ok and result.body == body


async def test_a_gzip_bomb_is_stopped_at_the_decompressed_cap() -> None:
    bomb = gzip_zeros(64 * MB)
    assert len(bomb) < MB  # small on the wire: only the decompressed cap can stop it
    settings = quick_settings(max_response_bytes=10 * MB, max_decompressed_bytes=4 * MB)
    with LocalServer({"/bomb": encoded(bomb, "gzip")}) as server:
        async with Fetcher(settings) as fetcher:
            result = await fetcher.fetch(server.url("/bomb"))
    assert result.error_kind == "too_large" and result.body == b""
    assert result.error_message is not None and "decompressed" in result.error_message


async def test_corrupt_or_unknown_encodings_are_decoding_errors() -> None:
    routes = {
        "/corrupt": encoded(b"this is not gzip at all", "gzip"),
        "/zstd": encoded(b"\x28\xb5\x2f\xfd whatever", "zstd"),
    }
    with LocalServer(routes) as server:
        async with Fetcher(quick_settings()) as fetcher:
            corrupt = await fetcher.fetch(server.url("/corrupt"))
            unknown = await fetcher.fetch(server.url("/zstd"))
    assert corrupt.error_kind == "decoding" and corrupt.body == b""
    assert unknown.error_kind == "decoding"
    assert unknown.error_message is not None and "zstd" in unknown.error_message


async def test_an_http_error_status_is_a_result_not_an_error_and_not_retried() -> None:
    with LocalServer({"/gone": status(404)}) as server:
        async with Fetcher(quick_settings()) as fetcher:
            result = await fetcher.fetch(server.url("/gone"))
        requests = server.requests_to("/gone")
    assert result.status == 404 and result.error_kind is None and not result.ok
    assert result.body == b"<p>status 404</p>"
    assert result.attempts == 1 and len(requests) == 1


async def test_an_unreachable_host_is_a_connection_error_not_an_exception() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with Fetcher(quick_settings(), obey_robots=False) as fetcher:
        result = await fetcher.fetch(f"http://127.0.0.1:{port}/")
    assert result.error_kind == "connection" and result.status is None
    assert result.attempts == 3  # the first try and two retries


@pytest.mark.parametrize("url", ["not a url", "/relative/path", "ftp://example.com/x", "http://"])
async def test_a_url_that_is_not_absolute_http_is_a_usage_error(url: str) -> None:
    async with Fetcher(quick_settings()) as fetcher:
        with pytest.raises(InvalidURLError):
            await fetcher.fetch(url)
