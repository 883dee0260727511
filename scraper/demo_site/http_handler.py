"""The request handler: name-based virtual hosting by the Host header, conditional GET, and
a log of every request so tests can assert what a crawler asked for.

HTTP/1.1 with keep-alive and TCP_NODELAY: a crawler reuses its connections, and without
NODELAY the header/body writes would wait on delayed ACKs.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from scraper.demo_site.formatting import esc, http_date
from scraper.demo_site.host_content import HTML, HostContent, Resource

IDLE_CONNECTION_SECONDS = 30
LOCAL_NAMES = frozenset({"127.0.0.1", "localhost", "[::1]", ""})


class LoggedRequest(NamedTuple):
    """One request as the server saw it; header names are lower-cased."""

    time: datetime
    host: str
    method: str
    path: str
    status: int
    headers: dict[str, str]


class RequestLog:
    """Append-only and thread-safe; readers get a snapshot."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[LoggedRequest] = []
        self._in_flight: dict[str, int] = {}
        self._peak: dict[str, int] = {}

    def entered(self, host: str) -> None:
        """A request to `host` started being answered (for the politeness tests)."""
        with self._lock:
            now = self._in_flight.get(host, 0) + 1
            self._in_flight[host] = now
            self._peak[host] = max(self._peak.get(host, 0), now)

    def left(self, host: str) -> None:
        with self._lock:
            self._in_flight[host] -= 1

    def peak_in_flight(self) -> dict[str, int]:
        """The most requests each host was answering at the same moment."""
        with self._lock:
            return dict(self._peak)

    def add(self, entry: LoggedRequest) -> None:
        with self._lock:
            self._entries.append(entry)

    def snapshot(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._peak.clear()


HostLookup = Callable[[str], HostContent | None]
Request = socket.socket | tuple[bytes, socket.socket]  # socketserver's request type


class DemoHTTPServer(ThreadingHTTPServer):
    """Keeps its open connections so stopping the demo also ends idle keep-alive sockets."""

    daemon_threads = True
    block_on_close = False
    request_queue_size = 256

    def __init__(
        self,
        address: tuple[str, int],
        lookup: HostLookup,
        log: RequestLog,
        hosts: list[str],
        latency: float = 0.0,
    ) -> None:
        super().__init__(address, DemoRequestHandler)
        self.latency = latency
        self.lookup = lookup
        self.log = log
        self.host_names = hosts
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()

    def process_request(self, request: Request, client_address: Any) -> None:
        if isinstance(request, socket.socket):
            with self._open_lock:
                self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Request) -> None:
        if isinstance(request, socket.socket):
            with self._open_lock:
                self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self._open_lock:
            open_sockets = list(self._open)
        for sock in open_sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class DemoRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "newsarchive-demo/1"
    disable_nagle_algorithm = True
    timeout = IDLE_CONNECTION_SECONDS
    server: DemoHTTPServer

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def log_message(self, format: str, *args: object) -> None:
        """Silent: the request log is the record, and tests read it."""

    def _answer(self, *, send_body: bool) -> None:
        """Decide, log, then send: a test reading the log after its response sees the entry."""
        host = (self.headers.get("Host") or "").strip().lower()
        host = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        reply = self._reply(host, urlsplit(self.path).path or "/")
        headers = {name.lower(): value for name, value in self.headers.items()}
        entry = LoggedRequest(
            datetime.now(UTC), host, self.command, self.path, reply.status, headers
        )
        self.server.log.add(entry)
        self.server.log.entered(host)
        try:
            if self.server.latency:
                time.sleep(self.server.latency)
            self.send_response(reply.status)
            for name, value in reply.headers:
                self.send_header(name, value)
            self.end_headers()
            if send_body and reply.body:
                self.wfile.write(reply.body)
        finally:
            self.server.log.left(host)

    def _reply(self, host: str, path: str) -> Reply:
        content = self.server.lookup(host)
        if content is None:
            if host in LOCAL_NAMES and path == "/":
                return _text_reply(200, _host_list(self.server.host_names))
            return _text_reply(404, f"No demo site is named {host!r}.")
        resource = content.get(path)
        if resource is None and not path.endswith("/") and content.get(path + "/"):
            location = content.site.url(path + "/")
            return Reply(301, [("Location", location), ("Content-Length", "0")], b"")
        if resource is None:
            return _text_reply(404, f"Not found: {path}")
        validators = [
            ("ETag", resource.etag),
            ("Last-Modified", http_date(resource.last_modified)),
            ("Cache-Control", "max-age=0, must-revalidate"),
        ]
        if _not_modified(
            self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since"), resource
        ):
            return Reply(304, validators, b"")
        entity = [
            ("Content-Type", resource.content_type),
            ("Content-Length", str(len(resource.body))),
        ]
        return Reply(200, entity + validators, resource.body)


class Reply(NamedTuple):
    status: int
    headers: list[tuple[str, str]]
    body: bytes


def _text_reply(status: int, message: str) -> Reply:
    body = f"<!DOCTYPE html><html><body><p>{esc(message)}</p></body></html>".encode()
    return Reply(status, [("Content-Type", HTML), ("Content-Length", str(len(body)))], body)


def _not_modified(
    if_none_match: str | None, if_modified_since: str | None, resource: Resource
) -> bool:
    """RFC 9110: If-None-Match decides when present; If-Modified-Since only without it."""
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or resource.etag in tags
    since = if_modified_since
    if not since:
        return False
    try:
        moment = parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return resource.last_modified.replace(microsecond=0) <= moment


def _host_list(hosts: list[str]) -> str:
    shown = ", ".join(hosts[:10]) + (" ..." if len(hosts) > 10 else "")
    return f"Demo sites here (ask with a Host header, e.g. curl -H 'Host: {hosts[0]}'): {shown}"
