"""Real HTTP servers on 127.0.0.1 for the crawler's tests: routes configured per test, including
misbehaving ones (429, 503 bursts, stalls, resets, trickles, redirect loops, wrong types, huge
bodies, gzip bombs), and a log of every request with its start time and the peak number of
requests in flight, so tests assert what the crawler did to the server.

    with LocalServer({"/": page("<p>hi</p>")}) as server:
        server.url("/")            # http://127.0.0.1:PORT/
        server.requests_to("/")    # [LoggedRequest(...)]
        server.max_concurrent      # peak requests in flight
"""

from __future__ import annotations

import contextlib
import itertools
import socket
import struct
import threading
import time
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from scraper.settings import RetryPolicy, Settings, Timeouts

HTML = "<!doctype html><html><head><title>Test page</title></head><body><p>Hello</p></body></html>"
HTML_TYPE = "text/html; charset=utf-8"


def quick_settings(**overrides: Any) -> Settings:
    """Settings for talking to these servers: private addresses allowed, no pacing, short
    timeouts and back-off (each test overrides what it is about)."""
    fields: dict[str, Any] = {
        "min_delay": 0.0,
        "allow_private_addresses": True,
        "timeouts": Timeouts(connect=2.0, read=1.0, write=2.0, pool=2.0, total=5.0),
        "retries": RetryPolicy(attempts=2, backoff_base=0.05, backoff_cap=0.2),
    }
    return Settings(**(fields | overrides))


@dataclass(frozen=True)
class LoggedRequest:
    method: str
    path: str  # with the query string
    headers: dict[str, str]  # lower-case names
    started: float  # time.monotonic(), comparable with the test's own clock
    client_port: int = 0  # the connection it came on


class Call:
    """One request as a route sees it, with the means to answer it (or to misbehave)."""

    def __init__(self, handler: _Handler, count: int) -> None:
        self._handler = handler
        self.method = handler.command
        self.path = handler.path
        self.headers = {name.lower(): value for name, value in handler.headers.items()}
        self.count = count  # 1 for the first request to this path

    def respond(
        self, status: int, body: bytes = b"", headers: Mapping[str, str] | None = None
    ) -> None:
        self.send_head(status, {**(headers or {}), "Content-Length": str(len(body))})
        self.write(body)

    def send_head(self, status: int, headers: Mapping[str, str]) -> None:
        self._handler.send_response(status)
        for name, value in headers.items():
            self._handler.send_header(name, value)
        if "Content-Length" not in headers:
            self._handler.send_header("Connection", "close")
            self._handler.close_connection = True
        self._handler.end_headers()

    def write(self, data: bytes) -> None:
        self._handler.wfile.write(data)
        self._handler.wfile.flush()

    def reset(self) -> None:
        """Drop the connection with a TCP reset (SO_LINGER 0), without any answer."""
        connection = self._handler.connection
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        connection.close()
        self._handler.close_connection = True

    def pause(self, seconds: float) -> None:
        """Sleeps, but wakes at once when the server stops."""
        self._handler.local_server.stopping.wait(seconds)


Route = Callable[[Call], None]


def page(
    body: str | bytes = HTML,
    *,
    status: int = 200,
    content_type: str = HTML_TYPE,
    headers: Mapping[str, str] | None = None,
) -> Route:
    data = body.encode() if isinstance(body, str) else body

    def route(call: Call) -> None:
        call.respond(status, data, {"Content-Type": content_type, **(headers or {})})

    return route


def status(code: int, headers: Mapping[str, str] | None = None) -> Route:
    return page(f"<p>status {code}</p>", status=code, headers=headers)


def sequence(*routes: Route) -> Route:
    """The n-th request to the path gets the n-th route; the last one repeats."""

    def route(call: Call) -> None:
        routes[min(call.count, len(routes)) - 1](call)

    return route


def delayed(seconds: float, then: Route) -> Route:
    """Answers only after `seconds` (longer than a client's timeout: a stalled server)."""

    def route(call: Call) -> None:
        call.pause(seconds)
        then(call)

    return route


def reset_connection() -> Route:
    return Call.reset


def redirect(location: str, code: int = 302) -> Route:
    return page(b"", status=code, headers={"Location": location})


