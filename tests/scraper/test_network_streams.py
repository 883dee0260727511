"""Streams that keep their socket: the crawler's transports use them, idle connections the
server closed are still found and dropped, and the server's address is the one connected to
(against a real server on 127.0.0.1)."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from scraper.http_client import network_transport
from scraper.network_streams import SocketKeepingStream, keep_sockets
from scraper.settings import Settings
from tests.scraper.http_servers import Call, LocalServer, page

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _answers_then_hangs_up(call: Call) -> None:
    """A keep-alive answer (a length, no "Connection: close"), then the server closes."""
    call.respond(200, b"<p>bye</p>", {"Content-Type": "text/html"})
    call._handler.close_connection = True


def _transport() -> httpx.AsyncHTTPTransport:
    transport = httpx.AsyncHTTPTransport()
    assert keep_sockets(transport)  # the installed httpx and httpcore are the ones it knows
    return transport


async def _get(transport: httpx.AsyncBaseTransport, url: str) -> httpx.Response:
    response = await transport.handle_async_request(httpx.Request("GET", url))
    await response.aread()
    return response


async def test_connections_reuse_their_socket_and_name_their_server() -> None:
    with LocalServer({"/": page()}) as server:
        async with _transport() as transport:
            responses = [await _get(transport, server.url("/")) for _ in range(3)]
            streams = [response.extensions["network_stream"] for response in responses]
            assert streams[0].get_extra_info("server_addr") == ("127.0.0.1", server.port)

    assert all(isinstance(stream, SocketKeepingStream) for stream in streams)
    assert streams[0].get_extra_info("server_addr") == ("127.0.0.1", server.port)  # kept
    assert len({request.client_port for request in server.requests}) == 1  # kept alive


async def test_an_idle_connection_the_server_closed_is_dropped_not_reused() -> None:
    with LocalServer({"/bye": _answers_then_hangs_up, "/": page()}) as server:
        async with _transport() as transport:
            first = await _get(transport, server.url("/bye"))
            stream = first.extensions["network_stream"]
            for _ in range(100):  # the server's close reaches this end
                if stream.get_extra_info("is_readable"):
                    break
                await asyncio.sleep(0.01)
            second = await _get(transport, server.url("/"))

    assert stream.get_extra_info("is_readable")  # closed: what httpcore drops it for
    assert second.status_code == 200
    assert len({request.client_port for request in server.requests}) == 2  # a new connection


async def test_an_open_idle_connection_is_not_readable() -> None:
    with LocalServer({"/": page()}) as server:
        async with _transport() as transport:
            stream = (await _get(transport, server.url("/"))).extensions["network_stream"]
            assert stream.get_extra_info("is_readable") is False
            assert stream.get_extra_info("socket") is stream.get_extra_info("socket")


async def test_the_crawlers_pools_keep_their_sockets() -> None:
    with LocalServer({"/": page()}) as server:
        async with network_transport(Settings()) as transport:
            response = await _get(transport, server.url("/"))

    assert isinstance(response.extensions["network_stream"], SocketKeepingStream)


def test_a_transport_without_the_expected_pool_is_left_alone() -> None:
    unbuilt = httpx.AsyncHTTPTransport.__new__(httpx.AsyncHTTPTransport)  # no pool at all

    assert keep_sockets(unbuilt) is False


async def test_a_resolved_name_connects_to_its_address_with_the_request_unchanged() -> None:
    with LocalServer({"/": page()}) as server:
        transport = httpx.AsyncHTTPTransport()
        assert keep_sockets(transport, {"news.example": ("127.0.0.1", server.port)})
        async with transport:
            response = await _get(transport, "http://NEWS.example/")
            peer = response.extensions["network_stream"].get_extra_info("server_addr")

    assert response.status_code == 200
    assert peer == ("127.0.0.1", server.port)
    assert server.requests[0].headers["host"] == "news.example"
