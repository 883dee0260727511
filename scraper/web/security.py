"""Headers every answer carries, and the Host check that keeps other websites out.

The pages load nothing but their own stylesheet and icon (no script at all), so the policy
allows only this origin: an archived page's hostile markup, were it ever to slip through the
escaping, could run nothing. A server on a loopback address also answers only requests
addressed to a loopback name: a web page elsewhere cannot point a DNS name at 127.0.0.1 and
read the archive through the researcher's browser (DNS rebinding).
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def host_name(header: str) -> str:
    """The host of a Host header, without port or IPv6 brackets, lower-cased."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class SecurityMiddleware:
    """Adds `SECURITY_HEADERS`; refuses a Host outside `allowed_hosts` (None: any host)."""

    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str] | None = None) -> None:
        self.app = app
        self.allowed_hosts = frozenset(allowed_hosts) if allowed_hosts is not None else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.allowed_hosts is not None:
            host = host_name(Headers(scope=scope).get("host", ""))
            if host not in self.allowed_hosts:
                response = PlainTextResponse("unexpected Host header", status_code=400)
                await response(scope, receive, self._with_headers(send))
                return
        await self.app(scope, receive, self._with_headers(send))

    @staticmethod
    def _with_headers(send: Send) -> Send:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
            await send(message)

        return send_with_headers
