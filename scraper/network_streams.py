"""httpcore's network streams, with each connection's socket and peer looked up once.

Before every request, and again as every response is closed, httpcore asks each idle
connection of the pool whether its socket has become readable (the server closed it). anyio
answers by building its table of the socket's attributes anew, a getpeername() call among
them, before the one poll() that decides: ten times the poll's own cost, for every idle
connection, twice a request (8% of the crawler's CPU in the crawl benchmark). The WARC
writer asks each response for the server's address the same way. A connection's socket and
peer never change, so the streams here keep them from the first asking.
"""

from __future__ import annotations

import select
import socket
import ssl
from collections.abc import Mapping
from typing import Any

import httpcore
import httpx

_UNKNOWN: Any = object()


class SocketKeepingStream(httpcore.AsyncNetworkStream):
    """A stream that answers "is_readable", "socket" and "server_addr" without asking
    anyio each time; everything else goes to the stream it wraps."""

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._socket: socket.socket | None = _UNKNOWN
        self._server_addr: Any = _UNKNOWN

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        tls = await self._inner.start_tls(ssl_context, server_hostname, timeout)
        return SocketKeepingStream(tls)

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            return _readable_or_closed(self._raw_socket())
        if info == "socket":
            return self._raw_socket()
        if info == "server_addr":
            if self._server_addr is _UNKNOWN:
                self._server_addr = self._inner.get_extra_info("server_addr")
            return self._server_addr
        return self._inner.get_extra_info(info)

    def _raw_socket(self) -> socket.socket | None:
        if self._socket is _UNKNOWN:
            self._socket = self._inner.get_extra_info("socket")
        return self._socket


class SocketKeepingBackend(httpcore.AsyncNetworkBackend):
    """anyio's backend (the crawler runs on asyncio) handing out `SocketKeepingStream`s;
    `resolve` connects a host name (lower case) to another address, as `curl --resolve`
    does, the request itself unchanged (`scraper.host_overrides`)."""

    def __init__(
        self,
        inner: httpcore.AsyncNetworkBackend | None = None,
        resolve: Mapping[str, tuple[str, int]] | None = None,
    ) -> None:
        self._inner = inner if inner is not None else httpcore.AnyIOBackend()
        self._resolve = dict(resolve or {})

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.AsyncNetworkStream:
        host, port = self._resolve.get(host.lower(), (host, port))
        stream = await self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        return SocketKeepingStream(stream)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.AsyncNetworkStream:
        stream = await self._inner.connect_unix_socket(path, timeout, socket_options)
        return SocketKeepingStream(stream)

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def keep_sockets(
    transport: httpx.AsyncHTTPTransport, resolve: Mapping[str, tuple[str, int]] | None = None
) -> bool:
    """Have `transport`'s connection pool open `SocketKeepingStream`s (connecting the names
    `resolve` maps to their address); whether it could.

    httpx takes no network backend, so the pool it made is given one: on a version whose
    pool is not where this looks, the transport is left as it is (slower, still correct;
    the caller then reroutes the requests of the names it wanted resolved itself).
    """
    pool = getattr(transport, "_pool", None)
    if not isinstance(pool, httpcore.AsyncConnectionPool):
        return False
    if not hasattr(pool, "_network_backend"):
        return False
    pool._network_backend = SocketKeepingBackend(resolve=resolve)
    return True


def _readable_or_closed(sock: socket.socket | None) -> bool:
    """httpcore's test of an idle connection: readable (or closed) means the server hung up
    or sent what nobody asked for, and the connection is dropped."""
    if sock is None or sock.fileno() < 0:
        return True
    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(sock, select.POLLIN)
        return bool(poller.poll(0))
    readable, _, _ = select.select([sock], [], [], 0)
    return bool(readable)