def trickle(chunk: bytes = b"<p>.</p>", *, count: int, interval: float) -> Route:
    """A body sent a little at a time: every chunk in time for a read timeout, the whole late."""

    def route(call: Call) -> None:
        call.send_head(200, {"Content-Type": HTML_TYPE, "Content-Length": str(count * len(chunk))})
        for _ in range(count):
            call.write(chunk)
            call.pause(interval)

    return route


def huge(size: int, *, declare_length: bool = True) -> Route:
    """`size` bytes of HTML-typed filler, streamed in 64 KiB blocks."""
    block = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>"

    def route(call: Call) -> None:
        headers = {"Content-Type": HTML_TYPE}
        if declare_length:
            headers["Content-Length"] = str(size)
        call.send_head(200, headers)
        sent = 0
        while sent < size:
            piece = block[: size - sent]
            call.write(piece)
            sent += len(piece)

    return route


def gzip_zeros(decoded_size: int) -> bytes:
    """A gzip stream of `decoded_size` zero bytes: about a thousandth of that on the wire."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = bytes(2**20)
    parts = [compressor.compress(block) for _ in range(decoded_size // len(block))]
    parts.append(compressor.compress(bytes(decoded_size % len(block))))
    parts.append(compressor.flush())
    return b"".join(parts)


def encoded(body: bytes, encoding: str, *, content_type: str = HTML_TYPE) -> Route:
    """`body` already compressed with `encoding`, served with that Content-Encoding."""
    return page(body, content_type=content_type, headers={"Content-Encoding": encoding})


def conditional(body: str, *, etag: str, last_modified: float) -> Route:
    """200 with validators, 304 when the request carries a matching one."""
    modified = formatdate(last_modified, usegmt=True)
    validators = {"ETag": etag, "Last-Modified": modified}

    def route(call: Call) -> None:
        if_none_match = call.headers.get("if-none-match")
        if if_none_match == etag or (
            if_none_match is None and call.headers.get("if-modified-since") == modified
        ):
            call.respond(304, b"", validators)
        else:
            call.respond(200, body.encode(), {"Content-Type": HTML_TYPE, **validators})

    return route


def robots(text: str) -> Route:
    return page(text, content_type="text/plain")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    local_server: LocalServer

    def do_GET(self) -> None:
        self.local_server.serve(self)

    do_HEAD = do_GET

    def handle(self) -> None:
        # The client went away, or a route reset the connection.
        with contextlib.suppress(OSError, ValueError):
            super().handle()

    def finish(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            super().finish()

    def log_message(self, format: str, *args: object) -> None:
        pass


class LocalServer:
    """A threaded HTTP/1.1 server on 127.0.0.1 (an ephemeral port) serving `routes` by path;
    unknown paths are 404 (so a missing robots.txt allows everything)."""

    def __init__(self, routes: Mapping[str, Route] | None = None) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._log: list[LoggedRequest] = []
        self._counts: dict[str, int] = {}
        self._active = 0
        self.max_concurrent = 0
        handler = type("Handler", (_Handler,), {"local_server": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        self._server.serve_forever(poll_interval=0.02)  # so that stopping takes no time

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def host_key(self) -> str:
        """The pacer's key for this server (`scraper.politeness.host_key`)."""
        return f"127.0.0.1:{self.port}"

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def requests(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._log)

    def requests_to(self, path: str) -> list[LoggedRequest]:
        return [request for request in self.requests if request.path == path]

    def paths(self) -> list[str]:
        return [request.path for request in self.requests]

    def serve(self, handler: _Handler) -> None:
        path = handler.path.split("?", 1)[0]
        with self._lock:
            self._log.append(
                LoggedRequest(
                    handler.command,
                    handler.path,
                    {name.lower(): value for name, value in handler.headers.items()},
                    time.monotonic(),
                    int(handler.client_address[1]),
                )
            )
            self._counts[path] = count = self._counts.get(path, 0) + 1
            self._active += 1
            self.max_concurrent = max(self.max_concurrent, self._active)
        try:
            self.routes.get(path, status(404))(Call(handler, count))
        finally:
            with self._lock:
                self._active -= 1

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


def start_gaps(requests: list[LoggedRequest]) -> list[float]:
    """Seconds between the starts of consecutive requests."""
    starts = sorted(request.started for request in requests)
    return [later - earlier for earlier, later in itertools.pairwise(starts)]
